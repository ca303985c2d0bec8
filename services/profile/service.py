"""Profile's use cases, called by its consumers (handlers.py) and API (api.py), each in a unit of work
(runtime.unit_of_work; a consumer's is the consumer loop's transaction): identity resolution of inbound events
(the domain's IdentityGraph decides) with their facts and stats, the tags and attributes journeys ask for
(requests.py), and erasure; the stores write and events.py builds what is published.

An inbound event carrying an identifier of an erased customer (the erasure ledger, services/profile/ledger.py)
is dropped: it has no effect, creates no profile, is not dead-lettered (that would keep the person's data) and
is counted in flywheel_profile_erased_events_dropped_total."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from prometheus_client import Counter

from contracts.envelope import Envelope
from contracts.inbound import (
    IdentifyEvent,
    PurchaseEvent,
    RefundEvent,
    SurveyEvent,
    TicketEvent,
    VisitEvent,
    customer_of,
)
from contracts.journey import AttributeRequested, TagsRequested
from contracts.referral import Attributed
from contracts.traits import apply_traits
from runtime.consumer import Delivery, Rejection
from runtime.context import ServiceContext
from runtime.db import Connection
from runtime.unit_of_work import Work
from services.profile import answer_store, attribute_store, events, guard_store, ledger_store, store
from services.profile.domain import (
    DIRECT,
    IDENTIFIER_KINDS,
    Acquisition,
    AttributeDefinition,
    Identifier,
    IdentifierKind,
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
from services.profile.guard import (
    DEFAULT_LIMITS,
    DEFAULT_WEAK_KINDS,
    Blocked,
    Guard,
    PreventedMerge,
    SharedLimit,
    resolve_event,
)
from services.profile.ledger import IdentifierHasher, hasher_of, is_erased, recognisable_identifiers
from services.profile.settings import ProfileServiceSettings

Resolved = tuple[Delivery[Envelope], str]  # an accepted event and its final customer id

ERASED_EVENTS_DROPPED = Counter(
    "flywheel_profile_erased_events_dropped",
    "Inbound events dropped because an identifier they carry belongs to an erased customer (the erasure ledger) "
    "and was not re-consented to before the event happened.",
)
IDENTITY_GUARD_TRIPS = Counter(
    "flywheel_profile_identity_guard_trips",
    "Merges the identity guard prevented: an inbound event attached to the customer of its strongest "
    "identifier instead of joining the owner of a shared identifier, or of a weak identifier holding another "
    "value of a stronger kind (one per event and identifier; services/profile/guard.py).",
)


@dataclass(frozen=True)
class InboundRules:
    """What inbound events are checked against: the phone region for numbers without a country code, the
    traits budget, and the erasure ledger's hasher."""

    phone_region: str | None
    trait_budget: TraitBudget
    hasher: IdentifierHasher


@dataclass(frozen=True)
class ProfileContext(ServiceContext[ProfileServiceSettings]):
    """What profile's api and handlers are given (built by wiring.py)."""

    @property
    def trait_budget(self) -> TraitBudget:
        return TraitBudget(value_bytes=self.settings.quota_trait_value_bytes)

    @property
    def inbound_rules(self) -> InboundRules:
        settings = self.settings
        return InboundRules(settings.default_phone_region, self.trait_budget, hasher_of(settings))


class CustomerMissing(Exception):
    def __init__(self, customer_id: str) -> None:
        super().__init__(f"no customer {customer_id!r} in this workspace")


async def erase_customer(
    work: Work, workspace: str, customer_id: str, hasher: IdentifierHasher, now: dt.datetime
) -> tuple[str, list[str]]:
    """Erase the customer (the id may be one merged away): identifiers, traits, timeline, orders and tickets go,
    an id-only tombstone stays, and `profile.erased` is published. The erasure lasts: later events carrying
    these identifiers are dropped (services/profile/ledger.py). Returns the live id and every id erased."""
    live = await store.resolve_id(work.conn, workspace, customer_id)
    if live is None:
        raise CustomerMissing(customer_id)
    erased = await store.erase_customer(work.conn, workspace, live)
    hashes = hasher.hashes(workspace, erased.identifiers)
    await ledger_store.record_erasure(work.conn, workspace, hashes, now)
    await guard_store.erase_sightings(work.conn, workspace, hashes)
    await guard_store.erase_conflicts(work.conn, workspace, erased.customer_ids)
    work.publish(events.erased(workspace, live, erased.customer_ids, now))
    return live, erased.customer_ids


