"""Profile's facts: traits, stats (order-independent) and the timeline cursors of services/profile/view_store.py."""

from __future__ import annotations

import base64
import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson
import pytest

from contracts.traits import apply_traits, merge_traits
from runtime.pagination import BadCursor, encode_cursor
from services.profile.domain import (
    AttributeDefinition,
    InvalidTraits,
    StatsDelta,
    TraitBudget,
    average_order_value,
    check_trait,
    validate_traits,
)
from services.profile.view_store import timeline_key

T0 = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def stamp(moment: dt.datetime) -> str:
    """How apply_traits records a trait's time."""
    return moment.astimezone(dt.UTC).isoformat()


# --- traits ---------------------------------------------------------------------------------------

DEFINITIONS = {
    "nickname": AttributeDefinition("nickname", "string"),
    "age": AttributeDefinition("age", "number"),
    "vip": AttributeDefinition("vip", "boolean"),
    "birthday": AttributeDefinition("birthday", "date"),
    "tier": AttributeDefinition("tier", "enum", enum_values=("bronze", "silver", "gold")),
}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("nickname", "Ada"),
        ("nickname", ""),
        ("age", 36),
        ("age", 0),
        ("age", 36.5),
        ("age", Decimal("36.5")),
        ("vip", True),
        ("vip", False),
        ("birthday", "1815-12-10"),
        ("birthday", "2024-02-29"),
        ("birthday", "2024-03-01T12:00:00+01:00"),
        ("tier", "gold"),
    ],
)
def test_check_trait_accepts_values_of_the_attribute_type(name: str, value: Any) -> None:
    assert check_trait(DEFINITIONS[name], value) is None


@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_check_trait_accepts_null_for_every_type(name: str) -> None:
    assert check_trait(DEFINITIONS[name], None) is None


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("nickname", 7, "trait 'nickname' must be a string (got a number)"),
        ("age", "36", "trait 'age' must be a number (got a string)"),
        ("age", True, "trait 'age' must be a number (got a boolean)"),
        ("vip", 1, "trait 'vip' must be a boolean (got a number)"),
        ("vip", "true", "trait 'vip' must be a boolean (got a string)"),
        ("nickname", ["Ada"], "trait 'nickname' must be a string (got an array)"),
        ("nickname", {"first": "Ada"}, "trait 'nickname' must be a string (got an object)"),
        ("birthday", "2023-02-29", "trait 'birthday' must be a date (got a string that is not one)"),
        ("birthday", "yesterday", "trait 'birthday' must be a date (got a string that is not one)"),
        ("birthday", "2024-03-01Tnoon", "trait 'birthday' must be a date (got a string that is not one)"),
        ("birthday", 20240301, "trait 'birthday' must be a date (got a number)"),
        ("tier", "platinum", "trait 'tier' must be one of bronze, silver, gold (got another string)"),
        ("tier", "Gold", "trait 'tier' must be one of bronze, silver, gold (got another string)"),
        ("tier", 3, "trait 'tier' must be one of bronze, silver, gold (got a number)"),
    ],
)
def test_check_trait_explains_a_value_of_the_wrong_type_without_quoting_it(name: str, value: Any, message: str) -> None:
    assert check_trait(DEFINITIONS[name], value) == message


BUDGET = TraitBudget(value_bytes=8192)


def test_validate_traits_accepts_valid_null_and_undefined_traits() -> None:
    validate_traits({"age": 36, "tier": None, "favourite_tea": ["green", 1]}, DEFINITIONS, BUDGET)


def test_validate_traits_reports_every_invalid_trait() -> None:
    with pytest.raises(InvalidTraits) as raised:
        validate_traits({"age": "old", "nickname": "Ada", "tier": "platinum"}, DEFINITIONS, BUDGET)

    assert str(raised.value) == (
        "trait 'age' must be a number (got a string); "
        "trait 'tier' must be one of bronze, silver, gold (got another string)"
    )


