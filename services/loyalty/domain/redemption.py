"""Whether a redemption may go ahead: the program's minimum, the share of the order points may pay, and the
points available (the balance less open holds)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from services.loyalty.domain.program import Program

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Refusal:
    kind: Literal["inactive", "below_minimum", "over_order_share", "order_total_required", "insufficient_points"]
    detail: str  # a sentence for the problem's detail
    available: int


def value_of(program: Program, points: int) -> Decimal:
    """What `points` are worth in the program's currency, rounded to cents (half up)."""
    return (Decimal(points) * program.rules.redemption.point_value).quantize(CENT, rounding=ROUND_HALF_UP)


def check_redemption(program: Program, points: int, available: int, order_total: Decimal | None) -> Refusal | None:
    """None when the redemption may go ahead; else why not (`insufficient_points` answers 409 with `available`).
    Checked in this order: inactive, below_minimum, order_total_required, over_order_share, insufficient_points."""
    rules = program.rules
    redemption = rules.redemption
    currency = rules.currency
    if not rules.active:
        return Refusal("inactive", f"The loyalty program {rules.name!r} is not active.", available)
    if points < redemption.min_points:
        return Refusal(
            "below_minimum", f"At least {redemption.min_points} points are redeemed at once; asked {points}.", available
        )
    share = redemption.max_share_of_order
    if share < 1 and order_total is None:
        return Refusal(
            "order_total_required",
            f"Points pay at most {_percent(share)} of an order: order_total is needed.",
            available,
        )
    value = value_of(program, points)
    if order_total is not None and value > share * order_total:
        most = (share * order_total).quantize(CENT, rounding=ROUND_HALF_UP)
        return Refusal(
            "over_order_share",
            f"{points} points are worth {value} {currency}, more than {_percent(share)} of the order's "
            f"{order_total} {currency} ({most} {currency}).",
            available,
        )
    if points > available:
        return Refusal(
            "insufficient_points", f"{points} points asked, {max(available, 0)} available.", max(available, 0)
        )
    return None


def _percent(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}%"
