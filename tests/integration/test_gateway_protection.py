"""The gateway's protection in-process: rate limits, request limits, Idempotency-Key replay, API keys (create,
rotate, revoke) and the audit log, against the session's PostgreSQL and broker; services are stand-ins."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
import pytest
from fastapi import FastAPI

from devstack.postgres import LocalPostgres
from runtime.clock import OffsetClock
from services.gateway import idempotency, idempotency_store, store
from services.gateway.deps import GatewayContext
from services.gateway.ratelimit import RateLimiter
from services.gateway.schemas import EventsRejected
from services.gateway.settings import GatewayServiceSettings
from services.gateway.wiring import create_app
from tests.integration.conftest import fresh_database, service_settings
from tests.integration.gateway_fakes import (
    FakeJourney,
    FakeProfile,
    FakeReferral,
    FakeSales,
    FakeScoring,
    assert_problem,
)

SEGMENT_IN = {"name": "Repeat buyers", "condition": {"field": "stats.orders", "op": "gte", "value": 2}}


@dataclass
class Protected:
    app: FastAPI
    client: httpx.AsyncClient
    clock: OffsetClock
    workspace: str
    keys: dict[str, str]  # name -> plain key; "other" is the admin of another workspace
    key_ids: dict[str, str]
    profile: FakeProfile
    scoring: FakeScoring
    dsn: str

    @property
    def state(self) -> GatewayContext:
        state: GatewayContext = self.app.state.gateway
        return state

    async def call(self, method: str, path: str, key: str | None = "admin", **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if key is not None:
            headers["Authorization"] = f"Bearer {self.keys.get(key, key)}"
        return await self.client.request(method, path, headers=headers, **kwargs)

    def posts_to_scoring(self) -> int:
        return sum(1 for r in self.scoring.requests if r.method == "POST")


@pytest.fixture(scope="module")
async def gw(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[Protected]:
    dsn = fresh_database(postgres, "gateway_protect")
    workspace, other = f"gw_{uuid.uuid4().hex[:8]}", f"other_{uuid.uuid4().hex[:8]}"
    keys: dict[str, str] = {}
    key_ids: dict[str, str] = {}
    async with store.admin_connection(dsn) as conn:
        for name in (workspace, other):
            await store.create_workspace(conn, name)
        for key_name, ws, scopes in (
            ("admin", workspace, ["admin"]),
            ("writer", workspace, ["events:write", "segments:write", "customers:erase"]),
            ("reader", workspace, ["customers:read"]),
            ("other", other, ["admin"]),
        ):
            record, keys[key_name] = await store.create_key(conn, ws, key_name, scopes)
            key_ids[key_name] = record.id
    profile, scoring = FakeProfile(workspace), FakeScoring(workspace)
    settings = service_settings(
        GatewayServiceSettings,
        "gateway",
        dsn,
        topics,
        broker_kind,
        profile_url="http://profile.invalid",
        scoring_url="http://scoring.invalid",
        journey_url="http://journey.invalid",
        referral_url="http://referral.invalid",
        sales_url="http://sales.invalid",
        max_body_bytes=20_000,
        key_rotation_grace_hours=1,
    )
    clock = OffsetClock()
    app = create_app(
        settings,
        profile_transport=httpx.MockTransport(profile),
        scoring_transport=httpx.MockTransport(scoring),
        journey_transport=httpx.MockTransport(FakeJourney(workspace)),
        referral_transport=httpx.MockTransport(FakeReferral(workspace)),
        sales_transport=httpx.MockTransport(FakeSales(workspace)),
        clock=clock,
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client,
    ):
        yield Protected(app, client, clock, workspace, keys, key_ids, profile, scoring, dsn)


async def test_without_a_valid_key_the_answer_is_401_whatever_the_body(gw: Protected) -> None:
    for key in (None, "fw_0123abcd_" + "x" * 43):
        for body in (b"{not json", b'{"name": 5}', b"\xff\xfe"):
            refused = await gw.call(
                "POST", "/v1/segments", key=key, content=body, headers={"content-type": "application/json"}
            )
            assert_problem(refused, 401)
            assert refused.headers["www-authenticate"].startswith("Bearer")
    assert_problem(await gw.call("GET", "/v1/no-such-route", key=None), 401)  # nothing is told without a key


async def test_a_key_over_its_rate_gets_429_with_retry_after_and_no_key_gets_401_first(gw: Protected) -> None:
    saved = gw.state.limiter
    gw.state.limiter = RateLimiter(rate_per_s=0.01, burst=2)
    try:
        for _ in range(2):
            assert (await gw.call("GET", "/v1/segments", key="reader")).status_code == 200
        refused = await gw.call("GET", "/v1/segments", key="reader")
        body = assert_problem(refused, 429)
        assert int(refused.headers["retry-after"]) >= 1 and "rate limit" in body["detail"]
        assert refused.headers["ratelimit-limit"] == "2" and refused.headers["ratelimit-remaining"] == "0"
        assert_problem(await gw.call("GET", "/v1/segments", key=None), 401)
        assert_problem(await gw.call("GET", "/v1/segments", key="fw_0123abcd_" + "x" * 43), 401)
        assert (await gw.call("GET", "/v1/segments", key="admin")).status_code == 200  # its own bucket
    finally:
        gw.state.limiter = saved


async def test_a_retried_write_gets_the_first_answer_without_a_second_call(gw: Protected) -> None:
    headers = {"Idempotency-Key": f"seg-{uuid.uuid4()}"}
    first = await gw.call("POST", "/v1/segments", key="writer", json=SEGMENT_IN, headers=headers)
    assert first.status_code == 201, first.text
    calls = gw.posts_to_scoring()
    again = await gw.call("POST", "/v1/segments", key="writer", json=SEGMENT_IN, headers=headers)
    assert (again.status_code, again.content) == (201, first.content)
    assert again.headers["idempotent-replayed"] == "true" and again.headers["content-type"] == "application/json"
    assert gw.posts_to_scoring() == calls

    changed = await gw.call("POST", "/v1/segments", key="writer", json={**SEGMENT_IN, "name": "x"}, headers=headers)
    assert "different request" in assert_problem(changed, 422)["detail"]
    assert_problem(await gw.call("PUT", "/v1/segments/seg_1", key="writer", json=SEGMENT_IN, headers=headers), 422)
    # Answers belong to the API key: another workspace's, or another key of the same workspace, is a new request.
    other = await gw.call("POST", "/v1/segments", key="other", json=SEGMENT_IN, headers=headers)
    assert other.headers.get("idempotent-replayed") is None
    same_workspace = await gw.call("POST", "/v1/segments", key="admin", json=SEGMENT_IN, headers=headers)
    assert same_workspace.status_code == 201 and same_workspace.headers.get("idempotent-replayed") is None


async def test_client_errors_are_replayed_and_server_errors_retried(gw: Protected) -> None:
    bad = {"name": "No field", "condition": {"op": "gte", "value": 2}}
    headers = {"Idempotency-Key": f"bad-{uuid.uuid4()}"}
    first = await gw.call("POST", "/v1/segments", key="writer", json=bad, headers=headers)
    assert_problem(first, 422)
    calls = gw.posts_to_scoring()
    again = await gw.call("POST", "/v1/segments", key="writer", json=bad, headers=headers)
    assert (again.status_code, again.content, gw.posts_to_scoring()) == (422, first.content, calls)

    headers = {"Idempotency-Key": f"down-{uuid.uuid4()}"}
    gw.scoring.down = True
    try:
        assert_problem(await gw.call("POST", "/v1/segments", key="writer", json=SEGMENT_IN, headers=headers), 503)
    finally:
        gw.scoring.down = False
    retried = await gw.call("POST", "/v1/segments", key="writer", json=SEGMENT_IN, headers=headers)
    assert retried.status_code == 201 and "idempotent-replayed" not in retried.headers


async def test_events_are_replayed_by_key_too(gw: Protected) -> None:
    event = {
        "specversion": "1.0",
        "id": f"evt-{uuid.uuid4()}",
        "source": "test",
        "type": "visit",
        "time": "2025-03-01T12:00:00Z",
        "workspace": gw.workspace,
        "data": {"customer": {"email": "ada@example.com"}, "channel": "web"},
    }
    headers = {"Idempotency-Key": f"ev-{uuid.uuid4()}"}
    first = await gw.call("POST", "/v1/events", key="writer", json=event, headers=headers)
    assert first.status_code == 202, first.text
    again = await gw.call("POST", "/v1/events", key="writer", json=event, headers=headers)
    assert (again.status_code, again.json()) == (202, first.json())
    assert again.headers["idempotent-replayed"] == "true"


async def test_a_key_in_flight_is_409_and_an_expired_one_is_free_again(gw: Protected) -> None:
    key = f"busy-{uuid.uuid4()}"
    body = b'{"name": "Repeat buyers", "condition": {"field": "stats.orders", "op": "gte", "value": 2}}'
    writer = gw.key_ids["writer"]
    fingerprint = idempotency.fingerprint(writer, "POST", "/v1/segments", "", body)
    ttl = dt.timedelta(hours=24)
    assert await idempotency_store.claim(gw.state.runtime.pool, writer, gw.workspace, key, fingerprint, gw.clock(), ttl)
    headers = {"Idempotency-Key": key, "Content-Type": "application/json"}
    busy = await gw.call("POST", "/v1/segments", key="writer", content=body, headers=headers)
    assert_problem(busy, 409)
    assert busy.headers["retry-after"] == "1"

    gw.clock.advance(dt.timedelta(hours=25))  # the in-flight claim is long dead and expired
    assert (await gw.call("POST", "/v1/segments", key="writer", content=body, headers=headers)).status_code == 201
    gw.clock.advance(dt.timedelta(hours=25))
    assert await idempotency_store.prune(gw.state.runtime.pool, gw.clock()) >= 1
    assert await idempotency_store.load(gw.state.runtime.pool, writer, key) is None


async def test_request_limits_answer_problem_json(gw: Protected) -> None:
    big = {"name": "x" * 30_000, "condition": {"field": "stats.orders", "op": "gte", "value": 2}}
    assert_problem(await gw.call("POST", "/v1/segments", key="writer", json=big), 413)
    keyed = {"Idempotency-Key": f"big-{uuid.uuid4()}"}
    assert_problem(await gw.call("POST", "/v1/segments", key="writer", json=big, headers=keyed), 413)
    text = {"Content-Type": "text/plain"}
    assert_problem(await gw.call("POST", "/v1/segments", key="writer", content=b"hello", headers=text), 415)
    assert_problem(await gw.call("POST", "/v1/events", key="writer", content=b"hello", headers=text), 415)
    not_allowed = await gw.call("PATCH", "/v1/events", key="writer", json={})
    assert_problem(not_allowed, 405)
    assert not_allowed.headers["allow"] == "OPTIONS, POST"  # OPTIONS: the CloudEvents webhook validation
    # Two routes share /v1/keys (GET and POST): the Allow of a 405 names both, with or without an Idempotency-Key.
    for headers in ({}, {"Idempotency-Key": f"patch-{uuid.uuid4()}"}):
        for _ in range(2):
            patched = await gw.call("PATCH", "/v1/keys", json={}, headers=headers)
            assert_problem(patched, 405)
            assert patched.headers["allow"] == "GET, POST" and "idempotent-replayed" not in patched.headers
    assert_problem(await gw.call("GET", "/v1/no-such-thing", key="reader"), 404)
    assert_problem(
        await gw.call("POST", "/v1/segments", key="writer", json=SEGMENT_IN, headers={"Idempotency-Key": "k" * 256}),
        422,
    )


async def test_keys_are_created_listed_and_scoped_to_admins_of_the_workspace(gw: Protected) -> None:
    created = await gw.call("POST", "/v1/keys", json={"name": "crm-sync", "scopes": ["customers:read"]})
    assert created.status_code == 201, created.text
    key = created.json()
    assert key["scopes"] == ["customers:read"] and key["key"].startswith(f"fw_{key['prefix']}_")
    assert (await gw.call("GET", "/v1/segments", key=key["key"])).status_code == 200

    listed = await gw.call("GET", "/v1/keys")
    assert listed.status_code == 200 and key["key"] not in listed.text
    assert {k["id"] for k in listed.json()["items"]} >= {key["id"], gw.key_ids["admin"]}
    assert all("key" not in k for k in listed.json()["items"])
    first_page = (await gw.call("GET", "/v1/keys", params={"limit": 1})).json()
    assert len(first_page["items"]) == 1 and first_page["next_cursor"]
    second = (await gw.call("GET", "/v1/keys", params={"limit": 1, "cursor": first_page["next_cursor"]})).json()
    assert second["items"][0]["id"] != first_page["items"][0]["id"]

    assert_problem(await gw.call("GET", "/v1/keys", key="reader"), 403)
    assert_problem(await gw.call("POST", "/v1/keys", key="writer", json={"name": "x"}), 403)
    assert_problem(await gw.call("POST", "/v1/keys", json={"name": "x", "scopes": ["events:delete"]}), 422)
    foreign = gw.key_ids["other"]
    assert_problem(await gw.call("POST", f"/v1/keys/{foreign}/rotate"), 404)
    assert_problem(await gw.call("DELETE", f"/v1/keys/{foreign}"), 404)
    assert_problem(await gw.call("DELETE", "/v1/keys/not-a-key-id"), 404)
    assert foreign not in (await gw.call("GET", "/v1/keys")).text
    assert (await gw.call("GET", "/v1/keys", key="other")).status_code == 200  # the foreign key is untouched


async def test_a_rotated_key_keeps_its_old_secret_for_the_grace_period_only(gw: Protected) -> None:
    made = (await gw.call("POST", "/v1/keys", json={"name": "rotating", "scopes": ["customers:read"]})).json()
    old = made["key"]
    assert (await gw.call("GET", "/v1/segments", key=old)).status_code == 200  # cached from now on
    rotated = await gw.call("POST", f"/v1/keys/{made['id']}/rotate", headers={"X-Request-ID": "req-rotate"})
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()
    assert new["id"] == made["id"] and new["key"] != old and new["scopes"] == ["customers:read"]
    assert new["previous_expires_at"] is not None

    assert (await gw.call("GET", "/v1/segments", key=old)).status_code == 200
    assert (await gw.call("GET", "/v1/segments", key=new["key"])).status_code == 200
    gw.clock.advance(dt.timedelta(hours=1, seconds=1))  # the grace period (1 h in this module) is over
    assert_problem(await gw.call("GET", "/v1/segments", key=old), 401)
    assert (await gw.call("GET", "/v1/segments", key=new["key"])).status_code == 200


async def test_a_revoked_key_stops_at_once_and_cannot_be_rotated(gw: Protected) -> None:
    made = (await gw.call("POST", "/v1/keys", json={"name": "leaked", "scopes": ["customers:read"]})).json()
    assert (await gw.call("GET", "/v1/segments", key=made["key"])).status_code == 200  # now in the key cache
    revoked = await gw.call("DELETE", f"/v1/keys/{made['id']}")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    assert_problem(await gw.call("GET", "/v1/segments", key=made["key"]), 401)
    assert (await gw.call("DELETE", f"/v1/keys/{made['id']}")).status_code == 200  # revoking again is harmless
    assert_problem(await gw.call("POST", f"/v1/keys/{made['id']}/rotate"), 409)


async def test_key_changes_and_erasures_are_in_the_audit_log(gw: Protected) -> None:
    # One entry more than the first page holds, so the test pages whether or not others wrote to the log.
    earlier = (await gw.call("POST", "/v1/keys", json={"name": "earlier", "scopes": ["customers:read"]})).json()
    made = (await gw.call("POST", "/v1/keys", json={"name": "audited", "scopes": ["customers:read"]})).json()
    await gw.call("POST", f"/v1/keys/{made['id']}/rotate", headers={"X-Request-ID": "req-42"})
    await gw.call("DELETE", f"/v1/keys/{made['id']}")
    erased = await gw.call("DELETE", "/v1/customers/c-1", key="writer")
    assert erased.status_code == 202, erased.text

    log = await gw.call("GET", "/v1/audit-log", params={"limit": 4})
    assert log.status_code == 200, log.text
    entries = log.json()["items"]
    assert [(e["action"], e["target"]) for e in entries] == [
        ("customer.erased", "c-1"),
        ("key.revoked", made["id"]),
        ("key.rotated", made["id"]),
        ("key.created", made["id"]),
    ]
    assert entries[0]["actor_key_id"] == gw.key_ids["writer"]
    assert entries[1]["actor_key_id"] == gw.key_ids["admin"] and entries[2]["request_id"] == "req-42"
    assert log.json()["next_cursor"]
    older = await gw.call("GET", "/v1/audit-log", params={"limit": 4, "cursor": log.json()["next_cursor"]})
    assert older.status_code == 200 and all(e["id"] < entries[-1]["id"] for e in older.json()["items"])
    assert ("key.created", earlier["id"]) == (older.json()["items"][0]["action"], older.json()["items"][0]["target"])
    assert_problem(await gw.call("GET", "/v1/audit-log", key="reader"), 403)
    assert (await gw.call("GET", "/v1/audit-log", key="other")).json()["items"] == []
    assert_problem(await gw.call("GET", "/v1/audit-log", params={"cursor": "bm9wZQ=="}), 422)


async def test_a_path_naming_an_operation_is_that_operation_not_a_resource_of_that_name(gw: Protected) -> None:
    """Found by Schemathesis (allow_header_conformance): /v1/customers/search also matched
    /v1/customers/{customer_id}, so DELETE erased a customer named "search" and a 405 offered DELETE there;
    GET /v1/journeys/validate looked for a journey named "validate"."""
    erasures = len([r for r in gw.profile.requests if r.method == "DELETE"])
    for method, path, allow in (
        ("DELETE", "/v1/customers/search", "GET"),
        ("OPTIONS", "/v1/customers/search", "GET"),
        ("GET", "/v1/journeys/validate", "POST"),
        ("PUT", "/v1/journeys/validate", "POST"),
    ):
        for headers in ({}, {"Idempotency-Key": f"op-{uuid.uuid4()}"}):
            refused = await gw.call(method, path, headers=headers)
            assert_problem(refused, 405)
            assert refused.headers["allow"] == allow, (method, path)
    assert len([r for r in gw.profile.requests if r.method == "DELETE"]) == erasures
    assert (await gw.call("GET", "/v1/customers/search", key="reader")).status_code != 405


async def test_an_idempotency_key_must_be_printable_ascii_and_not_empty(gw: Protected) -> None:
    """Found by Schemathesis (positive_data_acceptance): the document took any text up to 255 characters,
    the gateway only printable ASCII. An empty key is refused too, and on /v1/events the 422 keeps the
    documented shape of its answer (EventsRejected: errors without an event index)."""
    for key in ("", "caf\u00e9", "tab\there"):
        headers = {"Idempotency-Key": key.encode("latin-1"), "Content-Type": b"application/json"}
        refused = await gw.call("POST", "/v1/segments", key="writer", content=orjson.dumps(SEGMENT_IN), headers=headers)
        assert_problem(refused, 422)
        event = await gw.call("POST", "/v1/events", key="writer", content=b"[]", headers=headers)
        EventsRejected.model_validate(assert_problem(event, 422))


async def test_a_query_parameter_of_one_value_given_twice_is_refused(gw: Protected) -> None:
    """Found by Schemathesis (negative_data_rejection): the document says one value; FastAPI kept the last."""
    refused = await gw.call("GET", "/v1/deals?status=open&status=won&limit=5&limit=500", key="reader")
    assert assert_problem(refused, 422)["errors"] == [
        {"field": "query.limit", "message": "given more than once; it takes one value"},
        {"field": "query.status", "message": "given more than once; it takes one value"},
    ]