async def resolve_inbound(
    work: Work,
    rules: InboundRules,
    workspace: str,
    deliveries: Sequence[Delivery[Envelope]],
    definitions: dict[str, AttributeDefinition],
    limits: tuple[SharedLimit, ...] = DEFAULT_LIMITS,
    weak_kinds: tuple[IdentifierKind, ...] = DEFAULT_WEAK_KINDS,
) -> list[Rejection]:
    """Resolve the identities of one workspace's inbound events, record their facts and stats, and publish each
    accepted event with its canonical customer id (and each merge). Returns the events refused for good (an
    invalid identifier or trait, a customer over their traits budget); events of erased customers are dropped
    and counted. store.ConcurrentChange when a concurrent batch changed an identity this one relies on.
    `limits`: the workspace's shared-identifier limits (services/profile/guard.py): a merge through a shared
    identifier does not happen, and the conflict is recorded. `weak_kinds`: the workspace's weak identifier kinds
    (the same module): a join through one alone never gives a profile a second value of a stronger kind."""
    conn = work.conn
    rejected: list[Rejection] = []
    checked = []  # (delivery, ledger hashes, identifiers, why it is refused)
    for delivery in deliveries:
        ref = customer_of(delivery.event)
        hashes = rules.hasher.hashes(workspace, recognisable_identifiers(ref, rules.phone_region))
        try:
            identifiers, problem = identifiers_of(ref, rules.phone_region), None
            if isinstance(delivery.event, IdentifyEvent):
                validate_traits(delivery.event.data.traits, definitions, rules.trait_budget)
        except (InvalidIdentifier, InvalidTraits) as exc:
            identifiers, problem = [], str(exc)
        checked.append((delivery, hashes, identifiers, problem))

    # Links are loaded (and their profiles locked) before the ledger is read: an erasure committed meanwhile
    # has deleted its links and entered its hashes, so this batch sees the one or the other, never neither.
    held_kinds = [kind for kind in IDENTIFIER_KINDS if kind != "anonymous_id"] if weak_kinds else []
    identities = await store.load_identities(conn, workspace, (i for _, _, ids, _ in checked for i in ids), held_kinds)
    links = identities.links
    ledger = await ledger_store.entries(conn, workspace, {h for _, hashes, _, _ in checked for h in hashes})
    accepted = []
    for delivery, hashes, identifiers, problem in checked:
        if ledger and is_erased(ledger, hashes, delivery.event.time):
            ERASED_EVENTS_DROPPED.inc()
        elif problem is not None:
            rejected.append(Rejection(delivery.record, problem))
        else:
            accepted.append((delivery, identifiers))
    if not accepted:
        return rejected

    guard = await _guard(conn, rules, workspace, limits, accepted)
    shared = {id(d.record): guard.decide(ids, d.event.time) for d, ids in accepted}  # once, in the batch's order
    while True:
        # Resolution is pure until something is written: an identify that would take its customer past
        # the traits budget is refused, and the rest resolved again without it (it may have merged two).
        graph = IdentityGraph.load([*links, *identities.held], identities.apart)
        assigned: list[str] = []
        prevented: list[tuple[Envelope, Blocked]] = []
        for d, ids in accepted:
            customer_id, blocked = resolve_event(
                graph, ids, shared[id(d.record)], d.event.time, new_customer_id, d.event.id, weak_kinds
            )
            assigned.append(customer_id)
            prevented.extend((d.event, b) for b in blocked)
        resolved: list[Resolved] = [(d, graph.final(c)) for (d, _), c in zip(accepted, assigned, strict=True)]
        over = await _over_traits_budget(conn, rules, workspace, graph, resolved)
        if not over:
            break
        rejected.extend(over)
        refused = {id(r.record) for r in over}
        accepted = [(d, ids) for d, ids in accepted if id(d.record) not in refused]
        if not accepted:
            return rejected
    merges = graph.stored_merges()
    final_of = {d.event.id: customer_id for d, customer_id in resolved}
    conflicts = []
    for event, b in prevented:
        others = tuple(sorted({graph.final(owner) for owner in b.owners} - {final_of[event.id]}))
        if others:  # a later event of the batch may have merged them after all
            digest = guard.digest(b.identifier)
            conflicts.append(
                PreventedMerge(event.id, b.identifier, digest, final_of[event.id], others, event.time, b.rule)
            )
    await guard_store.save_sightings(conn, workspace, guard.pruned, guard.sightings_to_store())
    trips = await guard_store.insert_conflicts(conn, workspace, conflicts)

    touched = {customer_id for _, customer_id in resolved}
    before = await store.load_acquisitions(conn, workspace, touched)  # the profiles are locked (load_links)
    deltas, ticket_customers, identifies = await _record_facts(conn, workspace, resolved)
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
    after = await store.load_acquisitions(conn, workspace, touched)
    now = dt.datetime.now(dt.UTC)  # profile keeps no clock: its events are stamped when they are made
    work.publish_all(events.merged(workspace, merge, now) for merge in merges)
    _publish_acquisitions(work, workspace, before, after, {m.survivor_id for m in merges}, now)
    work.publish_all(events.resolved(d, customer_id) for d, customer_id in resolved)
    IDENTITY_GUARD_TRIPS.inc(trips)  # counted last: a batch retried after a concurrent change counts them once
    return rejected


