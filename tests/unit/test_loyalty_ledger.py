"""The ledger's arithmetic: lots spent expiring first and oldest first, refunds taking back their order's points in
proportion (cumulatively: the parts of a full refund give back exactly the order's points), shortfall and debt."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from services.loyalty.domain.ledger import (
    Lot,
    Shortfall,
    Take,
    apply_shortfall,
    refund_reversal,
    repay_debt,
    spending_order,
    take_oldest_first,
)

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def lot(lot_id: str, remaining: int, earned_day: int, expires_day: int | None) -> Lot:
    expires = None if expires_day is None else T0 + expires_day * DAY
    return Lot(lot_id, remaining, T0 + earned_day * DAY, expires)


def test_lots_expiring_first_are_spent_first_never_expiring_last() -> None:
    lots = [
        lot("forever", 100, 0, None),
        lot("late", 100, 1, 800),
        lot("soon", 50, 5, 400),  # earned later but expires first (a shorter program version)
    ]
    assert take_oldest_first(lots, 120) == [Take("soon", 50), Take("late", 70)]
    assert take_oldest_first(lots, 300) == [Take("soon", 50), Take("late", 100), Take("forever", 100)]


def test_same_expiry_oldest_first_then_lot_id_for_a_stable_order() -> None:
    lots = [
        lot("b", 10, 3, 700),
        lot("a", 10, 3, 700),
        lot("z", 10, 1, 700),
        lot("n2", 5, 2, None),
        lot("n1", 5, 1, None),
    ]
    assert [one.lot_id for one in spending_order(lots)] == ["z", "a", "b", "n1", "n2"]
    assert take_oldest_first(list(reversed(lots)), 25) == [Take("z", 10), Take("a", 10), Take("b", 5)]


def test_empty_lots_are_skipped_and_a_shortfall_takes_what_there_is() -> None:
    lots = [lot("empty", 0, 0, 10), lot("neg", -5, 0, 11), lot("full", 30, 1, 12)]
    assert take_oldest_first(lots, 50) == [Take("full", 30)]
    assert take_oldest_first(lots, 0) == []
    assert take_oldest_first([], 10) == []


@given(
    st.lists(
        st.tuples(st.integers(-10, 500), st.integers(0, 1000), st.one_of(st.none(), st.integers(0, 2000))),
        max_size=12,
    ),
    st.integers(-10, 5000),
)
def test_take_oldest_first_never_takes_more_than_a_lot_holds(
    specs: list[tuple[int, int, int | None]], points: int
) -> None:
    lots = [lot(f"l{index}", remaining, earned, expires) for index, (remaining, earned, expires) in enumerate(specs)]
    takes = take_oldest_first(lots, points)
    held = {one.lot_id: one.remaining for one in lots}
    assert all(0 < take.points <= held[take.lot_id] for take in takes)
    assert len({take.lot_id for take in takes}) == len(takes)
    assert sum(take.points for take in takes) == min(max(points, 0), sum(max(value, 0) for value in held.values()))
    order = [one.lot_id for one in spending_order(lots) if one.remaining > 0]
    assert [take.lot_id for take in takes] == order[: len(takes)]  # a prefix of the spending order


def test_a_refund_takes_back_in_proportion_cumulatively() -> None:
    assert refund_reversal(100, Decimal("30"), Decimal(0), Decimal("10")) == 33
    assert refund_reversal(100, Decimal("30"), Decimal("10"), Decimal("10")) == 33
    assert refund_reversal(100, Decimal("30"), Decimal("20"), Decimal("10")) == 34  # the three add up to 100
    assert refund_reversal(100, Decimal("30"), Decimal(0), Decimal("30")) == 100


def test_a_refund_beyond_the_amount_takes_nothing_more() -> None:
    assert refund_reversal(100, Decimal("30"), Decimal("30"), Decimal("5")) == 0
    assert refund_reversal(100, Decimal("30"), Decimal("20"), Decimal("50")) == 34
    assert refund_reversal(100, Decimal("0"), Decimal("0"), Decimal("5")) == 0  # a free order earned nothing
    assert refund_reversal(0, Decimal("30"), Decimal("0"), Decimal("5")) == 0
    assert refund_reversal(100, Decimal("30"), Decimal("0"), Decimal("-5")) == 0


@given(
    points=st.integers(0, 10**9),
    cents=st.integers(1, 10**9),
    cuts=st.lists(st.integers(1, 10**9), max_size=8),
)
def test_refunds_adding_up_to_the_amount_give_back_exactly_the_orders_points(
    points: int, cents: int, cuts: list[int]
) -> None:
    amount = Decimal(cents) / 100
    marks = sorted({cut % cents for cut in cuts} - {0})
    parts = [Decimal(b - a) / 100 for a, b in zip([0, *marks], [*marks, cents], strict=True)]
    refunded = Decimal(0)
    taken = []
    for part in parts:
        taken.append(refund_reversal(points, amount, refunded, part))
        refunded += part
    assert sum(taken) == points
    assert all(one >= 0 for one in taken)
    assert refund_reversal(points, amount, refunded, Decimal("0.01")) == 0  # and never more


def test_a_shortfall_goes_below_zero_or_into_debt() -> None:
    assert apply_shortfall(30, 50, "negative_balance") == Shortfall(taken=50, debt=0)
    assert apply_shortfall(30, 50, "debt") == Shortfall(taken=30, debt=20)
    assert apply_shortfall(80, 50, "debt") == Shortfall(taken=50, debt=0)
    assert apply_shortfall(-10, 50, "debt") == Shortfall(taken=0, debt=50)
    assert apply_shortfall(30, 0, "debt") == Shortfall(taken=0, debt=0)


def test_debt_is_repaid_from_the_next_points_earned() -> None:
    assert repay_debt(20, 50) == 20
    assert repay_debt(20, 5) == 5
    assert repay_debt(0, 50) == 0
    assert repay_debt(20, 0) == 0
