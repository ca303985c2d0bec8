"""The loyalty service's HTTP documents (its internal API, and the public API's loyalty endpoints and 360 view
section, which pass them through): the workspace's program as data, a member's points (balance, lots with
expiry, tier and progress), redemptions, and the loyalty numbers of the KPI overview.

A program is one document per workspace, versioned like a journey: every change makes a new version; purchases
earn by the version current when they are applied. docs/loyalty.md explains every rule.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, model_validator

from contracts.http import Input, PeriodReport, View

MAX_MULTIPLIERS = 200  # category and SKU multipliers of a program
MAX_BONUSES = 20
MAX_TIERS = 20
MAX_POINTS = 10**9  # any points figure a program names
MAX_MONTHS = 120

TierName = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$")]
Factor = Annotated[
    Decimal, Field(ge=0, le=1000, max_digits=12, decimal_places=4, description='Decimal string, e.g. "1.5".')
]
Amount = Annotated[Decimal, Field(ge=0, max_digits=20, decimal_places=6, description="Decimal string.")]
PointCount = Annotated[int, Field(ge=0, le=MAX_POINTS)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["EUR"])]


def _time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r} (an IANA name such as Europe/Berlin)") from error
    return name


TimeZoneName = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_time_zone)]

# A loyalty program document (PUT /v1/loyalty-program); docs/loyalty.md describes every field.
EXAMPLE_PROGRAM: dict[str, Any] = {
    "name": "Tea club",
    "currency": "EUR",
    "time_zone": "Europe/Berlin",
    "earn": {
        "points_per_unit": "1",
        "multipliers": [{"category": "tea", "multiplier": "2"}, {"sku": "GIFTBOX-1", "multiplier": "3"}],
        "bonuses": [
            {"on": "first_purchase", "points": 100},
            {"on": "birthday_month", "multiplier": "2"},
            {"on": "survey_answer", "points": 20},
        ],
        "max_points_per_order": 5000,
        "max_points_per_day": 10000,
    },
    "tiers": {
        "basis": "spend",
        "window_months": 12,
        "grace_days": 30,
        "ladder": [
            {"name": "member", "threshold": "0", "earn_multiplier": "1"},
            {"name": "silver", "threshold": "500", "earn_multiplier": "1.25", "benefits": ["free shipping"]},
            {"name": "gold", "threshold": "1500", "earn_multiplier": "1.5", "benefits": ["free shipping", "gifts"]},
        ],
    },
    "expiry": {"months": 24, "notice_days": 30},
    "redemption": {"point_value": "0.01", "min_points": 500, "max_share_of_order": "0.5", "hold_minutes": 30},
    "refunds": {"shortfall": "negative_balance"},
}


class Multiplier(Input):
    """Points on the line items of a category or SKU are multiplied (the SKU's wins over its category's)."""

    category: str | None = Field(None, min_length=1, max_length=512)
    sku: str | None = Field(None, min_length=1, max_length=512)
    multiplier: Factor

    @model_validator(mode="after")
    def _one_target(self) -> Multiplier:
        if (self.category is None) == (self.sku is None):
            raise ValueError("a multiplier names exactly one of category or sku")
        return self


class Bonus(Input):
    """Extra points: `points` once (the first purchase ever; the first purchase of each birthday month; each survey
    answer), and/or a `multiplier` of a purchase's points (first purchase, birthday month)."""

    on: Literal["first_purchase", "birthday_month", "survey_answer"]
    points: PointCount = 0
    multiplier: Factor | None = None
    name: str | None = Field(None, min_length=1, max_length=64, description="Names the rule in the ledger.")

    @model_validator(mode="after")
    def _gives_something(self) -> Bonus:
        if self.points == 0 and self.multiplier is None:
            raise ValueError("a bonus gives points, a multiplier, or both")
        if self.on == "survey_answer" and self.multiplier is not None:
            raise ValueError("a survey answer bonus gives points (it has no purchase to multiply)")
        return self


