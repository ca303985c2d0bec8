"""Built-in journey templates: every one is a valid journey with defaults and with parameters, and
their triggers fire on the events they are meant for."""

from __future__ import annotations

import datetime as dt
import inspect
from typing import Any

import pytest

from services.journey.domain.conditions import CustomerFacts, EventFacts
from services.journey.domain.document import InvalidJourney, journey_json, parse_journey
from services.journey.domain.engine import CapState, advance, start_enrolment
from services.journey.domain.templates import TEMPLATES, instantiate
from services.journey.domain.triggers import trigger_matches

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
FACTS = CustomerFacts("c-1", traits={"first_name": "Ada"}, event_counts={"purchase": 1})


def event(type_: str, **data: Any) -> EventFacts:
    return EventFacts("e-1", type_, T0, data)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_template_is_a_valid_journey_that_round_trips(name: str) -> None:
    template = TEMPLATES[name]
    assert template.name == name and template.description
    journey = parse_journey(instantiate(name))
    assert parse_journey(journey_json(journey)) == journey
    signature = inspect.signature(template.build)
    assert [p.name for p in template.parameters] == list(signature.parameters)
    assert all(p.default == signature.parameters[p.name].default for p in template.parameters)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_template_runs_from_entry_to_a_wait_or_the_end(name: str) -> None:
    journey = parse_journey(instantiate(name, {"timezone": "Asia/Shanghai", "channel": "wechat"}))
    enrolment = start_enrolment(journey, enrolment_id="e", journey_id=name, version=1, customer_id="c-1", now=T0)
    result = advance(journey, enrolment, FACTS, T0, CapState())
    assert result.enrolment.status in ("waiting", "completed")


def test_parameters_are_checked() -> None:
    with pytest.raises(InvalidJourney) as raised:
        instantiate("cross_sell", {"category": 3, "colour": "red"})
    assert {e["field"] for e in raised.value.errors} == {"parameters.category", "parameters.colour"}
    with pytest.raises(KeyError):
        instantiate("nope")
    with pytest.raises(InvalidJourney) as raised:
        parse_journey(instantiate("dormant_reactivation", {"purchase_wait": "three days"}))
    assert [e["field"] for e in raised.value.errors] == ["steps.wait_purchase.timeout"]


def test_dormant_reactivation_shape() -> None:
    journey = parse_journey(instantiate("dormant_reactivation"))
    assert trigger_matches(journey.trigger, event("customer.dormant"), FACTS)
    assert journey.goal is not None and journey.goal.event == "purchase"
    assert [journey.steps[s].type for s in journey.steps] == ["action", "wait", "action", "wait", "action", "exit"]


def test_welcome_fires_on_a_first_purchase_only() -> None:
    trigger = parse_journey(instantiate("welcome_and_second_purchase")).trigger
    assert trigger_matches(trigger, event("purchase"), FACTS)
    assert not trigger_matches(trigger, event("purchase"), CustomerFacts("c-1", event_counts={"purchase": 2}))


def test_churn_save_fires_when_risk_turns_high() -> None:
    trigger = parse_journey(instantiate("churn_save")).trigger
    assert trigger_matches(trigger, event("churn.risk_changed", previous="medium", current="high"), FACTS)
    assert not trigger_matches(trigger, event("churn.risk_changed", previous="high", current="medium"), FACTS)


def test_cross_sell_fires_on_a_purchase_in_the_category() -> None:
    trigger = parse_journey(instantiate("cross_sell", {"category": "tents", "recommend_category": "mats"})).trigger
    items = [{"sku": "a", "category": "food"}, {"sku": "b", "category": "tents"}]
    assert trigger_matches(trigger, event("purchase", items=items), FACTS)
    assert not trigger_matches(trigger, event("purchase", items=items[:1]), FACTS)


def test_referral_invite_fires_on_promoters_or_new_champions() -> None:
    trigger = parse_journey(instantiate("referral_invite_to_promoters")).trigger
    assert trigger_matches(trigger, event("survey", nps=10, survey_id="nps-q4"), FACTS)
    assert trigger_matches(trigger, event("survey", nps=9), FACTS)
    assert not trigger_matches(trigger, event("survey", nps=8), FACTS)
    assert not trigger_matches(trigger, event("survey", csat=5), FACTS)
    stricter = parse_journey(instantiate("referral_invite_to_promoters", {"min_nps": 10})).trigger
    assert not trigger_matches(stricter, event("survey", nps=9), FACTS)
    assert trigger_matches(stricter, event("survey", nps=10), FACTS)
    assert trigger_matches(trigger, event("ticket", nps=9, status="closed"), FACTS)
    assert not trigger_matches(trigger, event("ticket", nps=8, status="closed"), FACTS)
    assert not trigger_matches(trigger, event("ticket", nps=10, status="opened"), FACTS)
    assert trigger_matches(trigger, event("rfm.segment_changed", previous="Loyal", current="Champions"), FACTS)


def test_membership_nudge_fires_near_the_next_tier() -> None:
    trigger = parse_journey(instantiate("membership_tier_upgrade_nudge")).trigger
    close = CustomerFacts("c-1", traits={"membership_tier": "silver"}, stats={"revenue": "450.00"})
    far = CustomerFacts("c-1", traits={"membership_tier": "silver"}, stats={"revenue": "120.00"})
    assert trigger_matches(trigger, event("purchase"), close)
    assert not trigger_matches(trigger, event("purchase"), far)
