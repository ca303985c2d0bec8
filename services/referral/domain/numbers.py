"""A program's numbers for a period, from counts the stats query gathers (see docs/referral.md).

- referral share of new customers = referred new customers / all new customers;
- funnel: invites -> clicks -> sign-ups -> first purchases, each step's conversion from the one before;
- K-factor = invites per referrer x conversion of invites to new customers
  = (invites / referrers) x (referred new customers / invites);
- reward cost per acquired customer = money (kind amount) granted and not reversed / referred new customers;
- LTV of referred new customers versus the other new customers: mean historical net revenue (purchases
  minus refunds) per customer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np


@dataclass(frozen=True)
class Counts:
    new_customers: int
    referred_new_customers: int
    invites: int
    referrers: int
    clicks: int
    signups: int
    reward_cost: Decimal
    referred_revenues: Sequence[Decimal]
    other_revenues: Sequence[Decimal]


def ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 6) if denominator else None


def mean_money(values: Sequence[Decimal]) -> str | None:
    if not values:
        return None
    mean = float(np.mean(np.array([float(v) for v in values], dtype=np.float64)))
    return str(Decimal(str(mean)).quantize(Decimal("0.01")))


def numbers(counts: Counts) -> dict[str, object]:
    invites_per_referrer = ratio(counts.invites, counts.referrers)
    invite_conversion = ratio(counts.referred_new_customers, counts.invites)
    k_factor = (
        round(invites_per_referrer * invite_conversion, 6)
        if invites_per_referrer is not None and invite_conversion is not None
        else None
    )
    cost = (
        str((counts.reward_cost / counts.referred_new_customers).quantize(Decimal("0.01")))
        if counts.referred_new_customers
        else None
    )
    return {
        "new_customers": counts.new_customers,
        "referred_new_customers": counts.referred_new_customers,
        "referral_share": ratio(counts.referred_new_customers, counts.new_customers),
        "funnel": {
            "invites": counts.invites,
            "clicks": counts.clicks,
            "signups": counts.signups,
            "first_purchases": counts.referred_new_customers,
            "click_rate": ratio(counts.clicks, counts.invites),
            "signup_rate": ratio(counts.signups, counts.clicks),
            "purchase_rate": ratio(counts.referred_new_customers, counts.signups),
        },
        "referrers": counts.referrers,
        "invites_per_referrer": invites_per_referrer,
        "invite_conversion": invite_conversion,
        "k_factor": k_factor,
        "reward_cost": str(counts.reward_cost.quantize(Decimal("0.01"))),
        "reward_cost_per_acquired_customer": cost,
        "ltv": {
            "referred_mean": mean_money(counts.referred_revenues),
            "others_mean": mean_money(counts.other_revenues),
            "referred_customers": len(counts.referred_revenues),
            "other_customers": len(counts.other_revenues),
        },
    }
