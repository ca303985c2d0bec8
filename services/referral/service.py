"""Referral's use cases, called by its consumers (handlers.py) and its API (api.py): each runs in a unit of
work (runtime.unit_of_work), where the engine decides, the stores load and write, and events.py builds what
is announced."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from contracts.envelope import Envelope
from contracts.internal import ProfileUnmergedData
from contracts.journey import ReferralInviteRequested
from contracts.referral import CodeIssuedData
from runtime import erasures, merge_undo, merges
from runtime.context import ServiceContext
from runtime.handlers import with_customers
from runtime.unit_of_work import Work
from services.referral import book_store, lifecycle_store, store
from services.referral.domain.engine import Engine, RewardEntry
from services.referral.events import Outbox
from services.referral.settings import ReferralServiceSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReferralContext(ServiceContext[ReferralServiceSettings]):
    """What referral's api, handlers and jobs are given (built by wiring.py)."""


class ProgramMissing(Exception):
    def __init__(self, program_id: str) -> None:
        super().__init__(f"no referral program {program_id!r} in this workspace")


class CodeRefused(Exception):
    pass


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


async def apply_customer_events(work: Work, workspace: str, events: Sequence[Envelope], now: dt.datetime) -> None:
    """Touches, sign-ups, purchases, refunds and identifiers of one workspace, in event time order."""
    conn = work.conn
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
        await book_store.lock_rewarding(conn, workspace)
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
    work.publish_all(outbox.messages)


async def issue_invite_codes(
    work: Work, workspace: str, invites: Sequence[ReferralInviteRequested], now: dt.datetime
) -> dict[str, str]:
    """Journeys' invite requests: each customer's code (made on the first request) announced for messaging.
    Returns why a request gets no code, by event id. An erased customer gets none and no refusal."""
    conn = work.conn
    survivors = await merges.survivors(conn, workspace, [e.data.customer_id for e in invites])
    owned = [(e, survivors.get(e.data.customer_id, e.data.customer_id)) for e in invites]
    gone = await erasures.erased(conn, workspace, (c for _, c in owned))  # an erasure lasts: no code
    kept = [(e, c) for e, c in owned if c not in gone]
    answers = await store.issue_codes(conn, workspace, [(e.data.program_id, c) for e, c in kept], now)
    outbox = Outbox(workspace, now)
    announced: set[tuple[str, str]] = set()
    refused: dict[str, str] = {}
    for event, customer_id in kept:
        data = event.data
        answer = answers[(data.program_id, customer_id)]
        if answer.code is None:
            refused[event.id] = answer.refused or "no code"
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
        outbox.code_issued(f"referral.code_issued:{event.id}", issued)
    work.publish_all(outbox.messages)
    return refused


async def issue_code(
    work: Work, workspace: str, program_id: str, customer_id: str, now: dt.datetime
) -> tuple[str, bool]:
    """The customer's code in the program and whether it was made now (then announced). ProgramMissing, or
    CodeRefused (the customer may not refer)."""
    if await store.get_program(work.conn, workspace, program_id) is None:
        raise ProgramMissing(program_id)
    answer = (await store.issue_codes(work.conn, workspace, [(program_id, customer_id)], now))[
        (program_id, customer_id)
    ]
    if answer.code is None:
        raise CodeRefused(answer.refused or "no code")
    if answer.created:
        outbox = Outbox(workspace, now)
        data = CodeIssuedData(customer_id=customer_id, program_id=program_id, code=answer.code, created=True)
        outbox.code_issued(f"referral.code_issued:{answer.code}", data)
        work.publish_all(outbox.messages)
    return answer.code, answer.created


async def review_reward(
    work: Work, workspace: str, reward_id: str, approve: bool, comment: str | None, now: dt.datetime
) -> RewardEntry:
    """Grant (announced) or refuse a held reward; runtime.errors.NotFound or Conflict."""
    reward, changed = await store.review(work.conn, workspace, reward_id, approve, comment)
    if changed and approve:
        outbox = Outbox(workspace, now)
        outbox.reward("referral.reward_granted", reward)
        work.publish_all(outbox.messages)
    return reward


async def merge_customers(
    work: Work, workspace: str, survivor_id: str, merged_id: str, now: dt.datetime, merge_id: str | None = None
) -> None:
    """Fold the merged customer into the survivor (what it changes kept first, for an undo); rewards reversed
    by it are announced."""
    merge = merge_undo.merge_id_of(survivor_id, merged_id, merge_id)
    await merge_undo.capture(work.conn, workspace, merge, survivor_id, merged_id, lifecycle_store.FOLDED)
    await merges.record_merge(work.conn, workspace, survivor_id, merged_id)
    reversed_ = await lifecycle_store.fold_merged(work.conn, workspace, survivor_id, merged_id)
    outbox = Outbox(workspace, now)
    for reward in reversed_:
        outbox.reward("referral.reward_reversed", reward)
    work.publish_all(outbox.messages)


async def unmerge_customers(work: Work, workspace: str, undo: ProfileUnmergedData, now: dt.datetime) -> None:
    """An undone merge: both customers get their codes, touches, purchases, attributions and rewards back as
    they were before it (rewards its fold had reversed are announced granted again); the restored id resolves
    to itself. Referral keeps no rows per event id, so post-merge purchases stay with the survivor. Without
    the merge's snapshot (never seen, or older than the retention) only the redirect goes (logged)."""
    outcome, granted = await lifecycle_store.restore_merged(
        work.conn, workspace, undo.merge_id, undo.survivor_id, undo.restored_id
    )
    if outcome is merge_undo.Restore.MISSING:
        log.warning(
            "profile.unmerged without a snapshot of the merge",
            extra={"workspace": workspace, "merge_id": undo.merge_id, "outcome": outcome.value},
        )
    outbox = Outbox(workspace, now)
    for reward in granted:
        outbox.reward("referral.reward_granted", reward, again=f":unmerged:{undo.merge_id}")
    work.publish_all(outbox.messages)


async def erase_customers(work: Work, workspace: str, ids: Sequence[str], erasure_id: str) -> None:
    """Pseudonymise the ledger and delete identifiers; the erasure lasts (runtime.erasures)."""
    await lifecycle_store.erase(work.conn, workspace, ids, erasure_id)
    await merges.forget(work.conn, workspace, ids)
    await erasures.record(work.conn, workspace, ids)