def test_apply_traits_sets_values_and_records_their_time_in_utc() -> None:
    traits, times = apply_traits({}, {}, {"city": "Berlin"}, at(0).astimezone(dt.timezone(dt.timedelta(hours=2))))

    assert traits == {"city": "Berlin"}
    assert times == {"city": "2024-03-01T12:00:00+00:00"}


def test_apply_traits_newer_update_overwrites() -> None:
    traits, times = apply_traits({"city": "Berlin"}, {"city": stamp(at(0))}, {"city": "Paris"}, at(5))

    assert traits == {"city": "Paris"}
    assert times == {"city": stamp(at(5))}


def test_apply_traits_older_update_does_not_overwrite_a_newer_value() -> None:
    traits, times = apply_traits(
        {"city": "Paris", "name": "Ada"}, {"city": stamp(at(5))}, {"city": "Berlin", "name": "Ada L."}, at(0)
    )

    assert traits == {"city": "Paris", "name": "Ada L."}  # name had no time yet, so the update applies
    assert times == {"city": stamp(at(5)), "name": stamp(at(0))}


def test_apply_traits_compares_event_times_across_time_zones() -> None:
    # 13:30 at +02:00 is 11:30 UTC: older than the stored 12:00 UTC, although its wall clock is later
    earlier_elsewhere = dt.datetime(2024, 3, 1, 13, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))

    traits, _ = apply_traits({"city": "Paris"}, {"city": stamp(at(0))}, {"city": "Berlin"}, earlier_elsewhere)

    assert traits == {"city": "Paris"}


def test_apply_traits_orders_sub_second_times() -> None:
    traits, _ = apply_traits(
        {"city": "Paris"}, {"city": stamp(at(0) + dt.timedelta(microseconds=1))}, {"city": "Berlin"}, at(0)
    )

    assert traits == {"city": "Paris"}


def test_apply_traits_null_unsets_and_is_remembered_against_older_values() -> None:
    traits, times = apply_traits({"city": "Paris"}, {"city": stamp(at(0))}, {"city": None}, at(5))
    assert traits == {}
    assert times == {"city": stamp(at(5))}

    traits, times = apply_traits(traits, times, {"city": "Berlin"}, at(1))
    assert traits == {}


def test_apply_traits_gives_the_same_result_in_any_delivery_order() -> None:
    updates: list[tuple[dict[str, Any], dt.datetime]] = [
        ({"city": "Berlin", "tier": "gold"}, at(0)),
        ({"city": None}, at(2)),
        ({"tier": "silver"}, at(1)),
    ]
    results = []
    for order in itertools.permutations(updates):
        traits: dict[str, Any] = {}
        times: dict[str, str] = {}
        for update, moment in order:
            traits, times = apply_traits(traits, times, update, moment)
        results.append((traits, times))

    assert all(result == results[0] for result in results)
    assert results[0] == ({"tier": "silver"}, {"city": stamp(at(2)), "tier": stamp(at(1))})


def test_apply_traits_leaves_its_inputs_unchanged() -> None:
    traits, times = {"city": "Paris"}, {"city": stamp(at(0))}

    apply_traits(traits, times, {"city": None, "name": "Ada"}, at(5))

    assert traits == {"city": "Paris"}
    assert times == {"city": stamp(at(0))}


def test_merge_traits_keeps_the_newest_value_of_each_trait() -> None:
    survivor = ({"city": "Paris", "name": "Ada"}, {"city": stamp(at(5)), "name": stamp(at(0))})
    merged = (
        {"city": "Berlin", "name": "Ada L.", "tier": "gold"},
        {"city": stamp(at(1)), "name": stamp(at(9)), "tier": stamp(at(3))},
    )

    traits, times = merge_traits(survivor, merged)

    assert traits == {"city": "Paris", "name": "Ada L.", "tier": "gold"}
    assert times == {"city": stamp(at(5)), "name": stamp(at(9)), "tier": stamp(at(3))}


