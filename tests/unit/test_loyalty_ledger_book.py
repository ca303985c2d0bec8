"""Loyalty's ledger of one batch, in memory (services/loyalty/service.py LedgerBook): what a take-back does to the
lots and the debt under each shortfall policy, what earning repays, and the ids derived from causes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

import orjson

from contracts.http.loyalty import LoyaltyProgramIn
from services.loyalty.domain.program import Program
from services.loyalty.events import LoyaltyEvents, event_id
from services.loyalty.ledger_book import LedgerBook, birthday_month, bounded_id, refund_entry_id
from services.loyalty.store import LotRow, LoyaltyMember

T0 = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def program(shortfall: Literal["negative_balance", "debt"]) -> Program:
    rules = LoyaltyProgramIn.model_validate(
        {
            "name": "Tea club",
            "currency": "EUR",
            "earn": {"points_per_unit": "1"},
            "expiry": {"months": None},
            "redemption": {"point_value": "0.01"},
            "refunds": {"shortfall": shortfall},
        }
    )
    return Program(3, rules)


def book_with_lots(shortfall: Literal["negative_balance", "debt"], *remaining: int) -> LedgerBook:
    member = LoyaltyMember("ada", balance=sum(remaining))
    book = LedgerBook(program(shortfall), {"ada": member}, {}, {}, LoyaltyEvents("acme", T0))
    for index, left in enumerate(remaining):
        lot = LotRow(f"lot-{index}", "ada", left, left, T0 - dt.timedelta(days=10 - index), None)
        book.lots["ada"].append(lot)
    return book


def published(book: LedgerBook) -> list[dict[str, Any]]:
    return [orjson.loads(m.value or b"")["data"] for m in book.events.messages]


def test_a_take_back_spends_the_oldest_lots_first_and_records_the_shortfall_as_debt_under_the_debt_policy() -> None:
    book = book_with_lots("debt", 10, 5)
    book.take_back("ada", "reverse:referral:rw_1", 25, "referral_reward", "referral reward rw_1 reversed", T0)
    member = book.members["ada"]
    assert (member.balance, member.debt) == (0, 10)
    assert {lot.lot_id: lot.remaining for lot in book.changed_lots.values()} == {"lot-0": 0, "lot-1": 0}
    [reversed_] = published(book)
    assert (reversed_["points"], reversed_["balance"], reversed_["debt"]) == (-25, 0, 10)

    # What is earned next repays the debt first: only the rest makes a lot.
    book.earn("ada", "journey:a1", 14, "journey", T0)
    assert (member.balance, member.debt) == (4, 0)
    assert [(lot.lot_id, lot.earned) for lot in book.new_lots] == [("journey:a1", 4)]
    assert [(e.entry_id, e.points) for e in book.new_entries] == [("reverse:referral:rw_1", -25), ("journey:a1", 14)]
    assert published(book)[1]["balance"] == 4


def test_under_negative_balance_the_shortfall_shows_below_zero() -> None:
    book = book_with_lots("negative_balance", 10)
    book.take_back("ada", "reverse:refund:o-1:t:10", 25, "refund", "refund of order o-1", T0, order_id="o-1")
    member = book.members["ada"]
    assert (member.balance, member.debt) == (0, 15)
    [reversed_] = published(book)
    assert (reversed_["balance"], reversed_["debt"]) == (-15, 0)
    book.earn("ada", "journey:a2", 5, "journey", T0)
    assert published(book)[1]["balance"] == -10 and book.new_lots == []


def test_an_entry_already_in_the_ledger_changes_nothing() -> None:
    book = book_with_lots("debt", 10)
    book.earn("ada", "journey:a1", 5, "journey", T0)
    book.earn("ada", "journey:a1", 5, "journey", T0)
    book.take_back("ada", "reverse:x", 3, "refund", "refund", T0)
    book.take_back("ada", "reverse:x", 3, "refund", "refund", T0)
    assert book.members["ada"].balance == 12 and len(book.new_entries) == 2 and len(book.events.messages) == 2


def test_ids_derive_from_causes_and_stay_within_their_lengths() -> None:
    at = dt.datetime(2026, 6, 1, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert refund_entry_id("o-1", at, Decimal("40.000")) == "reverse:refund:o-1:2026-06-01T12:00:00+00:00:40"
    long_order = "o" * 512
    entry_id = refund_entry_id(long_order, at, Decimal("1.5"))
    assert len(entry_id) <= 600 and entry_id == refund_entry_id(long_order, at, Decimal("1.50"))
    assert bounded_id("earn:order:o-1") == "earn:order:o-1"
    assert len(event_id("loyalty.points_reversed", entry_id)) <= 256


def test_a_birthday_trait_gives_its_month() -> None:
    assert [birthday_month(v) for v in ("1990-03-14", "--12-01", "07-04", " 2001-02-29 ")] == [3, 12, 7, 2]
    assert [birthday_month(v) for v in ("13-01", "1990-00-10", "yesterday", 19900314, None)] == [None] * 5
