"""The journey document: validation errors point at the bad place, the graph is checked, JSON round-trips;
and the condition evaluator journeys use on events and customer facts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import TypeAdapter

from services.journey.domain.conditions import CustomerFacts, EventFacts, RootCondition, evaluate
from services.journey.domain.document import (
    MAX_STEPS,
    MAX_TEMPLATE_LENGTH,
    InvalidJourney,
    journey_json,
    parse_journey,
)
from services.journey.domain.facts import FactsRecord
from services.journey.domain.placeholders import render
from services.journey.domain.schedule import parse_duration
from tests.samples.journeys import WEBHOOK, journey


def errors_of(doc: object) -> list[dict[str, str]]:
    with pytest.raises(InvalidJourney) as raised:
        parse_journey(doc)
    return raised.value.errors


def fields_of(doc: object) -> list[str]:
    return [e["field"] for e in errors_of(doc)]


def test_a_valid_journey_round_trips() -> None:
    parsed = parse_journey(journey())
    assert parse_journey(journey_json(parsed)) == parsed
    assert journey_json(parsed)["steps"]["offer"]["action"]["template"] == WEBHOOK["template"]
    assert parse_journey(parsed) == parsed


def test_an_unknown_next_step_is_named_at_its_place() -> None:
    doc = journey()
    doc["steps"]["offer"]["next"] = "ofer"
    assert errors_of(doc) == [{"field": "steps.offer.next", "message": "unknown step 'ofer'"}]


def test_an_unknown_entry_step() -> None:
    assert errors_of(journey(entry_step="start")) == [{"field": "entry_step", "message": "unknown step 'start'"}]


def test_split_weights_must_be_positive() -> None:
    doc = journey(entry_step="split")
    doc["steps"]["split"] = {
        "type": "split",
        "variants": [{"name": "a", "weight": 1, "next": "offer"}, {"name": "b", "weight": 0, "next": "done"}],
    }
    assert errors_of(doc) == [{"field": "steps.split.variants[1].weight", "message": "weights must be positive"}]


def test_every_problem_is_reported_with_its_path() -> None:
    doc = journey()
    doc["steps"]["wait"]["duration"] = "3 days"
    doc["steps"]["offer"]["action"]["channel"] = "fax"
    doc["steps"]["offer"]["action"]["template"] = "Hi {{ traits.name }} {{ eval('x') }}"
    doc["settings"] = {"timezone": "Mars/Olympus", "holdout_percent": 60}
    doc["trigger"] = {
        "type": "event",
        "event": "ticket",
        "conditions": {"field": "data.nps", "op": "gte", "value": "9"},
    }
    assert set(fields_of(doc)) == {
        "steps.wait.duration",
        "steps.offer.action.channel",
        "steps.offer.action.template",
        "settings.timezone",
        "settings.holdout_percent",
        "trigger.conditions.value",
    }


def test_an_unknown_step_type_points_at_type() -> None:
    doc = journey()
    doc["steps"]["wait"]["type"] = "wiat"
    assert fields_of(doc) == ["steps.wait.type"]


def test_wait_needs_exactly_one_kind_and_for_event_a_timeout() -> None:
    doc = journey()
    doc["steps"]["wait"] = {"type": "wait", "duration": "3d", "until_time": "09:00", "next": "done"}
    assert fields_of(doc) == ["steps.wait"]
    doc["steps"]["wait"] = {"type": "wait", "for_event": {"event": "purchase"}, "next": "done"}
    assert errors_of(doc) == [{"field": "steps.wait.timeout", "message": "required when waiting for an event"}]


def test_unreachable_steps_are_reported() -> None:
    doc = journey()
    doc["steps"]["orphan"] = {"type": "exit"}
    assert errors_of(doc) == [{"field": "steps.orphan", "message": "unreachable from entry_step"}]


def test_a_loop_without_a_wait_is_refused_but_a_loop_through_a_wait_is_fine() -> None:
    doc = journey()
    doc["steps"]["offer"]["next"] = "check"
    doc["steps"]["check"] = {
        "type": "branch",
        "branches": [{"condition": {"field": "stats.orders", "op": "gte", "value": 1}, "next": "offer"}],
        "default": "wait",
    }
    [error] = errors_of(doc)
    assert error["field"] == "steps.offer"
    assert "offer -> check -> offer" in error["message"]
    doc["steps"]["check"]["branches"][0]["next"] = "wait"
    doc["steps"]["wait"]["next"] = "offer"
    doc["steps"]["check"]["default"] = "done"
    parse_journey(doc)  # offer -> check -> wait -> offer waits every round


def test_a_journey_needs_a_reachable_exit() -> None:
    doc = journey()
    doc["steps"]["wait"]["next"] = "offer"
    del doc["steps"]["done"]
    assert errors_of(doc) == [{"field": "steps", "message": "no path from entry_step reaches an exit step"}]


def test_branches_cannot_read_event_data() -> None:
    doc = journey(entry_step="check")
    doc["steps"]["check"] = {
        "type": "branch",
        "branches": [{"condition": {"field": "data.amount", "op": "gt", "value": 10}, "next": "offer"}],
        "default": "done",
    }
    assert fields_of(doc) == ["steps.check.branches[0].condition"]


def test_settings_rules() -> None:
    assert fields_of(journey(settings={"reentry": "after_cooldown"})) == ["settings.cooldown"]
    assert fields_of(journey(settings={"quiet_hours": {"start": "21:00", "end": "21:00"}})) == [
        "settings.quiet_hours.end"
    ]
    assert fields_of(journey(settings={"frequency_cap": {"messages": 0, "per": "1d"}})) == [
        "settings.frequency_cap.messages"
    ]
    parse_journey(journey(settings={"reentry": "after_cooldown", "cooldown": "30d", "holdout_percent": 50}))


def test_triggers() -> None:
    score = {"type": "score_changed", "score": "churn_risk", "to": "Champions"}
    assert fields_of(journey(trigger=score)) == ["trigger.to"]
    score = {"type": "score_changed", "score": "rfm_segment", "from": "Loyal", "to": "Champions"}
    assert journey_json(parse_journey(journey(trigger=score)))["trigger"]["from"] == "Loyal"
    date = {"type": "date", "trait": "birthday", "offset_days": -7, "at": "10:00", "repeat": "yearly"}
    parse_journey(journey(trigger=date))
    assert fields_of(journey(trigger={**date, "at": "25:00"})) == ["trigger.at"]
    assert fields_of(journey(trigger={"type": "segment_entered"})) == ["trigger.segment_id"]
    combined = {"type": "any", "triggers": [{"type": "dormant"}, {"type": "segment_entered", "segment_id": ""}]}
    assert fields_of(journey(trigger=combined)) == ["trigger.triggers[1].segment_id"]


def test_actions() -> None:
    doc = journey()
    doc["steps"]["offer"]["action"] = {"kind": "coupon", "code": "A", "code_prefix": "B", "percent": 10}
    assert fields_of(doc) == ["steps.offer.action.code"]
    doc["steps"]["offer"]["action"] = {"kind": "sales_task", "title": "Call", "assignee_rule": "boss"}
    assert fields_of(doc) == ["steps.offer.action.assignee_rule"]
    doc["steps"]["offer"]["action"] = {"kind": "set_attribute", "name": "vip", "value": {"since": 2024}}
    parse_journey(doc)


def test_limits() -> None:
    doc = journey()
    doc["steps"]["offer"]["action"]["template"] = "x" * (MAX_TEMPLATE_LENGTH + 1)
    assert fields_of(doc) == ["steps.offer.action.template"]
    doc = journey()
    for i in range(MAX_STEPS):
        doc["steps"][f"s{i}"] = {"type": "exit"}
    assert errors_of(doc) == [{"field": "steps", "message": f"has {MAX_STEPS + 3} steps; at most {MAX_STEPS}"}]
    assert errors_of([]) == [
        {"field": "journey", "message": "Input should be a valid dictionary or instance of Journey"}
    ]


def test_condition_errors_point_inside_the_tree() -> None:
    doc = journey(goal={"event": "purchase", "conditions": {"all": [{"field": "stats.x", "op": "like", "value": 1}]}})
    assert fields_of(doc) == ["goal.conditions.all[0].op"]
    doc = journey(exit_on=[{"event": "refund", "conditions": {"not": {"field": "bogus", "op": "eq", "value": 1}}}])
    assert fields_of(doc) == ["exit_on[0].conditions.not.field"]


def test_durations() -> None:
    assert parse_duration("30m") == dt.timedelta(minutes=30)
    assert parse_duration("2w") == dt.timedelta(days=14)
    assert parse_duration("0d") is None
    assert parse_duration("3651d") is None


# --- conditions ----------------------------------------------------------------------------------

CONDITION = TypeAdapter(RootCondition)
FACTS = CustomerFacts(
    "c-1",
    traits={"city": "Berlin", "vip": True, "age": 41},
    stats={"orders": 3, "revenue": "120.50"},
    scores={"churn_risk": "high"},
    segments=frozenset({"seg_10", "seg_2"}),
    event_counts={"purchase": 1},
)
TICKET = EventFacts(
    "e-1", "ticket", dt.datetime(2026, 1, 1, tzinfo=dt.UTC), {"nps": 9, "status": "closed", "items": [{"c": "a"}]}
)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"field": "data.nps", "op": "gte", "value": 9}, True),
        (
            {
                "all": [
                    {"field": "data.nps", "op": "gte", "value": 9},
                    {"field": "data.status", "op": "eq", "value": "closed"},
                ]
            },
            True,
        ),
        ({"field": "data.nps", "op": "gt", "value": 9}, False),
        ({"field": "data.items.c", "op": "eq", "value": "a"}, True),
        ({"field": "data.missing", "op": "exists"}, False),
        ({"field": "data.missing", "op": "ne", "value": 1}, True),
        ({"field": "traits.city", "op": "contains", "value": "berl"}, True),
        ({"field": "traits.city", "op": "in", "value": ["Paris", "Berlin"]}, True),
        ({"field": "traits.city", "op": "not_in", "value": ["Paris", "Berlin"]}, False),
        ({"field": "traits.vip", "op": "eq", "value": 1}, False),
        ({"field": "traits.age", "op": "eq", "value": 41.0}, True),
        ({"field": "stats.revenue", "op": "gte", "value": 100}, True),
        ({"field": "stats.revenue", "op": "eq", "value": 120.5}, False),
        ({"field": "scores.churn_risk", "op": "ne", "value": "high"}, False),
        ({"field": "scores.p_alive", "op": "not_exists"}, True),
        ({"field": "segments", "op": "contains", "value": "seg_1"}, False),
        ({"field": "segments", "op": "contains", "value": "seg_10"}, True),
        ({"field": "events.purchase.count", "op": "eq", "value": 1}, True),
        ({"field": "events.customer.dormant.count", "op": "eq", "value": 0}, True),
        (
            {
                "any": [
                    {"not": {"field": "customer_id", "op": "eq", "value": "c-1"}},
                    {"field": "stats.orders", "op": "lt", "value": 3},
                ]
            },
            False,
        ),
    ],
)
def test_conditions_evaluate_against_event_and_facts(condition: dict[str, Any], expected: bool) -> None:
    assert evaluate(CONDITION.validate_python(condition), FACTS, TICKET) is expected


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"field": "stats.revenue", "op": "eq", "value": 120.5}, True),
        ({"field": "stats.revenue", "op": "ne", "value": 120.5}, False),
        ({"field": "stats.revenue", "op": "in", "value": [99, 120.5]}, True),
        ({"field": "stats.revenue", "op": "eq", "value": 120.499}, False),
        ({"field": "stats.revenue", "op": "gt", "value": 120.499}, True),
        ({"field": "stats.revenue", "op": "lt", "value": 120.5}, False),
        ({"field": "stats.refunded", "op": "eq", "value": 0.1}, True),
        ({"field": "stats.last_order_amount", "op": "lte", "value": 1e2}, True),
        ({"field": "stats.orders", "op": "eq", "value": 3}, True),
    ],
)
def test_money_in_the_facts_compares_as_the_amount_it_holds(condition: dict[str, Any], expected: bool) -> None:
    """Journey stores money as decimal strings; conditions read it as the exact amount, as segments' numeric
    columns hold it (tests/integration/test_condition_grammar.py), and templates write it as stored."""
    stored = FactsRecord(stats={"orders": 3, "revenue": "120.50", "refunded": "0.10", "last_order_amount": "1E+2"})
    facts = stored.facts("c-1")
    assert evaluate(CONDITION.validate_python(condition), facts) is expected
    assert render("{{stats.revenue}}", facts) == "120.50"
    assert stored.stats["revenue"] == "120.50"  # the record as stored stays JSON


def test_data_fields_without_an_event_never_match() -> None:
    assert evaluate(CONDITION.validate_python({"field": "data.nps", "op": "exists"}), FACTS) is False


def test_condition_limits() -> None:
    deep: dict[str, Any] = {"field": "stats.orders", "op": "eq", "value": 1}
    for _ in range(8):
        deep = {"not": deep}
    assert fields_of(journey(goal={"event": "purchase", "conditions": deep})) == ["goal.conditions"]
