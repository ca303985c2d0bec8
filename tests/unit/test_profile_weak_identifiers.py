"""The weak-identifier rule of identity resolution (services/profile/guard.py, weak_joins): a join made only through
a weak identifier (by default `anonymous_id`) never puts a second email, phone or external id on one profile; the
sign-up and strong joins still join; composed with the count guard, a device seen with six emails joins none."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence

from services.profile.domain import Identifier, IdentifierKind, IdentityGraph
from services.profile.guard import (
    DEFAULT_LIMITS,
    DEFAULT_WEAK_KINDS,
    Blocked,
    Guard,
    resolve_event,
    weak_kinds_by_workspace,
    weak_kinds_problems,
)

T0 = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
DEVICE: Identifier = ("anonymous_id", "tablet-1")
WEAK: tuple[IdentifierKind, ...] = ("anonymous_id",)


def day(n: float) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


def email(n: int) -> Identifier:
    return ("email", f"p{n}@example.com")


def ids(prefix: str = "c_new") -> Callable[[], str]:
    counter = itertools.count(1)
    return lambda: f"{prefix}{next(counter)}"


def resolve(
    graph: IdentityGraph, identifiers: list[Identifier], weak: Sequence[IdentifierKind] = WEAK, at: float = 5
) -> tuple[str, list[Blocked]]:
    return resolve_event(graph, identifiers, frozenset(), day(at), ids(), "e-1", weak)


def test_a_device_owned_by_someone_with_an_email_does_not_join_a_second_email() -> None:
    graph = IdentityGraph.load([(DEVICE, "c_owner", day(0)), (email(1), "c_owner", day(0))])

    customer, blocked = resolve(graph, [email(2), DEVICE])

    assert customer == "c_new1"
    assert blocked == [Blocked(DEVICE, ("c_owner",), "weak_identifier")]
    assert graph.new_links == {email(2): "c_new1"}
    assert graph.owner[DEVICE] == "c_owner"
    assert graph.merges == []


def test_two_stored_customers_with_different_emails_are_not_merged_through_a_device() -> None:
    graph = IdentityGraph.load(
        [(DEVICE, "c_owner", day(0)), (email(1), "c_owner", day(0)), (email(2), "c_two", day(1))]
    )

    customer, blocked = resolve(graph, [email(2), DEVICE])

    assert customer == "c_two"
    assert blocked == [Blocked(DEVICE, ("c_owner",), "weak_identifier")]
    assert graph.merges == [] and graph.new_links == {}


def test_the_sign_up_still_joins_the_anonymous_profile() -> None:
    graph = IdentityGraph.load([(DEVICE, "c_anon", day(0))])

    customer, blocked = resolve(graph, [email(1), DEVICE])

    assert (customer, blocked) == ("c_anon", [])
    assert graph.new_links == {email(1): "c_anon"}


def test_the_sign_up_of_an_email_with_its_own_customer_still_merges_the_anonymous_profile() -> None:
    graph = IdentityGraph.load([(DEVICE, "c_anon", day(0)), (email(1), "c_known", day(1))])

    customer, blocked = resolve(graph, [email(1), DEVICE])

    assert (customer, blocked) == ("c_anon", [])  # seen first
    assert [(m.survivor_id, m.merged_id) for m in graph.merges] == [("c_anon", "c_known")]


def test_a_device_owner_holding_another_kind_only_still_joins() -> None:
    # The owner logged in with an account id and never gave an email: an email is no second value of anything.
    graph = IdentityGraph.load([(DEVICE, "c_owner", day(0)), (("external_id", "u1"), "c_owner", day(0))])

    customer, blocked = resolve(graph, [email(1), DEVICE])

    assert (customer, blocked) == ("c_owner", [])
    assert graph.new_links == {email(1): "c_owner"}


def test_a_join_through_a_strong_identifier_still_joins() -> None:
    u1: Identifier = ("external_id", "u1")
    graph = IdentityGraph.load([(u1, "c_u1", day(0)), (email(1), "c_u1", day(0)), (email(2), "c_two", day(1))])

    customer, blocked = resolve(graph, [u1, email(2)])

    assert (customer, blocked) == ("c_u1", [])
    assert [(m.survivor_id, m.merged_id) for m in graph.merges] == [("c_u1", "c_two")]


def test_strong_identifiers_join_while_the_device_is_kept_apart() -> None:
    u1: Identifier = ("external_id", "u1")
    graph = IdentityGraph.load(
        [(u1, "c_u1", day(0)), (email(2), "c_two", day(1)), (DEVICE, "c_owner", day(0)), (email(3), "c_owner", day(0))]
    )

    customer, blocked = resolve(graph, [u1, email(2), DEVICE])

    assert customer == "c_u1"
    assert [(m.survivor_id, m.merged_id) for m in graph.merges] == [("c_u1", "c_two")]
    assert blocked == [Blocked(DEVICE, ("c_owner",), "weak_identifier")]


def test_two_devices_alone_do_not_join_people_with_different_emails() -> None:
    other: Identifier = ("anonymous_id", "phone-2")
    graph = IdentityGraph.load(
        [(DEVICE, "c_one", day(0)), (email(1), "c_one", day(0)), (other, "c_two", day(1)), (email(2), "c_two", day(1))]
    )

    customer, blocked = resolve(graph, [DEVICE, other])

    assert customer == "c_one"  # the owner of the first (strongest) weak identifier
    assert blocked == [Blocked(other, ("c_two",), "weak_identifier")]
    assert graph.merges == []


def test_phone_is_strong_by_default_and_weak_when_a_workspace_says_so() -> None:
    phone: Identifier = ("phone", "+4930123456")
    links = [(phone, "c_line", day(0)), (email(1), "c_line", day(0))]

    customer, blocked = resolve(IdentityGraph.load(links), [email(2), phone])
    assert (customer, blocked) == ("c_line", [])  # a phone joins as always by default

    customer, blocked = resolve(IdentityGraph.load(links), [email(2), phone], weak=("phone", "anonymous_id"))
    assert customer == "c_new1"
    assert blocked == [Blocked(phone, ("c_line",), "weak_identifier")]


def test_with_the_rule_off_resolution_is_unchanged() -> None:
    graph = IdentityGraph.load([(DEVICE, "c_owner", day(0)), (email(1), "c_owner", day(0))])

    assert resolve(graph, [email(2), DEVICE], weak=()) == ("c_owner", [])
    assert graph.new_links == {email(2): "c_owner"}


def _six_emails(weak: Sequence[IdentifierKind], known: bool) -> tuple[list[str], list[list[Blocked]]]:
    """Six events {email n, device} through both rules (default limits), each email's customer stored or new."""
    stored = [(email(n), f"c_{n}", day(0)) for n in range(1, 7)] if known else []
    graph = IdentityGraph.load(stored)
    guard = Guard.load(DEFAULT_LIMITS, lambda i: f"h:{i[0]}:{i[1]}", [])
    make_id = ids()
    customers, blocked = [], []
    for n in range(1, 7):
        identifiers = [email(n), DEVICE]
        customer, b = resolve_event(graph, identifiers, guard.decide(identifiers, day(n)), day(n), make_id, None, weak)
        customers.append(graph.final(customer))
        blocked.append(b)
    return [graph.final(c) for c in customers], blocked


