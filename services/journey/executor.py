"""Persist what the engine decided and perform its actions, in the caller's transaction.

Each planned action is first claimed by its action id (enrolment and step): an action claimed before
(a batch redelivered after a crash, a timer that fires again) is not performed twice. Webhooks become
deliveries (sent by the delivery loop, with the action id as Idempotency-Key); everything else is an
event on `flywheel.journey.actions` whose id is the action id, so consumers de-duplicate too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import orjson
from prometheus_client import Counter

from contracts.topics import JOURNEY_ACTIONS, JOURNEY_ENROLMENTS
from runtime.db import Connection
from runtime.outbox import EventBatch, OutboundMessage
from services.journey import store
from services.journey.domain.engine import Advance, Enrolment, PlannedAction
from services.journey.domain.model import MESSAGE_KINDS

SOURCE = "flywheel.journey"
ACTION_EVENT_TYPES = {
    "sales_task": "sales.task_requested",
    "tag": "profile.tags_requested",
    "set_attribute": "profile.attribute_requested",
    "coupon": "coupon.granted",
    "referral_invite": "referral.invite_requested",
}
ENDED = {"converted": "journey.converted", "exited": "journey.exited", "completed": "journey.exited"}

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
class Execution:
    """What one transaction's engine calls decided, written at the end with a few set-based statements."""

    workspace: str
    now: dt.datetime
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    planned: list[tuple[PlannedAction, Enrolment]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.events = EventBatch(SOURCE, self.workspace, self.now)

    def entered(self, enrolment: Enrolment) -> None:
        self._event(JOURNEY_ENROLMENTS, "journey.entered", f"journey.entered:{enrolment.enrolment_id}", enrolment, {})

    def apply(self, advance: Advance, reason: str | None = None) -> None:
        enrolment = advance.enrolment
        if advance.conversion is not None:
            reason = f"goal: {advance.conversion.event_id}"
        elif enrolment.status == "completed":
            reason = "completed"
        self.rows[enrolment.enrolment_id] = enrolment_row(enrolment, self.now, reason)
        self.planned += [(action, enrolment) for action in advance.actions]
        if enrolment.status in ENDED:
            event_type = ENDED[enrolment.status]
            extra = {"reason": reason or enrolment.status}
            self._event(JOURNEY_ENROLMENTS, event_type, f"{event_type}:{enrolment.enrolment_id}", enrolment, extra)

    async def flush(self, conn: Connection) -> list[OutboundMessage]:
        await store.save_enrolments(conn, self.workspace, list(self.rows.values()))
        claims = [(a.action_id, e.enrolment_id, a.kind) for a, e in self.planned]
        fresh = await store.claim_actions(conn, self.workspace, claims)
        count_actions([(a.kind, a.action_id in fresh) for a, _ in self.planned])
        deliveries, messages = [], []
        for action, enrolment in self.planned:
            if action.action_id not in fresh:
                continue
            if action.kind in MESSAGE_KINDS:
                messages.append((enrolment.customer_id, action.action_id))
            if action.kind == "webhook":
                body = _webhook_body(self.workspace, action, enrolment)
                ids = (action.action_id, enrolment.enrolment_id, enrolment.journey_id, enrolment.customer_id)
                deliveries.append((*ids, body))
            else:
                data = {**_action_data(action.kind, action.payload), "step_id": action.step_id}
                self._event(JOURNEY_ACTIONS, ACTION_EVENT_TYPES[action.kind], action.action_id, enrolment, data)
        await store.add_deliveries(conn, self.workspace, deliveries, self.now)
        await store.record_messages(conn, self.workspace, messages, self.now)
        return self.events.messages

    def _event(self, topic: str, event_type: str, event_id: str, enrolment: Enrolment, data: dict[str, Any]) -> None:
        origin = {
            "customer_id": enrolment.customer_id,
            "journey_id": enrolment.journey_id,
            "journey_version": enrolment.version,
            "enrolment_id": enrolment.enrolment_id,
        }
        if topic == JOURNEY_ENROLMENTS:
            origin |= {"variant": enrolment.variant, "holdout": enrolment.holdout}
        data = {k: v for k, v in {**origin, **data}.items() if v is not None}
        self.events.add(topic, event_type, event_id, enrolment.customer_id, data)


def _action_data(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The engine's rendered action as its event's data (contracts/journey.py)."""
    if kind == "sales_task":
        return {**payload, "reason": payload.get("reason") or ""}
    if kind == "tag":
        return {"add" if payload["op"] == "add" else "remove": [payload["tag"]]}
    if kind == "coupon":
        amount = payload.get("value")
        return {
            "code": payload["code"],
            "amount": None if amount is None else str(amount),
            "percent": payload.get("percent"),
            "valid_until": payload.get("valid_until"),
        }
    return payload


def _webhook_body(workspace: str, action: PlannedAction, enrolment: Enrolment) -> bytes:
    payload = action.payload
    return orjson.dumps(
        {
            "delivery_id": action.action_id,
            "workspace": workspace,
            "customer_id": enrolment.customer_id,
            "journey": {"id": enrolment.journey_id, "version": enrolment.version, "variant": enrolment.variant},
            "step": action.step_id,
            "channel": payload.get("channel"),
            "subject": payload.get("subject"),
            "message": payload.get("body"),
            "data": payload.get("data"),
        }
    )
