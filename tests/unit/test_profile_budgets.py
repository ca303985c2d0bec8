"""Profile's budgets on what a workspace's events set: trait value size and nesting, traits per event and
per customer. Refusals name the trait and never quote its value."""

from __future__ import annotations

from typing import Any

import pytest

from runtime.budgets import json_value_problem
from services.profile.domain import (
    MAX_TRAIT_DEPTH,
    AttributeDefinition,
    InvalidTraits,
    TraitBudget,
    budget_problems,
    check_trait,
    customer_traits_problem,
    validate_traits,
)

BUDGET = TraitBudget(value_bytes=100)
SECRET = "s3cr3t-" * 20  # 140 bytes: over the budget, and must never show in a refusal


def nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = [value]
    return value


def test_a_value_larger_than_the_quota_is_refused_naming_the_trait_not_the_value() -> None:
    with pytest.raises(InvalidTraits) as raised:
        validate_traits({"bio": SECRET, "city": "Berlin"}, {}, BUDGET)

    reason = str(raised.value)
    assert reason == "trait 'bio' is 142 bytes as JSON, more than 100 (quota trait_value_bytes)"
    assert "s3cr3t" not in reason


def test_a_value_of_exactly_the_quota_fits() -> None:
    exactly = "x" * 98  # 100 bytes with its quotes
    assert budget_problems({"note": exactly}, BUDGET) == []
    assert budget_problems({"note": exactly + "x"}, BUDGET) != []


def test_nesting_is_bounded_before_anything_is_encoded() -> None:
    assert budget_problems({"deep": nested(MAX_TRAIT_DEPTH)}, TraitBudget(value_bytes=8192)) == []
    problems = budget_problems({"deep": nested(MAX_TRAIT_DEPTH + 1)}, TraitBudget(value_bytes=8192))
    assert problems == [f"trait 'deep' nested deeper than {MAX_TRAIT_DEPTH} levels"]
    # Far deeper than any encoder recurses: still a refusal, not a RecursionError.
    assert budget_problems({"deep": nested(100_000)}, TraitBudget(value_bytes=8192)) != []


def test_too_many_traits_in_one_event() -> None:
    traits = {f"t{i}": i for i in range(101)}
    assert budget_problems(traits, TraitBudget(value_bytes=8192)) == ["101 traits in one event, more than 100"]
    assert budget_problems(dict(list(traits.items())[:100]), TraitBudget(value_bytes=8192)) == []


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (2**64, "holds an integer beyond 64 bits"),
        ({"a": [-(2**63) - 1]}, "holds an integer beyond 64 bits"),
        (float("nan"), "holds a number that is not finite"),
        ([float("inf")], "holds a number that is not finite"),
    ],
)
def test_numbers_no_encoder_keeps_are_refused(value: Any, problem: str) -> None:
    assert json_value_problem(value, max_bytes=8192, max_depth=8) == problem


def test_budget_problems_come_before_type_checks() -> None:
    definitions = {"age": AttributeDefinition("age", "number")}
    with pytest.raises(InvalidTraits, match=r"trait 'age' is .* bytes"):
        validate_traits({"age": SECRET}, definitions, BUDGET)


def test_a_wrong_type_refusal_never_quotes_the_value() -> None:
    reason = check_trait(AttributeDefinition("age", "number"), "forty" * 1000)
    assert reason == "trait 'age' must be a number (got a string)"


def test_traits_per_customer_count_only_new_names() -> None:
    held = {f"t{i}" for i in range(500)}
    assert customer_traits_problem(held, {"t1": "changed", "t2": None}, 500) is None
    assert customer_traits_problem(held, {"new": None}, 500) is None  # unsetting adds nothing
    assert customer_traits_problem(held, {"new": 1, "t1": 2}, 500) == (
        "the customer would hold 501 traits, more than 500 (refused: 1 new)"
    )
    assert customer_traits_problem(set(), {f"n{i}": i for i in range(10)}, 10) is None
