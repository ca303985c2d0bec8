"""The Segment-compatible API in-process against the session's PostgreSQL and broker (profile a stand-in serving the
tracking plan): what lands on `flywheel.events.inbound`, the write key, budgets, gzip, invalid messages."""

from __future__ import annotations

import base64
import gzip
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
import pytest

from contracts.topics import INBOUND
from devstack.postgres import LocalPostgres
from services.gateway import store
from services.gateway.segment import MAX_BATCH_BYTES
from tests.helpers import read_topic
from tests.integration.conftest import fresh_database
from tests.integration.gateway_fakes import FakeJourney, FakeReferral, FakeSales, FakeScoring, assert_problem
from tests.integration.gateway_stack import gateway_app, gateway_settings

CART_SCHEMA = {"type": "object", "properties": {"cart_total": {"type": "number"}}, "required": ["cart_total"]}


@dataclass
class PlanProfile:
    """Profile as far as ingestion reaches it: the workspace's tracking plan and the refused counts."""

    workspace: str
    refused: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        base = f"/internal/v1/workspaces/{self.workspace}"
        if request.url.path.endswith("/event-types"):  # the plan of this workspace; another has none of its own
            item = {"name": "cart_abandoned", "version": 1, "schema": CART_SCHEMA, "unknown_fields": "keep"}
            own = [item] if request.url.path == f"{base}/event-types" else []
            return httpx.Response(200, json={"items": [{"name": "purchase", "builtin": True}, *own]})
        if request.url.path == f"{base}/event-types/rejections":
            self.refused.append(orjson.loads(request.content))
            return httpx.Response(204)
        return httpx.Response(404, json={"detail": "no such workspace"})


@dataclass
class Segment:
    client: httpx.AsyncClient
    workspace: str
    keys: dict[str, str]
    profile: PlanProfile

    async def post(
        self, call: str, body: Any, key: str | None = "writer", scheme: str = "Basic", **kwargs: Any
    ) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if key is not None:
            plain = self.keys.get(key, key)
            credentials = base64.b64encode(f"{plain}:".encode()).decode() if scheme == "Basic" else plain
            headers["Authorization"] = f"{scheme} {credentials}"
        content = body if isinstance(body, bytes) else json.dumps(body).encode()  # json: integers beyond 64 bits too
        headers.setdefault("content-type", "application/json")
        return await self.client.post(f"/segment/v1/{call}", content=content, headers=headers, **kwargs)


