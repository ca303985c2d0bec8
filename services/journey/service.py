"""Journey's use cases, called by its consumers (handlers.py) and periodic rounds (jobs.py), each in the
caller's unit of work (runtime.unit_of_work): fold events into customer facts, move enrolments on, enrol
customers whose event (or date) triggers a journey, and honour merges and erasures. The engine
(domain/engine.py) decides; `Execution` writes what it decided and performs its actions.

Each planned action is first claimed by its action id (enrolment and step): an action claimed before
(a batch redelivered after a crash, a timer that fires again) is not performed twice. Webhooks become
deliveries (sent by the delivery loop, with the action id as Idempotency-Key); everything else is an
event on `flywheel.journey.actions` (events.py) whose id is the action id, so consumers de-duplicate too.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from prometheus_client import Counter

from contracts.envelope import Envelope
from contracts.internal import ProfileUnmergedData
from runtime import merge_undo
from runtime.context import ServiceContext
from runtime.db import Connection
from runtime.egress import EgressPolicy
from runtime.handlers import with_customers
from runtime.unit_of_work import Work
from services.journey import cap_store, consent_store, journey_store, simulation_store, store
from services.journey.domain.caps import Counted, WorkspaceCaps, priority_order
from services.journey.domain.conditions import CustomerFacts, EventFacts
from services.journey.domain.consent import consent_changes, identifier_hashes
from services.journey.domain.document import parse_journey
from services.journey.domain.engine import (
    Advance,
    CapState,
    Enrolment,
    EnrolmentHistory,
    PlannedAction,
    TriggerInput,
    advance,
    message_channel,
    on_event,
    should_enrol,
    start_enrolment,
)
from services.journey.domain.facts import fold, merge_facts
from services.journey.domain.model import DELIVERED_KINDS, MESSAGE_KINDS, DateTrigger, Journey
from services.journey.domain.simulation import RunningSimulations
from services.journey.domain.triggers import DATE_EVENT_TYPE, date_triggers, next_date_fire
from services.journey.events import ENDED, JourneyEvents, webhook_body
from services.journey.settings import JourneyServiceSettings

log = logging.getLogger(__name__)


CAP_LOOKBACK = dt.timedelta(days=31)  # longer than any frequency cap window worth setting
JourneyKey = tuple[str, int]  # (journey_id, version)

ACTIONS = Counter(
    "flywheel_journey_actions",
    "Journey actions by kind: performed (claimed for the first time) or duplicate (claimed before, skipped). "
    "Counted when the transaction writes them, so a batch rolled back and retried counts again.",
    ["kind", "outcome"],
)  # exposed as flywheel_journey_actions_total


def count_actions(kinds_and_fresh: list[tuple[str, bool]]) -> None:
    """Count each planned action as performed (first claim) or duplicate (already claimed)."""
    for kind, fresh in kinds_and_fresh:
        ACTIONS.labels(kind, "performed" if fresh else "duplicate").inc()


def enrolment_row(enrolment: Enrolment, now: dt.datetime, end_reason: str | None) -> dict[str, Any]:
    ended = enrolment.status not in store.LIVE
    waiting_for = enrolment.waiting_for.model_dump(mode="json", by_alias=True) if enrolment.waiting_for else None
    return {
        "enrolment_id": enrolment.enrolment_id,
        "journey_id": enrolment.journey_id,
        "version": enrolment.version,
        "customer_id": enrolment.customer_id,
        "step_id": enrolment.step_id,
        "seq": enrolment.seq,
        "status": enrolment.status,
        "variant": enrolment.variant,
        "holdout": enrolment.holdout,
        "waiting_for": waiting_for,
        "due_at": enrolment.due_at,
        "entered_at": enrolment.entered_at,
        "ended_at": now if ended else None,
        "end_reason": end_reason if ended else None,
    }


@dataclass
class Ledger:
    """The messages counted against frequency caps for the customers of one unit of work (read under their
    locks: cap_store.lock_and_count), and the workspace's caps per channel. Each message an engine call plans is
    counted at once, as sent in this pass, so the calls after it (lower priority: see `by_priority`) see it."""

    counted: dict[str, list[Counted]] = field(default_factory=dict)
    workspace: WorkspaceCaps = field(default_factory=dict)
    locked: set[str] = field(default_factory=set)  # the customers counted (and locked) so far
    read: bool = False  # the workspace's caps read

    async def take(self, conn: Connection, workspace: str, customers: set[str], now: dt.datetime) -> None:
        """Lock the customers' cap counts until commit and read them (those not taken yet), with the workspace's
        caps the first time."""
        fresh = customers - self.locked
        counted = await cap_store.lock_and_count(conn, workspace, fresh, now - CAP_LOOKBACK)
        for customer_id in fresh:
            self.counted[customer_id] = counted.get(customer_id, [])
        self.locked |= fresh
        if not self.read:
            self.workspace, self.read = await cap_store.workspace_caps(conn, workspace), True

    def caps(self, customer_id: str) -> CapState:
        return CapState(tuple(self.counted.get(customer_id, ())), self.workspace)

    def new_pass(self, customer_id: str) -> None:
        """The customer's next event: what the events before it sent took its slots earlier, not in this pass."""
        counted = self.counted.get(customer_id, [])
        self.counted[customer_id] = [replace(c, in_pass=False) for c in counted]

    def count(self, enrolment: Enrolment, actions: Sequence[PlannedAction], now: dt.datetime) -> None:
        sent = [Counted(now, message_channel(a.action), enrolment.journey_id, True) for a in actions]
        self.counted.setdefault(enrolment.customer_id, []).extend(
            c for c, a in zip(sent, actions, strict=True) if a.kind in MESSAGE_KINDS
        )