class EarnRules(Input):
    points_per_unit: Factor = Field(description="Points per unit of the program's currency spent (rounded down).")
    multipliers: list[Multiplier] = Field(default_factory=list, max_length=MAX_MULTIPLIERS)
    bonuses: list[Bonus] = Field(default_factory=list, max_length=MAX_BONUSES)
    max_points_per_order: PointCount | None = Field(None, description="Cap of one order's points, bonuses included.")
    max_points_per_day: PointCount | None = Field(
        None, description="Cap of one member's earned points per day in the program's time zone."
    )


class LoyaltyTier(Input):
    name: TierName
    threshold: Amount = Field(description="Qualifying spend (program currency) or points over the window.")
    earn_multiplier: Factor = Decimal(1)
    benefits: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(default_factory=list, max_length=20)


class TierRules(Input):
    basis: Literal["spend", "points"] = Field(
        description="spend: net purchases (refunds subtract) in the program's currency; points: points earned."
    )
    window_months: int = Field(12, ge=1, le=MAX_MONTHS, description="The rolling window the basis is counted over.")
    grace_days: int = Field(
        30, ge=0, le=366, description="After the tier's anniversary, how long a member below it keeps it."
    )
    ladder: list[LoyaltyTier] = Field(min_length=1, max_length=MAX_TIERS, description="Tiers by increasing threshold.")

    @model_validator(mode="after")
    def _increasing(self) -> TierRules:
        thresholds = [tier.threshold for tier in self.ladder]
        if thresholds != sorted(set(thresholds)) or len(thresholds) != len(set(thresholds)):
            raise ValueError("tiers are listed by strictly increasing threshold")
        if len({tier.name for tier in self.ladder}) != len(self.ladder):
            raise ValueError("two tiers have the same name")
        return self


class ExpiryRules(Input):
    months: int | None = Field(
        24,
        ge=1,
        le=MAX_MONTHS,
        description="Points expire at the end of the day (program time zone) N months after they were earned; "
        "null: never.",
    )
    notice_days: int = Field(30, ge=0, le=365, description="`loyalty.points_expiring` is sent this many days before.")


class RedemptionRules(Input):
    point_value: Amount = Field(description="What one point is worth in the program's currency.")
    min_points: PointCount = 0
    max_share_of_order: Decimal = Field(
        Decimal(1), gt=0, le=1, max_digits=5, decimal_places=4, description="Points pay at most this share of an order."
    )
    hold_minutes: int = Field(
        30, ge=1, le=7 * 24 * 60, description="A redemption not confirmed by its order within this is released."
    )


class RefundRules(Input):
    shortfall: Literal["negative_balance", "debt"] = Field(
        "negative_balance",
        description="When a refund takes back more points than the member has: negative_balance lets the balance go "
        "below zero; debt keeps it at zero and records the rest as debt, paid from the next points earned.",
    )


class LoyaltyProgramIn(Input):
    """The workspace's loyalty program (one per workspace; PUT replaces it and makes a new version)."""

    name: str = Field(min_length=1, max_length=200)
    active: bool = True
    currency: Currency = Field(description="Purchases in another currency earn no points (the skip is recorded).")
    time_zone: TimeZoneName = Field("UTC", description="Days (caps, birthdays, expiry) are counted in this zone.")
    earn: EarnRules
    tiers: TierRules | None = None
    expiry: ExpiryRules = Field(default_factory=ExpiryRules)
    redemption: RedemptionRules
    refunds: RefundRules = Field(default_factory=RefundRules)


class LoyaltyProgram(View):
    """The workspace's program: its document, normalised, and its version (up with every change)."""

    name: str = Field(examples=["Tea club"])
    version: int = Field(ge=1, examples=[3])
    active: bool
    document: dict[str, Any] = Field(examples=[EXAMPLE_PROGRAM])
    created_at: datetime
    updated_at: datetime


