"""Journey's handler of resolved events and scoring's changes: fold them into customer facts, move
enrolments waiting for them (goal, exit, a waited-for event), and enrol customers whose event triggers
an active journey. One transaction per batch; the engine decides, the executor writes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import asyncpg

from contracts.codec import Decoder
from contracts.envelope import Envelope
from contracts.internal import ProfileErased, ProfileMerged
from runtime.clock import Clock
from runtime.consumer import Delivery, HandlerResult
from runtime.db import Connection
from runtime.handlers import LifecycleDecoding, PerWorkspaceHandler, with_customers
from runtime.outbox import OutboundMessage
from services.journey import journey_store, store
from services.journey.domain.conditions import CustomerFacts, EventFacts
from services.journey.domain.document import parse_journey
from services.journey.domain.engine import (
    Advance,
    CapState,
    Enrolment,
    EnrolmentHistory,
    TriggerInput,
    advance,
    on_event,
    should_enrol,
    start_enrolment,
)
from services.journey.domain.facts import fold, merge_facts
from services.journey.domain.model import EventCondition, Journey
from services.journey.executor import Execution

CAP_LOOKBACK = dt.timedelta(days=31)  # longer than any frequency cap window worth setting
JourneyKey = tuple[str, int]  # (journey_id, version)


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


def enrolment_of(row: asyncpg.Record) -> Enrolment:
    waiting_for = row["waiting_for"]
    return Enrolment(
        enrolment_id=row["enrolment_id"],
        journey_id=row["journey_id"],
        version=row["version"],
        customer_id=row["customer_id"],
        step_id=row["step_id"],
        status=row["status"],
        variant=row["variant"],
        holdout=row["holdout"],
        entered_at=row["entered_at"],
        due_at=row["due_at"],
        waiting_for=EventCondition.model_validate(waiting_for) if waiting_for else None,
        seq=row["seq"],
    )


class JourneyEventsHandler(PerWorkspaceHandler):
    def __init__(self, decoder: Decoder, book: JourneyBook, clock: Clock) -> None:
        super().__init__(decoder, clock)
        self._book = book

    async def handle_workspace(
        self, conn: Connection, workspace: str, events: Sequence[Envelope], now: dt.datetime
    ) -> list[OutboundMessage]:
        owned = await with_customers(conn, workspace, events)
        customers = {c for _, c in owned}
        facts = await store.load_facts(conn, workspace, customers)
        journeys = await self._book.active(conn, workspace)
        live_rows = await store.live_enrolments(conn, workspace, customers)
        versions = await self._book.versions(conn, workspace, {(r["journey_id"], r["version"]) for r in live_rows})
        live: dict[str, list[Enrolment]] = defaultdict(list)
        for row in live_rows:
            live[row["customer_id"]].append(enrolment_of(row))
        paused = {
            journey_id
            for journey_id, status in (
                await journey_store.journey_statuses(conn, workspace, {r["journey_id"] for r in live_rows})
            ).items()
            if status == "paused"
        }
        history = await store.enrolment_history(conn, workspace, customers)
        sent = await store.messages_since(conn, workspace, customers, now - CAP_LOOKBACK)
        execution = Execution(workspace, now)
        for event, customer_id in sorted(owned, key=lambda item: item[0].time):
            fold(facts[customer_id], event)
            seen = EventFacts(event.id, event.type, event.time, _data_of(event))
            known = facts[customer_id].facts(customer_id)
            caps = CapState(tuple(sent.get(customer_id, ())))
            for index, enrolment in enumerate(live[customer_id]):
                journey = versions.get((enrolment.journey_id, enrolment.version))
                moved = on_event(journey, enrolment, seen, known, now, caps) if journey else None
                if moved is not None and enrolment.journey_id in paused and moved.enrolment.status in store.LIVE:
                    moved = None  # a paused journey still counts goals and exits, but does not move on
                if moved is not None:
                    execution.apply(moved, reason=f"exit: {event.type}" if moved.enrolment.status == "exited" else None)
                    live[customer_id][index] = moved.enrolment
            enrol_triggered(execution, journeys, seen, known, history, live[customer_id], caps, versions)
        await store.save_facts(conn, workspace, facts)
        return await execution.flush(conn)


def enrol_triggered(
    execution: Execution,
    journeys: Sequence[tuple[str, int, Journey]],
    seen: EventFacts,
    known: CustomerFacts,
    history: Mapping[tuple[str, str], asyncpg.Record],
    live: list[Enrolment],
    caps: CapState,
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
        moved = advance(journey, enrolment, known, now, caps)
        execution.apply(moved)
        live.append(moved.enrolment)
        versions[(journey_id, version)] = journey


def _history(row: asyncpg.Record | None, live: Sequence[Enrolment], journey_id: str) -> EnrolmentHistory:
    in_batch = [e for e in live if e.journey_id == journey_id]
    active = any(e.status in store.LIVE for e in in_batch) or bool(row and row["active"])
    entered = [e.entered_at for e in in_batch] + ([row["last_entered_at"]] if row else [])
    return EnrolmentHistory(
        active=active,
        enrolments=(row["enrolments"] if row else 0) + sum(1 for e in in_batch if row is None),
        last_entered_at=max(entered) if entered else None,
        last_ended_at=row["last_ended_at"] if row else None,
    )


def _data_of(event: Envelope) -> dict[str, Any]:
    data: Any = event.data
    dumped: dict[str, Any] = data.model_dump(mode="json") if hasattr(data, "model_dump") else dict(data or {})
    return dumped


class LifecycleHandler(LifecycleDecoding):
    """`flywheel.profile.lifecycle`: a merge moves the merged customer's enrolments to the survivor (or ends
    them where the survivor is already in that journey) and folds the facts; an erasure ends every
    enrolment and forgets the customer's facts and pending messages."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        now = self._clock()
        result = HandlerResult()
        for delivery in deliveries:
            event = delivery.event
            execution = Execution(event.workspace, now)
            if isinstance(event, ProfileMerged):
                survivor, merged = event.data.survivor_id, event.data.merged_id
                facts = await store.load_facts(conn, event.workspace, [survivor, merged])
                merge_facts(facts[survivor], facts[merged])
                await store.save_facts(conn, event.workspace, {survivor: facts[survivor]})
                await conn.execute(
                    "DELETE FROM customer_facts WHERE workspace = $1 AND customer_id = $2", event.workspace, merged
                )
                ended = await store.fold_merged(conn, event.workspace, survivor, merged)
                reason = f"merged into {survivor}"
            elif isinstance(event, ProfileErased):
                ids = sorted({event.data.customer_id, *event.data.erased_ids})
                ended = await store.erase(conn, event.workspace, ids, event.id)
                reason = "erased"
            else:
                continue
            for row in ended:
                finished = replace(enrolment_of(row), status="exited", due_at=None, waiting_for=None)
                execution.apply(Advance(finished), reason=reason)
            result.publish.extend(await execution.flush(conn))
        return result