async def ledger_of(conn: Connection, workspace: str, customers: set[str], now: dt.datetime) -> Ledger:
    ledger = Ledger()
    await ledger.take(conn, workspace, customers, now)
    return ledger


def by_priority(journey: Journey | None, journey_id: str) -> tuple[int, str]:
    """The order competing enrolments of one customer run in (domain/caps.py: higher priority first)."""
    return priority_order(journey.settings.priority if journey else 0, journey_id)


@dataclass
class Execution:
    """What one unit of work's engine calls decided, written at the end with a few set-based statements."""

    workspace: str
    now: dt.datetime
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    planned: list[tuple[PlannedAction, Enrolment]] = field(default_factory=list)
    ledger: Ledger = field(default_factory=Ledger)
    held_back: list[tuple[str, str, str, str]] = field(default_factory=list)  # cap_store.record_decisions

    def __post_init__(self) -> None:
        self.events = JourneyEvents(self.workspace, self.now)

    def entered(self, enrolment: Enrolment) -> None:
        self.events.entered(enrolment)

    def apply(self, advance: Advance, reason: str | None = None) -> None:
        enrolment = advance.enrolment
        if advance.conversion is not None:
            reason = f"goal: {advance.conversion.event_id}"
        elif enrolment.status == "completed":
            reason = "completed"
        self.rows[enrolment.enrolment_id] = enrolment_row(enrolment, self.now, reason)
        self.planned += [(action, enrolment) for action in advance.actions]
        self.ledger.count(enrolment, advance.actions, self.now)
        journey_id = enrolment.journey_id
        self.held_back += [(journey_id, "deferred", d.reason, d.action_id) for d in advance.deferred]
        self.held_back += [
            (journey_id, "skipped", s.reason, s.action_id) for s in advance.skipped if s.reason != "holdout"
        ]
        if enrolment.status in ENDED:
            self.events.ended(enrolment, reason)

    async def flush(self, work: Work) -> None:
        """Write the enrolments, claim and perform the actions, and publish the events in `work`."""
        conn = work.conn
        await store.save_enrolments(conn, self.workspace, list(self.rows.values()))
        claims = [(a.action_id, e.enrolment_id, a.kind) for a, e in self.planned]
        fresh = await store.claim_actions(conn, self.workspace, claims)
        count_actions([(a.kind, a.action_id in fresh) for a, _ in self.planned])
        deliveries, messages = [], []
        for action, enrolment in self.planned:
            if action.action_id not in fresh:
                continue
            if action.kind in MESSAGE_KINDS:
                channel = message_channel(action.action)
                messages.append((enrolment.customer_id, action.action_id, channel, enrolment.journey_id))
            if action.kind in DELIVERED_KINDS:
                body = webhook_body(self.workspace, action, enrolment)
                ids = (action.action_id, enrolment.enrolment_id, enrolment.journey_id, enrolment.customer_id)
                deliveries.append((*ids, body))
            else:
                self.events.action(action, enrolment)
        await store.add_deliveries(conn, self.workspace, deliveries, self.now)
        await store.record_messages(conn, self.workspace, messages, self.now)
        await cap_store.record_decisions(conn, self.workspace, self.held_back, self.now)
        work.publish_all(self.events.messages)