class PointsLot(View):
    """Points earned together (one ledger entry), what is left of them and when that expires."""

    lot_id: str = Field(examples=["earn:order:o-17"])
    earned: int = Field(examples=[120])
    remaining: int = Field(examples=[80])
    earned_at: datetime
    expires_at: datetime | None = Field(None, description="Null: never expires.")


class TierStatus(View):
    current: str | None = Field(description="Null while the program has no tiers.", examples=["silver"])
    since: datetime | None = None
    anniversary: datetime | None = Field(
        None, description="When the tier is next reviewed: kept if still qualified, else lost after the grace period."
    )
    in_grace_until: datetime | None = Field(None, description="Set while below the tier after its anniversary.")
    benefits: list[str] = Field(default_factory=list)
    qualifying_value: str = Field(description="Rolling qualifying spend or points (decimal).", examples=["720.00"])
    next_tier: str | None = Field(None, examples=["gold"])
    to_next_tier: str | None = Field(None, description="What is still missing for the next tier.", examples=["780.00"])
    progress: float | None = Field(None, ge=0, le=1, description="Share of the way to the next tier.")


class Hold(View):
    redemption_id: str
    points: int
    order_id: str | None = None
    expires_at: datetime


class MemberPoints(View):
    """A member's points: balance (sum of lots), what is free to redeem, lots with expiry, tier and progress."""

    customer_id: str = Field(examples=["c_01HZX3K9"])
    balance: int = Field(description="Points held: the sum of the lots (negative after a refund, by policy).")
    available: int = Field(description="What can be redeemed now: the balance less open holds, never below 0.")
    debt: int = Field(0, description="Points owed (refund shortfall), paid from the next points earned.")
    value: str = Field(description="The balance's worth in the program's currency (decimal).", examples=["4.20"])
    currency: str | None = Field(None, examples=["EUR"])
    lots: list[PointsLot] = Field(description="Open lots, oldest first (the order redemption and expiry use).")
    holds: list[Hold] = Field(default_factory=list)
    tier: TierStatus | None = Field(None, description="Null when the program has no tier ladder.")
    program_version: int | None = None


class RedemptionIn(Input):
    """Points to spend on an order: held now, redeemed when the order's purchase arrives, released otherwise."""

    points: int = Field(ge=1, le=MAX_POINTS)
    order_id: str = Field(min_length=1, max_length=512, description="The order the points pay toward.")
    order_total: Amount | None = Field(
        None, description="The order's total in the program's currency: needed when the program caps the share."
    )


class Redemption(View):
    redemption_id: str = Field(examples=["rd_3f2a9c0d1e4b5a67"])
    customer_id: str
    points: int
    value: str = Field(description="The points' worth in the program's currency (decimal).", examples=["5.00"])
    currency: str = Field(examples=["EUR"])
    order_id: str
    status: Literal["held", "redeemed", "released"]
    expires_at: datetime = Field(description="When the hold is released unless the order's purchase arrived.")
    created_at: datetime
    available: int = Field(description="The member's available points after this redemption.")


class TierCount(View):
    tier: str
    members: int


class LoyaltyReport(PeriodReport):
    """The loyalty numbers of the KPI overview: liability now, redemption over the period, members by tier."""

    members: int = Field(description="Members with a ledger now.")
    outstanding_points: int = Field(description="Points liability: every member's positive balance, summed.")
    liability_value: str = Field(description="What the outstanding points are worth (decimal).", examples=["1234.50"])
    currency: str | None = None
    points_earned: int = Field(description="Points earned in the period (erased members' included, anonymously).")
    points_redeemed: int = Field(description="Points redeemed in the period.")
    points_expired: int = Field(description="Points expired in the period.")
    redemption_rate: float | None = Field(
        None, description="Points redeemed over points earned in the period; null without points earned."
    )
    members_by_tier: list[TierCount] = Field(default_factory=list)
