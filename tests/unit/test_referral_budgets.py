"""Budgets of a referral program document: counts, values, texts and dates bounded to what the store and
Python hold, each refusal naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from contracts.http.referral import EXAMPLE_PROGRAM
from services.referral.domain.program import MAX_COUNT, MAX_TIERS, InvalidProgram, parse_program


def fields_refused(document: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidProgram) as raised:
        parse_program(document)
    return [e["field"] for e in raised.value.errors]


def with_(**changes: Any) -> dict[str, Any]:
    return {**EXAMPLE_PROGRAM, **changes}


def test_the_example_program_fits_every_budget() -> None:
    parse_program(EXAMPLE_PROGRAM)


@pytest.mark.parametrize("big", [MAX_COUNT + 1, 2**31, 2**63 - 1, "9" * 40])
def test_counts_beyond_the_budget_are_refused_naming_the_field(big: Any) -> None:
    assert fields_refused(with_(tiers=[{"friends": big, "name": "gold"}])) == ["tiers.0.friends"]
    assert fields_refused(with_(limits={"rewards_per_referrer_per_month": big})) == [
        "limits.rewards_per_referrer_per_month"
    ]
    assert fields_refused(with_(fraud={"max_signups_per_device": big})) == ["fraud.max_signups_per_device"]
    assert fields_refused(with_(fraud={"max_signups_per_email_domain": big})) == ["fraud.max_signups_per_email_domain"]


@pytest.mark.parametrize("value", ["1e15", "100000000000000", "0.00001", 2**63 - 1, 1e308])
def test_values_beyond_numeric_20_4_are_refused(value: Any) -> None:
    assert fields_refused(with_(referrer_reward={"kind": "points", "value": value})) == ["referrer_reward.value"]
    assert fields_refused(with_(limits={"budget": value})) == ["limits.budget"]
    assert fields_refused(with_(review={"hold_points_above": value})) == ["review.hold_points_above"]


def test_the_largest_value_fits() -> None:
    parse_program(with_(referrer_reward={"kind": "points", "value": "9999999999.9999"}))


def test_a_tier_percent_is_at_most_100() -> None:
    tiers = [{"friends": 3, "name": "gold", "reward": {"kind": "percent", "value": "101"}}]
    assert fields_refused(with_(tiers=tiers)) == ["tiers.0.reward"]


def test_tiers_and_ignored_domains_are_counted() -> None:
    tiers = [{"friends": i + 1, "name": f"t{i}"} for i in range(MAX_TIERS + 1)]
    assert fields_refused(with_(tiers=tiers)) == ["tiers"]
    parse_program(with_(tiers=tiers[:MAX_TIERS]))
    domains = [f"d{i}.example" for i in range(101)]
    assert fields_refused(with_(fraud={"ignored_email_domains": domains})) == ["fraud.ignored_email_domains"]
    assert fields_refused(with_(fraud={"ignored_email_domains": ["x" * 254]})) == ["fraud.ignored_email_domains.0"]


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "3000-01-01T00:00:00Z"])
def test_validity_dates_out_of_range_are_refused(when: str) -> None:
    assert fields_refused(with_(valid_from=when)) == ["valid_from"]
    assert fields_refused(with_(valid_until=when)) == ["valid_until"]


@pytest.mark.parametrize(
    ("field", "value"), [("name", "n" * 201), ("code_prefix", "ABCDEFGHI"), ("attribution_window_days", 1e308)]
)
def test_texts_and_windows_are_bounded(field: str, value: Any) -> None:
    assert fields_refused(with_(**{field: value})) == [field]
