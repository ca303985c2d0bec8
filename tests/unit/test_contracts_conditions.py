"""The condition grammar of contracts/conditions.py: its vocabulary, per-use restriction, budgets and meaning,
and that journeys and segments both take them from it (tests/integration/test_condition_grammar.py checks
that both evaluators give the same members)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from contracts.conditions import (
    FACT_READING,
    JOURNEY_OPERATORS,
    MAX_DEPTH,
    MAX_LEAVES,
    MAX_LIST_VALUES,
    MAX_TEXT_LENGTH,
    NEGATIONS,
    OPERATORS,
    SEGMENT_OPERATORS,
    TIME_OPERATORS,
    TRAIT_READING,
    AllOf,
    AnyOf,
    ConditionLeaf,
    NotOf,
    contains,
    elements_of,
    is_number,
    json_equal,
    json_key,
    lowered,
    node_kind,
    number_of,
)
from services.journey.domain import budgets as journey_budgets
from services.journey.domain import conditions as journey
from services.scoring.domain import segments


def test_journeys_have_every_operator_but_the_time_operators_and_segments_all() -> None:
    assert set(JOURNEY_OPERATORS) == set(OPERATORS) - set(TIME_OPERATORS)
    assert SEGMENT_OPERATORS == OPERATORS == segments.OPERATOR_NAMES
    assert journey.OPERATORS == JOURNEY_OPERATORS
    assert {op for ops in segments.OPERATORS.values() for op in ops} == set(OPERATORS)
    assert set(NEGATIONS) | set(NEGATIONS.values()) <= set(OPERATORS)


def test_a_time_operator_is_refused_in_a_journey_and_accepted_in_a_segment() -> None:
    doc = {"field": "stats.last_purchase_at", "op": "within_last", "value": "30d"}
    with pytest.raises(ValidationError, match="must be one of eq, ne"):
        TypeAdapter(journey.RootCondition).validate_python(doc)
    assert segments.parse_condition(doc) == segments.SegmentLeaf.model_validate(doc)


def test_both_uses_keep_the_grammars_budgets() -> None:
    assert (MAX_DEPTH, MAX_LEAVES, MAX_LIST_VALUES, MAX_TEXT_LENGTH) == (8, 100, 1000, 1000)
    assert (journey_budgets.MAX_CONDITION_DEPTH, journey_budgets.MAX_CONDITION_LEAVES) == (MAX_DEPTH, MAX_LEAVES)
    assert (journey_budgets.MAX_LIST_VALUES, journey_budgets.MAX_TEXT_LENGTH) == (MAX_LIST_VALUES, MAX_TEXT_LENGTH)
    deepest: dict[str, Any] = {"field": "stats.orders", "op": "eq", "value": 1}
    for _ in range(MAX_DEPTH - 1):
        deepest = {"not": deepest}
    TypeAdapter(journey.RootCondition).validate_python(deepest)
    segments.parse_condition(deepest)
    too_deep = {"not": deepest}
    with pytest.raises(ValidationError, match=f"deeper than {MAX_DEPTH}"):
        TypeAdapter(journey.RootCondition).validate_python(too_deep)
    with pytest.raises(segments.InvalidCondition, match=f"deeper than {MAX_DEPTH}"):
        segments.parse_condition(too_deep)


@pytest.mark.parametrize(
    ("doc", "kind"),
    [
        ({"field": "traits.a", "op": "exists"}, "leaf"),
        ({"all": []}, "all"),
        ({"any": []}, "any"),
        ({"not": {}}, "not"),
    ],
)
def test_node_kinds_of_documents_and_of_both_uses_models(doc: dict[str, Any], kind: str) -> None:
    assert node_kind(doc) == kind
    if kind == "leaf":
        assert (
            node_kind(journey.JourneyLeaf.model_validate(doc))
            == node_kind(segments.SegmentLeaf.model_validate(doc))
            == "leaf"
        )
    assert node_kind(object()) is None


def test_both_uses_build_the_grammars_tree_of_their_own_leaves() -> None:
    doc = {
        "all": [
            {"not": {"field": "traits.city", "op": "eq", "value": "Berlin"}},
            {"any": [{"field": "stats.orders", "op": "gte", "value": 2}]},
        ]
    }
    in_journey = TypeAdapter(journey.RootCondition).validate_python(doc)
    in_segment = segments.parse_condition(doc)
    for tree, leaf in ((in_journey, journey.JourneyLeaf), (in_segment, segments.SegmentLeaf)):
        assert isinstance(tree, AllOf) and isinstance(tree.all[0], NotOf) and isinstance(tree.all[1], AnyOf)
        assert isinstance(tree.all[0].not_, leaf) and isinstance(tree.all[1].any[0], leaf)
        assert issubclass(leaf, ConditionLeaf)
    assert journey.condition_json(in_journey) == segments.condition_json(in_segment) == doc


def test_contains_lower_cases_code_point_by_code_point_as_postgresql_does() -> None:
    assert lowered("BERLIN") == "berlin" and lowered("ÄRGER") == "ärger"
    assert lowered("ΟΔΟΣ") == "\u03bf\u03b4\u03bf\u03c3"  # no final-sigma rule, as pg_c_utf8's lower()
    assert lowered("İstanbul") == "istanbul"  # one code point, Unicode's simple mapping
    assert lowered("Straße") == "straße"  # lower case, not case folding: "ß" is not "ss"
    assert contains("Berlin-Mitte", "MITTE", TRAIT_READING) and not contains("Straße", "SS", TRAIT_READING)


def test_a_trait_is_the_json_its_producer_sent_and_facts_carry_money_as_decimal_strings() -> None:
    assert number_of("120.50", FACT_READING) == Decimal("120.50")
    assert number_of("120.50", TRAIT_READING) is None  # "34" is not greater than 30 in a trait
    for not_decimal in (" 42", "1e3", "1_000", "NaN", "Infinity", "", "+", "."):
        assert number_of(not_decimal, FACT_READING) is None, not_decimal
    assert number_of(0.1, TRAIT_READING) == Decimal("0.1")  # a float as the decimal JSON writes, exactly
    assert number_of(2**62 + 1, TRAIT_READING) == Decimal(2**62 + 1)
    assert number_of(True, FACT_READING) is None
    assert contains(["seg_10", "seg_2"], "seg_10", FACT_READING) and not contains(["seg_10"], "seg_1", FACT_READING)
    assert not contains(["a", "b"], "a", TRAIT_READING)  # contains does not look into a trait's list


def test_numbers_and_money_compare_by_their_exact_value() -> None:
    assert json_equal(Decimal("120.50"), 120.5) and json_equal(Decimal("0.10"), 0.1) and json_equal(Decimal(3), 3.0)
    assert not json_equal(Decimal("120.499"), 120.5) and not json_equal("120.50", 120.5)  # a string is no amount
    assert json_key(Decimal("120.50")) == json_key(120.5) and json_key(Decimal("0.1")) == json_key(0.1)
    assert json_key(2**62 + 1) != json_key(float(2**62 + 1))  # as eq: not the same number
    assert number_of(Decimal("120.50"), TRAIT_READING) == Decimal("120.5")
    assert is_number(10**400) and is_number(Decimal("1E+2"))  # any integer, however large, is a number
    assert not is_number(Decimal("NaN")) and not is_number(float("inf")) and not is_number(True)


@pytest.mark.parametrize("op", ["eq", "gt", "in"])
def test_an_integer_of_any_size_meets_each_use_s_budget_not_an_error(op: str) -> None:
    huge = 10**400  # no float holds it: a number all the same, refused by the budgets with their messages
    doc = {"field": "stats.orders", "op": op, "value": [1, huge] if op == "in" else huge}
    with pytest.raises(ValidationError, match="at most 64 bits"):
        TypeAdapter(journey.RootCondition).validate_python(doc)
    with pytest.raises(segments.InvalidCondition, match="between -10\\^15 and 10\\^15"):
        segments.parse_condition(doc)


def test_a_list_stands_for_its_elements_and_null_for_nothing() -> None:
    assert elements_of([[0, 2.5], 3, None, [None, [1]]]) == [0, 2.5, 3, [1]]
    assert elements_of([[]]) == []
    assert json_equal(1, 1.0) and not json_equal("5", 5) and not json_equal(True, 1)


@pytest.mark.parametrize(
    ("condition", "traits", "expected"),
    [
        ({"field": "traits.age", "op": "gt", "value": 30}, {"age": "34"}, False),
        ({"field": "traits.age", "op": "gt", "value": 30}, {"age": [20, 34]}, True),
        ({"field": "traits.tags", "op": "contains", "value": "a"}, {"tags": ["a", "b"]}, False),
        ({"field": "traits.tags", "op": "eq", "value": "a"}, {"tags": ["a", "b"]}, True),
        ({"field": "traits.tags", "op": "exists"}, {"tags": [None]}, False),
        ({"field": "traits.city", "op": "contains", "value": "ärg"}, {"city": "ÄRGER"}, True),
    ],
)
def test_journeys_read_traits_as_segments_do(condition: dict[str, Any], traits: dict[str, Any], expected: bool) -> None:
    parsed = TypeAdapter(journey.RootCondition).validate_python(condition)
    assert journey.evaluate(parsed, journey.CustomerFacts("c", traits=traits)) is expected
