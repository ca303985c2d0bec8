"""Scoring's handlers: resolved events update a customer's inputs and re-score them; profile's merges
and erasures are honoured. Both publish what changed (through the outbox, in the batch's transaction)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from contracts.codec import Decoder
from contracts.envelope import Envelope
from contracts.inbound import IdentifyEvent, PurchaseEvent, RefundEvent, TicketEvent, VisitEvent
from contracts.internal import RESOLVED_EVENT_TYPES, ProfileErased, ProfileMerged
from contracts.traits import apply_traits
from runtime.clock import Clock
from runtime.consumer import Delivery, HandlerResult
from runtime.db import Connection
from runtime.handlers import LifecycleDecoding, PerWorkspaceHandler, with_customers
from runtime.outbox import OutboundMessage
from services.scoring import segment_store, store
from services.scoring.changes import Changes
from services.scoring.refresh import refresh


class ResolvedHandler(PerWorkspaceHandler):
    """`flywheel.events.resolved`: fold each event into its customer's inputs, then re-score those customers.

    Segments are evaluated within `budget_ms` per workspace (FLYWHEEL_STATEMENT_TIMEOUT_MS): one that runs past
    it is marked failing and the batch goes on (services/scoring/segment_eval.py)."""

    def __init__(self, clock: Clock, budget_ms: int) -> None:
        super().__init__(Decoder(RESOLVED_EVENT_TYPES), clock)
        self._budget_ms = budget_ms

    async def handle_workspace(
        self, conn: Connection, workspace: str, events: Sequence[Envelope], now: dt.datetime
    ) -> list[OutboundMessage]:
        owned = await with_customers(conn, workspace, events)
        first_seen: dict[str, dt.datetime] = {}
        for event, customer_id in owned:
            first_seen[customer_id] = min(event.time, first_seen.get(customer_id, event.time))
        await store.ensure_customers(conn, workspace, first_seen)

        purchases: list[store.Purchase] = []
        refunds: dict[str, Decimal] = defaultdict(Decimal)
        visits: list[tuple[str, dt.datetime]] = []
        tickets: list[store.TicketChange] = []
        answers: list[tuple[str, str, int, dt.datetime]] = []
        identifies: list[tuple[IdentifyEvent, str]] = []
        for event, customer_id in owned:
            if isinstance(event, PurchaseEvent):
                purchases.append(store.Purchase(customer_id, event.data.order_id, event.data.amount, event.time))
            elif isinstance(event, RefundEvent):
                refunds[customer_id] += event.data.amount
            elif isinstance(event, VisitEvent):
                visits.append((customer_id, event.time))
            elif isinstance(event, TicketEvent):
                tickets.append(store.TicketChange(event.data.ticket_id, customer_id, event.data.status, event.time))
                answers += [(customer_id, "nps", event.data.nps, event.time)] if event.data.nps is not None else []
                answers += [(customer_id, "csat", event.data.csat, event.time)] if event.data.csat is not None else []
            elif isinstance(event, IdentifyEvent):
                identifies.append((event, customer_id))

        changes = Changes(workspace, now)
        fresh = await store.record_purchases(conn, workspace, purchases)
        if fresh:
            await self._record_purchase_times(conn, changes, fresh)
        if refunds:
            await store.record_refunds(conn, workspace, refunds)
        if visits:
            await store.record_visits(conn, workspace, visits)
        if tickets:
            await store.record_tickets(conn, workspace, tickets)
        if answers:
            await store.record_answers(conn, workspace, answers)
        if identifies:
            traits = await store.load_traits(conn, workspace, (c for _, c in identifies))
            for event, customer_id in sorted(identifies, key=lambda item: item[0].time):
                traits[customer_id] = apply_traits(*traits[customer_id], event.data.traits, event.time)
            await store.save_traits(conn, workspace, traits)
        await refresh(conn, changes, sorted(first_seen), now, self._budget_ms)
        return changes.messages

    @staticmethod
    async def _record_purchase_times(conn: Connection, changes: Changes, fresh: Sequence[store.Purchase]) -> None:
        """Purchase totals and times; a purchase after a dormant customer's last one ends the dormancy."""
        workspace = changes.workspace
        await store.refresh_purchase_totals(conn, workspace, {p.customer_id for p in fresh})
        times: dict[str, tuple[dt.datetime, dt.datetime]] = {}
        for p in fresh:
            first, last = times.get(p.customer_id, (p.at, p.at))
            times[p.customer_id] = (min(first, p.at), max(last, p.at))
        before = await store.set_purchase_times(conn, workspace, times)
        back = {
            customer_id: (dormant_since, times[customer_id][1])
            for customer_id, (last_purchase, dormant_since) in before.items()
            if dormant_since is not None and (last_purchase is None or times[customer_id][1] > last_purchase)
        }
        await store.end_dormancy(conn, workspace, sorted(back))
        for customer_id, (since, purchased) in sorted(back.items()):
            changes.reactivated(customer_id, since, purchased)


class LifecycleHandler(LifecycleDecoding):
    """`flywheel.profile.lifecycle`: fold merged customers into their survivor; forget erased customers."""

    def __init__(self, clock: Clock, budget_ms: int) -> None:
        self._clock = clock
        self._budget_ms = budget_ms

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        now = self._clock()
        result = HandlerResult()
        for delivery in deliveries:  # in order: a merge and a later erasure of the survivor must compose
            event = delivery.event
            if isinstance(event, ProfileMerged):
                result.publish.extend(await self._merge(conn, event, now, self._budget_ms))
            elif isinstance(event, ProfileErased):
                await store.erase(conn, event.workspace, sorted({event.data.customer_id, *event.data.erased_ids}))
        return result

    @staticmethod
    async def _merge(conn: Connection, event: ProfileMerged, now: dt.datetime, budget_ms: int) -> list[OutboundMessage]:
        workspace, survivor, merged = event.workspace, event.data.survivor_id, event.data.merged_id
        left = await store.fold_merged(conn, workspace, survivor, merged)
        await store.refresh_purchase_totals(conn, workspace, [survivor])
        names = {s.segment_id: s.name for s in await segment_store.load_segments(conn, workspace)}
        changes = Changes(workspace, now)
        for segment_id in left:
            if segment_id in names:
                changes.segment(False, merged, segment_id, names[segment_id])
        await refresh(conn, changes, [survivor], now, budget_ms)
        return changes.messages
