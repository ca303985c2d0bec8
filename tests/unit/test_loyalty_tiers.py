"""Tiers with a moved clock: a member walked through days, months and years. Up at once; reviewed at the
anniversary; below it, kept through the grace period; after it, down to what the value reaches; qualifying again
during grace keeps the tier, renewed; progress to the next tier."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.http.loyalty import TierRules
from services.loyalty.domain.expiry import add_months as at_months
from services.loyalty.domain.tiers import (
    NO_TIER,
    Progress,
    TierChange,
    TierState,
    at_review,
    on_activity,
    progress,
    qualifying_tier,
)
from tests.unit.loyalty_fixtures import program

T0 = dt.datetime(2026, 1, 15, 10, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def rules(**changes: object) -> TierRules:
    tiers = program(tiers=changes).rules.tiers
    assert tiers is not None
    return tiers


LADDER = rules()  # member 0, silver 500, gold 1500; grace 30 days


def at(months: int = 0, days: int = 0) -> dt.datetime:
    """T0 moved on by months (calendar) and days."""
    year, month = divmod(T0.month - 1 + months, 12)
    return T0.replace(year=T0.year + year, month=month + 1) + days * DAY


def test_qualifying_tier_is_the_highest_reached() -> None:
    def name(value: str) -> str | None:
        tier = qualifying_tier(LADDER, Decimal(value))
        return None if tier is None else tier.name

    assert [name(v) for v in ("0", "499.99", "500", "1499", "1500", "9000")] == [
        "member",
        "member",
        "silver",
        "silver",
        "gold",
        "gold",
    ]
    assert qualifying_tier(rules(ladder=[{"name": "vip", "threshold": "100"}]), Decimal(99)) is None


def test_a_new_member_gets_the_lowest_tier_at_once() -> None:
    decision = on_activity(LADDER, NO_TIER, Decimal(0), T0)
    assert decision.change == TierChange(None, "member", "up", "qualifying spend 0 reached member (0)")
    assert decision.state == TierState("member", T0, at(12), None)


def test_a_member_walked_through_up_grace_and_down() -> None:
    state = on_activity(LADDER, NO_TIER, Decimal(20), T0).state
    # a day later: 520 spent -> silver at once
    up = on_activity(LADDER, state, Decimal("520.00"), at(days=1))
    assert up.change == TierChange("member", "silver", "up", "qualifying spend 520.00 reached silver (500)")
    assert up.state == TierState("silver", at(days=1), at(12, 1), None)
    # a month later: 1520 -> gold
    gold = on_activity(LADDER, up.state, Decimal("1520.00"), at(1, 1))
    assert gold.change is not None and gold.change.reason == "qualifying spend 1520.00 reached gold (1500)"
    state = gold.state
    assert state == TierState("gold", at(1, 1), at(13, 1), None)
    # the nightly reviews before the anniversary change nothing, whatever the value
    for now in (at(2), at(6), at(13)):
        assert at_review(LADDER, state, Decimal(10), now).state == state
    # and activity never lowers a tier
    assert on_activity(LADDER, state, Decimal(10), at(7)).state == state
    # the anniversary: 1200 is below gold -> grace for 30 days, no event
    anniversary = at(13, 1)
    review = at_review(LADDER, state, Decimal(1200), anniversary)
    assert review.change is None
    state = review.state
    assert state == TierState("gold", at(1, 1), anniversary, anniversary + 30 * DAY)
    # during grace: nothing
    for now in (anniversary + DAY, anniversary + 29 * DAY, anniversary + 30 * DAY - dt.timedelta(seconds=1)):
        assert at_review(LADDER, state, Decimal(1200), now) == review
    # grace over: down to what 700 reaches
    end = anniversary + 30 * DAY
    down = at_review(LADDER, state, Decimal(700), end)
    assert down.change is not None
    assert (down.change.previous, down.change.current, down.change.direction) == ("gold", "silver", "down")
    assert (
        down.change.reason
        == "qualifying spend 700 below gold (1500) at the anniversary and after the grace period: silver"
    )
    assert down.state == TierState("silver", end, end.replace(year=end.year + 1), None)
    # the next review of silver is a year later
    assert at_review(LADDER, down.state, Decimal(700), end + 364 * DAY).state == down.state


def test_a_review_missed_for_days_still_lowers_after_grace_in_one_go() -> None:
    state = TierState("gold", T0, at(12), None)
    # the job did not run for two months: the anniversary and the grace are both past
    decision = at_review(LADDER, state, Decimal(0), at(14))
    assert decision.change is not None and decision.change.current == "member"
    assert decision.state.since == at(14) and decision.state.grace_until is None


def test_qualifying_again_during_grace_keeps_the_tier_renewed() -> None:
    state = TierState("gold", T0, at(12), at(12, 30))
    back = on_activity(LADDER, state, Decimal(1500), at(12, 10))
    assert back.change is None
    assert back.state == TierState("gold", T0, at(24, 10), None)
    # at the old end of grace nothing happens any more
    assert at_review(LADDER, back.state, Decimal(1500), at(12, 30)).state == back.state
    # not enough yet: still in grace
    assert on_activity(LADDER, state, Decimal(1499), at(12, 10)).state == state


def test_reaching_a_higher_tier_during_grace_is_an_upgrade() -> None:
    state = TierState("silver", T0, at(12), at(12, 30))
    decision = on_activity(LADDER, state, Decimal(1600), at(12, 3))
    assert decision.change is not None and decision.change.direction == "up"
    assert decision.state == TierState("gold", at(12, 3), at(24, 3), None)


def test_still_qualified_at_the_anniversary_renews_for_a_year() -> None:
    state = TierState("silver", T0, at(12), None)
    renewed = at_review(LADDER, state, Decimal(800), at(12))
    assert renewed.change is None
    assert renewed.state == TierState("silver", T0, at(24), None)
    # reviews missed for years: the next anniversary after now, on the same date
    late = at_review(LADDER, state, Decimal(800), at(40))
    assert late.state.anniversary == at(48)


def test_qualified_at_review_while_in_grace_renews_from_the_anniversary() -> None:
    state = TierState("silver", T0, at(12), at(12, 30))
    renewed = at_review(LADDER, state, Decimal(500), at(12, 5))
    assert renewed.state == TierState("silver", T0, at(24), None)


def test_without_grace_the_tier_is_lowered_at_the_anniversary() -> None:
    no_grace = rules(grace_days=0)
    state = TierState("gold", T0, at(12), None)
    assert at_review(no_grace, state, Decimal(600), at(12) - dt.timedelta(seconds=1)).state == state
    down = at_review(no_grace, state, Decimal(600), at(12))
    assert down.change is not None and down.change.current == "silver"


def test_a_tier_lost_with_no_tier_reached_leaves_the_member_without_one() -> None:
    ladder = rules(ladder=[{"name": "vip", "threshold": "100"}], grace_days=0)
    state = TierState("vip", T0, at(12), None)
    decision = at_review(ladder, state, Decimal(10), at(12))
    assert decision.state == NO_TIER
    assert decision.change == TierChange(
        previous="vip",
        current=None,
        direction="down",
        reason="qualifying spend 10 below vip (100) at the anniversary and after the grace period: no tier",
    )
    # no tier and nothing reached: nothing happens
    assert on_activity(ladder, NO_TIER, Decimal(10), at(13)).state == NO_TIER
    assert at_review(ladder, NO_TIER, Decimal(10), at(13)).state == NO_TIER


def test_a_tier_no_longer_on_the_ladder_is_replaced_by_what_the_value_reaches() -> None:
    state = TierState("platinum", T0, at(12), None)
    decision = on_activity(LADDER, state, Decimal(600), at(3))
    assert decision.change is not None and decision.change.current == "silver"


def test_the_points_basis_says_so_in_its_reasons() -> None:
    by_points = rules(basis="points")
    decision = on_activity(by_points, NO_TIER, Decimal(600), T0)
    assert decision.change is not None and decision.change.reason == "qualifying points 600 reached silver (500)"


def test_an_anniversary_on_29_february_comes_back_clamped() -> None:
    leap = dt.datetime(2028, 2, 29, 12, tzinfo=dt.UTC)
    decision = on_activity(LADDER, NO_TIER, Decimal(600), leap)
    assert decision.state.anniversary == dt.datetime(2029, 2, 28, 12, tzinfo=dt.UTC)


def test_progress_to_the_next_tier() -> None:
    silver = TierState("silver", T0, at(12), None)
    assert progress(LADDER, silver, Decimal("720.00")) == Progress("gold", Decimal("780.00"), 0.48)
    assert progress(LADDER, TierState("gold", T0, at(12), None), Decimal(2000)) == Progress(None, None, None)
    # kept in grace below the tier: the next one is still above the tier held
    assert progress(LADDER, TierState("gold", T0, at(12), at(12, 30)), Decimal(700)) == Progress(None, None, None)
    member = TierState("member", T0, at(12), None)
    assert progress(LADDER, member, Decimal(600)) == Progress("silver", Decimal(0), 1.0)  # before the upgrade lands
    ladder = rules(ladder=[{"name": "vip", "threshold": "100"}, {"name": "vvip", "threshold": "400"}])
    assert progress(ladder, NO_TIER, Decimal(25)) == Progress("vip", Decimal(75), 0.25)


def _rank(name: str | None) -> int:
    return ["member", "silver", "gold"].index(name) if name is not None else -1


@settings(max_examples=60)
@given(st.lists(st.tuples(st.integers(1, 60), st.integers(0, 2500)), min_size=1, max_size=40))
def test_a_random_walk_keeps_the_tier_rules(steps: list[tuple[int, int]]) -> None:
    """Each step moves the clock on by some days and sets the qualifying value; activity then the nightly review."""
    state, now = NO_TIER, T0
    for days, spent in steps:
        now += days * DAY
        value = Decimal(spent)
        for decide in (on_activity, at_review):
            before = state
            decision = decide(LADDER, before, value, now)
            state = decision.state
            change = decision.change
            if change is not None:
                assert change.previous == before.tier and change.current == state.tier
                assert state.since == now and state.anniversary == at_months(now, 12) and state.grace_until is None
                if change.direction == "up":
                    assert _rank(state.tier) > _rank(before.tier)
                else:
                    assert decide is at_review and _rank(state.tier) < _rank(before.tier)
                    assert before.anniversary is not None
                    assert now >= before.anniversary + LADDER.grace_days * DAY
            else:
                assert state.tier == before.tier
        assert state.tier is not None  # the lowest tier has threshold 0
        assert state.anniversary is not None
        # after the review: before the anniversary, or in a grace that has not ended
        assert now < state.anniversary or (state.grace_until is not None and now < state.grace_until)
