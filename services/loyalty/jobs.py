"""Loyalty's periodic jobs, on the context's clock: due lots expire (`loyalty.points_expired`), lots about to
expire are announced once (`loyalty.points_expiring`), holds past `hold_minutes` are released, and tiers are
reviewed at their anniversary and after their grace (`loyalty.tier_changed` on a downgrade).

Each job runs in rounds of at most `batch` due things across workspaces, oldest first, read without locks; each
workspace's part of a round runs in a savepoint that locks its members first. A workspace whose part fails (a
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
from services.loyalty import expiry_store, metrics, redemption_store, service
from services.loyalty.domain.program import Program
from services.loyalty.service import LoyaltyContext

log = logging.getLogger(__name__)

JOB_FAILURES = Counter(
    "flywheel_loyalty_job_failures",
    "A workspace's part of a loyalty job round that failed and was isolated, by job.",
    ["job"],
)  # exposed as flywheel_loyalty_job_failures_total

T = TypeVar("T")
Claim = Callable[[Connection, dt.datetime, Sequence[str]], Awaitable[list[tuple[str, T]]]]
Counted = Callable[[], None]  # counts a workspace's part in the metrics, once the round has committed
Apply = Callable[[Work, str, Program | None, list[T], dt.datetime], Awaitable[tuple[int, Counted]]]


def _uncounted() -> None:
    pass


class LoyaltyJobs:
    def __init__(self, context: LoyaltyContext, batch: int = 500) -> None:
        self.context = context
        self._batch = batch  # due things per round

    def periodic(self) -> list[PeriodicJob]:
        """The jobs the service runs (one replica at a time), every `loyalty_job_interval_seconds`."""
        every = self.context.settings.loyalty_job_interval_seconds
        return [
            PeriodicJob("expiry", every, self.expire),
            PeriodicJob("expiry-notices", every, self.notify),
            PeriodicJob("holds", every, self.release),
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

        async def claim(conn: Connection, now: dt.datetime, skip: Sequence[str]) -> list[tuple[str, expiry_store.Due]]:
            return [(d.workspace, d) for d in await expiry_store.due_lots(conn, now, skip, self._batch)]

        async def apply(
            work: Work, workspace: str, program: Program | None, due: list[expiry_store.Due], now: dt.datetime
        ) -> tuple[int, Counted]:
            lots, points = await service.expire_lots(work, workspace, _needed(program), due, now)
            return lots, lambda: metrics.count_points("expired", points)

        return await self._run("expiry", claim, apply)

    async def notify(self) -> int:
        """Announce every lot whose expiry notice is due; returns how many were announced."""

        async def claim(
            conn: Connection, now: dt.datetime, skip: Sequence[str]
        ) -> list[tuple[str, redemption_store.OpenLot]]:
            found = await expiry_store.lots_to_notice(conn, now, skip, self._batch)
            return [(c.workspace, c.lot) for c in found]

        async def apply(
            work: Work, workspace: str, program: Program | None, lots: list[redemption_store.OpenLot], now: dt.datetime
        ) -> tuple[int, Counted]:
            return await service.notice_lots(work, workspace, _needed(program), lots, now), _uncounted

        return await self._run("expiry-notices", claim, apply)

    async def release(self) -> int:
        """Release every hold past its time; returns how many were released."""

        async def claim(conn: Connection, now: dt.datetime, skip: Sequence[str]) -> list[tuple[str, expiry_store.Due]]:
            return [(d.workspace, d) for d in await expiry_store.due_holds(conn, now, skip, self._batch)]

        async def apply(
            work: Work, workspace: str, program: Program | None, due: list[expiry_store.Due], now: dt.datetime
        ) -> tuple[int, Counted]:
            released = await service.release_holds(work, workspace, due, now)

            def count() -> None:
                for _ in range(released):
                    metrics.count_redemption("released")

            return released, count

        return await self._run("holds", claim, apply, programs=False)

    async def review(self) -> int:
        """Review every tier whose anniversary or grace end has passed (each member once per run); returns how many
        members' tier state changed."""
        after: list[tuple[str, str]] = []

        async def claim(conn: Connection, now: dt.datetime, skip: Sequence[str]) -> list[tuple[str, str]]:
            due = await expiry_store.due_reviews(conn, now, after[-1] if after else None, skip, self._batch)
            if due:
                after.append((due[-1].workspace, due[-1].customer_id))
            return [(d.workspace, d.customer_id) for d in due]

        async def apply(
            work: Work, workspace: str, program: Program | None, customers: list[str], now: dt.datetime
        ) -> tuple[int, Counted]:
            await service.review_tiers(work, workspace, _needed(program), customers, now)
            return len(customers), _uncounted  # visited: the keyset moves on whatever the review decided

        return await self._run("tier-reviews", claim, apply)

    async def _run(self, job: str, claim: Claim[T], apply: Apply[T], *, programs: bool = True) -> int:
        """Rounds until one finds fewer than `batch` due things, or makes no progress."""
        skip: list[str] = []
        total = 0
        while True:
            now = self.context.now()
            counts: list[Counted] = []
            async with self.context.unit_of_work() as work:
                due = await claim(work.conn, now, skip)
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
                            did, counted = await apply(part, workspace, program, items, now)
                        done += did
                        counts.append(counted)
                        work.publish_all(part.messages)
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
            for counted in counts:  # committed: now they count
                counted()
            total += done
            if len(due) < self._batch or (done == 0 and failed == 0):
                return total


def _needed(program: Program | None) -> Program:
    if program is None:
        raise service.NoProgram()
    return program
