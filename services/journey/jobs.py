"""Journey's background loops: due timers move enrolments on; due deliveries go to the webhooks.

Both claim work in batches with FOR UPDATE SKIP LOCKED, so replicas share it and nothing runs twice;
a timer that came due while the service was down is simply overdue and runs on the next round
(oldest first), so nothing is skipped either.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import asyncpg
import httpx

from runtime.clock import Clock
from runtime.outbox import write_outbox
from services.journey import store
from services.journey.domain.engine import CapState, advance
from services.journey.executor import Execution
from services.journey.handlers import CAP_LOOKBACK, JourneyBook, enrolment_of
from services.journey.webhooks import Delivery, send

log = logging.getLogger(__name__)


class JourneyJobs:
    def __init__(
        self,
        pool: asyncpg.Pool,
        book: JourneyBook,
        clock: Clock,
        http: httpx.AsyncClient,
        published: Callable[[], None] = lambda: None,
        batch: int = 500,
        concurrency: int = 20,
    ) -> None:
        self._pool, self._book, self._clock, self._http = pool, book, clock, http
        self._published = published
        self._batch = batch
        self._concurrency = concurrency

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
                    execution.apply(
                        advance(journey, enrolment_of(row), facts[customer_id].facts(customer_id), now, caps)
                    )
                messages += await execution.flush(conn)
            await write_outbox(conn, messages)
        if messages:
            self._published()
        return len(rows)

    async def deliver(self) -> int:
        """Attempt every due webhook delivery once; returns how many were attempted.

        A round claims only as many deliveries as are sent at once, and records their outcomes before
        the next: a crash can leave at most that many sent but unrecorded, and those are sent again
        with the same Idempotency-Key, so the receiver recognises them."""
        attempted = 0
        while True:
            count = await self._delivery_round()
            attempted += count
            if count < self._concurrency:
                return attempted

    async def _delivery_round(self) -> int:
        now = self._clock()
        async with self._pool.acquire() as conn, conn.transaction():
            rows = await store.claim_due_deliveries(conn, now, self._concurrency)
            if not rows:
                return 0
            channels = await store.channels(conn, {r["workspace"] for r in rows})

            async def attempt(row: asyncpg.Record) -> tuple[Any, ...]:
                channel = channels.get(row["workspace"])
                number = row["attempts"] + 1
                if channel is None:
                    return (row["workspace"], row["delivery_id"], number, "retry", now + dt.timedelta(minutes=5),
                            None, "no webhook configured for this workspace (PUT .../channel)")  # fmt: skip
                delivery = Delivery(
                    delivery_id=row["delivery_id"],
                    workspace=row["workspace"],
                    url=channel["webhook_url"],
                    secret=channel["webhook_secret"],
                    body=row["body"],
                    attempt=number,
                    created_at=row["created_at"],
                )
                outcome = await send(self._http, delivery, now)
                return (row["workspace"], row["delivery_id"], number, outcome.status, outcome.retry_at,
                        outcome.http_status, outcome.error)  # fmt: skip

            outcomes = await asyncio.gather(*(attempt(row) for row in rows))
            await store.record_outcomes(conn, list(outcomes))
        return len(rows)