class JourneyBook:
    """Parsed journey versions. A version is frozen once activated, so each is read and parsed once per
    process: a batch reads only which versions are active, and the documents of those it has not seen (a
    workspace's documents can be megabytes; reading them for every batch would cost everyone)."""

    def __init__(self) -> None:
        self._parsed: dict[tuple[str, str, int], Journey] = {}

    def _parse(self, workspace: str, journey_id: str, version: int, document: Any) -> Journey:
        key = (workspace, journey_id, version)
        if key not in self._parsed:
            self._parsed[key] = parse_journey(document)
        return self._parsed[key]

    async def active(self, conn: Connection, workspace: str) -> list[tuple[str, int, Journey]]:
        active = await journey_store.active_versions(conn, workspace)
        parsed = await self.versions(conn, workspace, set(active))
        return [(j, v, parsed[(j, v)]) for j, v in active if (j, v) in parsed]

    async def versions(self, conn: Connection, workspace: str, keys: set[JourneyKey]) -> dict[JourneyKey, Journey]:
        unseen = {key for key in keys if (workspace, *key) not in self._parsed}
        documents = await journey_store.load_versions(conn, workspace, sorted(unseen)) if unseen else {}
        for key, document in documents.items():
            self._parse(workspace, key[0], key[1], document)
        return {key: self._parsed[(workspace, *key)] for key in keys if (workspace, *key) in self._parsed}


@dataclass(frozen=True)
class JourneyContext(ServiceContext[JourneyServiceSettings]):
    """What journey's api, handlers and jobs are given (built by wiring.py): the webhook egress policy vets
    channel URLs as the deliveries are vetted, and a rotated secret's overlap runs on the service's clock, as
    deliveries do; the book of parsed journeys is the process's, shared by its consumers and rounds."""

    webhook_egress: EgressPolicy
    book: JourneyBook = field(default_factory=JourneyBook)
    simulations: RunningSimulations = field(default_factory=RunningSimulations)  # dry runs in flight, by workspace


