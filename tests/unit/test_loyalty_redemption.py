"""Whether a redemption may go ahead, and what points are worth: the program active, the minimum, the order total
when the share is capped, the share, the points available, checked in that order."""

from __future__ import annotations

from decimal import Decimal

from services.loyalty.domain.redemption import check_redemption, value_of
from tests.unit.loyalty_fixtures import program

EX = program()  # 0.01 per point, at least 500, at most half the order


def test_points_are_worth_cents_rounded_half_up() -> None:
    assert value_of(EX, 420) == Decimal("4.20")
    assert value_of(EX, 0) == Decimal("0.00")
    half = program(redemption={"point_value": "0.015"})
    assert value_of(half, 1) == Decimal("0.02")
    assert value_of(half, 3) == Decimal("0.05")  # 0.045 -> 0.05


def test_a_redemption_within_every_rule_goes_ahead() -> None:
    assert check_redemption(EX, 500, 800, Decimal("20")) is None
    assert check_redemption(program(redemption={"max_share_of_order": "1"}), 500, 800, None) is None


def test_refusals_in_order_with_sentences_naming_the_numbers() -> None:
    inactive = check_redemption(program(active=False), 10, 0, None)
    assert inactive is not None and inactive.kind == "inactive"
    below = check_redemption(EX, 100, 0, None)
    assert below is not None and below.kind == "below_minimum" and "500" in below.detail and "100" in below.detail
    no_total = check_redemption(EX, 600, 0, None)
    assert no_total is not None and no_total.kind == "order_total_required" and "50%" in no_total.detail
    over = check_redemption(EX, 600, 0, Decimal("10"))
    assert over is not None and over.kind == "over_order_share"
    assert "6.00 EUR" in over.detail and "10 EUR" in over.detail and "5.00 EUR" in over.detail
    short = check_redemption(EX, 600, 550, Decimal("100"))
    assert short is not None and short.kind == "insufficient_points" and short.available == 550
    assert short.detail == "600 points asked, 550 available."


def test_the_share_is_checked_whenever_an_order_total_is_given() -> None:
    whole = program(redemption={"max_share_of_order": "1", "min_points": 0})
    refused = check_redemption(whole, 1001, 5000, Decimal("10"))
    assert refused is not None and refused.kind == "over_order_share"
    assert check_redemption(whole, 1000, 5000, Decimal("10")) is None  # exactly the total