async def _guard(
    conn: Connection,
    rules: InboundRules,
    workspace: str,
    limits: tuple[SharedLimit, ...],
    accepted: Sequence[tuple[Delivery[Envelope], list[Identifier]]],
) -> Guard:
    """The guard over the batch, with the stored sightings of every identifier of its events (one query)."""

    def digest(identifier: Identifier) -> str:
        return rules.hasher.hash(workspace, identifier)

    guarded_kinds = {limit.kind for limit in limits}
    hashes = {digest(i) for _, ids in accepted for i in ids if i[0] in guarded_kinds}
    sightings = await guard_store.load_sightings(conn, workspace, hashes) if hashes else []
    return Guard.load(limits, digest, sightings)


def _publish_acquisitions(
    work: Work,
    workspace: str,
    before: dict[str, Acquisition],
    after: dict[str, Acquisition],
    survivors: set[str],
    now: dt.datetime,
) -> None:
    """`profile.acquisition_changed` for each live customer whose decided (source, campaign, program) changed
    (a new customer's `direct` is no change: it is what no source means), and for every merge's survivor."""
    nothing = Acquisition(DIRECT)
    for customer_id, found in sorted(after.items()):
        was = before.get(customer_id, nothing)
        if customer_id in survivors or (found.source, found.campaign, found.program_id) != (
            was.source,
            was.campaign,
            was.program_id,
        ):
            work.publish(events.acquisition_changed(workspace, customer_id, found, now))


async def record_referral_attributions(work: Work, workspace: str, attributions: Sequence[Envelope]) -> None:
    """Keep each attributed customer's earliest referral attribution (a refused one is none); replaying them
    changes nothing (the earliest stays the earliest), and an attribution of a merged customer goes to the
    survivor. A customer whose acquisition source it changes is announced (`profile.acquisition_changed`)."""
    rows = [
        store.ReferralRow(e.data.customer_id, e.data.program_id, e.data.first_touch_at)
        for e in attributions
        if isinstance(e, Attributed) and e.data.status != "rejected"
    ]
    conn = work.conn
    live = await store.lock_referred(conn, workspace, rows)
    before = await store.load_acquisitions(conn, workspace, live)
    await store.record_referrals(conn, workspace, rows)
    after = await store.load_acquisitions(conn, workspace, live)
    _publish_acquisitions(work, workspace, before, after, set(), dt.datetime.now(dt.UTC))


