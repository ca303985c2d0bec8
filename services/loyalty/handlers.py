"""Loyalty's consumers, one per subscription of contracts/topology.py's LOYALTY: resolved customer events
(purchases earn, refunds reverse, survey answers and birthdays), referral rewards of kind points, journeys'
point requests, and profile merges and erasures. One transaction per batch (the consumer loop's); the use
cases are service.py's. Undecodable or contract-invalid records are dead-lettered with the reason by the
runtime (runtime/consumer.py) before they reach a handler."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from contracts.envelope import Envelope
from contracts.internal import ProfileErased, ProfileMerged
from runtime.consumer import Delivery, HandlerResult
from runtime.db import Connection
from runtime.handlers import LifecycleDecoding, PerWorkspaceHandler
from runtime.outbox import OutboundMessage
from runtime.unit_of_work import Work
from services.loyalty import service
from services.loyalty.service import LoyaltyContext


class LedgerHandler(PerWorkspaceHandler[LoyaltyContext]):
    """Resolved events, referral events and journey actions alike (the decoder it is given says which topic's):
    each workspace's part of the batch goes to the ledger at once; types loyalty does not use are left alone."""

    async def handle_workspace(
        self, conn: Connection, workspace: str, events: Sequence[Envelope], now: dt.datetime
    ) -> list[OutboundMessage]:
        work = Work(conn)
        await service.apply_events(work, workspace, events, now)
        return work.messages


class LifecycleHandler(LifecycleDecoding[LoyaltyContext]):
    """Merges fold the merged member's ledger into the survivor's; erasures delete the ledger (anonymous daily
    totals stay)."""

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        result = HandlerResult()
        now = self.context.now()
        work = Work(conn)
        for delivery in deliveries:
            event = delivery.event
            if isinstance(event, ProfileMerged):
                data = event.data
                await service.merge_members(work, event.workspace, data.survivor_id, data.merged_id, event.time, now)
            elif isinstance(event, ProfileErased):
                ids = sorted({event.data.customer_id, *event.data.erased_ids})
                await service.erase_members(work, event.workspace, ids, event.time)
        result.publish.extend(work.messages)
        return result
