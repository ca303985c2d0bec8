"""Journey's events are validated by their contract models as they are built, and written as built."""

from __future__ import annotations

import datetime as dt

import orjson
import pytest
from pydantic import ValidationError

from contracts.codec import Decoder
from contracts.journey import JOURNEY_ACTION_TYPES, JOURNEY_ENROLMENT_TYPES
from services.journey.domain.engine import Enrolment, PlannedAction
from services.journey.domain.model import CouponAction, PointsAction, TagAction
from services.journey.events import ACTION_EVENT_TYPES, DATA_MODELS, JourneyEvents

NOW = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
ENROLMENT = Enrolment("en_1", "j_1", 1, "c_1", "s_1", "converted", None, False, NOW)
decode = Decoder({**JOURNEY_ACTION_TYPES, **JOURNEY_ENROLMENT_TYPES})


def test_every_event_journey_publishes_has_a_contract_model() -> None:
    assert set(ACTION_EVENT_TYPES.values()) | {"journey.entered", "journey.converted", "journey.exited"} == set(
        DATA_MODELS
    )


def test_built_events_decode_as_their_contract_says() -> None:
    events = JourneyEvents("acme", NOW)
    events.entered(ENROLMENT)
    events.ended(ENROLMENT, "goal: purchase")
    tag = TagAction(kind="tag", op="add", tag="vip")
    events.action(PlannedAction("a_1", "s_1", "tag", tag, {"op": "add", "tag": "vip"}), ENROLMENT)
    decoded = [decode(m.value) for m in events.messages if m.value is not None]
    assert [e.type for e in decoded] == ["journey.entered", "journey.converted", "profile.tags_requested"]
    assert orjson.loads(events.messages[2].value or b"")["data"]["add"] == ["vip"]


def test_an_event_its_contract_refuses_is_not_built() -> None:
    events = JourneyEvents("acme", NOW)
    with pytest.raises(ValidationError):
        coupon = CouponAction(kind="coupon", code="X")
        events.action(PlannedAction("a_1", "s_1", "coupon", coupon, {"code": "", "percent": 500}), ENROLMENT)
    assert events.messages == []


def test_a_points_action_is_a_points_request_with_the_action_id() -> None:
    events = JourneyEvents("acme", NOW)
    points = PointsAction(kind="points", points=300, reason="birthday treat")
    events.action(PlannedAction("a_7", "s_1", "points", points, {"points": 300, "reason": "birthday treat"}), ENROLMENT)
    (message,) = events.messages
    decoded = decode(message.value or b"")
    assert decoded.type == "loyalty.points_requested"
    assert decoded.id == "a_7"
    assert orjson.loads(message.value or b"")["data"]["points"] == 300