async def apply_journey_requests(
    work: Work, budget: TraitBudget, workspace: str, requests: Sequence[Delivery[Envelope]]
) -> list[Rejection]:
    """Apply one workspace's tag and attribute requests from journeys. A request for an unknown or erased
    customer has nothing to change; an attribute of the wrong type for the workspace's definition, or over the
    trait budgets (value size and nesting, traits per customer), is refused with the reason (dead-lettered, as
    for `identify`): returns those."""
    conn = work.conn
    rejected: list[Rejection] = []
    live: dict[str, str | None] = {}
    for delivery in requests:
        customer_id = delivery.event.data.customer_id
        if customer_id not in live:
            live[customer_id] = await store.resolve_id(conn, workspace, customer_id)
    definitions = (await attribute_store.load_definitions(conn, [workspace])).get(workspace, {})
    traits = await store.load_traits(conn, workspace, {c for c in live.values() if c})
    tags: dict[str, tuple[set[str], set[str]]] = {}
    for delivery in requests:
        event, customer_id = delivery.event, live[delivery.event.data.customer_id]
        if customer_id is None or customer_id not in traits:
            continue  # unknown, or erased since the journey asked: nothing to change
        if isinstance(event, AttributeRequested):
            update = {event.data.name: event.data.value}
            try:
                validate_traits(update, definitions, budget)
            except InvalidTraits as exc:
                rejected.append(Rejection(delivery.record, str(exc)))
                continue
            too_many = customer_traits_problem(set(traits[customer_id][0]), update, budget.per_customer)
            if too_many:
                rejected.append(Rejection(delivery.record, too_many))
                continue
            traits[customer_id] = apply_traits(*traits[customer_id], update, event.time)
        elif isinstance(event, TagsRequested):
            add, remove = tags.setdefault(customer_id, (set(), set()))
            add |= set(event.data.add) - set(event.data.remove)
            remove |= set(event.data.remove)
            add -= set(event.data.remove)
    await store.save_traits(conn, workspace, traits)
    await store.change_tags(conn, workspace, tags)
    return rejected


async def _over_traits_budget(
    conn: Connection, rules: InboundRules, workspace: str, graph: IdentityGraph, resolved: Sequence[Resolved]
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
        problem = customer_traits_problem(held[customer_id], traits, rules.trait_budget.per_customer)
        if problem:
            refused.append(Rejection(delivery.record, problem))
        else:
            held[customer_id] |= {name for name, value in traits.items() if value is not None}
    return refused


async def _record_facts(
    conn: Connection, workspace: str, resolved: Sequence[Resolved]
) -> tuple[dict[str, StatsDelta], set[str], list[tuple[IdentifyEvent, str]]]:
    """Store the events' facts; returns each customer's stats delta, the customers whose tickets
    changed, and the identify events to apply."""
    await store.insert_timeline(
        conn,
        workspace,
        [(d.event.id, cid, d.event.type, d.event.time, d.event.source, d.value) for d, cid in resolved],
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
    answers = [a for d, cid in resolved if (a := _answer_of(d.event, cid)) is not None]
    new_answers = await answer_store.insert_answers(conn, workspace, answers)

    deltas: dict[str, StatsDelta] = defaultdict(StatsDelta)
    identifies: list[tuple[IdentifyEvent, str]] = []
    for d, cid in resolved:
        event, delta = d.event, deltas[cid]
        delta.seen(event.time)
        if isinstance(event, PurchaseEvent):
            if event.id in new_orders:
                delta.purchase(event.data.amount, event.time, event.data.channel)
            delta.utm(event.time, event.data.utm_source, event.data.utm_campaign)
        elif isinstance(event, RefundEvent):
            delta.refund(event.data.amount)
        elif isinstance(event, VisitEvent):
            delta.visit(event.time)
            delta.utm(event.time, event.data.utm_source, event.data.utm_campaign)
        elif isinstance(event, TicketEvent | SurveyEvent) and event.id in new_answers:
            delta.answer(event.data.csat, event.data.nps, event.time)
        elif isinstance(event, IdentifyEvent):
            identifies.append((event, cid))
    return deltas, {v[0] for v in tickets.values()}, identifies


def _answer_of(event: Envelope, customer_id: str) -> answer_store.AnswerRow | None:
    """The survey answer an event gives: a `survey` event's, or a ticket's when it carries a score."""
    if isinstance(event, SurveyEvent):
        data = event.data
        return answer_store.AnswerRow(
            event.id, customer_id, event.time, "survey", data.nps, data.csat, data.survey_id, data.channel, data.comment
        )
    if isinstance(event, TicketEvent) and (event.data.nps is not None or event.data.csat is not None):
        return answer_store.AnswerRow(event.id, customer_id, event.time, "ticket", event.data.nps, event.data.csat)
    return None
