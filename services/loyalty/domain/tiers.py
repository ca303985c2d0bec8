"""Which tier a member holds. Up as soon as the rolling qualifying value (spend or points over the window) reaches
a higher tier's threshold; reviewed at the tier's anniversary (12 months after it was reached or last renewed):
still qualified, it renews for a year; below, it is kept through the grace period and then lowered to the tier
the value then reaches (a member who qualifies again during grace keeps it, renewed).

Choices: a renewal at the review keeps the anniversary's date (the old anniversary plus 12 months, as many times
as needed to pass `now`); a renewal by activity during grace starts a new year from `now`. A tier no longer on the
ladder (the program changed) ranks below every tier: any qualifying tier replaces it at once ("up"), and at its
anniversary it is not qualified. When no tier qualifies at all after grace, the member has no tier any more: a
change down to none (`current` None)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

from contracts.http.loyalty import LoyaltyTier, TierRules
from services.loyalty.domain.expiry import add_months

YEAR = 12  # months from reaching (or renewing) a tier to its anniversary


@dataclass(frozen=True)
class TierState:
    tier: str | None
    since: datetime | None
    anniversary: datetime | None
    grace_until: datetime | None


@dataclass(frozen=True)
class TierChange:
    previous: str | None
    current: str | None  # None: no tier any more (down)
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


NO_TIER = TierState(tier=None, since=None, anniversary=None, grace_until=None)


def qualifying_tier(rules: TierRules, value: Decimal) -> LoyaltyTier | None:
    """The highest tier whose threshold `value` reaches."""
    reached = [tier for tier in rules.ladder if tier.threshold <= value]
    return max(reached, key=lambda tier: tier.threshold, default=None)


def tier_named(rules: TierRules, name: str | None) -> LoyaltyTier | None:
    return next((tier for tier in rules.ladder if tier.name == name), None) if name is not None else None


def _rank(rules: TierRules, name: str | None) -> int:
    """The tier's place on the ladder (by threshold); -1 without a tier or for one no longer on the ladder."""
    ordered = sorted(rules.ladder, key=lambda tier: tier.threshold)
    return next((index for index, tier in enumerate(ordered) if tier.name == name), -1)


def _basis(rules: TierRules) -> str:
    return "qualifying spend" if rules.basis == "spend" else "qualifying points"


def _number(value: Decimal) -> str:
    return f"{value:f}"


def _reached(tier: LoyaltyTier, now: datetime) -> TierState:
    return TierState(tier=tier.name, since=now, anniversary=add_months(now, YEAR), grace_until=None)


def _upgrade(rules: TierRules, state: TierState, value: Decimal, now: datetime) -> TierDecision | None:
    reached = qualifying_tier(rules, value)
    if reached is None or _rank(rules, reached.name) <= _rank(rules, state.tier):
        return None
    reason = f"{_basis(rules)} {_number(value)} reached {reached.name} ({_number(reached.threshold)})"
    change = TierChange(previous=state.tier, current=reached.name, direction="up", reason=reason)
    return TierDecision(_reached(reached, now), change)


def on_activity(rules: TierRules, state: TierState, value: Decimal, now: datetime) -> TierDecision:
    """After the qualifying value changed (a purchase, points earned, a refund): an upgrade happens now; a member in
    grace who qualifies again keeps the tier, renewed; never a downgrade (that waits for the review)."""
    upgrade = _upgrade(rules, state, value, now)
    if upgrade is not None:
        return upgrade
    current = tier_named(rules, state.tier)
    if state.grace_until is not None and current is not None and value >= current.threshold:
        return TierDecision(replace(state, anniversary=add_months(now, YEAR), grace_until=None), None)
    return TierDecision(state, None)


def _next_anniversary(anniversary: datetime, now: datetime) -> datetime:
    """The anniversary a year on, as many years as it takes to pass `now` (counted from the first, so a 29 February
    anniversary comes back on 29 February in leap years)."""
    years = 1
    while add_months(anniversary, YEAR * years) <= now:
        years += 1
    return add_months(anniversary, YEAR * years)


def at_review(rules: TierRules, state: TierState, value: Decimal, now: datetime) -> TierDecision:
    """The periodic review (the nightly job): at or after the anniversary, renew when qualified, else start the
    grace period; at or after its end, lower the tier to what the value reaches."""
    upgrade = _upgrade(rules, state, value, now)
    if upgrade is not None:
        return upgrade
    if state.tier is None or state.anniversary is None or now < state.anniversary:
        return TierDecision(state, None)
    current = tier_named(rules, state.tier)
    if current is not None and value >= current.threshold:
        renewed = replace(state, anniversary=_next_anniversary(state.anniversary, now), grace_until=None)
        return TierDecision(renewed, None)
    grace_until = state.grace_until or state.anniversary + timedelta(days=rules.grace_days)
    if now < grace_until:
        return TierDecision(replace(state, grace_until=grace_until), None)
    below = f"{_basis(rules)} {_number(value)} below {state.tier}"
    if current is not None:
        below += f" ({_number(current.threshold)})"
    below += " at the anniversary and after the grace period"
    reached = qualifying_tier(rules, value)
    if reached is None:
        return TierDecision(
            NO_TIER, TierChange(previous=state.tier, current=None, direction="down", reason=f"{below}: no tier")
        )
    change = TierChange(previous=state.tier, current=reached.name, direction="down", reason=f"{below}: {reached.name}")
    return TierDecision(_reached(reached, now), change)


def progress(rules: TierRules, state: TierState, value: Decimal) -> Progress:
    """The next tier above the current one, what is missing and the share of the way there."""
    ordered = sorted(rules.ladder, key=lambda tier: tier.threshold)
    rank = _rank(rules, state.tier)
    if rank >= 0:
        following = ordered[rank + 1 :]
        upcoming = following[0] if following else None
    else:
        upcoming = next((tier for tier in ordered if tier.threshold > value), None)
    if upcoming is None:
        return Progress(next_tier=None, to_next=None, share=None)
    to_next = max(upcoming.threshold - value, Decimal(0))
    share = 1.0 if upcoming.threshold <= 0 else min(max(float(value / upcoming.threshold), 0.0), 1.0)
    return Progress(next_tier=upcoming.name, to_next=to_next, share=share)
