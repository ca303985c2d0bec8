"""Sales domain: assignee rules, quote approval, lead scores and co-purchase suggestions."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from services.sales.domain.assignment import Assigner, RoundRobin
from services.sales.domain.cross_sell import co_purchase_counts, suggestions
from services.sales.domain.lead_score import DEFAULT_RULES, LeadFacts, LeadRules, score
from services.sales.domain.quotes import QuoteLine, QuoteRuleError, check_accept, decide, initial_status, totals
from services.sales.domain.workspace import SalesSettings

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def test_round_robin_takes_members_in_turn_and_wraps() -> None:
    team = RoundRobin(["ana", "ben", "cem"], next_index=1)
    assert [team.take() for _ in range(5)] == ["ben", "cem", "ana", "ben", "cem"]
    assert team.next_index == 0
    assert RoundRobin([]).take() is None


def test_assignee_rules_fall_back_to_unassigned() -> None:
    assigner = Assigner(owners={"c1": "olga"}, teams={"advisors": RoundRobin(["ana", "ben"])})
    assert assigner.assignee("customer_owner", "c1", None) == "olga"
    assert assigner.assignee("customer_owner", "c2", None) is None  # no owner
    assert assigner.assignee("round_robin", "c1", "advisors") == "ana"
    assert assigner.assignee("round_robin", "c2", "advisors") == "ben"
    assert assigner.assignee("round_robin", "c3", "advisors") == "ana"
    assert assigner.assignee("round_robin", "c1", "unknown-team") is None
    assert assigner.assignee("round_robin", "c1", None) is None


def test_quote_totals_apply_the_discount_to_cents() -> None:
    lines = [QuoteLine(sku="a", quantity=3, unit_price=Decimal("19.99")), QuoteLine(sku="b", quantity=1, unit_price=10)]
    assert totals(lines, Decimal("12.5")) == (Decimal("69.97"), Decimal("61.22"))


def test_a_discount_above_the_threshold_waits_for_a_manager() -> None:
    assert initial_status(Decimal("15"), Decimal("15")) == "open"
    assert initial_status(Decimal("15.01"), Decimal("15")) == "pending_approval"
    with pytest.raises(QuoteRuleError) as refused:
        check_accept("pending_approval")
    assert refused.value.status == 409
    with pytest.raises(QuoteRuleError):
        check_accept("rejected")
    assert check_accept("open") and check_accept("approved")
    assert check_accept("accepted") is False  # accepting twice changes nothing


def test_only_a_manager_decides_and_only_a_pending_quote() -> None:
    with pytest.raises(QuoteRuleError) as refused:
        decide("pending_approval", "approved", "sam", ["maria"])
    assert refused.value.status == 403
    assert decide("pending_approval", "approved", "maria", ["maria"]) is True
    assert decide("approved", "approved", "maria", ["maria"]) is False
    with pytest.raises(QuoteRuleError) as conflict:
        decide("approved", "rejected", "maria", ["maria"])
    assert conflict.value.status == 409
    with pytest.raises(QuoteRuleError):
        decide("open", "approved", "maria", ["maria"])


def test_a_lead_score_lists_every_rule_with_its_points() -> None:
    facts = LeadFacts(
        visits=7,
        purchases=1,
        revenue=Decimal("1500"),
        last_activity_at=NOW - dt.timedelta(days=3),
        traits={"company": "Acme"},
        rfm_segment="Champions",
        churn_band="high",
    )
    total, explained = score(DEFAULT_RULES, facts, NOW)
    points = {r.rule_id: r.points for r in explained}
    assert points == {
        "engaged": 15,
        "recent": 20,
        "repeat_buyer": 0,
        "big_spender": 20,
        "company": 10,
        "top_segment": 25,
        "churning": -20,
    }
    assert total == sum(points.values()) == 70
    by_id = {r.rule_id: r for r in explained}
    assert by_id["engaged"].detail == "7 visit(s)" and by_id["recent"].detail == "last active 3.0 day(s) ago"
    assert not by_id["repeat_buyer"].matched and by_id["repeat_buyer"].detail == "1 purchase(s)"


def test_lead_rules_are_data_a_workspace_replaces() -> None:
    rules = LeadRules.model_validate(
        {
            "rules": [
                {"id": "vip", "description": "VIP", "points": 50,
                 "when": {"kind": "trait_equals", "trait": "tier", "value": "vip"}},
                {"id": "active", "description": "Active this week", "points": 5,
                 "when": {"kind": "active_within_days", "days": 7}},
            ]
        }
    )  # fmt: skip
    assert score(rules, LeadFacts(traits={"tier": "vip"}), NOW)[0] == 50
    assert score(rules, LeadFacts(), NOW)[1][1].detail == "no activity seen"
    with pytest.raises(ValueError, match="unique"):
        LeadRules.model_validate({"rules": [rules.rules[0].model_dump(), rules.rules[0].model_dump()]})
    with pytest.raises(ValueError):
        LeadRules.model_validate({"rules": [{"id": "x", "description": "x", "points": 1, "when": {"kind": "magic"}}]})


def test_high_value_is_a_segment_or_revenue() -> None:
    settings = SalesSettings()
    assert settings.is_high_value("Can't Lose Them", Decimal(0))
    assert settings.is_high_value(None, Decimal(1000))
    assert not settings.is_high_value("New", Decimal("999.99"))


def test_co_purchase_counts_and_rule_measures() -> None:
    items, pairs, customers = co_purchase_counts([{"a", "b"}, {"a", "b", "c"}, {"a"}, {"c"}])
    assert customers == 4 and items == {"a": 3, "b": 2, "c": 2}
    assert pairs[("a", "b")] == pairs[("b", "a")] == 2 and ("b", "b") not in pairs
    rule = next(s for s in suggestions(items, pairs, customers) if (s.antecedent, s.consequent) == ("b", "a"))
    assert rule.support == 0.5 and rule.confidence == 1.0 and rule.lift == pytest.approx(4 / 3)
    only_a = suggestions(items, pairs, customers, category="a")
    assert {s.antecedent for s in only_a} == {"a"}
    assert suggestions(items, pairs, customers, min_support=0.3) == [
        s for s in suggestions(items, pairs, customers) if s.support >= 0.3
    ]


def test_planted_category_pairs_come_out_on_top_by_lift() -> None:
    rng = random.Random(7)
    noise = [f"n{i}" for i in range(20)]
    planted = [("espresso", "descaler"), ("tent", "sleeping-bag"), ("yoga-mat", "yoga-block")]
    baskets = []
    for _ in range(3000):
        basket = set(rng.sample(noise, rng.randint(1, 3)))
        for a, b in planted:
            if rng.random() < 0.08:
                basket |= {a, b} if rng.random() < 0.9 else {a}
        baskets.append(basket)
    found = suggestions(*co_purchase_counts(baskets), min_customers=5)
    top = {frozenset((s.antecedent, s.consequent)) for s in found[:6]}
    assert top == {frozenset(p) for p in planted}
