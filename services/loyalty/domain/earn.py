"""What a purchase, a survey answer or a birthday month earns: points per currency unit, category and SKU
multipliers, the tier's multiplier, bonuses, and the caps per order and per day (days in the program's zone).
Points are whole: every figure is rounded down once, at the end of each award."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from services.loyalty.domain.program import Program


@dataclass(frozen=True)
class Item:
    sku: str
    category: str | None
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class Purchase:
    order_id: str
    amount: Decimal  # what the customer paid: the base of the points
    currency: str | None  # None: the program's currency
    items: tuple[Item, ...]
    at: datetime


@dataclass(frozen=True)
class MemberFacts:
    """What the rules need to know about the member besides the purchase."""

    first_purchase: bool  # no earlier purchase earned points
    birthday_month: int | None  # 1-12, from the member's `birthday` trait
    birthday_bonus_given_in: int | None  # the local year the birthday bonus points were last given, if ever
    earned_on_day: int  # points already earned on the purchase's local day (the daily cap)
    tier_multiplier: Decimal  # the current tier's earn multiplier (1 without tiers)


@dataclass(frozen=True)
class Award:
    points: int
    reason: Literal["purchase", "bonus"]
    rule: str | None  # the bonus's name (or its `on`), None for the purchase's own points


def local_day(program: Program, at: datetime) -> date:
    """The day `at` falls on in the program's time zone."""
    raise NotImplementedError


def points_for_purchase(program: Program, purchase: Purchase, member: MemberFacts) -> list[Award]:
    """The purchase's awards: its own points (items by their category or SKU multiplier, the rest of the amount at
    the base rate; times the tier's and any bonus multiplier), then fixed bonuses; capped per order, then per day.
    Empty when the program is inactive or the purchase is in another currency."""
    raise NotImplementedError


def points_for_survey_answer(program: Program, earned_on_day: int) -> list[Award]:
    """The survey answer bonus, capped per day."""
    raise NotImplementedError
