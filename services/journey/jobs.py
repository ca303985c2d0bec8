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
from collections.abc import Callable

import asyncpg
from prometheus_client import Counter

from runtime.clock import Clock
from runtime.db import Connection
from runtime.outbox import OutboundMessage, write_outbox
from services.journey import store
from services.journey.domain.conditions import CustomerFacts, EventFacts
from services.journey.domain.engine import CapState, Enrolment, advance
from services.journey.domain.facts import FactsRecord
from services.journey.domain.model import DateTrigger, Journey
from services.journey.domain.triggers import DATE_EVENT_TYPE, date_triggers, next_date_fire
from services.journey.executor import Execution
from services.journey.handlers import CAP_LOOKBACK, JourneyBook, enrol_triggered, enrolment_of

log = logging.getLogger(__name__)

RETRY_FAILED_AFTER = dt.timedelta(minutes=5)
JOB_FAILURES = Counter(
    "flywheel_journey_job_failures",
    "A workspace's part of a timer or date round that failed and was isolated, by job.",
    ["job"],
)  # exposed as flywheel_journey_job_failures_total


class JourneyJobs:
    def __init__(
        self,
        pool: asyncpg.Pool,
        book: JourneyBook,
        clock: Clock,
        published: Callable[[], None] = lambda: None,
        batch: int = 500,
    ) -> None:
        self._pool, self._book, self._clock = pool, book, clock
        self._published = published
        self._batch = batch

    async def run_timers(self) -> int:
        """Move every due enrolment on; returns how many moved."""
        moved = 0
        while True:
            count = await self._timer_round()
            moved += count
            if count < self._batch:
                return moved

    async def _timer_round(self) -> int:
        now = self._clock()
        async with self._pool.acquire() as conn, conn.transaction():
            rows = await store.claim_due_enrolments(conn, now, self._batch)
            by_workspace: dict[str, list[asyncpg.Record]] = defaultdict(list)
            for row in rows:
                by_workspace[row["workspace"]].append(row)
            messages = []
            for workspace, due in sorted(by_workspace.items()):
                try:
                    async with conn.transaction():  # a savepoint: a failure undoes this workspace's part only
                        messages += await self._advance_workspace(conn, workspace, due, now)
                except (asyncpg.InterfaceError, asyncpg.PostgresConnectionError, OSError):
                    raise  # the connection is gone: the whole round runs again
                except Exception:
                    log.exception("timers of a workspace failed; deferred", extra={"workspace": workspace})
                    JOB_FAILURES.labels("timers").inc()
                    ids = [r["enrolment_id"] for r in due]
                    await store.defer_enrolments(conn, workspace, ids, now + RETRY_FAILED_AFTER)
            await write_outbox(conn, messages)
        if messages:
            self._published()
        return len(rows)

    async def _advance_workspace(
        self, conn: Connection, workspace: str, due: list[asyncpg.Record], now: dt.datetime
    ) -> list[OutboundMessage]:
        customers = {r["customer_id"] for r in due}
        facts = await store.load_facts(conn, workspace, customers)
        versions = await self._book.versions(conn, workspace, {(r["journey_id"], r["version"]) for r in due})
        sent = await store.messages_since(conn, workspace, customers, now - CAP_LOOKBACK)
        execution = Execution(workspace, now)
        for row in due:
            journey = versions.get((row["journey_id"], row["version"]))
            if journey is None:  # its version is gone (the journey was deleted): end the enrolment
                log.warning("enrolment of a missing journey version", extra={"enrolment": row["enrolment_id"]})
                continue
            customer_id = row["customer_id"]
            caps = CapState(tuple(sent.get(customer_id, ())))
            execution.apply(advance(journey, enrolment_of(row), facts[customer_id].facts(customer_id), now, caps))
        return await execution.flush(conn)

    async def fire_dates(self) -> int:
        """Enrol customers whose date trigger (a birthday, a renewal) came due since the last scan.

        Each active journey version with date triggers keeps how far it has been scanned; this round
        covers (scanned_until, now], so a date passing while the service was down fires on the next
        round, and never twice. A version scanned for the first time looks back one day only."""
        fired = 0
        async with self._pool.acquire() as conn:
            workspaces = await store.workspaces_with_active_journeys(conn)
        for workspace in workspaces:
            try:
                fired += await self._fire_workspace_dates(workspace)
            except (asyncpg.InterfaceError, asyncpg.PostgresConnectionError, OSError):
                raise  # the database is away: the next round tries everyone again
            except Exception:
                log.exception("date scan of a workspace failed; retried next round", extra={"workspace": workspace})
                JOB_FAILURES.labels("dates").inc()
        return fired

    async def _fire_workspace_dates(self, workspace: str) -> int:
        fired = 0
        now = self._clock()
        async with self._pool.acquire() as conn, conn.transaction():
            scans = await store.date_scans(conn, workspace)
            execution = Execution(workspace, now)
            for journey_id, version, journey in await self._book.active(conn, workspace):
                triggers = date_triggers(journey.trigger)
                if not triggers:
                    continue
                since = scans.get((journey_id, version), now - dt.timedelta(days=1))
                due = await self._due_dates(conn, workspace, journey, triggers, since, now)
                fired += await self._enrol_dates(conn, execution, (journey_id, version, journey), due)
                await store.save_date_scan(conn, workspace, journey_id, version, now)
            messages = await execution.flush(conn)
            await write_outbox(conn, messages)
        if messages:
            self._published()
        return fired

    @staticmethod
    async def _due_dates(
        conn: Connection,
        workspace: str,
        journey: Journey,
        triggers: list[DateTrigger],
        since: dt.datetime,
        now: dt.datetime,
    ) -> list[tuple[CustomerFacts, EventFacts]]:
        rows = await store.customers_with_traits(conn, workspace, sorted({t.trait for t in triggers}))
        due = []
        for row in rows:
            facts = FactsRecord(
                traits=row["traits"],
                stats=row["stats"],
                scores=row["scores"],
                segments=set(row["segments"]),
                event_counts=row["event_counts"],
            ).facts(row["customer_id"])
            for trigger in triggers:
                fire = next_date_fire(trigger, facts, journey.settings.timezone, since)
                if fire is not None and since < fire <= now:
                    event_id = f"{DATE_EVENT_TYPE}:{row['customer_id']}:{trigger.trait}:{fire.date().isoformat()}"
                    data = {"trait": trigger.trait, "date": str(facts.traits.get(trigger.trait))}
                    due.append((facts, EventFacts(event_id, DATE_EVENT_TYPE, fire, data)))
        return due

    @staticmethod
    async def _enrol_dates(
        conn: Connection,
        execution: Execution,
        active: tuple[str, int, Journey],
        due: list[tuple[CustomerFacts, EventFacts]],
    ) -> int:
        if not due:
            return 0
        customers = {facts.customer_id for facts, _ in due}
        workspace = execution.workspace
        history = await store.enrolment_history(conn, workspace, customers)
        live: dict[str, list[Enrolment]] = defaultdict(list)
        for row in await store.live_enrolments(conn, workspace, customers):
            live[row["customer_id"]].append(enrolment_of(row))
        sent = await store.messages_since(conn, workspace, customers, execution.now - CAP_LOOKBACK)
        before = len(execution.rows)
        for facts, seen in due:
            caps = CapState(tuple(sent.get(facts.customer_id, ())))
            enrol_triggered(execution, [active], seen, facts, history, live[facts.customer_id], caps, {})
        return len(execution.rows) - before