async def apply_customer_events(
    work: Work, book: JourneyBook, workspace: str, events: Sequence[Envelope], now: dt.datetime
) -> None:
    """Resolved events and scoring's changes: fold them into customer facts, move enrolments waiting for them
    (goal, exit, a waited-for event), and enrol customers whose event triggers an active journey."""
    conn = work.conn
    owned = await with_customers(conn, workspace, events)
    customers = {c for _, c in owned}
    # The customers' locks first: another unit of work with the same customer (a replica during a rebalance)
    # commits before this one reads their enrolments, so neither enrols them twice in a journey at once.
    ledger = await ledger_of(conn, workspace, customers, now)
    # Consent (identify's `subscriptions`, `consent` events) and hashed identifiers: read before every delivery.
    await consent_store.record_consent(conn, workspace, [c for e, cid in owned for c in consent_changes(e, cid)])
    await consent_store.record_identifier_hashes(conn, workspace, identifier_hashes(owned))
    facts = await store.load_facts(conn, workspace, customers)
    journeys = await book.active(conn, workspace)
    live_enrolments = await store.live_enrolments(conn, workspace, customers)
    versions = await book.versions(conn, workspace, {(e.journey_id, e.version) for e in live_enrolments})
    live: dict[str, list[Enrolment]] = defaultdict(list)
    for enrolment in live_enrolments:
        live[enrolment.customer_id].append(enrolment)
    paused = {
        journey_id
        for journey_id, status in (
            await journey_store.journey_statuses(conn, workspace, {e.journey_id for e in live_enrolments})
        ).items()
        if status == "paused"
    }
    history = await store.enrolment_history(conn, workspace, customers)
    execution = Execution(workspace, now, ledger=ledger)
    for event, customer_id in sorted(owned, key=lambda item: item[0].time):
        fold(facts[customer_id], event)
        seen = EventFacts(event.id, event.type, event.time, _data_of(event))
        known = facts[customer_id].facts(customer_id)
        execution.ledger.new_pass(customer_id)
        # The customer's enrolments the event moves and the journeys it triggers compete for cap slots: each
        # runs in priority order (domain/caps.py), enrolments in flight before new ones of equal rank.
        runs: list[tuple[tuple[int, str], int, int]] = []
        for index, enrolment in enumerate(live[customer_id]):
            rank = by_priority(versions.get((enrolment.journey_id, enrolment.version)), enrolment.journey_id)
            runs.append((rank, 0, index))
        runs += [(by_priority(j, journey_id), 1, n) for n, (journey_id, _, j) in enumerate(journeys)]
        for _, new, index in sorted(runs):
            if new:
                enrol_triggered(execution, [journeys[index]], seen, known, history, live[customer_id], versions)
                continue
            enrolment = live[customer_id][index]
            journey = versions.get((enrolment.journey_id, enrolment.version))
            caps = execution.ledger.caps(customer_id)
            moved = on_event(journey, enrolment, seen, known, now, caps) if journey else None
            if moved is not None and enrolment.journey_id in paused and moved.enrolment.status in store.LIVE:
                moved = None  # a paused journey still counts goals and exits, but does not move on
            if moved is not None:
                execution.apply(moved, reason=f"exit: {event.type}" if moved.enrolment.status == "exited" else None)
                live[customer_id][index] = moved.enrolment
    await store.save_facts(conn, workspace, facts)
    await execution.flush(work)


def enrol_triggered(
    execution: Execution,
    journeys: Sequence[tuple[str, int, Journey]],
    seen: EventFacts,
    known: CustomerFacts,
    history: Mapping[tuple[str, str], EnrolmentHistory],
    live: list[Enrolment],
    versions: dict[JourneyKey, Journey],
) -> None:
    """Enrol the customer in every active journey this event triggers (re-entry rules permitting), and run
    each new enrolment to its first wait. The enrolment id comes from the journey and the event, so a
    redelivered event cannot enrol twice."""
    now = execution.now
    for journey_id, version, journey in journeys:
        past = _history(history.get((known.customer_id, journey_id)), live, journey_id)
        if not should_enrol(journey, TriggerInput(seen, known), past, now):
            continue
        enrolment = start_enrolment(
            journey,
            enrolment_id=f"en_{journey_id}_{seen.event_id}"[:128],
            journey_id=journey_id,
            version=version,
            customer_id=known.customer_id,
            now=now,
        )
        execution.entered(enrolment)
        moved = advance(journey, enrolment, known, now, execution.ledger.caps(known.customer_id))
        execution.apply(moved)
        live.append(moved.enrolment)
        versions[(journey_id, version)] = journey


