"""Sales' periodic job: task reminders. `sales.task_due` once a task is within its workspace's reminder
lead of its due time, `sales.task_overdue` once that time has passed; each once per task (the task row
records that it was sent, in the transaction that writes the event to the outbox).

Workspaces take turns within a round (task_store.claim_reminders), and a task whose reminder cannot be made
(a row no event may carry) is logged, counted and marked as reminded, so it never holds back the others."""

from __future__ import annotations

import datetime as dt
import logging

from prometheus_client import Counter

from runtime.outbox import OutboundMessage
from services.sales import task_store
from services.sales.domain.workspace import SalesSettings
from services.sales.events import task_event
from services.sales.service import SalesContext
from services.sales.task_store import OwedReminder

log = logging.getLogger(__name__)
REMINDERS_FAILED = Counter(
    "flywheel_sales_reminders_failed", "Task reminders that could not be made (logged with the task; not retried)."
)
DEFAULT_LEAD = dt.timedelta(hours=SalesSettings().reminder_lead_hours)


class SalesJobs:
    def __init__(self, context: SalesContext, batch: int = 1000) -> None:
        self.context = context
        self._batch = batch  # tasks reminded per round

    async def remind(self) -> int:
        """Send every reminder owed now; returns how many tasks were reminded."""
        total = 0
        while True:
            count = await self.remind_round()
            total += count
            if count < self._batch:
                return total

    async def remind_round(self) -> int:
        """One round: at most `batch` tasks, workspaces taking turns; returns how many were reminded."""
        now = self.context.now()
        async with self.context.unit_of_work() as work:
            owed = await task_store.claim_reminders(work.conn, now, DEFAULT_LEAD, self._batch)
            work.publish_all(message for reminder in owed for message in _reminders(reminder, now))
            keys = [(r.workspace, r.task.task_id) for r in owed]
            await task_store.mark_reminded(work.conn, keys, [r.owes_overdue for r in owed], now)
        return len(owed)


def _reminders(reminder: OwedReminder, now: dt.datetime) -> list[OutboundMessage]:
    """The reminders a claimed task owes; none (logged and counted) when they cannot be made."""
    owes = (("sales.task_due", reminder.owes_due), ("sales.task_overdue", reminder.owes_overdue))
    try:
        return [task_event(reminder.workspace, event_type, reminder.task, now) for event_type, owed in owes if owed]
    except Exception:  # one workspace's unusable task must not stop everyone's reminders
        REMINDERS_FAILED.inc()
        extra = {"workspace": reminder.workspace, "task": reminder.task.task_id}
        log.exception("task reminder could not be made", extra=extra)
        return []
