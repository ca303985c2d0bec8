"""Referral's consumers: resolved customer events (touches, sign-ups, purchases, refunds, identifiers),
journeys' invite requests, scoring's segment membership, and profile merges and erasures. One
transaction per batch (the consumer loop's); the use cases are service.py's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from contracts.envelope import Envelope
from contracts.internal import ProfileErased, ProfileMerged, ProfileUnmerged
from contracts.journey import ReferralInviteRequested
from contracts.scoring import SegmentEntered, SegmentExited
from runtime.consumer import Delivery, HandlerResult, Rejection
from runtime.db import Connection
from runtime.handlers import DecodingHandler, LifecycleDecoding, PerWorkspaceHandler, by_workspace
from runtime.outbox import OutboundMessage
from runtime.unit_of_work import Work
from services.referral import service, store
from services.referral.service import ReferralContext


class ResolvedHandler(PerWorkspaceHandler[ReferralContext]):
    async def handle_workspace(
        self, conn: Connection, workspace: str, events: Sequence[Envelope], now: dt.datetime
    ) -> list[OutboundMessage]:
        work = Work(conn)
        await service.apply_customer_events(work, workspace, events, now)
        return work.messages


class JourneyActionsHandler(DecodingHandler[ReferralContext]):
    """`referral.invite_requested`: make (or find) the customer's code and announce it for messaging."""

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        result = HandlerResult()
        now = self.context.now()
        invites_only = (d for d in deliveries if isinstance(d.event, ReferralInviteRequested))  # the topic
        for workspace, asked in by_workspace(invites_only):  # carries other services' actions too
            work = Work(conn)
            invites = [d.event for d in asked if isinstance(d.event, ReferralInviteRequested)]
            refused = await service.issue_invite_codes(work, workspace, invites, now)
            result.rejected.extend(Rejection(d.record, refused[d.event.id]) for d in asked if d.event.id in refused)
            result.publish.extend(work.messages)
        return result


class SegmentsHandler(DecodingHandler[ReferralContext]):
    """`segment.entered` / `segment.exited`: who may refer in programs limited to a segment."""

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        entered: list[tuple[str, str, str, str]] = []
        exited: list[tuple[str, str, str]] = []
        for delivery in sorted(deliveries, key=lambda d: d.event.time):
            event = delivery.event
            if isinstance(event, SegmentEntered):
                d = event.data
                entered.append((event.workspace, d.segment_id, d.segment_name, d.customer_id))
            elif isinstance(event, SegmentExited):
                exited.append((event.workspace, event.data.segment_id, event.data.customer_id))
        await store.apply_memberships(conn, entered, exited)
        return HandlerResult()


class LifecycleHandler(LifecycleDecoding[ReferralContext]):
    """Merges fold the merged customer into the survivor (and reverse rewards of a referrer who turns out
    to be their own friend); undone merges give both their rows back; erasures pseudonymise the ledger and
    delete identifiers."""

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        result = HandlerResult()
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
                await service.unmerge_customers(work, event.workspace, event.data, now)
            elif isinstance(event, ProfileErased):
                ids = sorted({event.data.customer_id, *event.data.erased_ids})
                await service.erase_customers(work, event.workspace, ids, event.id)
        result.publish.extend(work.messages)
        return result