def _history(stored: EnrolmentHistory | None, live: Sequence[Enrolment], journey_id: str) -> EnrolmentHistory:
    in_batch = [e for e in live if e.journey_id == journey_id]
    active = any(e.status in store.LIVE for e in in_batch) or bool(stored and stored.active)
    entered = [e.entered_at for e in in_batch] + ([stored.last_entered_at] if stored and stored.last_entered_at else [])
    return EnrolmentHistory(
        active=active,
        enrolments=(stored.enrolments if stored else 0) + sum(1 for e in in_batch if stored is None),
        last_entered_at=max(entered) if entered else None,
        last_ended_at=stored.last_ended_at if stored else None,
    )


def _data_of(event: Envelope) -> dict[str, Any]:
    data: Any = event.data
    dumped: dict[str, Any] = data.model_dump(mode="json") if hasattr(data, "model_dump") else dict(data or {})
    return dumped


async def merge_customers(
    work: Work, workspace: str, survivor: str, merged: str, now: dt.datetime, merge_id: str | None = None
) -> None:
    """Move the merged customer's enrolments to the survivor (ending those where the survivor is already in that
    journey) and fold the facts; what that changes is kept first, for an undo."""
    await store.keep_for_undo(
        work.conn, workspace, merge_undo.merge_id_of(survivor, merged, merge_id), survivor, merged
    )
    await simulation_store.merge_purchases(work.conn, workspace, survivor, merged)
    facts = await store.load_facts(work.conn, workspace, [survivor, merged])
    merge_facts(facts[survivor], facts[merged])
    await store.save_facts(work.conn, workspace, {survivor: facts[survivor]})
    await store.forget_facts(work.conn, workspace, merged)
    await consent_store.merge(work.conn, workspace, survivor, merged)
    ended = await store.fold_merged(work.conn, workspace, survivor, merged)
    await _end(work, workspace, ended, f"merged into {survivor}", now)


async def unmerge_customers(work: Work, workspace: str, undo: ProfileUnmergedData) -> None:
    """An undone merge: both customers' facts and messages sent are what they were before it; enrolments go back
    to their customer with what they did since, and those the merge ended come back at their step with their
    timers (not announced again: their `journey.exited` stays in the record, as the merge happened). Facts are
    counts per customer, not rows per event: activity after the merge stays on the survivor; consent changes and
    purchases (for lift) are rows per event: those of `restored_event_ids` go back. Without the merge's snapshot
    only the redirect goes and those changes move (logged)."""
    outcome = await store.restore_merged(work.conn, workspace, undo.merge_id, undo.survivor_id, undo.restored_id)
    await consent_store.move_back(work.conn, workspace, undo.survivor_id, undo.restored_id, undo.restored_event_ids)
    await simulation_store.unmerge_purchases(
        work.conn, workspace, undo.survivor_id, undo.restored_id, undo.restored_event_ids
    )
    if outcome is merge_undo.Restore.MISSING:
        log.warning(
            "profile.unmerged without a snapshot of the merge",
            extra={"workspace": workspace, "merge_id": undo.merge_id, "outcome": outcome.value},
        )


async def erase_customers(work: Work, workspace: str, ids: list[str], erasure_id: str, now: dt.datetime) -> None:
    """End every enrolment of the customers and forget their facts and pending messages."""
    await simulation_store.erase_purchases(work.conn, workspace, ids)
    ended = await store.erase(work.conn, workspace, ids, erasure_id)
    await _end(work, workspace, ended, "erased", now)


async def _end(work: Work, workspace: str, enrolments: Sequence[Enrolment], reason: str, now: dt.datetime) -> None:
    execution = Execution(workspace, now)
    for enrolment in enrolments:
        finished = replace(enrolment, status="exited", due_at=None, waiting_for=None)
        execution.apply(Advance(finished), reason=reason)
    await execution.flush(work)