@pytest.fixture
async def segment(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[Segment]:
    dsn = fresh_database(postgres, "gateway_segment")
    workspace, other = f"seg_{uuid.uuid4().hex[:8]}", f"other_{uuid.uuid4().hex[:8]}"
    keys: dict[str, str] = {}
    async with store.admin_connection(dsn) as conn:
        for name in (workspace, other):
            await store.create_workspace(conn, name)
        for name, ws, scopes in (
            ("writer", workspace, ["events:write"]),
            ("reader", workspace, ["customers:read"]),
            ("other", other, ["events:write"]),
        ):
            keys[name] = (await store.create_key(conn, ws, name, scopes))[1]
    profile = PlanProfile(workspace)
    fakes: dict[str, Any] = {
        "profile": profile,
        "scoring": FakeScoring(workspace),
        "journey": FakeJourney(workspace),
        "referral": FakeReferral(workspace),
        "sales": FakeSales(workspace),
    }
    app = gateway_app(
        gateway_settings(dsn, topics, broker_kind, max_batch_events=5, max_body_bytes=200_000),
        {name: httpx.MockTransport(fake) for name, fake in fakes.items()},
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client,
    ):
        yield Segment(client, workspace, keys, profile)


def track(message_id: str, event: str = "Product Viewed", **more: Any) -> dict[str, Any]:
    return {"type": "track", "messageId": message_id, "userId": "u-1", "event": event, **more}


async def inbound(topics: str, workspace: str, expect: int) -> dict[str, dict[str, Any]]:
    records = await read_topic(
        topics, INBOUND, expect=expect, match=lambda r: r.key.startswith(f"{workspace}:".encode())
    )
    return {event["id"]: event for event in (orjson.loads(r.value) for r in records)}


async def test_a_gzipped_sdk_batch_lands_on_inbound_as_flywheel_events(segment: Segment, topics: str) -> None:
    ws, run = segment.workspace, uuid.uuid4().hex[:6]
    body = {
        "batch": [
            {
                "type": "identify",
                "messageId": f"{run}-1",
                "userId": "u-1",
                "traits": {"email": "ada@example.com", "name": "Ada"},
            },
            track(f"{run}-2", "Order Completed", properties={"order_id": "o-1", "total": 59.9, "currency": "EUR"}),
            track(f"{run}-3", "Cart Abandoned", properties={"cart_total": 12.5}),
            {
                "type": "page",
                "messageId": f"{run}-4",
                "anonymousId": "a-1",
                "properties": {"url": "https://s.example/"},
            },
            {"type": "group", "messageId": f"{run}-5", "userId": "u-1", "groupId": "acme"},
        ],
        "context": {"library": {"name": "analytics-python", "version": "2.4.0"}},
        "writeKey": segment.keys["other"],  # a body key never authenticates, nor overrides the header's
        "sentAt": "2026-12-01T10:00:00Z",
    }
    answer = await segment.post("batch", gzip.compress(orjson.dumps(body)), headers={"content-encoding": "gzip"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "success": True,
        "accepted": [f"{run}-1", f"{run}-2", f"{run}-3", f"{run}-4"],
        "ignored": [f"{run}-5"],
    }
    events = await inbound(topics, ws, expect=4)
    assert {e["id"]: e["type"] for e in events.values()} == {
        f"{run}-1": "identify", f"{run}-2": "purchase", f"{run}-3": "cart_abandoned", f"{run}-4": "visit"
    }  # fmt: skip
    assert all(e["workspace"] == ws and e["source"] == "segment:analytics-python" for e in events.values())
    assert events[f"{run}-2"]["data"]["amount"] == "59.9"
    assert segment.keys["other"] not in str(events)


async def test_each_call_has_its_endpoint_and_bearer_works_too(segment: Segment, topics: str) -> None:
    run = uuid.uuid4().hex[:6]
    calls = {
        "track": track(f"{run}-t"),
        "identify": {"messageId": f"{run}-i", "userId": "u-1", "traits": {"plan": "pro"}},
        "page": {"messageId": f"{run}-p", "anonymousId": "a-1", "name": "Home"},
        "screen": {"messageId": f"{run}-s", "userId": "u-1", "name": "Cart"},
        "alias": {"messageId": f"{run}-a", "userId": "u-1", "previousId": "a-1"},
    }
    for call, body in calls.items():
        answer = await segment.post(call, body, scheme="Bearer" if call == "page" else "Basic")
        assert answer.status_code == 200, answer.text
        assert answer.json()["accepted"] == [body["messageId"]]
    assert (await segment.post("group", {"messageId": "g", "userId": "u", "groupId": "x"})).json()["ignored"] == ["g"]
    events = await inbound(topics, segment.workspace, expect=5)
    assert events[f"{run}-a"]["data"]["customer"] == {"external_id": "u-1", "anonymous_id": "a-1"}
    mismatch = await segment.post("track", {"type": "identify", "userId": "u"})
    assert assert_problem(mismatch, 422)["errors"][0]["field"] == "type"


async def test_the_write_key_must_be_a_live_events_write_key(segment: Segment) -> None:
    for key in (None, "fw_0123abcd_" + "x" * 43, "not a key"):
        refused = await segment.post("batch", {"batch": [track("m")]}, key=key)
        body = assert_problem(refused, 401)
        assert refused.headers["www-authenticate"].startswith("Basic")
        assert body["code"] == "unauthorized" and body["message"] == body["detail"]  # what the SDKs read
    forbidden = assert_problem(await segment.post("batch", {"batch": [track("m")]}, key="reader"), 403)
    assert "events:write" in forbidden["message"]


async def test_another_workspaces_key_writes_to_its_own_workspace_only(segment: Segment, topics: str) -> None:
    run = uuid.uuid4().hex[:6]
    body = {"batch": [track(f"{run}-x", workspace=segment.workspace)], "workspace": segment.workspace}
    answer = await segment.post("batch", body, key="other")
    assert answer.status_code == 200, answer.text
    other_ws = next(iter(await inbound_any(topics, f"{run}-x")))
    assert other_ws != segment.workspace and other_ws.startswith("other_")


async def inbound_any(topics: str, event_id: str) -> set[str]:
    records = await read_topic(topics, INBOUND, expect=1, match=lambda r: orjson.loads(r.value)["id"] == event_id)
    return {orjson.loads(r.value)["workspace"] for r in records}


async def test_invalid_messages_are_refused_by_name_and_the_valid_ones_published(segment: Segment, topics: str) -> None:
    run = uuid.uuid4().hex[:6]
    body = {
        "batch": [
            track(f"{run}-ok"),
            track(f"{run}-refund", "Order Refunded", properties={"order_id": "o-1"}),
            track(f"{run}-cart", "Cart Abandoned", properties={"cart_total": "lots"}),
            {"type": "track", "messageId": f"{run}-big", "userId": "u", "event": "X", "properties": {"n": 2**70}},
            {
                "type": "track",
                "messageId": f"{run}-huge",
                "userId": "u",
                "event": "X",
                "properties": {"x": "y" * 40_000},
            },
        ]
    }
    answer = await segment.post("batch", body)
    problem = assert_problem(answer, 422)
    assert problem["accepted"] == [f"{run}-ok"] and problem["code"] == "unprocessable_content"
    fields = [(e["index"], e["id"], e["field"]) for e in problem["errors"]]
    assert fields == [
        (1, f"{run}-refund", "properties.total"),
        (2, f"{run}-cart", "data.cart_total"),
        (3, f"{run}-big", "properties.n"),
        (4, f"{run}-huge", "(message)"),
    ]
    assert "4 of 5" in problem["detail"]
    assert segment.profile.refused == [{"counts": {"cart_abandoned": 1}}]
    assert set(await inbound(topics, segment.workspace, expect=1)) == {f"{run}-ok"}


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (b"{not json", {}, 400),
        (b"[]", {}, 400),
        (orjson.dumps({"batch": []}), {}, 400),
        (orjson.dumps({"batch": [track(str(i)) for i in range(6)]}), {}, 413),  # max_batch_events=5
        (orjson.dumps({"batch": [track("m", properties={"x": "y" * MAX_BATCH_BYTES})]}), {}, 413),
        (b"not gzip", {"content-encoding": "gzip"}, 400),
        (gzip.compress(b"{}", mtime=0), {"content-encoding": "br"}, 415),
        (orjson.dumps({"batch": [track("m")]}), {"content-type": "text/plain"}, 415),
    ],
)
async def test_bad_requests_are_problems_the_sdks_can_read(
    segment: Segment, body: bytes, headers: dict[str, str], status: int
) -> None:
    problem = assert_problem(await segment.post("batch", body, headers=headers), status)
    assert problem["code"] and problem["message"]


async def test_a_gzip_bomb_is_refused_after_inflating_no_more_than_the_budget(segment: Segment) -> None:
    bomb = gzip.compress(b'{"batch": [' + b" " * (200 * MAX_BATCH_BYTES) + b"]}", compresslevel=9)
    assert len(bomb) < 200_000  # within the raw body limit: only the inflated budget refuses it
    problem = assert_problem(await segment.post("batch", bomb, headers={"content-encoding": "gzip"}), 413)
    assert "decompressed" in problem["detail"]
    single = gzip.compress(orjson.dumps(track("m", properties={"x": "y" * 40_000})))
    assert_problem(await segment.post("track", single, headers={"content-encoding": "gzip"}), 413)  # 32 KB a call


async def test_an_idempotency_key_replays_the_answer(segment: Segment) -> None:
    body = {"batch": [track(f"{uuid.uuid4().hex[:6]}-i")]}
    first = await segment.post("batch", body, headers={"Idempotency-Key": "seg-1"})
    again = await segment.post("batch", body, headers={"Idempotency-Key": "seg-1"})
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
