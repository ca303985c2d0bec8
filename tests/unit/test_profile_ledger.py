"""The erasure ledger's rules: hashing, which identifiers of an event are recognised, what a re-consent lifts."""

from __future__ import annotations

import datetime as dt

from contracts.inbound import CustomerRef
from services.profile.ledger import (
    IdentifierHasher,
    LedgerEntry,
    is_erased,
    loose_customer_ref,
    recognisable_identifiers,
)

T0 = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def test_a_hash_is_keyed_and_salted_with_the_workspace() -> None:
    hasher = IdentifierHasher("secret-key")
    one = hasher.hash("acme", ("email", "ada@example.com"))
    assert len(one) == 64 and "ada" not in one
    assert one == hasher.hash("acme", ("email", "ada@example.com"))
    assert one != hasher.hash("other", ("email", "ada@example.com"))
    assert one != hasher.hash("acme", ("external_id", "ada@example.com"))
    assert one != IdentifierHasher("another-key").hash("acme", ("email", "ada@example.com"))
    development = IdentifierHasher("")  # the fixed development key: stable across processes
    assert development.hash("acme", ("email", "x@y.z")) == IdentifierHasher("").hash("acme", ("email", "x@y.z"))


def test_identifiers_are_recognised_each_on_its_own_as_profile_normalises_them() -> None:
    ref = CustomerRef(email=" Ada@Example.COM ", phone="not a phone", anonymous_id=" dev-1 ")
    assert recognisable_identifiers(ref, "DE") == [("email", "ada@example.com"), ("anonymous_id", "dev-1")]
    national = CustomerRef(phone="030 1234567")
    assert recognisable_identifiers(national, "DE") == [("phone", "+49301234567")]
    assert recognisable_identifiers(national, None) == []


def test_a_loose_reference_takes_only_text_identifiers() -> None:
    ref = loose_customer_ref({"email": "ada@example.com", "phone": 123, "nickname": "Ada"})
    assert recognisable_identifiers(ref, None) == [("email", "ada@example.com")]


def test_an_entry_drops_events_until_a_reconsent_and_then_only_those_before_it() -> None:
    erased = {"h": LedgerEntry(erased_at=T0, reconsented_at=None)}
    assert is_erased(erased, ["other", "h"], T0 + dt.timedelta(days=30))
    assert not is_erased(erased, ["other"], T0)
    lifted = {"h": LedgerEntry(erased_at=T0, reconsented_at=T0 + dt.timedelta(days=1))}
    assert is_erased(lifted, ["h"], T0 - dt.timedelta(days=1))  # history from before the erasure
    assert is_erased(lifted, ["h"], T0 + dt.timedelta(hours=1))  # between the erasure and the re-consent
    assert not is_erased(lifted, ["h"], T0 + dt.timedelta(days=1))
    both = {**lifted, "g": LedgerEntry(erased_at=T0, reconsented_at=None)}
    assert is_erased(both, ["h", "g"], T0 + dt.timedelta(days=2))  # one identifier still erased