def test_merge_traits_applies_a_newer_unset_from_the_merged_profile() -> None:
    survivor = ({"city": "Paris"}, {"city": stamp(at(0))})
    merged: tuple[dict[str, Any], dict[str, str]] = ({}, {"city": stamp(at(5))})

    assert merge_traits(survivor, merged) == ({}, {"city": stamp(at(5))})


def test_merge_traits_keeps_the_survivors_newer_unset() -> None:
    survivor: tuple[dict[str, Any], dict[str, str]] = ({}, {"city": stamp(at(5))})
    merged = ({"city": "Berlin"}, {"city": stamp(at(0))})

    assert merge_traits(survivor, merged) == ({}, {"city": stamp(at(5))})


def test_merge_traits_leaves_its_inputs_unchanged() -> None:
    survivor = ({"city": "Paris"}, {"city": stamp(at(0))})
    merged: tuple[dict[str, Any], dict[str, str]] = ({}, {"city": stamp(at(5))})

    merge_traits(survivor, merged)

    assert survivor == ({"city": "Paris"}, {"city": stamp(at(0))})


# --- stats ----------------------------------------------------------------------------------------


def test_purchases_count_orders_revenue_and_purchase_times() -> None:
    delta = StatsDelta()

    delta.purchase(Decimal("19.95"), at(10))
    delta.purchase(Decimal("40.05"), at(0))

    assert (delta.orders, delta.revenue) == (2, Decimal("60.00"))
    assert (delta.first_purchase_at, delta.last_purchase_at) == (at(0), at(10))


def test_the_second_purchase_time_is_the_second_smallest_in_any_order() -> None:
    times = [at(30), at(10), at(20), at(0), at(10)]
    for order in (times, list(reversed(times)), sorted(times)):
        delta = StatsDelta()
        for when in order:
            delta.purchase(Decimal(1), when)
        assert (delta.first_purchase_at, delta.second_purchase_at) == (at(0), at(10))
    one = StatsDelta()
    one.purchase(Decimal(1), at(5))
    assert one.second_purchase_at is None


def test_a_refund_lowers_revenue_but_not_orders() -> None:
    delta = StatsDelta()
    delta.purchase(Decimal("60"), at(0))

    delta.refund(Decimal("19.95"))

    assert (delta.orders, delta.revenue) == (1, Decimal("40.05"))


def test_visits_count_and_keep_the_latest_time() -> None:
    delta = StatsDelta()

    delta.visit(at(5))
    delta.visit(at(1))

    assert (delta.visits, delta.last_visit_at) == (2, at(5))


def test_tickets_sum_csat_and_keep_the_latest_nps() -> None:
    delta = StatsDelta()

    delta.answer(4, 9, at(5))
    delta.answer(2, 3, at(1))  # older: its NPS is not the latest
    delta.answer(None, None, at(9))  # no scores: changes nothing

    assert (delta.csat_sum, delta.csat_count) == (6, 2)
    assert (delta.last_nps, delta.last_nps_at) == (9, at(5))


def test_seen_tracks_first_and_last_event_times() -> None:
    delta = StatsDelta()

    for minutes in (5, 0, 9, 3):
        delta.seen(at(minutes))

    assert (delta.first_seen_at, delta.last_event_at) == (at(0), at(9))


def test_an_empty_delta_changes_nothing() -> None:
    assert StatsDelta() == StatsDelta(orders=0, revenue=Decimal(0), visits=0, csat_sum=0, csat_count=0)


@dataclass(frozen=True)
class StatsEvent:
    """One delivered event, as the profile handler feeds it to a StatsDelta."""

    kind: str
    minutes: float
    amount: Decimal = Decimal(0)
    csat: int | None = None
    nps: int | None = None


