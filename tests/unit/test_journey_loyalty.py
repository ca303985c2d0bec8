"""Journeys read loyalty: its events fold into the customer's facts (the latest tier and balance by event time),
conditions read `loyalty.tier` / `loyalty.balance`, templates the expiry notice, and the `points` action asks
loyalty for points (its budget checked)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import orjson
import pytest
from pydantic import TypeAdapter

from contracts.codec import Decoder
from contracts.envelope import Envelope
from contracts.loyalty import LOYALTY_EVENT_TYPES
from services.journey.domain.conditions import EventFacts, RootCondition, evaluate
from services.journey.domain.document import InvalidJourney, parse_journey
from services.journey.domain.engine import CapState, advance, start_enrolment
from services.journey.domain.facts import FactsRecord, fold, merge_facts
from services.journey.domain.placeholders import render, template_problems
from tests.samples.journeys import journey

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
decode = Decoder(LOYALTY_EVENT_TYPES)
condition = TypeAdapter(RootCondition)


def loyalty_event(type_: str, at: dt.datetime, event_id: str = "l-1", **data: Any) -> Envelope:
    body = {
        "specversion": "1.0",
        "id": event_id,
        "source": "flywheel.loyalty",
        "type": type_,
        "time": at.isoformat(),
        "workspace": "acme",
        "data": {"customer_id": "c-1", "program_version": 1, **data},
    }
    return decode(orjson.dumps(body))


def tier_changed(at: dt.datetime, current: str | None, balance: int, previous: str | None = None) -> Envelope:
    return loyalty_event(
        "loyalty.tier_changed",
        at,
        f"tier-{current}-{at.isoformat()}",
        balance=balance,
        previous=previous,
        current=current,
        direction="up" if current is not None else "down",
        qualifying_value="1520.00",
        reason="qualifying spend reached it",
    )


def earned(at: dt.datetime, balance: int) -> Envelope:
    return loyalty_event(
        "loyalty.points_earned", at, f"earn-{at.isoformat()}", balance=balance, entry_id="earn:order:o-1",
        points=10, reason="purchase",
    )  # fmt: skip


def test_loyalty_events_keep_the_latest_tier_and_balance_by_event_time() -> None:
    record = FactsRecord()
    fold(record, tier_changed(T0, "gold", 1200, "silver"))
    fold(record, earned(T0 - dt.timedelta(days=1), 800))  # an older event arriving late
    facts = record.facts("c-1")
    assert facts.loyalty == {"tier": "gold", "balance": 1200}
    fold(record, earned(T0 + dt.timedelta(hours=1), 1300))
    fold(record, tier_changed(T0 - dt.timedelta(days=2), "silver", 500))
    assert record.facts("c-1").loyalty == {"tier": "gold", "balance": 1300}
    assert record.event_counts == {"loyalty.tier_changed": 2, "loyalty.points_earned": 2}


def test_a_tier_changed_to_none_clears_the_tier() -> None:
    record = FactsRecord()
    fold(record, tier_changed(T0, "gold", 1200, "silver"))
    fold(record, tier_changed(T0 + dt.timedelta(days=400), None, 30, "gold"))  # no tier reached after grace
    facts = record.facts("c-1")
    assert facts.loyalty == {"balance": 30}
    assert evaluate(condition.validate_python({"field": "loyalty.tier", "op": "not_exists"}), facts)
    assert not evaluate(condition.validate_python({"field": "loyalty.tier", "op": "eq", "value": "gold"}), facts)
    lost = tier_changed(T0 + dt.timedelta(days=400), None, 30, "gold")
    seen = EventFacts(lost.id, lost.type, lost.time, lost.data.model_dump(mode="json", exclude_none=True))
    for leaf, expected in (
        ({"field": "data.current", "op": "eq", "value": "gold"}, False),  # a trigger on reaching gold: not this
        ({"field": "data.current", "op": "not_exists"}, True),
        ({"field": "data.previous", "op": "eq", "value": "gold"}, True),
    ):
        assert evaluate(condition.validate_python(leaf), facts, seen) is expected
    fold(record, tier_changed(T0 + dt.timedelta(days=1), "silver", 500))  # an older change arriving late
    assert record.facts("c-1").loyalty == {"balance": 30}
    fold(record, tier_changed(T0 + dt.timedelta(days=401), "silver", 40))  # and a tier reached again
    assert record.facts("c-1").loyalty == {"tier": "silver", "balance": 40}


def test_an_expiry_notice_is_what_templates_read() -> None:
    record = FactsRecord()
    notice = loyalty_event(
        "loyalty.points_expiring", T0, balance=400, lot_id="earn:order:o-1", points=150,
        expires_at="2027-01-31T22:59:59+00:00",
    )  # fmt: skip
    fold(record, notice)
    facts = record.facts("c-1")
    text = "{{loyalty.expiring_points}} points expire on {{loyalty.expiring_at}}; {{loyalty.balance}} in all"
    assert template_problems(text) == []
    assert render(text, facts) == "150 points expire on 2027-01-31T22:59:59+00:00; 400 in all"
    assert render('{{loyalty.tier | default: "member"}}', facts) == "member"
    assert template_problems("{{loyalty.secret}}") != []


def test_a_merge_keeps_the_later_of_both_customers_loyalty() -> None:
    survivor, merged = FactsRecord(), FactsRecord()
    fold(survivor, tier_changed(T0, "silver", 300))
    fold(merged, tier_changed(T0 + dt.timedelta(days=1), "gold", 900))
    fold(merged, earned(T0 - dt.timedelta(days=1), 100))
    merge_facts(survivor, merged)
    assert survivor.facts("c-1").loyalty == {"tier": "gold", "balance": 900}
    kept = FactsRecord()
    fold(kept, earned(T0 + dt.timedelta(days=3), 50))
    merge_facts(kept, merged)
    assert kept.facts("c-1").loyalty == {"tier": "gold", "balance": 50}


@pytest.mark.parametrize(
    ("leaf", "expected"),
    [
        ({"field": "loyalty.tier", "op": "eq", "value": "gold"}, True),
        ({"field": "loyalty.tier", "op": "in", "value": ["silver", "gold"]}, True),
        ({"field": "loyalty.tier", "op": "ne", "value": "gold"}, False),
        ({"field": "loyalty.balance", "op": "gte", "value": 1000}, True),
        ({"field": "loyalty.balance", "op": "lt", "value": 1000}, False),
        ({"field": "loyalty.balance", "op": "exists"}, True),
        ({"field": "data.current", "op": "eq", "value": "gold"}, True),
    ],
)
def test_conditions_read_the_loyalty_facts(leaf: dict[str, Any], expected: bool) -> None:
    record = FactsRecord()
    event = tier_changed(T0, "gold", 1200, "silver")
    fold(record, event)
    seen = EventFacts(event.id, event.type, event.time, event.data.model_dump(mode="json"))
    assert evaluate(condition.validate_python(leaf), record.facts("c-1"), seen) is expected


def test_a_customer_loyalty_never_announced_matches_only_negations() -> None:
    facts = FactsRecord().facts("c-1")
    assert not evaluate(condition.validate_python({"field": "loyalty.tier", "op": "eq", "value": "gold"}), facts)
    assert evaluate(condition.validate_python({"field": "loyalty.tier", "op": "not_exists"}), facts)


def test_only_tier_and_balance_are_loyalty_fields_of_conditions() -> None:
    with pytest.raises(ValueError, match=r"loyalty\.tier, loyalty\.balance"):
        condition.validate_python({"field": "loyalty.expiring_points", "op": "gt", "value": 1})


def test_a_loyalty_trigger_goal_and_exit_parse() -> None:
    trigger = {
        "type": "event",
        "event": "loyalty.tier_changed",
        "conditions": {"field": "data.current", "op": "eq", "value": "gold"},
    }
    parsed = parse_journey(
        journey(
            trigger=trigger, goal={"event": "loyalty.points_redeemed"}, exit_on=[{"event": "loyalty.points_expired"}]
        )
    )
    assert parsed.goal is not None and parsed.goal.event == "loyalty.points_redeemed"


def points(**action: Any) -> dict[str, Any]:
    doc = journey()
    doc["steps"]["offer"]["action"] = {"kind": "points", **action}
    return doc


def test_the_points_action_is_budgeted() -> None:
    parse_journey(points(points=1))
    parse_journey(points(points=10**9, reason="x" * 500))
    for bad in (
        {"points": 0},
        {"points": 10**9 + 1},
        {"points": 1.5},
        {"points": "100"},
        {"points": True},
        {},
        {"points": 5, "reason": "x" * 501},
        {"points": 5, "extra": 1},
    ):
        with pytest.raises(InvalidJourney) as raised:
            parse_journey(points(**bad))
        assert all(e["field"].startswith("steps.offer.action") for e in raised.value.errors), bad


def test_the_points_action_plans_a_request_but_not_for_the_holdout() -> None:
    parsed = parse_journey(points(points=250, reason="win-back bonus"))
    enrolment = start_enrolment(parsed, enrolment_id="en", journey_id="j", version=1, customer_id="c-1", now=T0)
    (planned,) = advance(parsed, enrolment, FactsRecord().facts("c-1"), T0, CapState()).actions
    assert planned.kind == "points" and planned.payload == {"points": 250, "reason": "win-back bonus"}
    assert planned.action_id == "en:offer:points-0"
    held_out = start_enrolment(parsed, enrolment_id="en", journey_id="j", version=1, customer_id="c-1", now=T0)
    skipped = advance(parsed, replace(held_out, holdout=True), FactsRecord().facts("c-1"), T0, CapState())
    assert skipped.actions == () and [s.kind for s in skipped.skipped] == ["points"]
