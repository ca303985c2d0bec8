"""The referral engine on in-memory books: attribution, rewards once, tiers, limits, budget, fraud holds,
refunds and eligibility, with the announcements each produces."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from services.referral.domain.engine import Book, Engine
from services.referral.domain.program import parse_program

T0 = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)
BASE: dict[str, Any] = {
    "name": "Friends",
    "referrer_reward": {"kind": "amount", "value": "10", "trigger": "first_purchase", "min_purchase": "20"},
    "friend_reward": {"kind": "percent", "value": "15", "trigger": "signup"},
}


def book(**overrides: Any) -> Book:
    b = Book()
    b.programs["p"] = parse_program({**BASE, **overrides})
    b.codes.update({"R1": ("p", "r1"), "R2": ("p", "r2")})
    return b


def rewards(b: Book) -> list[tuple[str, str, str, str | None]]:
    return sorted((r.beneficiary_id, r.role, r.status, r.reason) for r in b.rewards.values())


def said(engine: Engine) -> list[tuple[str, str]]:
    return [(what, getattr(s, "reward_id", getattr(s, "friend_id", ""))) for what, s in engine.changes.announcements]


def test_sign_up_and_first_purchase_reward_each_side_once() -> None:
    b = book()
    engine = Engine(b)
    engine.referral("f1", "link_clicked", "R1", T0)
    engine.referral("f1", "signed_up", "R1", T0 + MINUTE)
    engine.purchase("f1", "o1", Decimal(25), None, T0 + DAY)
    engine.purchase("f1", "o1", Decimal(25), None, T0 + DAY)  # the same order again
    engine.purchase("f1", "o2", Decimal(90), None, T0 + 2 * DAY)  # a second purchase earns nothing
    engine.referral("f1", "signed_up", "R1", T0 + 2 * DAY)
    assert rewards(b) == [("f1", "friend", "granted", None), ("r1", "referrer", "granted", None)]
    assert said(engine) == [("attributed", "f1"), ("granted", "rw_p_f1_friend"), ("granted", "rw_p_f1_referrer")]
    attribution = b.attributions["f1"]
    assert (attribution.status, attribution.referrer_id, attribution.order_id) == ("purchased", "r1", "o1")
    assert attribution.first_touch_at == T0 and attribution.qualified


def test_a_purchase_under_the_minimum_does_not_qualify_but_a_later_one_does() -> None:
    b = book()
    engine = Engine(b)
    engine.referral("f1", "signed_up", "R1", T0)
    engine.purchase("f1", "o1", Decimal(19), None, T0 + DAY)
    assert ("r1", "referrer") not in {(r.beneficiary_id, r.role) for r in b.rewards.values()}
    engine.purchase("f1", "o2", Decimal(20), None, T0 + 2 * DAY)
    assert b.rewards["rw_p_f1_referrer"].order_id == "o2"


def test_the_first_touch_in_the_window_wins_over_the_code_used_to_sign_up() -> None:
    b = book()
    engine = Engine(b)
    engine.referral("f1", "link_clicked", "R1", T0)
    engine.referral("f1", "link_clicked", "R2", T0 + DAY)
    engine.referral("f1", "signed_up", "R2", T0 + 2 * DAY)
    assert b.attributions["f1"].referrer_id == "r1"


def test_an_expired_first_touch_gives_way_to_a_touch_within_the_window() -> None:
    b = book(attribution_window_days=30)
    engine = Engine(b)
    engine.referral("f1", "link_clicked", "R1", T0)
    engine.referral("f1", "signed_up", "R2", T0 + 31 * DAY)
    assert b.attributions["f1"].referrer_id == "r2"


def test_a_purchase_after_the_window_earns_nothing() -> None:
    b = book()
    engine = Engine(b)
    engine.referral("f1", "signed_up", "R1", T0)
    engine.purchase("f1", "o1", Decimal(50), None, T0 + 31 * DAY)
    assert "rw_p_f1_referrer" not in b.rewards and b.attributions["f1"].status == "signed_up"


def test_a_purchase_with_a_code_is_a_touch_and_attributes() -> None:
    b = book()
    engine = Engine(b)
    engine.purchase("f1", "o1", Decimal(50), "R2", T0)
    assert b.attributions["f1"].referrer_id == "r2" and b.attributions["f1"].status == "purchased"
    assert b.rewards["rw_p_f1_referrer"].status == "granted"
    assert b.customers["f1"].first_purchase_at == T0


def test_an_existing_customer_is_not_counted_as_new() -> None:
    b = book()
    engine = Engine(b)
    engine.purchase("f1", "o0", Decimal(50), None, T0 - DAY)
    engine.referral("f1", "signed_up", "R1", T0)
    attribution = b.attributions["f1"]
    assert attribution.status == "rejected" and attribution.reason is not None
    assert attribution.reason.startswith("existing customer")
    assert b.rewards == {}


def test_self_referral_by_a_shared_device_grants_nothing() -> None:
    b = book()
    engine = Engine(b)
    engine.observe("r1", {("anonymous_id", "dev-1")})
    engine.observe("f1", {("anonymous_id", "dev-1")})
    engine.referral("f1", "signed_up", "R1", T0)
    engine.purchase("f1", "o1", Decimal(50), None, T0 + DAY)
    assert b.attributions["f1"].reason == "self-referral: same device id" and b.rewards == {}


def test_unknown_codes_and_invites_attribute_nothing() -> None:
    b = book()
    engine = Engine(b)
    engine.referral("f1", "signed_up", "NOPE", T0)
    engine.referral("r1", "invite_sent", "R1", T0)
    assert b.attributions == {} and len(engine.changes.invites) == 1 and engine.changes.touches == []


def test_tiers_reward_the_referrer_once_per_tier() -> None:
    b = book(tiers=[{"friends": 2, "name": "gold", "reward": {"kind": "points", "value": "500"}}])
    engine = Engine(b)
    for n in range(3):
        engine.referral(f"f{n}", "signed_up", "R1", T0 + n * MINUTE)
        engine.purchase(f"f{n}", f"o{n}", Decimal(30), None, T0 + DAY + n * MINUTE)
    tier = b.rewards["rw_p_r1_tier_2"]
    assert (tier.tier, tier.kind, tier.value, tier.status, tier.friend_id) == (
        "gold",
        "points",
        Decimal(500),
        "granted",
        None,
    )
    assert sum(1 for r in b.rewards.values() if r.trigger == "tier") == 1
    assert b.successful[("p", "r1")] == 3


def two_friends_of_r1_buy(engine: Engine) -> None:
    """f0 and f1 sign up with R1's code a minute apart and each make a qualifying first purchase."""
    for n in range(2):
        engine.referral(f"f{n}", "signed_up", "R1", T0 + n * MINUTE)
        engine.purchase(f"f{n}", f"o{n}", Decimal(30), None, T0 + DAY)


