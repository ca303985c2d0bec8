"""Sales' Kafka handlers, one transaction per batch (the consumer loop's): journeys' task requests become tasks;
resolved events and scoring's changes fold into the customer signals lead scores and cross-sell read (and a
high-value customer turning high churn risk opens a task); merges and erasures are honoured. The use cases
are service.py's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from contracts.envelope import Envelope
from contracts.internal import ProfileErased, ProfileMerged, ProfileUnmerged
from contracts.journey import SalesTaskRequested
from runtime.consumer import Delivery, HandlerResult
from runtime.db import Connection
from runtime.handlers import DecodingHandler, LifecycleDecoding, PerWorkspaceHandler, events_by_workspace
from runtime.outbox import OutboundMessage
from runtime.unit_of_work import Work
from services.sales import service
from services.sales.service import SalesContext


class JourneyActionsHandler(DecodingHandler[SalesContext]):
    """`sales.task_requested` (other actions on the topic are for other services): one task per action."""

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        now = self.context.now()
        work = Work(conn)
        for workspace, events in events_by_workspace(deliveries):
            requests = [e for e in events if isinstance(e, SalesTaskRequested)]
            if requests:
                await service.request_tasks(work, workspace, requests, now)
        return HandlerResult(publish=work.messages)


class SignalsHandler(PerWorkspaceHandler[SalesContext]):
    """Resolved events and scoring's changes, folded into each customer's signals."""

    async def handle_workspace(
        self, conn: Connection, workspace: str, events: Sequence[Envelope], now: dt.datetime
    ) -> list[OutboundMessage]:
        work = Work(conn)
        await service.fold_signals(work, workspace, events, now)
        return work.messages


class LifecycleHandler(LifecycleDecoding[SalesContext]):
    """A merge folds the merged customer's deals, tasks, signals, categories and owner into the survivor;
    an undone merge gives both customers theirs back (service.unmerge_customers); an erasure deletes what sales
    holds on the ids (see signal_store.erase for what stays)."""

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        work = Work(conn)
        for delivery in deliveries:
            event = delivery.event
            if isinstance(event, ProfileMerged):
                data = event.data
                await service.merge_customers(work, event.workspace, data.survivor_id, data.merged_id, data.merge_id)
            elif isinstance(event, ProfileUnmerged):
                await service.unmerge_customers(work, event.workspace, event.data)
            elif isinstance(event, ProfileErased):
                ids = sorted({event.data.customer_id, *event.data.erased_ids})
                await service.erase_customers(work, event.workspace, ids)
        return HandlerResult(publish=work.messages)
