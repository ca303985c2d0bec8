"""Journey's consumers: resolved events, scoring's changes and loyalty's events (folded into customer facts,
moving enrolments on and enrolling customers whose event triggers an active journey), and profile's merges and
erasures. One transaction per batch (the consumer loop's); the use cases are service.py's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from contracts.envelope import Envelope
from contracts.internal import ProfileErased, ProfileMerged, ProfileUnmerged
from runtime.consumer import Delivery, HandlerResult
from runtime.db import Connection
from runtime.handlers import LifecycleDecoding, PerWorkspaceHandler
from runtime.outbox import OutboundMessage
from runtime.unit_of_work import Work
from services.journey import lift, service
from services.journey.service import JourneyContext


class JourneyEventsHandler(PerWorkspaceHandler[JourneyContext]):
    async def handle_workspace(
        self, conn: Connection, workspace: str, events: Sequence[Envelope], now: dt.datetime
    ) -> list[OutboundMessage]:
        work = Work(conn)
        await lift.record_purchases(work, workspace, events)
        await service.apply_customer_events(work, self.context.book, workspace, events, now)
        return work.messages


class LifecycleHandler(LifecycleDecoding[JourneyContext]):
    """`flywheel.profile.lifecycle`: a merge moves the merged customer's enrolments to the survivor (or ends
    them where the survivor is already in that journey) and folds the facts; an undone merge gives both
    customers theirs back (service.unmerge_customers); an erasure ends every
    enrolment and forgets the customer's facts and pending messages."""

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        now = self.context.now()
        work = Work(conn)
        for delivery in deliveries:
            event = delivery.event
            if isinstance(event, ProfileMerged):
                data = event.data
                await service.merge_customers(
                    work, event.workspace, data.survivor_id, data.merged_id, now, data.merge_id
                )
            elif isinstance(event, ProfileUnmerged):
                await service.unmerge_customers(work, event.workspace, event.data)
            elif isinstance(event, ProfileErased):
                ids = sorted({event.data.customer_id, *event.data.erased_ids})
                await service.erase_customers(work, event.workspace, ids, event.id, now)
        return HandlerResult(publish=work.messages)
