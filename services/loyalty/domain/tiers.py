"""Which tier a member holds. Up as soon as the rolling qualifying value (spend or points over the window) reaches
a higher tier's threshold; reviewed at the tier's anniversary (12 months after it was reached or last renewed):
still qualified, it renews for a year; below, it is kept through the grace period and then lowered to the tier
the value then reaches (a member who qualifies again during grace keeps it, renewed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from contracts.http.loyalty import LoyaltyTier, TierRules


@dataclass(frozen=True)
class TierState:
    tier: str | None
    since: datetime | None
    anniversary: datetime | None
    grace_until: datetime | None


@dataclass(frozen=True)
class TierChange:
    previous: str | None
    current: str
    direction: Literal["up", "down"]
    reason: str


@dataclass(frozen=True)
class TierDecision:
    state: TierState
    change: TierChange | None


@dataclass(frozen=True)
class Progress:
    next_tier: str | None
    to_next: Decimal | None
    share: float | None


def qualifying_tier(rules: TierRules, value: Decimal) -> LoyaltyTier | None:
    """The highest tier whose threshold `value` reaches."""
    raise NotImplementedError


def on_activity(rules: TierRules, state: TierState, value: Decimal, now: datetime) -> TierDecision:
    """After the qualifying value changed (a purchase, points earned, a refund): an upgrade happens now; a member in
    grace who qualifies again keeps the tier, renewed; never a downgrade (that waits for the review)."""
    raise NotImplementedError


def at_review(rules: TierRules, state: TierState, value: Decimal, now: datetime) -> TierDecision:
    """The periodic review (the nightly job): at or after the anniversary, renew when qualified, else start the
    grace period; at or after its end, lower the tier to what the value reaches."""
    raise NotImplementedError


def progress(rules: TierRules, state: TierState, value: Decimal) -> Progress:
    """The next tier above the current one, what is missing and the share of the way there."""
    raise NotImplementedError
