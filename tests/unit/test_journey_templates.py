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
from services.journey.domain.triggers import event_matches, trigger_matches

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
    trait_based = parse_journey(instantiate("membership_tier_upgrade_nudge", {"trait": "membership_tier"}))
    close = CustomerFacts("c-1", traits={"membership_tier": "silver"}, stats={"revenue": "450.00"})
    far = CustomerFacts("c-1", traits={"membership_tier": "silver"}, stats={"revenue": "120.00"})
    assert trigger_matches(trait_based.trigger, event("purchase"), close)
    assert not trigger_matches(trait_based.trigger, event("purchase"), far)
    assert trait_based.goal is not None and trait_based.goal.event == "identify"


def test_membership_nudge_reads_the_loyalty_tier_and_converts_on_the_tier_change() -> None:
    journey = parse_journey(instantiate("membership_tier_upgrade_nudge"))
    member = CustomerFacts("c-1", stats={"revenue": "450.00"}, loyalty={"tier": "silver", "balance": 900})
    trait_only = CustomerFacts("c-1", traits={"membership_tier": "silver"}, stats={"revenue": "450.00"})
    assert trigger_matches(journey.trigger, event("purchase"), member)
    assert not trigger_matches(journey.trigger, event("purchase"), trait_only)
    assert not trigger_matches(journey.trigger, event("purchase"), CustomerFacts("c-1", stats={"revenue": "450"}))
    assert journey.goal is not None and journey.goal.event == "loyalty.tier_changed"
    to_gold = event("loyalty.tier_changed", previous="silver", current="gold", direction="up")
    to_silver = event("loyalty.tier_changed", previous="bronze", current="silver", direction="up")
    assert event_matches(journey.goal, to_gold, member)
    assert not event_matches(journey.goal, to_silver, member)


def test_points_expiring_reminder_tells_how_many_expire_when_and_reminds_unless_redeemed() -> None:
    journey = parse_journey(instantiate("points_expiring_reminder", {"min_points": 50, "reminder_after": "4d"}))
    notice = event("loyalty.points_expiring", points=120, expires_at="2027-01-31T22:59:59+00:00", balance=300)
    assert trigger_matches(journey.trigger, notice, FACTS)
    assert not trigger_matches(journey.trigger, event("loyalty.points_expiring", points=20), FACTS)
    assert not trigger_matches(journey.trigger, event("loyalty.points_expired", points=120), FACTS)
    member = CustomerFacts(
        "c-1",
        traits={"first_name": "Ada"},
        loyalty={"balance": 300, "expiring_points": 120, "expiring_at": "2027-01-31T22:59:59+00:00"},
    )
    enrolment = start_enrolment(journey, enrolment_id="e", journey_id="j", version=1, customer_id="c-1", now=T0)
    first = advance(journey, enrolment, member, T0, CapState())
    (message,) = first.actions
    assert message.payload["body"] == (
        "Hi Ada, 120 of your points expire on 2027-01-31T22:59:59+00:00: use them on your next order."
    )
    assert first.enrolment.due_at == T0 + dt.timedelta(days=4)
    later = advance(journey, first.enrolment, member, T0 + dt.timedelta(days=4), CapState())
    (reminder,) = later.actions
    assert "Your balance: 300 points." in reminder.payload["body"]
    assert journey.goal is not None and journey.goal.event == "loyalty.points_redeemed"
    assert [c.event for c in journey.exit_on] == ["purchase"]
