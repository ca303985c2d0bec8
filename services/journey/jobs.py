"""Journey's periodic rounds: due timers move enrolments on; date triggers enrol customers on their day.
(Due deliveries go to the webhooks one by one: services/journey/deliveries.py.)

Timers are claimed in batches with FOR UPDATE SKIP LOCKED, so replicas share them and nothing runs twice;
a timer that came due while the service was down is simply overdue and runs on the next round
(oldest first), so nothing is skipped either.

A workspace whose part of a round fails (a bug its data triggers, a statement that times out) is isolated:
its part is rolled back in a savepoint, logged and counted (`flywheel_journey_job_failures_total`), its
timers are pushed back by `RETRY_FAILED_AFTER` so they cannot hold the oldest-first claim, and every other
workspace's part of the round goes through. A failing date scan is retried on the next round.
"""

from __future__ import annotations

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
    def __init__(self, context: JourneyContext, batch: int = 500) -> None:
        self.context = context
        self._batch = batch  # timers claimed per round

    async def run_timers(self) -> int:
        """Move every due enrolment on; returns how many moved."""
        moved = 0
        while True:
            count = await self._timer_round()
            moved += count
            if count < self._batch:
                return moved

    async def _timer_round(self) -> int:
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
        return len(claimed)

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
