"""The gateway's pure rules: keys, scopes, event batches, subjects, pagination."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import orjson
import pytest

from contracts.tracking_plan import UNDECLARED
from runtime.json_limits import number_problems
from services.gateway.domain import (
    ADMIN,
    CUSTOMERS_READ,
    DEFAULT_KEY_SCOPES,
    EVENTS_WRITE,
    AdminError,
    BatchShapeError,
    Principal,
    clamp_limit,
    events_of,
    generate_key,
    hash_key,
    is_plausible_customer_id,
    key_prefix,
    number_errors_by_event,
    plan_batch,
    single_identifier,
    validate_key_name,
    validate_scopes,
    validate_workspace_name,
)


def purchase(event_id: str = "e-1", workspace: str = "acme", **customer: str) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id,
        "source": "tests",
        "type": "purchase",
        "time": "2025-01-02T03:04:05Z",
        "workspace": workspace,
        "data": {"customer": customer or {"email": "a@example.com"}, "order_id": "o-1", "amount": "10.50"},
    }


def test_generated_keys_have_the_documented_shape_and_are_stored_as_sha256() -> None:
    key = generate_key()
    assert re.fullmatch(r"fw_[0-9a-f]{8}_[A-Za-z0-9_-]{40,}", key.plain)
    assert key_prefix(key.plain) == key.prefix == key.plain[3:11]
    assert key.key_hash == hashlib.sha256(key.plain.encode()).hexdigest() == hash_key(key.plain)
    assert key.plain not in key.key_hash
    assert generate_key().plain != key.plain


@pytest.mark.parametrize(
    "bad", ["", "fw_", "Bearer x", "fw_ABCDEFGH_" + "x" * 40, "xx_0123abcd_" + "x" * 40, "fw_0123abcd_short"]
)
def test_malformed_keys_have_no_prefix(bad: str) -> None:
    assert key_prefix(bad) is None


def test_admin_implies_every_scope_and_others_only_their_own() -> None:
    admin = Principal("acme", frozenset({ADMIN}), "k1")
    writer = Principal("acme", frozenset({EVENTS_WRITE}), "k2")
    assert admin.allows(EVENTS_WRITE) and admin.allows(CUSTOMERS_READ)
    assert writer.allows(EVENTS_WRITE)
    assert not writer.allows(CUSTOMERS_READ)
    assert ADMIN not in DEFAULT_KEY_SCOPES


def test_scopes_are_checked_deduplicated_and_required() -> None:
    assert validate_scopes([EVENTS_WRITE, EVENTS_WRITE, CUSTOMERS_READ]) == [CUSTOMERS_READ, EVENTS_WRITE]
    with pytest.raises(AdminError, match="unknown scope"):
        validate_scopes(["events:delete"])
    with pytest.raises(AdminError, match="at least one"):
        validate_scopes([])


def test_names_are_validated() -> None:
    assert validate_workspace_name("acme-eu_1") == "acme-eu_1"
    for bad in ("", "Acme", "-acme", "a" * 64, "a b"):
        with pytest.raises(AdminError):
            validate_workspace_name(bad)
    assert validate_key_name("  shop web ") == "shop web"
    with pytest.raises(AdminError):
        validate_key_name("   ")


def test_body_is_one_event_or_a_bounded_non_empty_list() -> None:
    assert events_of({"a": 1}, 10) == [{"a": 1}]
    assert events_of([1, 2], 2) == [1, 2]
    for body, status in (([], 422), ([{}] * 3, 413), ("event", 422), (None, 422)):
        with pytest.raises(BatchShapeError) as caught:
            events_of(body, 2)
        assert caught.value.status == status


@pytest.mark.parametrize(
    ("customer", "subject"),
    [
        ({"external_id": "u-1", "email": "A@x.io", "phone": "+491511", "anonymous_id": "d"}, "u-1"),
        ({"email": "  Ada@Example.COM ", "phone": "+491511"}, "ada@example.com"),
        ({"external_id": "  ", "phone": " +49 (151) 123-45.678 ", "anonymous_id": "d"}, "+4915112345678"),
        ({"anonymous_id": "dev-9"}, "dev-9"),
    ],
)
def test_the_kafka_key_uses_the_strongest_identifier(customer: dict[str, str], subject: str) -> None:
    plan = plan_batch([purchase(**customer)], "acme")
    assert not plan.errors
    assert plan.publish[0].key == f"acme:{subject}".encode()


def test_valid_events_are_re_encoded_from_the_contract_model() -> None:
    plan = plan_batch([purchase("e-1"), purchase("e-2")], "acme")
    assert [e.event_id for e in plan.publish] == ["e-1", "e-2"]
    assert [e.index for e in plan.publish] == [0, 1]
    value = orjson.loads(plan.publish[0].value)
    assert value["data"]["amount"] == "10.50"
    assert value["workspace"] == "acme"


def test_every_bad_field_of_every_bad_event_is_reported_with_its_index_and_id() -> None:
    bad_amount = purchase("e-2")
    bad_amount["data"]["amount"] = "-1"
    del bad_amount["source"]
    plan = plan_batch([purchase("e-1"), bad_amount, "not an event", purchase("e-4", workspace="other")], "acme")
    assert [e.event_id for e in plan.publish] == ["e-1"]
    assert plan.invalid_count == 3
    by_index: dict[int, list[dict[str, Any]]] = {}
    for err in plan.errors:
        by_index.setdefault(err["index"], []).append(err)
    assert {e["field"] for e in by_index[1]} == {"source", "data.amount"}
    assert all(e["id"] == "e-2" for e in by_index[1])
    assert by_index[2] == [{"index": 2, "id": None, "field": "(event)", "message": "not an object"}]
    assert by_index[3] == [
        {
            "index": 3,
            "id": "e-4",
            "field": "workspace",
            "message": "workspace 'other' does not match the API key's workspace 'acme'",
        }
    ]


def test_unknown_type_is_named() -> None:
    doc = purchase()
    doc["type"] = "Sign-Up"  # no built-in type, nor a name a custom type may have
    plan = plan_batch([doc], "acme")
    assert plan.errors[0]["field"] == "type"
    assert "unknown event type; expected one of" in plan.errors[0]["message"]


@pytest.mark.parametrize("claimed_type", [{"nested": ["object"]}, ["a", "list"], 42, None])
def test_a_type_that_is_not_a_string_is_refused_not_crashed_on(claimed_type: object) -> None:
    """Found by Schemathesis: a `type` object reached a dict lookup (unhashable) and answered 500."""
    doc = purchase()
    doc["type"] = claimed_type
    plan = plan_batch([doc], "acme", tracking_plan={})
    assert plan.invalid_count == 1 and not plan.publish
    assert [e["field"] for e in plan.errors] == ["type"]
    assert not plan.refused_custom


def test_a_type_the_tracking_plan_does_not_declare_is_named() -> None:
    doc = purchase()
    doc["type"] = "signup"  # a custom type's name, but the workspace declared none
    plan = plan_batch([doc], "acme")
    assert plan.errors == [{"index": 0, "id": doc["id"], "field": "type", "message": UNDECLARED}]
    assert plan.refused_custom == {}  # an undeclared name is not counted (no row per made-up name)


def test_page_size_defaults_to_50_and_is_clamped_to_1_to_500() -> None:
    assert clamp_limit(None) == 50
    assert clamp_limit(0) == 1
    assert clamp_limit(120) == 120
    assert clamp_limit(10_000) == 500


def test_lookups_take_exactly_one_identifier() -> None:
    assert single_identifier({"email": " a@x.io ", "phone": None}) == ("email", "a@x.io")
    with pytest.raises(ValueError, match="exactly one"):
        single_identifier({"email": "a@x.io", "phone": "+49"})
    with pytest.raises(ValueError, match="exactly one"):
        single_identifier({"email": "  ", "phone": None})


def test_customer_ids_that_could_change_the_profile_path_are_refused() -> None:
    assert is_plausible_customer_id("c_01HZX3K9")
    assert is_plausible_customer_id("0b7c6f1e-3d7a-4c5e-9f1a-2b3c4d5e6f70")
    for bad in ("", "..", "../other", "a/b", "a?b", "a#b", "x" * 65, "%2e%2e"):
        assert not is_plausible_customer_id(bad)


def test_numbers_no_encoder_keeps_refuse_only_their_events() -> None:
    good = {"specversion": "1.0", "id": "e-ok", "source": "t", "type": "visit", "time": "2025-03-01T12:00:00Z",
            "workspace": "acme", "data": {"customer": {"email": "ada@example.com"}, "channel": "web"}}  # fmt: skip
    body = b"[" + orjson.dumps(good) + b', {"id": "e-big", "data": {"amount": 123456789012345678901234}}]'
    by_event = number_errors_by_event(number_problems(body), is_batch=True)
    message = "integer out of range: at most 64 bits (-2^63 to 2^63-1)"
    assert by_event == {1: [{"field": "data.amount", "message": message}]}
    plan = plan_batch(orjson.loads(body), "acme", by_event)
    assert [e.event_id for e in plan.publish] == ["e-ok"] and plan.invalid_count == 1
    assert (plan.errors[0]["index"], plan.errors[0]["id"], plan.errors[0]["field"]) == (1, "e-big", "data.amount")
    single = number_errors_by_event(number_problems(b'{"data": {"n": NaN}}'), is_batch=False)
    assert single == {0: [{"field": "(event)", "message": "NaN is not a JSON number; send a finite number"}]}