def test_the_monthly_limit_refuses_further_referrer_rewards_with_the_reason() -> None:
    b = book(limits={"rewards_per_referrer_per_month": 1})
    engine = Engine(b)
    two_friends_of_r1_buy(engine)
    assert b.rewards["rw_p_f0_referrer"].status == "granted"
    assert b.rewards["rw_p_f1_referrer"].status == "rejected"
    assert b.rewards["rw_p_f1_referrer"].reason == "limit: 1 rewards per referrer per month reached"
    assert b.rewards["rw_p_f1_friend"].status == "granted"  # the friend's reward is not the referrer's limit
    engine.referral("f9", "signed_up", "R1", T0 + 31 * DAY)
    engine.purchase("f9", "o9", Decimal(30), None, T0 + 32 * DAY)  # July: a new month
    assert b.rewards["rw_p_f9_referrer"].status == "granted"


def test_the_budget_refuses_money_it_cannot_cover() -> None:
    b = book(limits={"budget": "15"})
    b.budget_used["p"] = Decimal(0)
    engine = Engine(b)
    two_friends_of_r1_buy(engine)
    assert b.rewards["rw_p_f0_referrer"].status == "granted"
    assert b.rewards["rw_p_f1_referrer"].status == "rejected"
    assert b.budget_used["p"] == Decimal(10)


def test_many_sign_ups_from_one_device_are_held_for_review() -> None:
    b = book(fraud={"max_signups_per_device": 2, "window_hours": 24})
    engine = Engine(b)
    for n in range(3):
        engine.observe(f"f{n}", {("anonymous_id", "dev-9")})
        engine.referral(f"f{n}", "signed_up", "R1", T0 + n * MINUTE)
    assert [b.rewards[f"rw_p_f{n}_friend"].status for n in range(3)] == ["granted", "granted", "held"]
    assert b.attributions["f2"].fraud == "fraud: 3 sign-ups from one device id within 24h (max 2)"
    assert ("held", "rw_p_f2_friend") in said(engine)


def test_rewards_above_the_review_threshold_are_held() -> None:
    b = book(review={"hold_amount_above": "5"})
    engine = Engine(b)
    engine.referral("f1", "signed_up", "R1", T0)
    engine.purchase("f1", "o1", Decimal(30), None, T0 + DAY)
    assert b.rewards["rw_p_f1_referrer"].status == "held"
    assert b.rewards["rw_p_f1_friend"].status == "granted"  # percent: no threshold set


def test_a_refund_reverses_granted_rewards_and_refuses_held_ones() -> None:
    b = book(
        friend_reward={"kind": "amount", "value": "60", "trigger": "first_purchase"},
        review={"hold_amount_above": "50"},
    )
    engine = Engine(b)
    engine.referral("f1", "signed_up", "R1", T0)
    engine.purchase("f1", "o1", Decimal(30), None, T0 + DAY)
    engine.refund("o1", Decimal(30), T0 + 2 * DAY)
    assert b.rewards["rw_p_f1_referrer"].status == "reversed"
    assert b.rewards["rw_p_f1_referrer"].reason == "qualifying purchase o1 refunded"
    assert b.rewards["rw_p_f1_friend"].status == "rejected"  # was held: never granted, nothing to reverse
    assert ("reversed", "rw_p_f1_referrer") in said(engine)
    assert ("reversed", "rw_p_f1_friend") not in said(engine)
    assert not b.attributions["f1"].qualified and b.successful[("p", "r1")] == 0
    assert b.budget_used["p"] == Decimal(0)


def test_a_late_refund_reverses_nothing() -> None:
    b = book()
    engine = Engine(b)
    engine.referral("f1", "signed_up", "R1", T0)
    engine.purchase("f1", "o1", Decimal(30), None, T0 + DAY)
    engine.refund("o1", Decimal(30), T0 + 40 * DAY)
    assert b.rewards["rw_p_f1_referrer"].status == "granted"


def test_only_segment_members_may_refer() -> None:
    b = book(eligibility={"who": "segment", "segment": "promoters"})
    b.segments.add(("promoters", "r2"))
    engine = Engine(b)
    engine.referral("f1", "signed_up", "R1", T0)
    engine.referral("f2", "signed_up", "R2", T0)
    assert b.attributions["f1"].reason == "referrer not eligible: not in segment promoters"
    assert b.attributions["f2"].status == "signed_up"


def test_a_program_outside_its_dates_attributes_nothing() -> None:
    b = book(valid_until=T0.isoformat())
    engine = Engine(b)
    engine.referral("f1", "signed_up", "R1", T0)
    assert b.attributions["f1"].status == "rejected" and b.rewards == {}
