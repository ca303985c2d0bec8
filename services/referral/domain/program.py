"""A referral program as data: who may refer, the rewards on each side and what triggers them, tiers,
limits, validity, the attribution window, fraud thresholds and the review threshold.

Stored as the JSON document below (validated by `Program`); the service keeps its version and
updated_at. Money values are decimal strings; one program's money is in one currency.

Every part of the document has a budget: values fit `numeric(20,4)` (14 digits, 4 decimals), counts and
limits are at most MAX_COUNT, a program has at most MAX_TIERS tiers and MAX_IGNORED_DOMAINS ignored email
domains, texts are bounded, and validity dates lie in [1900, 3000) UTC. Beyond one: a 422 naming the field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, ValidationError, model_validator

from contracts.json_document import JsonDocument
from runtime.budgets import BoundedTime

Value = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=4)]
RewardKind = Literal["amount", "percent", "points"]
MAX_COUNT = 1_000_000  # friends of a tier, rewards per month, sign-ups in the fraud window
MAX_TIERS = 20
MAX_IGNORED_DOMAINS = 100
Count = Annotated[int, Field(ge=1, le=MAX_COUNT)]


class _Model(JsonDocument):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Eligibility(_Model):
    """Who may refer: everyone, or members of one of scoring's segments (by segment id or name)."""

    who: Literal["everyone", "segment"] = "everyone"
    segment: str | None = Field(None, min_length=1, max_length=200, examples=["promoters"])

    @model_validator(mode="after")
    def _segment_named(self) -> Eligibility:
        if (self.who == "segment") != (self.segment is not None):
            raise ValueError("name a segment exactly when who is 'segment'")
        return self


class Reward(_Model):
    kind: RewardKind = Field(description="amount: money off; percent: a percentage coupon; points.")
    value: Value
    trigger: Literal["signup", "first_purchase"] = Field(
        "first_purchase", description="The friend's sign-up, or the friend's first purchase of at least min_purchase."
    )
    min_purchase: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=4)] = Decimal(0)

    @model_validator(mode="after")
    def _percent_at_most_100(self) -> Reward:
        _check_percent(self.kind, self.value)
        return self


def _check_percent(kind: RewardKind, value: Decimal) -> None:
    if kind == "percent" and value > 100:
        raise ValueError("a percentage coupon is at most 100")


class TierReward(_Model):
    kind: RewardKind
    value: Value

    @model_validator(mode="after")
    def _percent_at_most_100(self) -> TierReward:
        _check_percent(self.kind, self.value)
        return self


class Tier(_Model):
    friends: Count = Field(description="Successful referrals needed.")
    name: str = Field(min_length=1, max_length=100, examples=["gold"])
    reward: TierReward | None = None


class Limits(_Model):
    rewards_per_referrer_per_month: Count | None = Field(None, description="Calendar month (UTC) of the event.")
    budget: Value | None = Field(None, description="Most money (kind amount) the program grants and holds in total.")


class Fraud(_Model):
    window_hours: float = Field(24, gt=0, le=24 * 90, description="The 'short time' sign-ups are counted in.")
    max_signups_per_device: Count | None = Field(3, description="Sign-ups from one device id in the window.")
    max_signups_per_email_domain: Count | None = Field(20, description="Sign-ups from one email domain in the window.")
    ignored_email_domains: list[Annotated[str, Field(min_length=1, max_length=253)]] = Field(
        default_factory=lambda: [
            "gmail.com",
            "googlemail.com",
            "outlook.com",
            "hotmail.com",
            "yahoo.com",
            "icloud.com",
        ],
        max_length=MAX_IGNORED_DOMAINS,
        description="Webmail domains many honest friends share: not counted.",
    )


class Review(_Model):
    """Rewards above these values are held for review (none: never)."""

    hold_amount_above: Value | None = None
    hold_percent_above: Value | None = None
    hold_points_above: Value | None = None

    def threshold(self, kind: RewardKind) -> Decimal | None:
        return {"amount": self.hold_amount_above, "percent": self.hold_percent_above, "points": self.hold_points_above}[
            kind
        ]


class Program(_Model):
    name: str = Field(min_length=1, max_length=200)
    active: bool = True
    code_prefix: str = Field("REF", pattern=r"^[A-Z0-9]{1,8}$")
    eligibility: Eligibility = Eligibility()
    referrer_reward: Reward | None = None
    friend_reward: Reward | None = None
    tiers: list[Tier] = Field(default_factory=list, max_length=MAX_TIERS)
    limits: Limits = Limits()
    valid_from: BoundedTime | None = None
    valid_until: BoundedTime | None = None
    attribution_window_days: float = Field(30, gt=0, le=3650)
    fraud: Fraud = Fraud()
    review: Review = Review()

    @model_validator(mode="after")
    def _consistent(self) -> Program:
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValueError("valid_until must be after valid_from")
        counts = [t.friends for t in self.tiers]
        if len(set(counts)) != len(counts):
            raise ValueError("two tiers need the same number of friends")
        return self

    @property
    def window(self) -> dt.timedelta:
        return dt.timedelta(days=self.attribution_window_days)

    def running_at(self, at: dt.datetime) -> bool:
        if not self.active:
            return False
        return (self.valid_from is None or at >= self.valid_from) and (
            self.valid_until is None or at < self.valid_until
        )


class InvalidProgram(ValueError):
    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


def parse_program(document: Any) -> Program:
    try:
        return Program.model_validate(document)
    except ValidationError as exc:
        errors = [
            {"field": ".".join(str(p) for p in err["loc"]) or "(document)", "message": err["msg"]}
            for err in exc.errors(include_url=False, include_input=False)
        ]
        raise InvalidProgram(errors) from None


def program_json(program: Program) -> dict[str, Any]:
    return program.model_dump(mode="json", exclude_none=True)
