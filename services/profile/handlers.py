"""Profile's handler of `flywheel.events.inbound`: resolve identities, record facts and stats, and
republish each accepted event with its canonical customer id (through the outbox).

An event carrying an identifier of an erased customer (the erasure ledger, services/profile/ledger.py) is
dropped: it has no effect, creates no profile, is not dead-lettered (that would keep the person's data) and is
counted in flywheel_profile_erased_events_dropped_total."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from prometheus_client import Counter

from contracts.codec import decode_inbound, encode_resolved
from contracts.envelope import CONTENT_TYPE, Envelope
from contracts.inbound import IdentifyEvent, PurchaseEvent, RefundEvent, TicketEvent, VisitEvent, customer_of
from contracts.internal import ProfileErased, ProfileErasedData, ProfileMerged, ProfileMergedData, resolved_event
from contracts.topics import PROFILE_LIFECYCLE, RESOLVED
from contracts.traits import apply_traits
from runtime.consumer import Delivery, HandlerResult, Record, Rejection
from runtime.db import Connection
from runtime.handlers import by_workspace
from runtime.outbox import OutboundMessage
from services.profile import attribute_store, ledger_store, store
from services.profile.domain import (
    AttributeDefinition,
    IdentityGraph,
    InvalidIdentifier,
    InvalidTraits,
    Merge,
    StatsDelta,
    TraitBudget,
    customer_traits_problem,
    identifiers_of,
    new_customer_id,
    validate_traits,
)
from services.profile.ledger import IdentifierHasher, is_erased, recognisable_identifiers

SOURCE = "flywheel.profile"
CONTENT_TYPE_HEADER, CONTENT_TYPE_VALUE = "content-type", CONTENT_TYPE.encode()
Resolved = tuple[Delivery[Envelope], str]  # an accepted event and its final customer id

ERASED_EVENTS_DROPPED = Counter(
    "flywheel_profile_erased_events_dropped",
    "Inbound events dropped because an identifier they carry belongs to an erased customer (the erasure ledger) "
    "and was not re-consented to before the event happened.",
)


class InboundHandler:
    def __init__(self, default_phone_region: str | None, trait_budget: TraitBudget, hasher: IdentifierHasher) -> None:
        self._region = default_phone_region
        self._budget = trait_budget
        self._hasher = hasher

    def decode(self, record: Record) -> Envelope:
        return decode_inbound(record.value)

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        batches = by_workspace(deliveries)
        with_identify = [ws for ws, ds in batches if any(d.event.type == "identify" for d in ds)]
        definitions = await attribute_store.load_definitions(conn, with_identify) if with_identify else {}
        result = HandlerResult()
        for workspace, batch in batches:
            await self._handle_workspace(conn, workspace, batch, definitions.get(workspace, {}), result)
        return result

    async def _handle_workspace(
        self,
        conn: Connection,
        workspace: str,
        deliveries: Sequence[Delivery[Envelope]],
        definitions: dict[str, AttributeDefinition],
        result: HandlerResult,
    ) -> None:
        checked = []  # (delivery, ledger hashes, identifiers, why it is refused)
        for delivery in deliveries:
            ref = customer_of(delivery.event)
            hashes = self._hasher.hashes(workspace, recognisable_identifiers(ref, self._region))
            try:
                identifiers, problem = identifiers_of(ref, self._region), None
                if isinstance(delivery.event, IdentifyEvent):
                    validate_traits(delivery.event.data.traits, definitions, self._budget)
            except (InvalidIdentifier, InvalidTraits) as exc:
                identifiers, problem = [], str(exc)
            checked.append((delivery, hashes, identifiers, problem))

        # Links are loaded (and their profiles locked) before the ledger is read: an erasure committed meanwhile
        # has deleted its links and entered its hashes, so this batch sees the one or the other, never neither.
        links = await store.load_links(conn, workspace, (i for _, _, ids, _ in checked for i in ids))
        ledger = await ledger_store.entries(conn, workspace, {h for _, hashes, _, _ in checked for h in hashes})
        accepted = []
        for delivery, hashes, identifiers, problem in checked:
            if ledger and is_erased(ledger, hashes, delivery.event.time):
                ERASED_EVENTS_DROPPED.inc()
            elif problem is not None:
                result.rejected.append(Rejection(delivery.record, problem))
            else:
                accepted.append((delivery, identifiers))
        if not accepted:
            return

        while True:
            # Resolution is pure until something is written: an identify that would take its customer past
            # the traits budget is refused, and the rest resolved again without it (it may have merged two).
            graph = IdentityGraph.load(links)
            assigned = [graph.resolve(ids, d.event.time, new_customer_id) for d, ids in accepted]
            resolved: list[Resolved] = [(d, graph.final(c)) for (d, _), c in zip(accepted, assigned, strict=True)]
            over = await self._over_traits_budget(conn, workspace, graph, resolved)
            if not over:
                break
            result.rejected.extend(over)
            refused = {id(r.record) for r in over}
            accepted = [(d, ids) for d, ids in accepted if id(d.record) not in refused]
            if not accepted:
                return
        merges = graph.stored_merges()

        deltas, ticket_customers, identifies = await self._record_facts(conn, workspace, resolved)
        # New profiles are written once, with their stats; only stored ones are updated.
        created = {c: deltas[c] for c in graph.created_survivors()}
        await store.insert_customers(conn, workspace, created)
        for merge in merges:
            await store.apply_merge(conn, workspace, merge)
        await store.insert_links(conn, workspace, {i: graph.final(c) for i, c in graph.new_links.items()})
        await store.apply_stats(conn, workspace, {c: d for c, d in deltas.items() if c not in created})
        await store.recount_open_tickets(conn, workspace, ticket_customers)
        if identifies:
            traits = await store.load_traits(conn, workspace, (cid for _, cid in identifies))
            for event, cid in identifies:
                traits[cid] = apply_traits(*traits[cid], event.data.traits, event.time)
            await store.save_traits(conn, workspace, traits)
        result.publish.extend(_merged_event(workspace, merge) for merge in merges)
        result.publish.extend(_resolved_event(d, customer_id) for d, customer_id in resolved)

    async def _over_traits_budget(
        self, conn: Connection, workspace: str, graph: IdentityGraph, resolved: Sequence[Resolved]
    ) -> list[Rejection]:
        """The identify events that would give their customer more distinct traits than the budget, given what
        the stored profiles (merged as this batch merges them) and the batch's earlier events hold."""
        identifies = [(d.event.data.traits, d, c) for d, c in resolved if isinstance(d.event, IdentifyEvent)]
        if not identifies:
            return []
        held: dict[str, set[str]] = defaultdict(set)
        for customer_id, names in (await store.load_trait_names(conn, workspace, graph.existing)).items():
            held[graph.final(customer_id)] |= names
        refused = []
        for traits, delivery, customer_id in identifies:
            problem = customer_traits_problem(held[customer_id], traits, self._budget.per_customer)
            if problem:
                refused.append(Rejection(delivery.record, problem))
            else:
                held[customer_id] |= {name for name, value in traits.items() if value is not None}
        return refused

    async def _record_facts(
        self, conn: Connection, workspace: str, resolved: Sequence[Resolved]
    ) -> tuple[dict[str, StatsDelta], set[str], list[tuple[IdentifyEvent, str]]]:
        """Store the events' facts; returns each customer's stats delta, the customers whose tickets
        changed, and the identify events to apply."""
        await store.insert_timeline(
            conn,
            workspace,
            [(d.event.id, cid, d.event.type, d.event.time, d.event.source, d.record.value) for d, cid in resolved],
        )
        orders, refunds = [], []
        tickets: dict[str, tuple[str, str, dt.datetime]] = {}
        for d, cid in resolved:
            event = d.event
            if isinstance(event, PurchaseEvent):
                data = event.data
                orders.append(store.OrderRow(data.order_id, cid, event.id, data.amount, data.currency, event.time))
            elif isinstance(event, RefundEvent):
                refunds.append(store.OrderRow(event.data.order_id, cid, event.id, event.data.amount, None, event.time))
            elif isinstance(event, TicketEvent):
                known = tickets.get(event.data.ticket_id)
                if known is None or event.time >= known[2]:
                    tickets[event.data.ticket_id] = (cid, event.data.status, event.time)
        new_orders = await store.insert_orders(conn, workspace, orders)
        await store.insert_refunds(conn, workspace, refunds)
        await store.upsert_tickets(conn, workspace, tickets)

        deltas: dict[str, StatsDelta] = defaultdict(StatsDelta)
        identifies: list[tuple[IdentifyEvent, str]] = []
        for d, cid in resolved:
            event, delta = d.event, deltas[cid]
            delta.seen(event.time)
            if isinstance(event, PurchaseEvent) and event.id in new_orders:
                delta.purchase(event.data.amount, event.time)
            elif isinstance(event, RefundEvent):
                delta.refund(event.data.amount)
            elif isinstance(event, VisitEvent):
                delta.visit(event.time)
            elif isinstance(event, TicketEvent):
                delta.ticket(event.data.csat, event.data.nps, event.time)
            elif isinstance(event, IdentifyEvent):
                identifies.append((event, cid))
        return deltas, {v[0] for v in tickets.values()}, identifies


