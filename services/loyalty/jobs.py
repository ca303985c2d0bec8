"""Loyalty's periodic jobs, on the context's clock: due lots expire (`loyalty.points_expired`), lots about to
expire are announced once (`loyalty.points_expiring`), holds past `hold_minutes` are released, and tiers are
reviewed at their anniversary and after their grace (`loyalty.tier_changed` on a downgrade).

Each job runs in rounds of at most `batch` due things, read without locks (due_store): a round serves the workspaces
with due work in turns and at most its share of the round from each one, oldest first, so a workspace with a
million due lots never holds another's expiry, notices, hold releases or tier reviews back. Each workspace's part
of a round runs in a savepoint that locks its members first. A workspace whose part fails (a
program document the rules refuse, a bug its data triggers) is rolled back alone, logged, counted
(`flywheel_loyalty_job_failures_total`) and left out of the rest of the run, so it never stops the others; the
next run tries it again."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

import asyncpg
from prometheus_client import Counter

from runtime.db import Connection
from runtime.service import PeriodicJob
from runtime.unit_of_work import Work
from services.loyalty import due_store, expiry_store, redemption_store, service
from services.loyalty.domain.program import Program
from services.loyalty.service import LoyaltyContext
from services.loyalty.store import LotRow

log = logging.getLogger(__name__)

JOB_FAILURES = Counter(
    "flywheel_loyalty_job_failures",
    "A workspace's part of a loyalty job round that failed and was isolated, by job.",
    ["job"],
)  # exposed as flywheel_loyalty_job_failures_total

T = TypeVar("T")
Find = Callable[[Connection, dt.datetime, Sequence[str], str, int], Awaitable[list[str]]]  # (skip, after, limit)
Claim = Callable[[Connection, dt.datetime, Sequence[str], int], Awaitable[list[tuple[str, T]]]]  # (workspaces, per)
Apply = Callable[[Work, str, Program | None, list[T], dt.datetime], Awaitable[int]]


# Due things per round. A round holds its members' locks until it commits (a redemption of one of them waits, about
# 45 ms for a round of 500 lots); rounds of 1,000 were not faster over a million lots, of 2,000 slower (the bench).
BATCH = 500


class LoyaltyJobs:
    def __init__(self, context: LoyaltyContext, batch: int = BATCH, max_rounds: int | None = None) -> None:
        self.context = context
        self._batch = batch  # due things per round, and workspaces served per round at the most
        self._max_rounds = max_rounds  # a run's rounds at the most (None: until nothing is due)
        self._turns: dict[str, str] = {}  # by job: the last workspace served when a round could not serve them all

    @property
    def batch(self) -> int:
        return self._batch

    def periodic(self) -> list[PeriodicJob]:
        """The jobs the service runs (one replica at a time), every `loyalty_job_interval_seconds`."""
        every = self.context.settings.loyalty_job_interval_seconds
        return [
            PeriodicJob("holds", every, self.release),
            PeriodicJob("expiry", every, self.expire),
            PeriodicJob("expiry-notices", every, self.notify),
            PeriodicJob("tier-reviews", every, self.review),
        ]

    async def run_all(self) -> dict[str, int]:
        """Every job once, in order (tests and a manual run)."""
        return {
            "released": await self.release(),
            "expired": await self.expire(),
            "noticed": await self.notify(),
            "reviewed": await self.review(),
        }

    async def expire(self) -> int:
        """Expire every lot due now; returns how many expired."""
        expired: dict[str, tuple[dt.datetime, str]] = {}  # by workspace: the last lot claimed in this run

        async def find(conn: Connection, now: dt.datetime, skip: Sequence[str], after: str, limit: int) -> list[str]:
            return await due_store.workspaces_due(conn, "lots", now, skip, after, limit, expired=expired)

        async def claim(
            conn: Connection, now: dt.datetime, workspaces: Sequence[str], per: int
        ) -> list[tuple[str, expiry_store.Due]]:
            due = await due_store.due_lots(conn, now, workspaces, per, expired)
            for d in due:  # in (expires_at, lot_id) order within each workspace: its next round starts after it
                assert d.at is not None
                expired[d.workspace] = (d.at, d.key)
            return [(d.workspace, d) for d in due]

        async def apply(
            work: Work, workspace: str, program: Program | None, due: list[expiry_store.Due], now: dt.datetime
        ) -> int:
            return await service.expire_lots(work, workspace, _needed(program), due, now)

        return await self._run("expiry", find, claim, apply)

    async def notify(self) -> int:
        """Announce every lot whose expiry notice is due; returns how many were announced."""

        async def claim(
            conn: Connection, now: dt.datetime, workspaces: Sequence[str], per: int
        ) -> list[tuple[str, LotRow]]:
            found = await due_store.lots_to_notice(conn, now, workspaces, per)
            return [(c.workspace, c.lot) for c in found]

        async def apply(
            work: Work, workspace: str, program: Program | None, lots: list[LotRow], now: dt.datetime
        ) -> int:
            return await service.notice_lots(work, workspace, _needed(program), lots, now)

        return await self._run("expiry-notices", _finder("notices"), claim, apply)

    async def release(self) -> int:
        """Release every hold past its time; returns how many were released."""

        async def claim(
            conn: Connection, now: dt.datetime, workspaces: Sequence[str], per: int
        ) -> list[tuple[str, expiry_store.Due]]:
            return [(d.workspace, d) for d in await due_store.due_holds(conn, now, workspaces, per)]

        async def apply(
            work: Work, workspace: str, program: Program | None, due: list[expiry_store.Due], now: dt.datetime
        ) -> int:
            return await service.release_holds(work, workspace, due, now)

        return await self._run("holds", _finder("holds"), claim, apply, programs=False)

    async def review(self) -> int:
        """Review every tier whose anniversary or grace end has passed (each member once per run); returns how many
        members' tier state changed."""
        reviewed: dict[str, str] = {}  # by workspace: the last member visited in this run (members in id order)

        async def find(conn: Connection, now: dt.datetime, skip: Sequence[str], after: str, limit: int) -> list[str]:
            return await due_store.workspaces_due(conn, "reviews", now, skip, after, limit, reviewed)

        async def claim(
            conn: Connection, now: dt.datetime, workspaces: Sequence[str], per: int
        ) -> list[tuple[str, str]]:
            due = await due_store.due_reviews(conn, now, workspaces, per, reviewed)
            for d in due:  # in id order within each workspace: the last one is where its next round starts
                reviewed[d.workspace] = d.customer_id
            return [(d.workspace, d.customer_id) for d in due]

        async def apply(
            work: Work, workspace: str, program: Program | None, customers: list[str], now: dt.datetime
        ) -> int:
            await service.review_tiers(work, workspace, _needed(program), customers, now)
            return len(customers)  # visited: the keyset moves on whatever the review decided

        return await self._run("tier-reviews", find, claim, apply)

    async def _run(self, job: str, find: Find, claim: Claim[T], apply: Apply[T], *, programs: bool = True) -> int:
        """Rounds until nothing more is due, a round makes no progress, or `max_rounds`. A round serves the
        workspaces with due work in turns (at most `batch` of them, in workspace order from where the last round
        stopped) and at most `batch / workspaces` due things of each, so every workspace with due work makes
        progress in every round however much another one has due."""
        skip: list[str] = []
        total, rounds = 0, 0
        while True:
            now = self.context.now()
            async with self.context.unit_of_work() as work:
                turn = self._turns.get(job, "")
                workspaces = await find(work.conn, now, skip, turn, self._batch)
                if not workspaces and turn:  # the last ones were served: from the first again
                    turn = ""
                    workspaces = await find(work.conn, now, skip, turn, self._batch)
                if not workspaces:
                    self._turns.pop(job, None)
                    return total
                every = len(workspaces) < self._batch  # all those after `turn`: the next round starts over
                self._turns[job] = "" if every else workspaces[-1]
                per = max(1, self._batch // len(workspaces))
                due = await claim(work.conn, now, workspaces, per)
                by_workspace: dict[str, list[T]] = defaultdict(list)
                for workspace, item in due:
                    by_workspace[workspace].append(item)
                rows = await redemption_store.current_programs(work.conn, by_workspace) if programs else {}
                done, failed = 0, 0
                for workspace, items in sorted(by_workspace.items()):
                    try:
                        async with work.conn.transaction():  # a savepoint: a failure undoes this workspace's part
                            part = Work(work.conn)
                            row = rows.get(workspace)
                            program = service.parse_program(row) if row else None
                            did = await apply(part, workspace, program, items, now)
                        done += did
                        work.publish_all(part.messages)
                        work.after_commit(*part.committed)  # counted once the round commits
                    except (asyncpg.InterfaceError, asyncpg.PostgresConnectionError, OSError):
                        raise  # the connection is gone: the next run tries everything again
                    except Exception:
                        log.exception(
                            "loyalty job failed for a workspace; left for the next run",
                            extra={"workspace": workspace, "job": job},
                        )
                        JOB_FAILURES.labels(job).inc()
                        skip.append(workspace)
                        failed += 1
            total += done
            rounds += 1
            more = not every or bool(turn) or any(len(items) >= per for items in by_workspace.values())
            if not more or (done == 0 and failed == 0) or rounds == self._max_rounds:
                return total


def _finder(kind: due_store.DueKind) -> Find:
    async def find(conn: Connection, now: dt.datetime, skip: Sequence[str], after: str, limit: int) -> list[str]:
        return await due_store.workspaces_due(conn, kind, now, skip, after, limit)

    return find


def _needed(program: Program | None) -> Program:
    if program is None:
        raise service.NoProgram()
    return program
