"""Scoring, referral, journey and loyalty write their events' envelopes directly (runtime.outbox.EventBatch: a refit
can announce hundreds of thousands of changes, so the envelope is not built through a model per event). The
shape is proven here instead: every event type each batch can emit, as written, is accepted by its topic's
contract envelope model (contracts/topics.py TOPICS[...].messages) and carries no field the model does not
declare; and every event type those topics list is emitted by some method of the batch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import orjson
import pytest
from pydantic import BaseModel

from contracts.envelope import Envelope
from contracts.loyalty import (
    PointsChangedData,
    PointsEarnedData,
    PointsExpiredData,
    PointsExpiringData,
    PointsRedeemedData,
    TierChangedData,
)
from contracts.referral import CodeIssuedData
from contracts.scoring import CustomerDormantData
from contracts.topics import TOPICS
from runtime.outbox import EventBatch, OutboundMessage
from services.journey.domain.engine import Enrolment, PlannedAction
from services.journey.domain.model import (
    Action,
    CouponAction,
    PointsAction,
    ReferralInviteAction,
    SalesTaskAction,
    SetAttributeAction,
    TagAction,
)
from services.journey.events import JourneyEvents
from services.loyalty.events import LoyaltyEvents
from services.referral.domain.engine import Attribution, RewardEntry
from services.referral.events import Outbox
from services.scoring.events import ScoreChanges

NOW = dt.datetime(2026, 3, 1, 12, 30, tzinfo=dt.UTC)
BEFORE = NOW - dt.timedelta(days=40)
WS = "acme"


def every_score_change() -> EventBatch:
    changes = ScoreChanges(WS, NOW)
    changes.rfm_segment("c1", None, "New", (1, 1, 2))
    changes.rfm_segment("c2", "Champions", "At Risk", (2, 4, 5))
    changes.churn_risk("c3", None, "high", None, ["no visit in 30 days"])
    changes.churn_risk("c4", "low", "medium", 0.41, [])
    changes.segment(True, "c5", "seg_1", "VIPs")
    changes.segment(False, "c6", "seg_1", "VIPs")
    dormant = CustomerDormantData(
        customer_id="c7", last_purchase_at=BEFORE, days_since_last_purchase=40, threshold_days=30, rule="usual_gap"
    )
    changes.dormant(dormant, NOW)
    changes.reactivated("c8", BEFORE, NOW)
    changes.scores("c9", (None, None), (0.81, Decimal("120.00")))
    return changes


def every_referral_event() -> EventBatch:
    outbox = Outbox(WS, NOW)
    outbox.code_issued("code:1", CodeIssuedData(customer_id="c1", program_id="p1", code="REF-1", created=True))
    outbox.code_issued(
        "code:2",
        CodeIssuedData(
            customer_id="c1", program_id="p1", code="REF-1", created=False, channel="email", journey_id="j1",
            enrolment_id="en1",
        ),
    )  # fmt: skip
    outbox.attributed(Attribution("c2", "p1", "c1", "REF-1", BEFORE, NOW, "signed_up"))
    outbox.attributed(Attribution("c3", "p1", "c1", "REF-1", BEFORE, NOW, "rejected", reason="self-referral"))
    for status, kind, value in (("granted", "amount", "10"), ("held", "percent", "12.5"), ("reversed", "points", "5")):
        reward = RewardEntry(
            f"r_{status}", "p1", "c1", "referrer", kind, Decimal(value), "first_purchase", "c1", "c2", status,  # type: ignore[arg-type]
            None if status == "granted" else "fraud check", NOW, tier=None, order_id="o1",
        )  # fmt: skip
        outbox.reward(f"referral.reward_{status}", reward)
    outbox.reward("referral.reward_held", RewardEntry(
        "r_tier", "p1", "c1", "referrer", "amount", Decimal("25"), "tier", "c1", None, "held", None, NOW, tier="gold"
    ))  # fmt: skip
    return outbox


def _planned(action_id: str, action: Action, payload: dict[str, Any]) -> PlannedAction:
    return PlannedAction(action_id, "step_1", action.kind, action, payload)


def every_journey_event() -> EventBatch:
    live = Enrolment("en_1", "j_1", 3, "c1", "step_1", "active", "B", False, BEFORE, seq=2)
    events = JourneyEvents(WS, NOW)
    events.entered(live)
    events.entered(Enrolment("en_2", "j_1", 3, "c2", "step_1", "active", None, True, BEFORE))
    for status in ("converted", "exited", "completed"):
        ended = Enrolment(f"en_{status}", "j_1", 3, "c1", "done", status, "A", False, BEFORE)
        events.ended(ended, None)
        events.ended(ended, "goal: purchase")
    due = (NOW + dt.timedelta(days=2)).isoformat()
    task = SalesTaskAction(kind="sales_task", title="Call {{traits.first_name}}", due_in="2d")
    events.action(_planned("a1", task, {"title": "Call Ada", "assignee_rule": "customer_owner", "team": None,
                                        "due_at": due, "reason": None}), live)  # fmt: skip
    events.action(_planned("a2", task, {"title": "Call Ada", "assignee_rule": "round_robin", "team": "emea",
                                        "due_at": due, "reason": "dormant"}), live)  # fmt: skip
    events.action(_planned("a3", TagAction(kind="tag", op="add", tag="vip"), {"op": "add", "tag": "vip"}), live)
    events.action(_planned("a4", TagAction(kind="tag", op="remove", tag="vip"), {"op": "remove", "tag": "vip"}), live)
    attribute = SetAttributeAction(kind="set_attribute", name="tier", value={"level": 2})
    events.action(_planned("a5", attribute, {"name": "tier", "value": {"level": 2}}), live)
    coupon = CouponAction(kind="coupon", code_prefix="WB-", value=Decimal("10.50"), valid_for="30d")
    valid_until = (NOW + dt.timedelta(days=30)).isoformat()
    events.action(_planned("a6", coupon, {"code": "WB-1", "value": Decimal("10.50"), "percent": None,
                                          "valid_until": valid_until}), live)  # fmt: skip
    percent = CouponAction(kind="coupon", code="SPRING", percent=15, valid_for="30d")
    events.action(_planned("a7", percent, {"code": "SPRING", "value": None, "percent": 15.0,
                                           "valid_until": valid_until}), live)  # fmt: skip
    invite = ReferralInviteAction(kind="referral_invite", program_id="p1", channel="sms")
    events.action(_planned("a8", invite, {"program_id": "p1", "channel": "sms"}), live)
    events.action(_planned("a9", invite, {"program_id": "p1", "channel": None}), live)
    points = PointsAction(kind="points", points=250, reason="win-back bonus")
    events.action(_planned("a10", points, {"points": 250, "reason": "win-back bonus"}), live)
    return events


def every_loyalty_event() -> EventBatch:
    events = LoyaltyEvents(WS, NOW)
    base = {"customer_id": "c1", "balance": 120, "program_version": 2}
    events.earned(PointsEarnedData(**base, entry_id="earn:order:o-1", points=120, reason="purchase", order_id="o-1",
                                   expires_at=NOW + dt.timedelta(days=730)))  # fmt: skip
    events.earned(PointsEarnedData(**base, entry_id="journey:a1", points=50, reason="journey"))
    events.redeemed(PointsRedeemedData(**base, entry_id="redeem:rd_1", redemption_id="rd_1", points=500,
                                       order_id="o-2", value="5.00", currency="EUR"))  # fmt: skip
    events.reversed(PointsChangedData(**{**base, "balance": -10}, entry_id="reverse:refund:o-1:t:40", points=-48,
                                      reason="refund of order o-1 (40 of 100)", order_id="o-1"))  # fmt: skip
    events.reversed(PointsChangedData(**{**base, "balance": 0}, entry_id="reverse:referral:r1", points=-10,
                                      reason="referral reward r1 reversed", debt=10))  # fmt: skip
    events.adjusted(PointsChangedData(**base, entry_id="merge:c9", points=70, reason="merge of c9 into c1"))
    events.expiring(PointsExpiringData(**base, lot_id="earn:order:o-1", points=120, expires_at=NOW))
    events.expired(PointsExpiredData(**base, entry_id="expire:earn:order:o-1", lot_id="earn:order:o-1", points=120))
    events.tier_changed(TierChangedData(**base, previous=None, current="silver", direction="up",
                                        qualifying_value="520.00", reason="spend 520.00 reached silver (500)"),
                        NOW)  # fmt: skip
    events.tier_changed(TierChangedData(**base, previous="gold", current="silver", direction="down",
                                        qualifying_value="600", reason="below gold at the anniversary and grace"),
                        NOW)  # fmt: skip
    return events


EMITTERS: dict[type[EventBatch], Callable[[], EventBatch]] = {
    ScoreChanges: every_score_change,
    Outbox: every_referral_event,
    JourneyEvents: every_journey_event,
    LoyaltyEvents: every_loyalty_event,
}
TOPIC = {topic.name: topic for topic in TOPICS}


def _subclasses(kind: type[EventBatch]) -> set[type[EventBatch]]:
    return {sub for direct in kind.__subclasses__() for sub in {direct, *_subclasses(direct)}}


def test_every_event_batch_is_proven_here() -> None:
    assert _subclasses(EventBatch) == set(EMITTERS)


def _undeclared(model: type[BaseModel], written: dict[str, Any]) -> set[str]:
    return set(written) - set(model.model_fields)


def _contract_of(message: OutboundMessage) -> tuple[type[Envelope], dict[str, Any]]:
    assert message.value is not None
    written = orjson.loads(message.value)
    return TOPIC[message.topic].messages[written["type"]], written


@pytest.mark.parametrize("batch", EMITTERS, ids=lambda kind: kind.__name__)
def test_every_event_a_batch_writes_is_its_topics_contract_envelope(batch: type[EventBatch]) -> None:
    messages = EMITTERS[batch]().messages
    assert messages
    for message in messages:
        model, written = _contract_of(message)
        envelope = model.model_validate_json(message.value or b"")  # the contract accepts the bytes as written
        data_model = type(envelope.data)
        assert isinstance(envelope.data, BaseModel), model
        assert _undeclared(model, written) == set(), model  # and they say nothing it does not declare
        assert _undeclared(data_model, written["data"]) == set(), model
        assert (envelope.workspace, envelope.source, envelope.time) == (WS, written["source"], NOW)
        assert message.key == f"{WS}:{message_customer(envelope)}".encode()


def message_customer(envelope: Envelope) -> str:
    """The customer an event is keyed by: the referrer for an attribution, else the data's customer."""
    data = envelope.data
    return str(data.referrer_id if envelope.type == "referral.attributed" else data.customer_id)


@pytest.mark.parametrize("batch", EMITTERS, ids=lambda kind: kind.__name__)
def test_a_batch_emits_every_event_type_its_topics_carry(batch: type[EventBatch]) -> None:
    messages = EMITTERS[batch]().messages
    emitted = {_contract_of(m)[1]["type"] for m in messages}
    carried = {event_type for name in {m.topic for m in messages} for event_type in TOPIC[name].messages}
    assert emitted == carried
