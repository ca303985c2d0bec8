"""Idempotency-Key rules, free of I/O: what counts as the same request, what is kept and replayed."""

from __future__ import annotations

from services.gateway.idempotency import (
    Outcome,
    classify,
    fingerprint,
    is_kept,
    is_valid_key,
    kept_headers,
)
from services.gateway.idempotency_store import StoredAnswer
from services.gateway.protection import is_json_media_type


def test_the_fingerprint_covers_key_method_path_query_and_body() -> None:
    base = fingerprint("k1", "POST", "/v1/segments", "", b"{}")
    assert fingerprint("k1", "post", "/v1/segments", "", b"{}") == base
    assert len({base, *(fingerprint(*args) for args in _variants())}) == 6


def _variants() -> list[tuple[str, str, str, str, bytes]]:
    return [
        ("k2", "POST", "/v1/segments", "", b"{}"),  # another API key: never the same request
        ("k1", "PUT", "/v1/segments", "", b"{}"),
        ("k1", "POST", "/v1/segments/x", "", b"{}"),
        ("k1", "POST", "/v1/segments", "a=1", b"{}"),
        ("k1", "POST", "/v1/segments", "", b"{ }"),
    ]


def test_parts_cannot_run_into_each_other() -> None:
    assert fingerprint("k", "POST", "/v1/a", "b", b"") != fingerprint("k", "POST", "/v1/ab", "", b"")
    assert fingerprint("kP", "OST", "/v1/a", "", b"") != fingerprint("k", "POST", "/v1/a", "", b"")


def test_a_stored_answer_is_replayed_only_for_the_same_request() -> None:
    done = StoredAnswer("f1", 201, [("content-type", "application/json")], b"{}")
    running = StoredAnswer("f1", None, [], b"")
    assert classify(done, "f1") is Outcome.REPLAY
    assert classify(done, "f2") is Outcome.MISMATCH
    assert classify(running, "f1") is Outcome.IN_FLIGHT
    assert classify(running, "f2") is Outcome.MISMATCH


def test_an_answer_that_held_a_secret_is_never_replayed() -> None:
    withheld = StoredAnswer("f1", 201, [], b"", withheld=True)
    assert classify(withheld, "f1") is Outcome.WITHHELD
    assert classify(withheld, "f2") is Outcome.MISMATCH


def test_successes_and_client_errors_are_kept_server_errors_are_not() -> None:
    assert [is_kept(s) for s in (200, 201, 202, 204, 404, 409, 422)] == [True] * 7
    assert [is_kept(s) for s in (500, 502, 503, 504)] == [False] * 4


def test_only_headers_that_belong_to_the_answer_are_kept() -> None:
    raw = [(b"Content-Type", b"application/json"), (b"Location", b"/v1/x"), (b"date", b"today"), (b"x-trace", b"1")]
    assert kept_headers(raw) == [("content-type", "application/json"), ("location", "/v1/x")]


def test_keys_are_short_printable_ascii() -> None:
    assert is_valid_key("order-123:retry") and is_valid_key("k" * 255)
    assert not any(is_valid_key(k) for k in ("", "k" * 256, "clé", "a\tb"))


def test_json_writes_accept_json_and_plus_json_types_only() -> None:
    for ok in ("application/json", "application/json; charset=utf-8", "application/cloudevents-batch+json"):
        assert is_json_media_type(ok), ok
    for bad in ("", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
        assert not is_json_media_type(bad), bad
