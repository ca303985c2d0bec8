"""Every event journey publishes: enrolments entered and ended (`flywheel.journey.enrolments`) and the actions
its steps take (`flywheel.journey.actions`), built for one workspace at one moment. Webhook bodies are built
here too (they are sent as deliveries, not published).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
from pydantic import BaseModel

from contracts.journey import JOURNEY_ACTION_TYPES, JOURNEY_ENROLMENT_TYPES
from contracts.topics import JOURNEY_ACTIONS, JOURNEY_ENROLMENTS
from runtime.outbox import EventBatch
from services.journey.domain.engine import Enrolment, PlannedAction

SOURCE = "flywheel.journey"
ACTION_EVENT_TYPES = {
    "sales_task": "sales.task_requested",
    "tag": "profile.tags_requested",
    "set_attribute": "profile.attribute_requested",
    "coupon": "coupon.granted",
    "referral_invite": "referral.invite_requested",
    "points": "loyalty.points_requested",
}
ENDED = {"converted": "journey.converted", "exited": "journey.exited", "completed": "journey.exited"}


DATA_MODELS: dict[str, type[BaseModel]] = {
    event_type: model.model_fields["data"].annotation  # type: ignore[misc]  # every contract's data is a model
    for event_type, model in {**JOURNEY_ACTION_TYPES, **JOURNEY_ENROLMENT_TYPES}.items()
}


class JourneyEvents(EventBatch):
    def __init__(self, workspace: str, now: dt.datetime) -> None:
        super().__init__(SOURCE, workspace, now)

    def entered(self, enrolment: Enrolment) -> None:
        self._event(JOURNEY_ENROLMENTS, "journey.entered", f"journey.entered:{enrolment.enrolment_id}", enrolment, {})

    def ended(self, enrolment: Enrolment, reason: str | None) -> None:
        """`journey.converted` or `journey.exited`, once the enrolment's status is one that ends it (ENDED)."""
        event_type = ENDED[enrolment.status]
        extra = {"reason": reason or enrolment.status}
        self._event(JOURNEY_ENROLMENTS, event_type, f"{event_type}:{enrolment.enrolment_id}", enrolment, extra)

    def action(self, action: PlannedAction, enrolment: Enrolment) -> None:
        """A step's action (not a webhook) for the service that performs it; its id is the action id."""
        data = {**_action_data(action.kind, action.payload), "step_id": action.step_id}
        self._event(JOURNEY_ACTIONS, ACTION_EVENT_TYPES[action.kind], action.action_id, enrolment, data)

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
        # Validated by the event's contract model (a ValidationError fails the batch, as any bug would); the
        # dict is what is written, so the bytes keep the order consumers have always received.
        DATA_MODELS[event_type].model_validate(data)
        self.add(topic, event_type, event_id, enrolment.customer_id, data)


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


def webhook_body(workspace: str, action: PlannedAction, enrolment: Enrolment) -> bytes:
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
            "subscription_group": payload.get("subscription_group"),
            "transactional": bool(payload.get("transactional")),
            **({"survey": payload["survey"]} if "survey" in payload else {}),
        }
    )
