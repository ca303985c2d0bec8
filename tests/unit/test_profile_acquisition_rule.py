"""The acquisition source rule (services/profile/domain.py acquisition_of) and the first touches a batch's stats
keep: earliest by event time whatever the delivery order, ties decided by value."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from services.profile.domain import (
    Acquisition,
    StatsDelta,
    Touches,
    UtmTouch,
    acquisition_of,
    earliest_utm,
)

T0 = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def test_no_touch_is_direct() -> None:
    assert acquisition_of(Touches()) == Acquisition("direct")
    # A first purchase without a channel decides nothing either.
    assert acquisition_of(Touches(first_purchase_at=at(0))) == Acquisition("direct")


def test_the_first_purchases_channel_without_utm() -> None:
    touches = Touches(first_purchase_at=at(5), first_purchase_channel="store")
    assert acquisition_of(touches) == Acquisition("store", at=at(5))


def test_utm_beats_the_purchase_channel_whenever_it_came() -> None:
    touches = Touches(
        first_utm=UtmTouch(at(60), "newsletter", "spring"), first_purchase_at=at(5), first_purchase_channel="web"
    )
    assert acquisition_of(touches) == Acquisition("newsletter", campaign="spring", at=at(60))


def test_referral_beats_utm_and_channel() -> None:
    touches = Touches(
        first_utm=UtmTouch(at(0), "newsletter", None),
        first_purchase_at=at(1),
        first_purchase_channel="web",
        referral_program_id="p_friends",
        referral_at=at(30),
    )
    assert acquisition_of(touches) == Acquisition("referral", program_id="p_friends", at=at(30))


def test_the_earliest_utm_touch_wins_in_any_order() -> None:
    touches = [
        (at(10), "ads", "b"),
        (at(3), "newsletter", "spring"),
        (at(3), "newsletter", None),  # same time: the smaller campaign (none) wins, whatever the order
        (at(7), "partner", None),
        (at(9), None, None),  # no utm_source: no touch
    ]
    results = set()
    for order in itertools.permutations(touches):
        delta = StatsDelta()
        for moment, source, campaign in order:
            delta.utm(moment, source, campaign)
        results.add(delta.first_utm)
    assert results == {UtmTouch(at(3), "newsletter", None)}


def test_the_first_purchases_channel_in_any_order() -> None:
    purchases = [(at(8), "web"), (at(2), "store"), (at(2), None), (at(5), "app")]
    results = set()
    for order in itertools.permutations(purchases):
        delta = StatsDelta()
        for moment, channel in order:
            delta.purchase(Decimal("1.00"), moment, channel)
        results.add((delta.first_purchase_at, delta.first_purchase_channel))
    assert results == {(at(2), None)}


def test_merging_two_first_touches_keeps_the_earlier() -> None:
    early, late = UtmTouch(at(1), "zeta", None), UtmTouch(at(2), "alpha", "x")
    assert earliest_utm(early, late) == earliest_utm(late, early) == early
    assert earliest_utm(None, late) == late
    assert earliest_utm(early, None) == early
    assert earliest_utm(None, None) is None
