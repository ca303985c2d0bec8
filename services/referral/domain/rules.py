"""The referral rules, as pure functions: first touch in the window, self-referral, existing customers,
fraud signals, what happens to a reward (limits, budget, review), tiers and refunds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from services.referral.domain.program import Fraud, Program, Reward, RewardKind, Tier

RewardStatus = Literal["granted", "held", "rejected", "reversed"]
IDENTIFIER_NAMES = {"email": "email", "phone": "phone", "anonymous_id": "device id"}


@dataclass(frozen=True)
class Touch:
    """A friend's contact with a code: a click, a sign-up, or a purchase carrying the code."""

    friend_id: str
    program_id: str
    code: str
    referrer_id: str
    action: str
    at: dt.datetime


def first_touch(touches: Iterable[Touch], at: dt.datetime, windows: Mapping[str, dt.timedelta]) -> Touch | None:
    """The earliest touch no older than its program's attribution window at `at` (first touch wins)."""
    live = [t for t in touches if t.at <= at and at - t.at <= windows.get(t.program_id, dt.timedelta(0))]
    return min(live, key=lambda t: (t.at, t.code)) if live else None


def self_referral_reason(
    friend_id: str,
    referrer_id: str,
    friend_identifiers: Iterable[tuple[str, str]],
    referrer_identifiers: Iterable[tuple[str, str]],
) -> str | None:
    """Why this is the referrer referring themselves (same customer, or a shared email/phone/device id)."""
    if friend_id == referrer_id:
        return "self-referral: same customer"
    shared = set(friend_identifiers) & set(referrer_identifiers)
    for kind, name in IDENTIFIER_NAMES.items():
        if any(k == kind for k, _ in shared):
            return f"self-referral: same {name}"
    return None


def existing_customer_reason(first_purchase_at: dt.datetime | None, touch_at: dt.datetime) -> str | None:
    """A customer who bought before their first touch is not a new customer."""
    if first_purchase_at is not None and first_purchase_at < touch_at:
        return "existing customer: purchased before the first referral touch"
    return None


def email_domain(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    return email.rsplit("@", 1)[1].strip().lower() or None


def fraud_reason(
    fraud: Fraud,
    at: dt.datetime,
    device_id: str | None,
    device_signups: Sequence[dt.datetime],
    domain: str | None,
    domain_signups: Sequence[dt.datetime],
) -> str | None:
    """Too many sign-ups from one device id or one email domain within the program's window (this
    sign-up included in the given times)."""
    since = at - dt.timedelta(hours=fraud.window_hours)

    def recent(times: Sequence[dt.datetime]) -> int:
        return sum(1 for t in times if since <= t <= at)

    hours = f"{fraud.window_hours:g}h"
    if device_id and fraud.max_signups_per_device is not None:
        count = recent(device_signups)
        if count > fraud.max_signups_per_device:
            return f"fraud: {count} sign-ups from one device id within {hours} (max {fraud.max_signups_per_device})"
    if domain and domain not in fraud.ignored_email_domains and fraud.max_signups_per_email_domain is not None:
        count = recent(domain_signups)
        if count > fraud.max_signups_per_email_domain:
            limit = fraud.max_signups_per_email_domain
            return f"fraud: {count} sign-ups from email domain {domain} within {hours} (max {limit})"
    return None


@dataclass(frozen=True)
class Usage:
    """What the program and the referrer used so far (granted and held rewards count; others do not)."""

    referrer_rewards_this_month: int
    budget_used: Decimal


@dataclass(frozen=True)
class Decision:
    status: RewardStatus
    reason: str | None


def decide_reward(
    program: Program,
    kind: RewardKind,
    value: Decimal,
    *,
    counts_toward_monthly_limit: bool,
    usage: Usage,
    fraud: str | None,
) -> Decision:
    """Granted, held for review (a fraud signal, or above the review threshold) or refused (limits, budget)."""
    limit = program.limits.rewards_per_referrer_per_month
    if counts_toward_monthly_limit and limit is not None and usage.referrer_rewards_this_month >= limit:
        return Decision("rejected", f"limit: {limit} rewards per referrer per month reached")
    budget = program.limits.budget
    if kind == "amount" and budget is not None and usage.budget_used + value > budget:
        return Decision("rejected", f"budget: {usage.budget_used} of {budget} used, {value} does not fit")
    if fraud:
        return Decision("held", fraud)
    threshold = program.review.threshold(kind)
    if threshold is not None and value > threshold:
        return Decision("held", f"value {value} above the review threshold {threshold}")
    return Decision("granted", None)


def qualifying_rule(program: Program) -> Reward:
    """What makes a referral successful (tiers count these): the referrer reward's trigger, else the
    friend reward's, else a first purchase."""
    return program.referrer_reward or program.friend_reward or Reward(kind="points", value=Decimal(1))


def purchase_qualifies(rule: Reward, amount: Decimal) -> bool:
    return rule.trigger == "first_purchase" and amount >= rule.min_purchase


def tiers_reached(tiers: Sequence[Tier], successful: int, already: Iterable[int]) -> list[Tier]:
    """Tiers the referrer reached and has not been rewarded for (each tier once)."""
    done = set(already)
    return [t for t in sorted(tiers, key=lambda t: t.friends) if t.friends <= successful and t.friends not in done]


def refund_reverses(
    rule: Reward,
    purchase_amount: Decimal,
    refunded: Decimal,
    purchased_at: dt.datetime,
    refunded_at: dt.datetime,
    window: dt.timedelta,
) -> bool:
    """The qualifying purchase no longer qualifies (net below the minimum, or nothing left), refunded
    within the attribution window after it."""
    if refunded_at - purchased_at > window:
        return False
    net = purchase_amount - refunded
    return net <= 0 or net < rule.min_purchase


def month_of(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m")
