"""Budgets of sales documents: lead rules and quotes bounded to what the columns and encoders hold."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from contracts.codec import field_errors
from services.sales.domain.lead_score import DEFAULT_RULES, LeadRules
from services.sales.domain.quotes import MAX_TOTAL, QuoteLine, subtotal_problem, totals
from services.sales.domain.workspace import SalesSettings


def refused(model: Any, document: Any) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(document)
    return [e["field"] for e in field_errors(raised.value)]


def with_rule(when: dict[str, Any]) -> dict[str, Any]:
    return {"rules": [{"id": "r", "description": "d", "points": 1, "when": when}]}


def test_the_default_rules_fit() -> None:
    LeadRules.model_validate(DEFAULT_RULES.model_dump(mode="json"))


@pytest.mark.parametrize("count", [2**31, 2**63 - 1, "9" * 40])
def test_lead_rule_counts_are_bounded_to_an_integer_column(count: Any) -> None:
    for kind in ("visits_at_least", "purchases_at_least"):
        assert refused(LeadRules, with_rule({"kind": kind, "count": count})) == [f"rules.0.when.{kind}.count"]
    LeadRules.model_validate(with_rule({"kind": "visits_at_least", "count": 2**31 - 1}))


@pytest.mark.parametrize("value", ["v" * 5000, [[[[[[[[["deep"]]]]]]]]], 2**64])
def test_a_trait_rule_value_is_bounded(value: Any) -> None:
    when = {"kind": "trait_equals", "trait": "plan", "value": value}
    assert refused(LeadRules, with_rule(when)) == ["rules.0.when.trait_equals.value"]


def test_rule_lists_are_bounded() -> None:
    many = {"kind": "rfm_segment_in", "segments": ["Champions"] * 21}
    assert refused(LeadRules, with_rule(many)) == ["rules.0.when.rfm_segment_in.segments"]
    settings = {"high_value_segments": ["Champions"] * 21}
    assert refused(SalesSettings, settings) == ["high_value_segments"]


def test_a_quote_whose_subtotal_no_column_holds_is_refused() -> None:
    line = QuoteLine(sku="x", quantity=1_000_000, unit_price=Decimal("999999999999.9999"))
    assert subtotal_problem([line]) is None
    assert totals([line], Decimal(0))[0] <= MAX_TOTAL
    bigger = QuoteLine(sku="x", quantity=1_000_000, unit_price=Decimal("1000000000000"))
    assert subtotal_problem([bigger]) == f"the lines add up to more than {MAX_TOTAL}"
