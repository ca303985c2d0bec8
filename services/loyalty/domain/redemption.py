"""Whether a redemption may go ahead: the program's minimum, the share of the order points may pay, and the
points available (the balance less open holds)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from services.loyalty.domain.program import Program


@dataclass(frozen=True)
class Refusal:
    kind: Literal["inactive", "below_minimum", "over_order_share", "order_total_required", "insufficient_points"]
    detail: str  # a sentence for the problem's detail
    available: int


def value_of(program: Program, points: int) -> Decimal:
    """What `points` are worth in the program's currency, rounded to cents (half up)."""
    raise NotImplementedError


def check_redemption(program: Program, points: int, available: int, order_total: Decimal | None) -> Refusal | None:
    """None when the redemption may go ahead; else why not (`insufficient_points` answers 409 with `available`)."""
    raise NotImplementedError