async def advance_due(
    work: Work, book: JourneyBook, workspace: str, claimed: Sequence[store.DueEnrolment], now: dt.datetime
) -> None:
    """Move on the workspace's enrolments whose timer is due (claimed by the caller; one that does not read
    raises its ValueError, and the caller isolates the workspace)."""
    conn = work.conn
    due = [one.enrolment() for one in claimed]
    customers = {e.customer_id for e in due}
    facts = await store.load_facts(conn, workspace, customers)
    versions = await book.versions(conn, workspace, {(e.journey_id, e.version) for e in due})
    execution = Execution(workspace, now, ledger=await ledger_of(conn, workspace, customers, now))
    # Timers of one customer due together compete for cap slots: in priority order (domain/caps.py).
    due.sort(
        key=lambda e: (
            e.customer_id,
            by_priority(versions.get((e.journey_id, e.version)), e.journey_id),
            e.enrolment_id,
        )
    )
    for enrolment in due:
        journey = versions.get((enrolment.journey_id, enrolment.version))
        if journey is None:  # its version is gone (the journey was deleted): end the enrolment
            log.warning("enrolment of a missing journey version", extra={"enrolment": enrolment.enrolment_id})
            continue
        customer_id = enrolment.customer_id
        caps = execution.ledger.caps(customer_id)
        execution.apply(advance(journey, enrolment, facts[customer_id].facts(customer_id), now, caps))
    await execution.flush(work)


async def fire_dates(work: Work, book: JourneyBook, workspace: str, now: dt.datetime) -> int:
    """Enrol the workspace's customers whose date trigger (a birthday, a renewal) came due since the last scan
    of each active journey version; returns how many enrolled. A version scanned for the first time looks
    back one day only."""
    conn = work.conn
    fired = 0
    scans = await store.date_scans(conn, workspace)
    execution = Execution(workspace, now)
    active = sorted(await book.active(conn, workspace), key=lambda a: by_priority(a[2], a[0]))
    for journey_id, version, journey in active:  # a customer's dates due together compete: in priority order
        triggers = date_triggers(journey.trigger)
        if not triggers:
            continue
        since = scans.get((journey_id, version), now - dt.timedelta(days=1))
        due = await _due_dates(conn, workspace, journey, triggers, since, now)
        fired += await _enrol_dates(conn, execution, (journey_id, version, journey), due)
        await store.save_date_scan(conn, workspace, journey_id, version, now)
    await execution.flush(work)
    return fired


async def _due_dates(
    conn: Connection,
    workspace: str,
    journey: Journey,
    triggers: list[DateTrigger],
    since: dt.datetime,
    now: dt.datetime,
) -> list[tuple[CustomerFacts, EventFacts]]:
    holders = await store.customers_with_traits(conn, workspace, sorted({t.trait for t in triggers}))
    due = []
    for customer_id, record in holders.items():
        facts = record.facts(customer_id)
        for trigger in triggers:
            fire = next_date_fire(trigger, facts, journey.settings.timezone, since)
            if fire is not None and since < fire <= now:
                event_id = f"{DATE_EVENT_TYPE}:{customer_id}:{trigger.trait}:{fire.date().isoformat()}"
                data = {"trait": trigger.trait, "date": str(facts.traits.get(trigger.trait))}
                due.append((facts, EventFacts(event_id, DATE_EVENT_TYPE, fire, data)))
    return due


async def _enrol_dates(
    conn: Connection,
    execution: Execution,
    active: tuple[str, int, Journey],
    due: list[tuple[CustomerFacts, EventFacts]],
) -> int:
    if not due:
        return 0
    customers = {facts.customer_id for facts, _ in due}
    workspace = execution.workspace
    await execution.ledger.take(conn, workspace, customers, execution.now)  # locks before reads, as above
    history = await store.enrolment_history(conn, workspace, customers)
    live: dict[str, list[Enrolment]] = defaultdict(list)
    for enrolment in await store.live_enrolments(conn, workspace, customers):
        live[enrolment.customer_id].append(enrolment)
    before = len(execution.rows)
    for facts, seen in due:
        enrol_triggered(execution, [active], seen, facts, history, live[facts.customer_id], {})
    return len(execution.rows) - before
