"""The ledger's arithmetic: lots are spent oldest first (the order they expire in), a refund takes back its
order's points in proportion, and a shortfall goes below zero or into debt as the program says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
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


def take_oldest_first(lots: list[Lot], points: int) -> list[Take]:
    """Which lots `points` come out of: those expiring first (never-expiring last), then the oldest earned; as much
    as the lots hold (the caller decides what a shortfall means)."""
    raise NotImplementedError


def refund_reversal(order_points: int, order_amount: Decimal, refunded_before: Decimal, refund: Decimal) -> int:
    """Points a refund takes back: the order's points in proportion to the money refunded, counted cumulatively
    (floor of points x refunded-so-far / amount, minus what earlier refunds took), so refunds adding up to the
    order take back exactly its points and never more."""
    raise NotImplementedError


@dataclass(frozen=True)
class Shortfall:
    taken: int  # points taken from the balance
    debt: int  # points recorded as owed (policy `debt`)


def apply_shortfall(balance: int, points: int, policy: Literal["negative_balance", "debt"]) -> Shortfall:
    """Taking `points` from `balance`: all of it (the balance may go negative) or what is there plus a debt."""
    raise NotImplementedError


def repay_debt(debt: int, earned: int) -> int:
    """How much of newly earned points pays debt first."""
    raise NotImplementedError
