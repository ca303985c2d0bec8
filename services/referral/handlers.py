"""Referral's consumers: resolved customer events (touches, sign-ups, purchases, refunds, identifiers),
journeys' invite requests, scoring's segment membership, and profile merges and erasures. One
transaction per batch; the engine decides, the book store loads and writes, the outbox announces."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from contracts.codec import Decoder
from contracts.envelope import Envelope
from contracts.internal import ProfileErased, ProfileMerged
from contracts.journey import ReferralInviteRequested
from contracts.referral import CodeIssuedData
from contracts.scoring import SegmentEntered, SegmentExited
from runtime import erasures, merges
from runtime.clock import Clock
from runtime.consumer import Delivery, HandlerResult, Record, Rejection
from runtime.db import Connection
from runtime.handlers import DecodingHandler, LifecycleDecoding, PerWorkspaceHandler, by_workspace, with_customers
from runtime.outbox import OutboundMessage
from services.referral import book_store, lifecycle, store
from services.referral.domain.engine import Engine
from services.referral.events import Outbox


def identifiers_in(event: Envelope) -> set[tuple[str, str]]:
    """The customer's email, phone and device id as this event shows them (the customer ref, and
    identify traits named email or phone)."""
    data: Any = event.data
    found: set[tuple[str, str]] = set()
    ref = getattr(data, "customer", None)
    values = {
        "email": getattr(ref, "email", None),
        "phone": getattr(ref, "phone", None),
        "anonymous_id": getattr(ref, "anonymous_id", None),
    }
    traits = getattr(data, "traits", None) or {}
    for kind, value in [*values.items(), ("email", traits.get("email")), ("phone", traits.get("phone"))]:
        if isinstance(value, str) and value.strip():
            text = value.strip()
            found.add((kind, text.lower() if kind == "email" else text.replace(" ", "")))
    return found


class ResolvedHandler(PerWorkspaceHandler):
    async def handle_workspace(
        self, conn: Connection, workspace: str, events: Sequence[Envelope], now: dt.datetime
    ) -> list[OutboundMessage]:
        owned = sorted(await with_customers(conn, workspace, events), key=lambda item: item[0].time)
        needs = book_store.Needs(customers={c for _, c in owned}, since=min((e.time for e, _ in owned), default=None))
        for event, _ in owned:
            data: Any = event.data
            needs.identifiers |= identifiers_in(event)
            if event.type == "referral" or (event.type == "purchase" and data.referral_code):
                needs.codes.add(data.code if event.type == "referral" else data.referral_code)
            if event.type in ("purchase", "refund"):
                needs.orders.add(data.order_id)
        if needs.codes or needs.orders:
            # Budgets, monthly limits and fraud counts span customers on other partitions: batches that can
            # reward take turns per workspace, so two consumer loops cannot both spend the last of a budget.
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext('referral:' || $1))", workspace)
        book = await book_store.load_book(conn, workspace, needs)
        engine = Engine(book)
        for event, customer_id in owned:
            data = event.data
            engine.observe(customer_id, identifiers_in(event))
            if event.type == "referral":
                engine.referral(customer_id, data.action, data.code, event.time)
            elif event.type == "purchase":
                engine.purchase(customer_id, data.order_id, Decimal(data.amount), data.referral_code, event.time)
            elif event.type == "refund":
                engine.refund(data.order_id, Decimal(data.amount), event.time)
        await book_store.save_book(conn, workspace, book, engine.changes)
        outbox = Outbox(workspace, now)
        outbox.announce(engine.changes.announcements)
        return outbox.messages


class JourneyActionsHandler(DecodingHandler):
    """`referral.invite_requested`: make (or find) the customer's code and announce it for messaging."""

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        result = HandlerResult()
        now = self._clock()
        invites_only = (d for d in deliveries if isinstance(d.event, ReferralInviteRequested))  # the topic
        for workspace, asked in by_workspace(invites_only):  # carries other services' actions too
            survivors = await merges.survivors(conn, workspace, [d.event.data.customer_id for d in asked])
            owned = [(d, survivors.get(d.event.data.customer_id, d.event.data.customer_id)) for d in asked]
            gone = await erasures.erased(conn, workspace, (c for _, c in owned))  # an erasure lasts: no code
            invites = [d for d, c in owned if c not in gone]
            requested = [d.event.data for d in invites]
            owners = [c for _, c in owned if c not in gone]
            answers = await store.issue_codes(
                conn, workspace, [(r.program_id, c) for r, c in zip(requested, owners, strict=True)], now
            )
            outbox = Outbox(workspace, now)
            announced: set[tuple[str, str]] = set()
            for delivery, data, customer_id in zip(invites, requested, owners, strict=True):
                answer = answers[(data.program_id, customer_id)]
                if answer.code is None:
                    result.rejected.append(Rejection(delivery.record, answer.refused or "no code"))
                    continue
                issued = CodeIssuedData(
                    customer_id=customer_id,
                    program_id=data.program_id,
                    code=answer.code,
                    created=answer.created and (data.program_id, customer_id) not in announced,
                    channel=data.channel,
                    journey_id=data.journey_id,
                    enrolment_id=data.enrolment_id,
                )
                announced.add((data.program_id, customer_id))
                outbox.code_issued(f"referral.code_issued:{delivery.event.id}", issued)
            result.publish.extend(outbox.messages)
        return result


class SegmentsHandler:
    """`segment.entered` / `segment.exited`: who may refer in programs limited to a segment."""

    def __init__(self, decoder: Decoder) -> None:
        self._decode = decoder

    def decode(self, record: Record) -> Envelope:
        return self._decode(record.value)

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


class LifecycleHandler(LifecycleDecoding):
    """Merges fold the merged customer into the survivor (and reverse rewards of a referrer who turns out
    to be their own friend); erasures pseudonymise the ledger and delete identifiers."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        result = HandlerResult()
        now = self._clock()
        for delivery in deliveries:
            event = delivery.event
            outbox = Outbox(event.workspace, now)
            if isinstance(event, ProfileMerged):
                await merges.record_merge(conn, event.workspace, event.data.survivor_id, event.data.merged_id)
                reversed_ = await lifecycle.fold_merged(
                    conn, event.workspace, event.data.survivor_id, event.data.merged_id
                )
                for reward in reversed_:
                    outbox.reward("referral.reward_reversed", reward)
            elif isinstance(event, ProfileErased):
                ids = sorted({event.data.customer_id, *event.data.erased_ids})
                await lifecycle.erase(conn, event.workspace, ids, event.id)
                await merges.forget(conn, event.workspace, ids)
                await erasures.record(conn, event.workspace, ids)
            result.publish.extend(outbox.messages)
        return result