def test_six_emails_with_one_device_give_six_customers_none_merged() -> None:
    for known in (False, True):
        customers, blocked = _six_emails(DEFAULT_WEAK_KINDS, known)
        assert len(set(customers)) == 6
        assert blocked[0] == []  # the device joins the first email's customer (a sign-up)
        owner = customers[0]
        assert [[(b.rule, b.owners) for b in x] for x in blocked[1:5]] == [[("weak_identifier", (owner,))]] * 4
        assert [(b.rule, b.owners) for b in blocked[5]] == [("shared_identifier", (owner,))]  # the count trips


def test_six_emails_without_the_rule_join_the_first_five_as_before() -> None:
    customers, blocked = _six_emails((), known=True)
    assert len(set(customers[:5])) == 1 and customers[5] != customers[0]
    assert [b.rule for x in blocked for b in x] == ["shared_identifier"]


def test_replay_decides_the_same() -> None:
    assert _six_emails(DEFAULT_WEAK_KINDS, True) == _six_emails(DEFAULT_WEAK_KINDS, True)
    assert _six_emails(DEFAULT_WEAK_KINDS, False) == _six_emails(DEFAULT_WEAK_KINDS, False)


def test_settings_of_weak_kinds() -> None:
    assert weak_kinds_by_workspace({"a": ["phone", "anonymous_id"], "b": [], "c": None}, ["a", "b", "c", "d"]) == {
        "a": ("phone", "anonymous_id"),
        "b": (),
        "c": DEFAULT_WEAK_KINDS,
        "d": DEFAULT_WEAK_KINDS,
    }
    assert weak_kinds_problems(["anonymous_id", "phone"]) == []
    assert weak_kinds_problems(["external_id", "phone", "phone"]) == [
        "weak_identifier_kinds.0: must be one of email, phone, anonymous_id",
        "weak_identifier_kinds.2: phone given twice",
    ]
