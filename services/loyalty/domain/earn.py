"""What a purchase, a survey answer or a birthday month earns: points per currency unit, category and SKU
multipliers, the tier's multiplier, bonuses, and the caps per order and per day (days in the program's zone).
Points are whole: every figure is rounded down once, at the end of each award.

Choices (docs/loyalty.md says the same in plain words):
- A purchase's own award is ((multiplied items' points) + (the rest of the amount x points_per_unit)) x the tier's
  multiplier x the bonus multiplier, rounded down once. Several bonus multipliers that apply (first purchase and
  birthday month) do not stack: the highest applies. The own award's `rule` is None.
- Fixed bonus points are awards of their own (`rule`: the bonus's `name`, else its `on`), after the own award,
  in the program's order.
- The caps cut from the end of that list: bonuses go first, the purchase's own points last. The order cap
  applies first, then the day's cap against what the member already earned that local day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_FLOOR, Decimal
from typing import Literal

from contracts.http.loyalty import Bonus, EarnRules
from services.loyalty.domain.program import Program

ZERO = Decimal(0)


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
    on: Literal["first_purchase", "birthday_month", "survey_answer"] | None = None  # the bonus's trigger


def local_day(program: Program, at: datetime) -> date:
    """The day `at` falls on in the program's time zone."""
    return at.astimezone(program.zone).date()


def award_entry_id(award: Award, customer_id: str, order_id: str, local_year: int) -> str:
    """The ledger entry id of a purchase's award (ids derive from the cause, so a replay adds nothing; they are
    unique in the workspace): `earn:order:<order>` for the own points, `bonus:<rule>:order:<order>` for a per-order
    bonus, and `bonus:birthday:<customer>:<year>` for the birthday month's points, once per member and local year
    (`bonus:birthday:<customer>:<rule>:<year>` for a renamed one). A survey answer's award has no order: its id is
    the caller's (`bonus:survey:<customer>:<answer>`). The caller bounds an id's length (ledger_book.bounded_id)."""
    if award.reason == "purchase":
        return f"earn:order:{order_id}"
    if award.on == "birthday_month":
        rule = "" if award.rule in (None, "birthday_month") else f"{award.rule}:"
        return f"bonus:birthday:{customer_id}:{rule}{local_year}"
    return f"bonus:{award.rule}:order:{order_id}"


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def _item_multiplier(earn: EarnRules, item: Item) -> Decimal | None:
    """The SKU's multiplier, else its category's, else None (the item earns at the base rate)."""
    by_category: Decimal | None = None
    for rule in earn.multipliers:
        if rule.sku is not None and rule.sku == item.sku:
            return rule.multiplier
        if by_category is None and rule.category is not None and rule.category == item.category:
            by_category = rule.multiplier
    return by_category


def _bonus_applies(bonus: Bonus, member: MemberFacts, day: date) -> bool:
    if bonus.on == "first_purchase":
        return member.first_purchase
    if bonus.on == "birthday_month":
        return member.birthday_month is not None and member.birthday_month == day.month
    return False


def _bonus_award(bonus: Bonus) -> Award:
    return Award(points=bonus.points, reason="bonus", rule=bonus.name or bonus.on, on=bonus.on)


def cap(awards: list[Award], limit: int | None) -> list[Award]:
    """`awards` cut to `limit` points in all, from the end (None: no cap); awards cut to 0 are dropped."""
    if limit is None:
        return [award for award in awards if award.points > 0]
    left = max(limit, 0)
    kept: list[Award] = []
    for award in awards:
        points = min(award.points, left)
        left -= points
        if points > 0:
            kept.append(Award(points=points, reason=award.reason, rule=award.rule, on=award.on))
    return kept


def _day_limit(earn: EarnRules, earned_on_day: int) -> int | None:
    if earn.max_points_per_day is None:
        return None
    return max(earn.max_points_per_day - max(earned_on_day, 0), 0)


def points_for_purchase(program: Program, purchase: Purchase, member: MemberFacts) -> list[Award]:
    """The purchase's awards: its own points (items by their category or SKU multiplier, the rest of the amount at
    the base rate; times the tier's and any bonus multiplier), then fixed bonuses; capped per order, then per day.
    Empty when the program is inactive or the purchase is in another currency."""
    rules = program.rules
    if not rules.active or (purchase.currency is not None and purchase.currency.upper() != rules.currency):
        return []
    earn = rules.earn
    day = local_day(program, purchase.at)
    multiplied_value = ZERO
    multiplied_points = ZERO
    for item in purchase.items:
        multiplier = _item_multiplier(earn, item)
        if multiplier is None:
            continue
        value = max(item.quantity, 0) * max(item.unit_price, ZERO)
        multiplied_value += value
        multiplied_points += value * earn.points_per_unit * multiplier
    rest = max(purchase.amount - multiplied_value, ZERO)
    applying = [bonus for bonus in earn.bonuses if _bonus_applies(bonus, member, day)]
    bonus_multiplier = max((bonus.multiplier for bonus in applying if bonus.multiplier is not None), default=None)
    raw = (multiplied_points + rest * earn.points_per_unit) * max(member.tier_multiplier, ZERO)
    if bonus_multiplier is not None:
        raw *= bonus_multiplier
    awards = [Award(points=_floor(raw), reason="purchase", rule=None)]
    for bonus in applying:
        if bonus.points <= 0:
            continue
        if bonus.on == "birthday_month" and member.birthday_bonus_given_in == day.year:
            continue
        awards.append(_bonus_award(bonus))
    awards = cap(awards, earn.max_points_per_order)
    return cap(awards, _day_limit(earn, member.earned_on_day))


def points_for_survey_answer(program: Program, earned_on_day: int) -> list[Award]:
    """The survey answer bonus, capped per day."""
    rules = program.rules
    if not rules.active:
        return []
    awards = [_bonus_award(bonus) for bonus in rules.earn.bonuses if bonus.on == "survey_answer" and bonus.points > 0]
    return cap(awards, _day_limit(rules.earn, earned_on_day))
