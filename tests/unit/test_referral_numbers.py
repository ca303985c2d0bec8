"""A program's numbers on a small example computed by hand."""

from __future__ import annotations

from decimal import Decimal

from services.referral.domain.numbers import Counts, numbers


def test_share_funnel_k_factor_cost_and_ltv_on_a_hand_computed_example() -> None:
    # 5 referrers sent 20 invites; 10 friends clicked, 5 signed up, 4 bought (new customers referred);
    # 10 new customers in all, 2 of them neither referred nor refused; 60.00 of money rewards granted.
    counts = Counts(
        new_customers=10,
        referred_new_customers=4,
        invites=20,
        referrers=5,
        clicks=10,
        signups=5,
        reward_cost=Decimal("60"),
        referred_revenues=[Decimal(100), Decimal(50), Decimal(30), Decimal(20)],
        other_revenues=[Decimal(10), Decimal(20)],
    )
    result = numbers(counts)
    assert result["referral_share"] == 0.4  # 4 / 10
    assert result["funnel"] == {
        "invites": 20,
        "clicks": 10,
        "signups": 5,
        "first_purchases": 4,
        "click_rate": 0.5,
        "signup_rate": 0.5,
        "purchase_rate": 0.8,
    }
    assert result["invites_per_referrer"] == 4.0  # 20 / 5
    assert result["invite_conversion"] == 0.2  # 4 / 20
    assert result["k_factor"] == 0.8  # 4 x 0.2
    assert result["reward_cost"] == "60.00"
    assert result["reward_cost_per_acquired_customer"] == "15.00"  # 60 / 4
    assert result["ltv"] == {
        "referred_mean": "50.00",
        "others_mean": "15.00",
        "referred_customers": 4,
        "other_customers": 2,
    }


def test_nothing_to_divide_by_gives_null_not_an_error() -> None:
    empty = Counts(0, 0, 0, 0, 0, 0, Decimal(0), [], [])
    result = numbers(empty)
    assert result["referral_share"] is None and result["k_factor"] is None
    assert result["reward_cost_per_acquired_customer"] is None
    ltv, funnel = result["ltv"], result["funnel"]
    assert isinstance(ltv, dict) and ltv["referred_mean"] is None
    assert isinstance(funnel, dict) and all(v is None for k, v in funnel.items() if k.endswith("rate"))
