"""The shared-device guard of identity resolution (services/profile/guard.py): when an identifier is shared, and
what an event carrying one resolves to."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from dataclasses import replace

from services.profile.domain import Identifier, IdentifierKind, IdentityGraph, Merge
from services.profile.guard import (
    DEFAULT_LIMITS,
    MAX_DISTINCT,
    Guard,
    SharedLimit,
    Sighting,
    limits_by_workspace,
    mask,
    resolve_guarded,
    settings_problems,
)

T0 = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
DEVICE: Identifier = ("anonymous_id", "tablet-1")
LIMIT_5 = (SharedLimit("anonymous_id", "email", 5, 30),)


def day(n: float) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


def email(n: int) -> Identifier:
    return ("email", f"p{n}@example.com")


def digest(identifier: Identifier) -> str:
    return f"h:{identifier[0]}:{identifier[1]}"


def guard(limits: Sequence[SharedLimit] = LIMIT_5, sightings: Sequence[Sighting] = ()) -> Guard:
    return Guard.load(limits, digest, sightings)


def ids(prefix: str = "c_new") -> Callable[[], str]:
    counter = itertools.count(1)
    return lambda: f"{prefix}{next(counter)}"


# --- when an identifier is shared -----------------------------------------------------------------


def test_the_sixth_email_with_one_device_trips_the_guard_and_the_first_five_do_not() -> None:
    g = guard()
    decisions = [g.decide([email(n), DEVICE], day(n)) for n in range(1, 7)]
    assert decisions[:5] == [frozenset()] * 5
    assert decisions[5] == {DEVICE}
    # Once shared, the device stays shared for the emails seen before too.
    assert g.decide([email(1), DEVICE], day(7)) == {DEVICE}


def test_an_email_seen_again_is_not_a_new_distinct_one() -> None:
    g = guard()
    for _ in range(20):
        for n in range(1, 6):
            assert g.decide([email(n), DEVICE], day(1)) == frozenset()


def test_sightings_out_of_the_window_do_not_count_and_are_pruned() -> None:
    g = guard()
    for n in range(1, 6):
        g.decide([email(n), DEVICE], day(n))
    # 31 days after the fifth, the first five are out of the 30-day window.
    assert g.decide([email(6), DEVICE], day(5 + 31)) == frozenset()
    key: tuple[str, IdentifierKind] = (digest(DEVICE), "email")
    assert set(g.seen[key]) == {digest(email(6))}
    assert g.pruned[key] == day(5 + 1)


def test_stored_sightings_count() -> None:
    stored = [Sighting(digest(DEVICE), "email", digest(email(n)), day(0), day(n)) for n in range(1, 6)]
    g = guard(sightings=stored)
    assert g.decide([email(6), DEVICE], day(6)) == {DEVICE}
    assert g.decide([email(3), DEVICE], day(6)) == {DEVICE}


def test_only_the_kinds_a_limit_names_count() -> None:
    g = guard()
    for n in range(1, 10):
        assert g.decide([("phone", f"+4930123456{n}"), DEVICE], day(1)) == frozenset()
        assert g.decide([("external_id", f"u-{n}"), DEVICE], day(1)) == frozenset()
    assert g.sightings_to_store() == []  # nothing limited, nothing kept


def test_a_flood_of_distinct_emails_keeps_at_most_the_limit_plus_one() -> None:
    g = guard()
    for n in range(1, 10_001):
        g.decide([email(n), DEVICE], day(1))
    stored = g.sightings_to_store()
    device_rows = [s for s in stored if s.identifier_hash == digest(DEVICE)]
    assert len(device_rows) == 6
    # Each email's own sightings (email -> device) are not limited by default here: no email limit in LIMIT_5.
    assert len(stored) == 6


def test_limits_both_ways_are_independent() -> None:
    limits = (SharedLimit("anonymous_id", "email", 2, 30), SharedLimit("email", "anonymous_id", 1, 30))
    g = guard(limits)
    assert g.decide([email(1), DEVICE], day(1)) == frozenset()
    # email 1 on a second device: the email is shared (2 devices > 1); the device has 1 email only.
    assert g.decide([email(1), ("anonymous_id", "phone-2")], day(1)) == {email(1)}


def test_decisions_are_the_same_when_the_batch_runs_again() -> None:
    events = [([email(n % 8), DEVICE], day(n % 3)) for n in range(30)]
    first = guard()
    second = guard()
    assert [first.decide(i, t) for i, t in events] == [second.decide(i, t) for i, t in events]
    assert first.sightings_to_store() == second.sightings_to_store()


# --- what an event with a shared identifier resolves to -------------------------------------------


def test_the_sixth_email_gets_its_own_customer_and_the_device_stays_with_its_owner() -> None:
    graph = IdentityGraph.load([(DEVICE, "c_owner", day(0)), (email(1), "c_owner", day(0))])

    customer, prevented = resolve_guarded(graph, [email(6), DEVICE], frozenset({DEVICE}), day(6), ids())

    assert customer == "c_new1"
    assert prevented == {DEVICE: ("c_owner",)}
    assert graph.new_links == {email(6): "c_new1"}  # the device is not re-linked
    assert graph.owner[DEVICE] == "c_owner"
    assert graph.merges == []


def test_an_event_joining_two_stored_customers_only_through_a_shared_identifier_does_not_merge_them() -> None:
    graph = IdentityGraph.load([(DEVICE, "c_owner", day(0)), (email(6), "c_six", day(1))])

    customer, prevented = resolve_guarded(graph, [email(6), DEVICE], frozenset({DEVICE}), day(6), ids())

    assert customer == "c_six"
    assert prevented == {DEVICE: ("c_owner",)}
    assert graph.merges == []
    assert graph.stored_merges() == []


def test_the_other_identifiers_still_merge_with_each_other() -> None:
    graph = IdentityGraph.load(
        [(DEVICE, "c_owner", day(0)), (email(6), "c_six", day(1)), (("external_id", "u-6"), "c_u6", day(2))]
    )

    customer, prevented = resolve_guarded(
        graph, [("external_id", "u-6"), email(6), DEVICE], frozenset({DEVICE}), day(6), ids()
    )

    assert customer == "c_six"  # seen first of the two it merges
    assert [(m.survivor_id, m.merged_id) for m in graph.merges] == [("c_six", "c_u6")]
    assert prevented == {DEVICE: ("c_owner",)}


def test_an_event_with_only_shared_identifiers_goes_to_the_owner_of_the_strongest() -> None:
    graph = IdentityGraph.load([(DEVICE, "c_owner", day(0)), (("phone", "+4930123456"), "c_line", day(1))])
    both = frozenset({DEVICE, ("phone", "+4930123456")})

    customer, prevented = resolve_guarded(graph, [("phone", "+4930123456"), DEVICE], both, day(6), ids())

    assert customer == "c_line"  # phone is stronger than anonymous_id
    assert prevented == {DEVICE: ("c_owner",)}
    assert graph.merges == [] and graph.new_links == {}


def test_an_unowned_shared_identifier_is_not_linked() -> None:
    graph = IdentityGraph()

    customer, prevented = resolve_guarded(graph, [email(6), DEVICE], frozenset({DEVICE}), day(6), ids())

    assert customer == "c_new1"
    assert prevented == {}
    assert graph.new_links == {email(6): "c_new1"}


def test_without_shared_identifiers_resolution_is_unchanged() -> None:
    guarded = IdentityGraph.load([(DEVICE, "c_owner", day(0)), (email(2), "c_two", day(1))])
    plain = IdentityGraph.load([(DEVICE, "c_owner", day(0)), (email(2), "c_two", day(1))])

    customer, prevented = resolve_guarded(guarded, [email(2), DEVICE], frozenset(), day(2), ids())

    assert customer == plain.resolve([email(2), DEVICE], day(2), ids()) == "c_owner"
    assert prevented == {}
    assert _without_ids(guarded.merges) == _without_ids(plain.merges)


# --- settings -------------------------------------------------------------------------------------


def test_defaults_apply_until_a_workspace_sets_its_own() -> None:
    mine = [SharedLimit("anonymous_id", "email", 2, 7)]
    assert limits_by_workspace({"a": mine, "b": []}, ["a", "b", "c"]) == {
        "a": tuple(mine),
        "b": (),
        "c": DEFAULT_LIMITS,
    }
    assert settings_problems(DEFAULT_LIMITS) == []


def test_bad_settings_are_named() -> None:
    problems = settings_problems(
        [
            SharedLimit("email", "email", 5, 30),
            SharedLimit("phone", "email", 0, 30),
            SharedLimit("phone", "email", MAX_DISTINCT + 1, 400),
        ]
    )
    assert problems == [
        "shared_identifier_limits.0.other_kind: must differ from kind",
        "shared_identifier_limits.1.max_distinct: must be 1 to 100",
        "shared_identifier_limits.2: a second limit for phone with email",
        "shared_identifier_limits.2.max_distinct: must be 1 to 100",
        "shared_identifier_limits.2.window_days: must be 1 to 365",
    ]


def test_masks_never_show_a_whole_identifier() -> None:
    assert mask(("email", "ada.lovelace@example.com")) == "a…@example.com"
    assert mask(("anonymous_id", "device-4242")) == "dev…42"
    assert mask(("phone", "+4930123456")) == "+49…56"
    assert mask(("external_id", "u42")) == "…"


def _without_ids(merges: list[Merge]) -> list[Merge]:
    """Merges as compared: each has a fresh random id."""
    return [replace(m, merge_id="") for m in merges]
