"""Journey's periodic rounds: due timers move enrolments on; date triggers enrol customers on their day.
(Due deliveries go to the webhooks one by one: services/journey/deliveries.py.)

Timers are claimed in batches with FOR UPDATE SKIP LOCKED, so replicas (and the rounds one replica keeps in
flight at once: Python works on one while PostgreSQL works on another) share them and nothing runs twice; each
workspace with due timers gets an equal share of a round, its oldest first, so one tenant's burst does not
hold back another's timers. A timer that came due while the service was down is simply overdue and runs on
the next round, so nothing is skipped either.

A workspace whose part of a round fails (a bug its data triggers, a statement that times out) is isolated:
its part is rolled back in a savepoint, logged and counted (`flywheel_journey_job_failures_total`), its
timers are pushed back by `RETRY_FAILED_AFTER` so they cannot hold the oldest-first claim, and every other
workspace's part of the round goes through. A failing date scan is retried on the next round.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import defaultdict

import asyncpg
from prometheus_client import Counter

from runtime.unit_of_work import Work
from services.journey import service, store
from services.journey.service import JourneyContext

log = logging.getLogger(__name__)

RETRY_FAILED_AFTER = dt.timedelta(minutes=5)
JOB_FAILURES = Counter(
    "flywheel_journey_job_failures",
    "A workspace's part of a timer or date round that failed and was isolated, by job.",
    ["job"],
)  # exposed as flywheel_journey_job_failures_total


class JourneyJobs:
    def __init__(self, context: JourneyContext, batch: int = 500, rounds_in_flight: int = 2) -> None:
        self.context = context
        self._batch = batch  # timers claimed per round
        self._rounds_in_flight = rounds_in_flight

    async def run_timers(self) -> int:
        """Move every due enrolment on, `rounds_in_flight` rounds at a time; returns how many moved."""
        results = await asyncio.gather(*(self._rounds() for _ in range(self._rounds_in_flight)), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result  # the others finished their rounds first
        return sum(r for r in results if isinstance(r, int))

    async def _rounds(self) -> int:
        moved = 0
        while True:
            count, more = await self._timer_round()
            moved += count
            if not more:
                return moved

    async def _timer_round(self) -> tuple[int, bool]:
        """Moves on what one claim takes; returns how many, and whether a workspace filled its share (more may
        be due: a round short of the batch may only mean another workspace had less than its share)."""
        now = self.context.now()
        async with self.context.unit_of_work() as work:
            claimed = await store.claim_due_enrolments(work.conn, now, self._batch)
            by_workspace: dict[str, list[store.DueEnrolment]] = defaultdict(list)
            for due in claimed:
                by_workspace[due.workspace].append(due)
            for workspace, enrolments in sorted(by_workspace.items()):
                try:
                    async with work.conn.transaction():  # a savepoint: a failure undoes this workspace's part only
                        part = Work(work.conn)
                        await service.advance_due(part, self.context.book, workspace, enrolments, now)
                    work.publish_all(part.messages)
                except (asyncpg.InterfaceError, asyncpg.PostgresConnectionError, OSError):
                    raise  # the connection is gone: the whole round runs again
                except Exception:
                    log.exception("timers of a workspace failed; deferred", extra={"workspace": workspace})
                    JOB_FAILURES.labels("timers").inc()
                    ids = [e.enrolment_id for e in enrolments]
                    await store.defer_enrolments(work.conn, workspace, ids, now + RETRY_FAILED_AFTER)
        share = -(-self._batch // max(len(by_workspace), 1))
        return len(claimed), any(len(enrolments) >= share for enrolments in by_workspace.values())

    async def fire_dates(self) -> int:
        """Enrol customers whose date trigger (a birthday, a renewal) came due since the last scan.

        Each active journey version with date triggers keeps how far it has been scanned; this round
        covers (scanned_until, now], so a date passing while the service was down fires on the next
        round, and never twice. A version scanned for the first time looks back one day only."""
        fired = 0
        async with self.context.pool.acquire() as conn:
            workspaces = await store.workspaces_with_active_journeys(conn)
        for workspace in workspaces:
            try:
                async with self.context.unit_of_work() as work:
                    enrolled = await service.fire_dates(work, self.context.book, workspace, self.context.now())
                fired += enrolled
            except (asyncpg.InterfaceError, asyncpg.PostgresConnectionError, OSError):
                raise  # the database is away: the next round tries everyone again
            except Exception:
                log.exception("date scan of a workspace failed; retried next round", extra={"workspace": workspace})
                JOB_FAILURES.labels("dates").inc()
        return fired
