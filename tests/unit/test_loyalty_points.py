"""Loyalty's points arithmetic outside the domain: the redemption id, the balance as the policy shows it, and what
is available to redeem."""

from __future__ import annotations

import copy

from contracts.http.loyalty import EXAMPLE_PROGRAM, LoyaltyProgramIn
from services.loyalty.domain.program import Program
from services.loyalty.ledger_book import shown_points
from services.loyalty.service import available, redemption_id
from services.loyalty.store import LoyaltyMember


def _program(shortfall: str) -> Program:
    document = copy.deepcopy(EXAMPLE_PROGRAM)
    document["refunds"] = {"shortfall": shortfall}
    return Program(1, LoyaltyProgramIn.model_validate(document))


def _member(balance: int, debt: int, held: int) -> LoyaltyMember:
    return LoyaltyMember("c-1", balance, debt, held)


def test_a_redemption_id_names_one_order_of_one_member_of_one_workspace() -> None:
    rid = redemption_id("ws-a", "c-1", "o-1")
    assert rid == redemption_id("ws-a", "c-1", "o-1") and rid.startswith("rd_") and len(rid) == 27
    others = {
        redemption_id("ws-b", "c-1", "o-1"),
        redemption_id("ws-a", "c-2", "o-1"),
        redemption_id("ws-a", "c-1", "o-2"),
    }
    assert rid not in others and len(others) == 3
    assert redemption_id("ws-a", "c-1x", "o") != redemption_id("ws-a", "c-1", "xo")  # fields are separated


def test_the_balance_shows_debt_below_zero_or_apart_as_the_policy_says() -> None:
    assert shown_points(_program("negative_balance"), 0, 40) == -40
    assert shown_points(_program("negative_balance"), 100, 40) == 60
    assert shown_points(_program("debt"), 0, 40) == 0


def test_available_is_the_balance_less_debt_and_holds_never_below_zero() -> None:
    assert available(None) == 0
    assert available(_member(500, 0, 120)) == 380
    assert available(_member(500, 100, 120)) == 280
    assert available(_member(50, 100, 0)) == 0
    assert available(_member(100, 0, 300)) == 0
