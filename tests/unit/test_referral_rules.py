"""Referral rules, one at a time: first touch in the window, self-referral, existing customers, fraud
thresholds, limits, budget, review threshold, tiers and refunds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from services.referral.domain import rules
from services.referral.domain.codes import code_for
from services.referral.domain.program import Fraud, InvalidProgram, Reward, RewardKind, Tier, parse_program
from services.referral.domain.rules import Touch, Usage

T0 = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
WINDOWS = {"p": 30 * DAY, "q": 7 * DAY}


def touch(code: str, at: dt.datetime, program: str = "p", referrer: str = "r1") -> Touch:
    return Touch("f", program, code, referrer, "link_clicked", at)


def test_the_first_touch_within_the_window_wins() -> None:
    first, second = touch("A", T0, referrer="r1"), touch("B", T0 + DAY, referrer="r2")
    assert rules.first_touch([second, first], T0 + 2 * DAY, WINDOWS) == first


def test_a_touch_older_than_the_window_no_longer_counts() -> None:
    old, recent = touch("A", T0), touch("B", T0 + 20 * DAY, referrer="r2")
    assert rules.first_touch([old, recent], T0 + 31 * DAY, WINDOWS) == recent
    assert rules.first_touch([old], T0 + 30 * DAY, WINDOWS) == old  # the window's last moment still counts
    assert rules.first_touch([old], T0 + 30 * DAY + dt.timedelta(seconds=1), WINDOWS) is None


def test_each_touch_uses_its_own_programs_window_and_later_touches_do_not_count() -> None:
    short = touch("Q", T0, program="q")
    assert rules.first_touch([short], T0 + 8 * DAY, WINDOWS) is None
    assert rules.first_touch([touch("A", T0 + DAY)], T0, WINDOWS) is None


def test_self_referral_by_customer_or_shared_identifier() -> None:
    assert rules.self_referral_reason("c1", "c1", [], []) == "self-referral: same customer"
    email = ("email", "ada@example.com")
    assert rules.self_referral_reason("c2", "c1", [email], [email]) == "self-referral: same email"
    phone = ("phone", "+4915112345678")
    assert rules.self_referral_reason("c2", "c1", [phone], [phone, email]) == "self-referral: same phone"
    device = ("anonymous_id", "dev-1")
    assert rules.self_referral_reason("c2", "c1", [device], [device]) == "self-referral: same device id"
    assert rules.self_referral_reason("c2", "c1", [("email", "bob@x.org")], [email]) is None


def test_a_customer_who_bought_before_the_first_touch_is_not_new() -> None:
    assert rules.existing_customer_reason(T0 - DAY, T0) is not None
    assert rules.existing_customer_reason(T0, T0) is None  # the purchase that carried the code
    assert rules.existing_customer_reason(None, T0) is None
    assert rules.existing_customer_reason(T0 + DAY, T0) is None


def test_fraud_thresholds_on_device_and_email_domain() -> None:
    fraud = Fraud(window_hours=24, max_signups_per_device=2, max_signups_per_email_domain=3)
    hour = dt.timedelta(hours=1)
    two = [T0 - hour, T0]
    three = [T0 - 2 * hour, T0 - hour, T0]
    assert rules.fraud_reason(fraud, T0, "dev", two, None, []) is None
    assert rules.fraud_reason(fraud, T0, "dev", three, None, []) == (
        "fraud: 3 sign-ups from one device id within 24h (max 2)"
    )
    stale = [T0 - 30 * hour, T0 - 25 * hour, T0]  # outside the window: not counted
    assert rules.fraud_reason(fraud, T0, "dev", stale, None, []) is None
    four = [*three, T0 - 3 * hour]
    assert rules.fraud_reason(fraud, T0, None, [], "spam.biz", four) == (
        "fraud: 4 sign-ups from email domain spam.biz within 24h (max 3)"
    )
    assert rules.fraud_reason(fraud, T0, None, [], "gmail.com", four) is None  # webmail is shared by honest friends


PROGRAM = parse_program(
    {
        "name": "p",
        "limits": {"rewards_per_referrer_per_month": 2, "budget": "100"},
        "review": {"hold_amount_above": "50", "hold_points_above": "1000"},
    }
)


def decide(
    kind: RewardKind, value: str, *, monthly: bool = True, used: int = 0, budget: str = "0", fraud: str | None = None
) -> rules.Decision:
    usage = Usage(referrer_rewards_this_month=used, budget_used=Decimal(budget))
    return rules.decide_reward(
        PROGRAM, kind, Decimal(value), counts_toward_monthly_limit=monthly, usage=usage, fraud=fraud
    )


def test_rewards_are_granted_within_limits() -> None:
    assert decide("amount", "10") == rules.Decision("granted", None)


def test_the_monthly_limit_per_referrer() -> None:
    refused = decide("amount", "10", used=2)
    assert refused.status == "rejected" and refused.reason == "limit: 2 rewards per referrer per month reached"
    assert decide("amount", "10", used=2, monthly=False).status == "granted"  # friend rewards and tiers


def test_the_program_budget_counts_money_only() -> None:
    assert decide("amount", "10", budget="90").status == "granted"
    refused = decide("amount", "10.01", budget="90")
    assert refused.status == "rejected" and refused.reason == "budget: 90 of 100 used, 10.01 does not fit"
    assert decide("points", "500", budget="100").status == "granted"


def test_the_review_threshold_and_fraud_hold() -> None:
    held = decide("amount", "60")
    assert held.status == "held" and held.reason == "value 60 above the review threshold 50"
    assert decide("amount", "50").status == "granted"
    assert decide("points", "1001").status == "held"
    assert decide("percent", "90").status == "granted"  # no threshold for percent in this program
    assert decide("amount", "1", fraud="fraud: x") == rules.Decision("held", "fraud: x")


def test_tiers_are_reached_once_each() -> None:
    tiers = [Tier(friends=5, name="gold"), Tier(friends=1, name="bronze"), Tier(friends=3, name="silver")]
    assert [t.name for t in rules.tiers_reached(tiers, 3, [])] == ["bronze", "silver"]
    assert [t.name for t in rules.tiers_reached(tiers, 5, [1, 3])] == ["gold"]
    assert rules.tiers_reached(tiers, 2, [1]) == []


def test_a_refund_reverses_when_the_purchase_no_longer_qualifies_within_the_window() -> None:
    rule = Reward(kind="amount", value=Decimal(10), min_purchase=Decimal(20))
    window = 30 * DAY
    assert rules.refund_reverses(rule, Decimal(30), Decimal(30), T0, T0 + DAY, window)
    assert rules.refund_reverses(rule, Decimal(30), Decimal(11), T0, T0 + DAY, window)  # 19 left, under 20
    assert not rules.refund_reverses(rule, Decimal(30), Decimal(10), T0, T0 + DAY, window)  # 20 left
    assert not rules.refund_reverses(rule, Decimal(30), Decimal(30), T0, T0 + 31 * DAY, window)


def test_codes_are_stable_and_distinct() -> None:
    code = code_for("ws", "p1", "c1", "TEA")
    assert code == code_for("ws", "p1", "c1", "TEA") and code.startswith("TEA-") and len(code) == 10
    assert (
        len(
            {
                code,
                code_for("ws", "p2", "c1", "TEA"),
                code_for("ws", "p1", "c2", "TEA"),
                code_for("w2", "p1", "c1", "TEA"),
            }
        )
        == 4
    )


def test_program_documents_are_validated_with_every_problem_named() -> None:
    with pytest.raises(InvalidProgram) as caught:
        parse_program(
            {
                "name": "",
                "eligibility": {"who": "segment"},
                "friend_reward": {"kind": "percent", "value": "120"},
                "tiers": [{"friends": 2, "name": "a"}, {"friends": 2, "name": "b"}],
                "bogus": 1,
            }
        )
    fields = {e["field"] for e in caught.value.errors}
    assert {"name", "eligibility", "friend_reward", "bogus"} <= fields
    program = parse_program({"name": "ok"})
    assert program.window == 30 * DAY and program.running_at(T0)
    window = parse_program({"name": "ok", "valid_from": T0.isoformat(), "valid_until": (T0 + DAY).isoformat()})
    assert window.running_at(T0) and not window.running_at(T0 + DAY) and not window.running_at(T0 - DAY)