def apply_in_order(events: tuple[StatsEvent, ...]) -> StatsDelta:
    delta = StatsDelta()
    for event in events:
        moment = at(event.minutes)
        delta.seen(moment)
        if event.kind == "purchase":
            delta.purchase(event.amount, moment)
        elif event.kind == "refund":
            delta.refund(event.amount)
        elif event.kind == "visit":
            delta.visit(moment)
        elif event.kind == "ticket":
            delta.answer(event.csat, event.nps, moment)
    return delta


def test_stats_are_the_same_in_any_delivery_order() -> None:
    events = [
        StatsEvent("purchase", 3, amount=Decimal("19.95")),
        StatsEvent("refund", 7, amount=Decimal("5.10")),
        StatsEvent("visit", 1),
        StatsEvent("ticket", 9, csat=5, nps=9),
        StatsEvent("ticket", 4, csat=2, nps=4),
        StatsEvent("purchase", 0, amount=Decimal("40")),
    ]

    results = [apply_in_order(order) for order in itertools.permutations(events)]

    assert len(results) == 720
    assert all(result == results[0] for result in results)
    assert results[0] == StatsDelta(
        orders=2,
        revenue=Decimal("54.85"),
        first_purchase_at=at(0),
        second_purchase_at=at(3),
        last_purchase_at=at(3),
        visits=1,
        last_visit_at=at(1),
        csat_sum=7,
        csat_count=2,
        last_nps=9,
        last_nps_at=at(9),
        first_seen_at=at(0),
        last_event_at=at(9),
    )


def test_last_nps_does_not_depend_on_order_when_two_tickets_share_a_time() -> None:
    events = [StatsEvent("ticket", 0, nps=3), StatsEvent("ticket", 0, nps=9)]

    results = {apply_in_order(order).last_nps for order in itertools.permutations(events)}

    assert len(results) == 1


@pytest.mark.parametrize(
    ("revenue", "orders", "expected"),
    [
        (Decimal("100"), 4, Decimal("25.00")),
        (Decimal("100"), 3, Decimal("33.33")),
        (Decimal("59.90"), 1, Decimal("59.90")),
        (Decimal("0"), 2, Decimal("0.00")),
    ],
)
def test_average_order_value_has_two_decimals(revenue: Decimal, orders: int, expected: Decimal) -> None:
    result = average_order_value(revenue, orders)

    assert result == expected
    assert result is not None and result.as_tuple().exponent == -2


def test_average_order_value_is_none_without_orders() -> None:
    assert average_order_value(Decimal("10"), 0) is None


# --- timeline cursors (services/profile/view_store.py) -------------------------------------------------


@pytest.mark.parametrize(
    ("occurred_at", "event_id"),
    [
        (T0, "e-1"),
        (dt.datetime(2024, 3, 1, 12, 0, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=-5))), "evt/with+odd=chars"),
        (dt.datetime(1999, 12, 31, 23, 59, 59, tzinfo=dt.UTC), "ünïcode-ид"),
    ],
)
def test_cursor_round_trips(occurred_at: dt.datetime, event_id: str) -> None:
    cursor = encode_cursor(occurred_at.isoformat(), event_id)

    decoded_at, decoded_id = timeline_key(cursor)

    assert (decoded_at, decoded_id) == (occurred_at, event_id)
    assert decoded_at.utcoffset() == occurred_at.utcoffset()


def test_cursor_is_url_safe() -> None:
    cursor = encode_cursor(T0.isoformat(), "?" * 40 + ">" * 40)

    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=")


def b64(doc: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(doc)).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "junk",
        "!!!!",
        "é",
        base64.urlsafe_b64encode(b"not json").decode(),
        b64(None),
        b64({"at": "2024-03-01"}),
        b64(["2024-03-01T12:00:00+00:00"]),
        b64(["2024-03-01T12:00:00+00:00", "e-1", "extra"]),
        b64(["yesterday", "e-1"]),
        b64([1709294400, "e-1"]),
    ],
)
def test_decode_cursor_rejects_junk(cursor: str) -> None:
    with pytest.raises(BadCursor):
        timeline_key(cursor)
