"""Profile's identity rules: identifier normalisation, identity resolution and merges."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import pytest

from contracts.inbound import CustomerRef
from services.profile.domain import (
    Identifier,
    IdentityGraph,
    InvalidIdentifier,
    Merge,
    identifiers_of,
    normalize_email,
    normalize_phone,
)

T0 = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


# --- identifiers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ada@example.com", "ada@example.com"),
        ("Ada@Example.COM", "ada@example.com"),
        ("  ada@example.com\t\n", "ada@example.com"),
        ("ada.lovelace+shop@mail.example.co.uk", "ada.lovelace+shop@mail.example.co.uk"),
    ],
)
def test_normalize_email_lowercases_and_trims(raw: str, expected: str) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "ada", "ada.example.com", "@example.com", "ada@", "ada@localhost", "ada lovelace@example.com"],
)
def test_normalize_email_rejects_junk(raw: str) -> None:
    with pytest.raises(InvalidIdentifier, match=r"customer\.email"):
        normalize_email(raw)


@pytest.mark.parametrize("raw", ["ada@@example.com", "ada@example.com@other.org"])
def test_normalize_email_rejects_more_than_one_at_sign(raw: str) -> None:
    with pytest.raises(InvalidIdentifier):
        normalize_email(raw)


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+4930123456", None, "+4930123456"),
        ("+49 30 123456", None, "+4930123456"),
        ("  +1 (415) 555-2671 ", None, "+14155552671"),
        ("+4915112345678", "US", "+4915112345678"),  # a '+' number ignores the default region
        ("030 123456", "DE", "+4930123456"),  # national number: the default region gives the country
        ("(415) 555-2671", "US", "+14155552671"),
        ("0041 44 668 18 00", "DE", "+41446681800"),  # international prefix of the region
    ],
)
def test_normalize_phone_gives_e164(raw: str, region: str | None, expected: str) -> None:
    assert normalize_phone(raw, region) == expected


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("030 123456", None),  # national number and no region to place it
        ("(415) 555-2671", None),
        ("", "DE"),
        ("abc", "DE"),
        ("not a phone", None),
        ("+1", None),
        ("+1 12", None),
        ("+999 1234", None),  # no such country code
    ],
)
def test_normalize_phone_rejects_garbage_and_numbers_without_region(raw: str, region: str | None) -> None:
    with pytest.raises(InvalidIdentifier, match=r"customer\.phone"):
        normalize_phone(raw, region)


def test_identifiers_of_lists_normalised_identifiers_strongest_first() -> None:
    ref = CustomerRef(anonymous_id=" dev-1 ", phone="030 123456", email=" Ada@Example.com", external_id=" u-1 ")

    assert identifiers_of(ref, "DE") == [
        ("external_id", "u-1"),
        ("email", "ada@example.com"),
        ("phone", "+4930123456"),
        ("anonymous_id", "dev-1"),
    ]


def test_identifiers_of_skips_blank_identifiers() -> None:
    ref = CustomerRef(external_id="   ", email="ada@example.com", anonymous_id=" ")

    assert identifiers_of(ref, None) == [("email", "ada@example.com")]


@pytest.mark.parametrize(
    "ref",
    [CustomerRef.model_construct(), CustomerRef.model_construct(external_id=" ", email="", anonymous_id="\t")],
    ids=["none", "only-blank"],
)
def test_identifiers_of_rejects_a_customer_without_identifiers(ref: CustomerRef) -> None:
    with pytest.raises(InvalidIdentifier, match="at least one identifier"):
        identifiers_of(ref, "DE")


@pytest.mark.parametrize(
    ("ref", "named"),
    [
        (CustomerRef(external_id="u-1", email="not-an-email"), "customer.email"),
        (CustomerRef(external_id="u-1", phone="030 123456"), "customer.phone"),  # no default region
    ],
)
def test_identifiers_of_names_the_invalid_identifier(ref: CustomerRef, named: str) -> None:
    with pytest.raises(InvalidIdentifier, match=named):
        identifiers_of(ref, None)


# --- identity resolution --------------------------------------------------------------------------

EXT_A: Identifier = ("external_id", "a")
EXT_B: Identifier = ("external_id", "b")
EXT_C: Identifier = ("external_id", "c")
EMAIL_A: Identifier = ("email", "a@example.com")
EMAIL_B: Identifier = ("email", "b@example.com")
EMAIL_X: Identifier = ("email", "x@example.com")
EMAIL_Y: Identifier = ("email", "y@example.com")
PHONE_A: Identifier = ("phone", "+4930123456")


def sequential_ids(prefix: str = "c_new") -> Callable[[], str]:
    counter = itertools.count(1)
    return lambda: f"{prefix}{next(counter)}"


def no_new_ids() -> str:
    raise AssertionError("no new customer id was expected")


def stored(*links: tuple[Identifier, str, float]) -> IdentityGraph:
    """A graph loaded with (identifier, customer id, first seen in minutes after T0)."""
    return IdentityGraph.load((identifier, cid, at(minutes)) for identifier, cid, minutes in links)


def pairs(merges: list[Merge]) -> list[tuple[str, str]]:
    return [(m.survivor_id, m.merged_id) for m in merges]


def test_unknown_identifiers_create_a_new_customer() -> None:
    graph = IdentityGraph()

    customer = graph.resolve([EMAIL_X, PHONE_A], at(0), sequential_ids())

    assert customer == "c_new1"
    assert graph.created == ["c_new1"]
    assert graph.created_survivors() == ["c_new1"]
    assert graph.first_seen["c_new1"] == at(0)
    assert graph.new_links == {EMAIL_X: "c_new1", PHONE_A: "c_new1"}
    assert graph.merges == []
    assert graph.final("c_new1") == "c_new1"


def test_a_new_customer_is_reused_by_later_events_of_the_batch() -> None:
    graph = IdentityGraph()
    make_id = sequential_ids()

    first = graph.resolve([EMAIL_X], at(5), make_id)
    second = graph.resolve([EMAIL_X], at(1), make_id)

    assert first == second == "c_new1"
    assert graph.created == ["c_new1"]
    assert graph.first_seen["c_new1"] == at(1)  # the earliest event time, not the first to arrive


def test_a_stored_identifier_resolves_to_its_customer_without_new_links() -> None:
    graph = stored((EMAIL_A, "c_a", 0))

    assert graph.resolve([EMAIL_A], at(10), no_new_ids) == "c_a"
    assert graph.created == []
    assert graph.new_links == {}
    assert graph.first_seen["c_a"] == at(0)


def test_new_links_only_hold_identifiers_not_already_stored() -> None:
    graph = stored((EMAIL_A, "c_a", 0), (EXT_A, "c_a", 0))

    graph.resolve([EXT_A, EMAIL_A, PHONE_A], at(10), no_new_ids)

    assert graph.new_links == {PHONE_A: "c_a"}


def test_an_older_event_moves_first_seen_back() -> None:
    graph = stored((EMAIL_A, "c_a", 0))

    graph.resolve([EMAIL_A], at(-30), no_new_ids)

    assert graph.first_seen["c_a"] == at(-30)


@pytest.mark.parametrize("identifiers", [[EXT_A, EMAIL_B], [EMAIL_B, EXT_A]], ids=["a-first", "b-first"])
def test_an_event_linking_two_stored_profiles_merges_into_the_earliest_seen(identifiers: list[Identifier]) -> None:
    graph = stored((EXT_A, "c_z", 0), (EMAIL_B, "c_a", 10))  # c_z seen first despite the larger id

    customer = graph.resolve(identifiers, at(20), no_new_ids)

    assert customer == "c_z"
    assert pairs(graph.merges) == [("c_z", "c_a")]
    assert "external_id" in graph.merges[0].reason and "email" in graph.merges[0].reason
    assert graph.final("c_a") == "c_z"
    assert graph.owner[EMAIL_B] == "c_z"
    assert graph.new_links == {}  # both identifiers are stored; the merge moves them
    assert pairs(graph.stored_merges()) == [("c_z", "c_a")]
    assert graph.created_survivors() == []


@pytest.mark.parametrize("identifiers", [[EXT_A, EMAIL_B], [EMAIL_B, EXT_A]], ids=["a-first", "b-first"])
def test_a_first_seen_tie_keeps_the_smaller_id(identifiers: list[Identifier]) -> None:
    graph = stored((EXT_A, "c_b", 0), (EMAIL_B, "c_a", 0))

    assert graph.resolve(identifiers, at(20), no_new_ids) == "c_a"
    assert pairs(graph.merges) == [("c_a", "c_b")]


def test_the_survivor_keeps_the_earliest_first_seen_of_both() -> None:
    graph = stored((EXT_A, "c_a", 10), (EXT_B, "c_b", 0))

    graph.resolve([EXT_A, EXT_B], at(20), no_new_ids)

    assert graph.first_seen["c_b"] == at(0)


def test_a_chain_of_merges_resolves_to_the_last_survivor() -> None:
    graph = stored((EXT_A, "c_a", 20), (EXT_B, "c_b", 10), (EXT_C, "c_c", 0))

    assert graph.resolve([EXT_A, EXT_B], at(30), no_new_ids) == "c_b"  # a merged into b
    assert graph.resolve([EXT_B, EXT_C], at(31), no_new_ids) == "c_c"  # then b into c

    assert graph.final("c_a") == "c_c"
    assert graph.final("c_b") == "c_c"
    assert pairs(graph.merges) == [("c_b", "c_a"), ("c_c", "c_b")]
    assert pairs(graph.stored_merges()) == [("c_c", "c_a"), ("c_c", "c_b")]
    assert {graph.owner[i] for i in (EXT_A, EXT_B, EXT_C)} == {"c_c"}


def test_a_merged_profiles_identifier_reaches_the_survivors_survivor() -> None:
    graph = stored((EXT_A, "c_a", 20), (EXT_B, "c_b", 10), (EXT_C, "c_c", 0))
    graph.resolve([EXT_A, EXT_B], at(30), no_new_ids)

    # EXT_A now belongs to c_b, so this event merges c_b (not the gone c_a) into c_c
    assert graph.resolve([EXT_A, EXT_C], at(31), no_new_ids) == "c_c"
    assert pairs(graph.stored_merges()) == [("c_c", "c_a"), ("c_c", "c_b")]


def test_merging_a_batch_local_profile_into_a_stored_one_needs_no_stored_merge() -> None:
    graph = stored((EXT_A, "c_a", 0))
    make_id = sequential_ids()

    local = graph.resolve([EMAIL_X], at(30), make_id)
    survivor = graph.resolve([EMAIL_X, EXT_A], at(31), make_id)

    assert (local, survivor) == ("c_new1", "c_a")
    assert pairs(graph.merges) == [("c_a", "c_new1")]
    assert graph.stored_merges() == []
    assert graph.created_survivors() == []
    assert graph.new_links == {EMAIL_X: "c_a"}  # re-pointed from the merged-away batch id


def test_created_survivors_exclude_batch_local_profiles_merged_away() -> None:
    graph = IdentityGraph()
    make_id = sequential_ids()

    x = graph.resolve([EMAIL_X], at(0), make_id)
    y = graph.resolve([EMAIL_Y], at(5), make_id)
    graph.resolve([EMAIL_Y, EMAIL_X], at(6), make_id)

    assert graph.created == [x, y]
    assert graph.created_survivors() == [x]
    assert graph.stored_merges() == []
    assert graph.new_links == {EMAIL_X: x, EMAIL_Y: x}


def test_a_batch_local_profile_seen_earlier_absorbs_a_stored_one() -> None:
    graph = stored((EXT_A, "c_a", 10))
    make_id = sequential_ids()

    local = graph.resolve([EMAIL_X], at(0), make_id)
    graph.resolve([EXT_A, EMAIL_X], at(20), make_id)

    assert graph.final("c_a") == local
    assert pairs(graph.stored_merges()) == [(local, "c_a")]
    assert graph.created_survivors() == [local]
    assert graph.new_links == {EMAIL_X: local}


def test_stored_merges_name_final_survivors_through_a_batch_local_middle() -> None:
    graph = stored((EXT_A, "c_a", 20), (EXT_C, "c_c", 0))
    make_id = sequential_ids()

    local = graph.resolve([EMAIL_X], at(10), make_id)
    graph.resolve([EMAIL_X, EXT_A], at(21), make_id)  # c_a merged into the local profile
    graph.resolve([EMAIL_X, EXT_C], at(22), make_id)  # the local profile merged into c_c

    assert pairs(graph.merges) == [(local, "c_a"), ("c_c", local)]
    assert pairs(graph.stored_merges()) == [("c_c", "c_a")]
    assert graph.final("c_a") == graph.final(local) == "c_c"
    assert graph.created_survivors() == []
    assert graph.new_links == {EMAIL_X: "c_c"}
