"""Sales' periodic job: task reminders. `sales.task_due` once a task is within its workspace's reminder
lead of its due time, `sales.task_overdue` once that time has passed; each once per task (the task row
records that it was sent, in the transaction that writes the event to the outbox)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import asyncpg

from runtime.clock import Clock
from runtime.outbox import write_outbox
from services.sales import task_store
from services.sales.domain.workspace import SalesSettings
from services.sales.events import task_event

DEFAULT_LEAD = dt.timedelta(hours=SalesSettings().reminder_lead_hours)


class SalesJobs:
    def __init__(
        self, pool: asyncpg.Pool, clock: Clock, published: Callable[[], None] = lambda: None, batch: int = 1000
    ) -> None:
        self._pool, self._clock, self._published, self._batch = pool, clock, published, batch

    async def remind(self) -> int:
        """Send every reminder owed now; returns how many tasks were reminded."""
        total = 0
        while True:
            count = await self._round()
            total += count
            if count < self._batch:
                return total

    async def _round(self) -> int:
        now = self._clock()
        async with self._pool.acquire() as conn, conn.transaction():
            rows = await task_store.claim_reminders(conn, now, DEFAULT_LEAD, self._batch)
            messages = []
            for row in rows:
                if row["owes_due"]:
                    messages.append(task_event(row["workspace"], "sales.task_due", row, now))
                if row["owes_overdue"]:
                    messages.append(task_event(row["workspace"], "sales.task_overdue", row, now))
            await task_store.mark_reminded(
                conn, [(r["workspace"], r["task_id"]) for r in rows], [r["owes_overdue"] for r in rows], now
            )
            await write_outbox(conn, messages)
        if messages:
            self._published()
        return len(rows)
