"""Loyalty's consumers, one per subscription of contracts/topology.py's LOYALTY: resolved customer events
(purchases earn, refunds reverse, survey answers and birthdays), referral rewards of kind points, journeys'
point requests, and profile merges and erasures. One transaction per batch (the consumer loop's); the use
cases are service.py's. Undecodable or contract-invalid records are dead-lettered with the reason by the
runtime (runtime/consumer.py) before they reach a handler."""

from __future__ import annotations

from collections.abc import Sequence

from contracts.envelope import Envelope
from contracts.internal import ProfileErased, ProfileMerged, ProfileUnmerged
from runtime.consumer import Delivery, HandlerResult
from runtime.db import Connection
from runtime.handlers import DecodingHandler, LifecycleDecoding, events_by_workspace
from runtime.unit_of_work import Work
from services.loyalty import lifecycle, service
from services.loyalty.service import LoyaltyContext


class LedgerHandler(DecodingHandler[LoyaltyContext]):
    """Resolved events, referral events and journey actions alike (the decoder it is given says which topic's):
    each workspace's part of the batch goes to the ledger at once (workspaces in name order); types loyalty does
    not use are left alone. What the batch counts in the metrics counts once it committed."""

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        now = self.context.now()
        work = Work(conn)
        for workspace, events in events_by_workspace(deliveries):
            await service.apply_events(work, workspace, events, now)
        return HandlerResult(publish=work.messages, after_commit=work.committed)


class LifecycleHandler(LifecycleDecoding[LoyaltyContext]):
    """Merges fold the merged member's ledger into the survivor's (undone merges give it back); erasures delete
    the ledger (anonymous daily totals stay)."""

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        result = HandlerResult()
        now = self.context.now()
        work = Work(conn)
        for delivery in deliveries:
            event = delivery.event
            if isinstance(event, ProfileMerged):
                data = event.data
                merged = (data.survivor_id, data.merged_id)
                await lifecycle.merge_members(work, event.workspace, *merged, event.time, now, data.merge_id)
            elif isinstance(event, ProfileUnmerged):
                await lifecycle.unmerge_members(work, event.workspace, event.data, event.time, now)
            elif isinstance(event, ProfileErased):
                ids = sorted({event.data.customer_id, *event.data.erased_ids})
                await lifecycle.erase_members(work, event.workspace, ids, event.time)
        result.publish.extend(work.messages)
        result.after_commit.extend(work.committed)
        return result