def _resolved_event(delivery: Delivery[Envelope], customer_id: str) -> OutboundMessage:
    event = resolved_event(delivery.event, customer_id)
    return OutboundMessage(
        topic=RESOLVED,
        key=f"{event.workspace}:{event.customerid}".encode(),
        value=encode_resolved(delivery.record.value, event),
        headers=[(CONTENT_TYPE_HEADER, CONTENT_TYPE_VALUE), *delivery.trace_headers],
    )


def _merged_event(workspace: str, merge: Merge) -> OutboundMessage:
    data = ProfileMergedData(survivor_id=merge.survivor_id, merged_id=merge.merged_id, reason=merge.reason)
    event = ProfileMerged(**_lifecycle_attributes(workspace, "profile.merged", merge.merged_id), data=data)
    return _lifecycle_message(workspace, merge.survivor_id, event)


def erased_event(workspace: str, customer_id: str, erased_ids: list[str]) -> OutboundMessage:
    data = ProfileErasedData(customer_id=customer_id, erased_ids=erased_ids)
    event = ProfileErased(**_lifecycle_attributes(workspace, "profile.erased", customer_id), data=data)
    return _lifecycle_message(workspace, customer_id, event)


def _lifecycle_attributes(workspace: str, event_type: str, subject: str) -> dict[str, Any]:
    # The id is derived from what happened, so a repeat of the same merge or erasure de-duplicates.
    return {
        "specversion": "1.0",
        "id": f"{event_type}:{subject}",
        "source": SOURCE,
        "type": event_type,
        "time": dt.datetime.now(dt.UTC),
        "workspace": workspace,
    }


def _lifecycle_message(workspace: str, customer_id: str, event: Envelope) -> OutboundMessage:
    return OutboundMessage(
        topic=PROFILE_LIFECYCLE,
        key=f"{workspace}:{customer_id}".encode(),
        value=event.model_dump_json(exclude_none=True).encode(),
        headers=[(CONTENT_TYPE_HEADER, CONTENT_TYPE_VALUE)],
    )
