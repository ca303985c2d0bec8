"""Profile's handler of `flywheel.events.inbound`: resolve identities, record facts and stats, and
republish each accepted event with its canonical customer id (through the outbox).

An event carrying an identifier of an erased customer (the erasure ledger, services/profile/ledger.py) is
dropped: it has no effect, creates no profile, is not dead-lettered (that would keep the person's data) and is
counted in flywheel_profile_erased_events_dropped_total."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from prometheus_client import Counter

from contracts.codec import decode_inbound
from contracts.envelope import Envelope
from contracts.inbound import IdentifyEvent, PurchaseEvent, RefundEvent, TicketEvent, VisitEvent, customer_of
from contracts.traits import apply_traits
from runtime.consumer import Delivery, HandlerResult, Record, Rejection, RetryBatch
from runtime.db import Connection
from runtime.handlers import by_workspace
from services.profile import attribute_store, events, ledger_store, store
from services.profile.domain import (
    AttributeDefinition,
    IdentityGraph,
    InvalidIdentifier,
    InvalidTraits,
    StatsDelta,
    TraitBudget,
    customer_traits_problem,
    identifiers_of,
    new_customer_id,
    validate_traits,
)
from services.profile.ledger import IdentifierHasher, is_erased, recognisable_identifiers

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
        try:
            for workspace, batch in batches:
                await self._handle_workspace(conn, workspace, batch, definitions.get(workspace, {}), result)
        except store.ConcurrentChange as exc:  # a concurrent batch got there first: this one runs again
            raise RetryBatch(str(exc)) from exc
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
        now = dt.datetime.now(dt.UTC)  # profile keeps no clock: its events are stamped when they are made
        result.publish.extend(events.merged(workspace, merge, now) for merge in merges)
        result.publish.extend(events.resolved(d, customer_id) for d, customer_id in resolved)

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
