"""The ledger's arithmetic: lots are spent oldest first (the order they expire in), a refund takes back its
order's points in proportion, and a shortfall goes below zero or into debt as the program says."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Literal


@dataclass(frozen=True)
class Lot:
    lot_id: str
    remaining: int
    earned_at: datetime
    expires_at: datetime | None


@dataclass(frozen=True)
class Take:
    lot_id: str
    points: int


def spending_order(lots: list[Lot]) -> list[Lot]:
    """Lots in the order they are spent: expiring first (never-expiring last), then oldest earned, then lot id."""
    return sorted(
        lots,
        key=lambda lot: (
            lot.expires_at is None,
            lot.expires_at.timestamp() if lot.expires_at is not None else 0.0,
            lot.earned_at.timestamp(),
            lot.lot_id,
        ),
    )


def take_oldest_first(lots: list[Lot], points: int) -> list[Take]:
    """Which lots `points` come out of: those expiring first (never-expiring last), then the oldest earned; as much
    as the lots hold (the caller decides what a shortfall means)."""
    left = max(points, 0)
    takes: list[Take] = []
    for lot in spending_order(lots):
        if left == 0:
            break
        if lot.remaining <= 0:
            continue
        taken = min(lot.remaining, left)
        takes.append(Take(lot.lot_id, taken))
        left -= taken
    return takes


def refund_reversal(order_points: int, order_amount: Decimal, refunded_before: Decimal, refund: Decimal) -> int:
    """Points a refund takes back: the order's points in proportion to the money refunded, counted cumulatively
    (floor of points x refunded-so-far / amount, minus what earlier refunds took), so refunds adding up to the
    order take back exactly its points and never more."""
    if order_points <= 0 or order_amount <= 0:
        return 0
    amount = Fraction(order_amount)
    before = min(max(Fraction(refunded_before), Fraction(0)), amount)
    after = min(max(Fraction(refunded_before) + max(Fraction(refund), Fraction(0)), Fraction(0)), amount)
    return math.floor(order_points * after / amount) - math.floor(order_points * before / amount)


@dataclass(frozen=True)
class Shortfall:
    taken: int  # points taken from the balance
    debt: int  # points recorded as owed (policy `debt`)


def apply_shortfall(balance: int, points: int, policy: Literal["negative_balance", "debt"]) -> Shortfall:
    """Taking `points` from `balance`: all of it (the balance may go negative) or what is there plus a debt."""
    points = max(points, 0)
    if policy == "negative_balance":
        return Shortfall(taken=points, debt=0)
    taken = min(points, max(balance, 0))
    return Shortfall(taken=taken, debt=points - taken)


def repay_debt(debt: int, earned: int) -> int:
    """How much of newly earned points pays debt first."""
    return min(max(debt, 0), max(earned, 0))
