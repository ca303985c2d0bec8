"""The gateway in-process against the session's PostgreSQL and broker; profile is a stand-in (MockTransport)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
import pytest

from contracts.topics import INBOUND
from devstack.postgres import LocalPostgres
from runtime.settings import Settings
from services.gateway import store
from services.gateway.wiring import create_app
from tests.helpers import event, read_topic
from tests.integration.conftest import fresh_database

PROBLEM = "application/problem+json"
VIEW = {
    "customer_id": "c-1",
    "identifiers": {"external_id": [], "email": ["ada@example.com"], "phone": [], "anonymous_id": []},
    "traits": {"name": "Ada"},
    "tags": [],
    "stats": {"orders": 2, "revenue": "20.00", "average_order_value": "10.00", "first_purchase_at": None,
              "last_purchase_at": None, "visits": 0, "last_visit_at": None, "open_tickets": 0, "last_nps": None,
              "average_csat": None},
    "merged_ids": [],
    "internal_shard": 7,  # a field profile might add: not part of the public view
    "created_at": "2025-01-01T00:00:00Z",
    "updated_at": "2025-01-02T00:00:00Z",
}  # fmt: skip


@dataclass
class FakeService:
    """A service's internal API for one workspace (an httpx.MockTransport handler); `down` refuses connections."""

    workspace: str
    down: bool = False
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        base = f"/internal/v1/workspaces/{self.workspace}"
        path, method = request.url.path, request.method
        return self.answer(request, base, path, method)

    def answer(self, request: httpx.Request, base: str, path: str, method: str) -> httpx.Response:
        raise NotImplementedError


class FakeProfile(FakeService):
    """Profile's internal API for one workspace holding one customer, `c-1`."""

    def answer(self, request: httpx.Request, base: str, path: str, method: str) -> httpx.Response:
        if path == f"{base}/customers" and request.url.params.get("email") == "ada@example.com":
            return httpx.Response(200, json=VIEW)
        if path == f"{base}/customers/c-1" and method == "GET":
            return httpx.Response(200, json=VIEW)
        if path == f"{base}/customers/c-1" and method == "DELETE":
            return httpx.Response(202, json={"customer_id": "c-1", "erased_ids": ["c-1"], "status": "erased"})
        if path == f"{base}/customers/c-1/timeline":
            item = {"event_id": "e-1", "type": "visit", "occurred_at": "2025-01-01T00:00:00Z", "source": "web",
                    "data": {"channel": "web"}, "received_at": "2025-01-01T00:00:01Z"}  # fmt: skip
            return httpx.Response(200, json={"items": [item], "next_cursor": "abc"})
        if path == f"{base}/customers/c-1/export":
            return httpx.Response(200, json={"customer": VIEW, "events": []})
        if path == f"{base}/attributes" and method == "GET":
            return httpx.Response(200, json={"items": [{"name": "tier", "type": "enum", "enum_values": ["gold"]}]})
        if path.startswith(f"{base}/attributes/") and method == "PUT":
            body = orjson.loads(request.content)
            if body["type"] == "enum" and not body["enum_values"]:
                return httpx.Response(422, json={"detail": "an enum attribute needs enum_values", "errors": []})
            return httpx.Response(200, json={"name": path.rsplit("/", 1)[1], **body})
        return httpx.Response(404, json={"detail": f"nothing at {path}"})


SCORES = {
    "customer_id": "c-1",
    "rfm": {"r": 4, "f": 3, "m": 5, "segment": "Loyal", "recency_days": 12},
    "ltv": {"historical": "20.00", "predicted_12m": "31.40", "expected_purchases_90d": 0.8, "basis": "model"},
    "churn": {"p_alive": 0.91, "risk": "low", "reasons": []},
    "dormant_since": None,
    "segments": [{"segment_id": "seg_1", "name": "Repeat buyers", "entered_at": "2025-01-02T00:00:00Z"}],
    "as_of": "2025-01-03T00:00:00Z",
    "model_version": 3,  # a field scoring might add: not part of the public view
}
SEGMENT = {
    "segment_id": "seg_1",
    "name": "Repeat buyers",
    "description": None,
    "condition": {"field": "stats.orders", "op": "gte", "value": 2},
    "members": 1,
    "created_at": "2025-01-01T00:00:00Z",
    "updated_at": "2025-01-01T00:00:00Z",
}


class FakeScoring(FakeService):
    """Scoring's internal API for one workspace: scores of `c-1` and one segment, `seg_1`."""

    def answer(self, request: httpx.Request, base: str, path: str, method: str) -> httpx.Response:
        if path == f"{base}/customers/c-1/scores":
            return httpx.Response(200, json=SCORES)
        if path == f"{base}/segments" and method == "GET":
            return httpx.Response(200, json={"items": [SEGMENT], "next_cursor": None})
        if path == f"{base}/segments" and method == "POST":
            body = orjson.loads(request.content)
            if "field" not in body["condition"]:
                error = {"field": "condition", "message": "a condition needs a field"}
                return httpx.Response(422, json={"detail": "invalid segment condition", "errors": [error]})
            return httpx.Response(201, json={**SEGMENT, **body, "segment_id": "seg_2", "members": 0})
        if path == f"{base}/segments/seg_1" and method in {"GET", "PUT"}:
            return httpx.Response(200, json=SEGMENT)
        if path == f"{base}/segments/seg_1" and method == "DELETE":
            return httpx.Response(204)
        if path == f"{base}/segments/seg_1/members":
            members = [{"customer_id": "c-1", "entered_at": "2025-01-02T00:00:00Z"}]
            return httpx.Response(200, json={"items": members, "next_cursor": None})
        if path == f"{base}/segment-fields":
            return httpx.Response(200, json=[{"field": "stats.orders", "type": "number", "operators": ["gte"]}])
        return httpx.Response(404, json={"detail": f"nothing at {path}"})


@dataclass
class Gateway:
    client: httpx.AsyncClient
    workspace: str
    keys: dict[str, str]
    profile: FakeProfile
    scoring: FakeScoring
    dsn: str

    async def call(self, method: str, path: str, key: str | None = "admin", **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if key is not None:
            headers["Authorization"] = f"Bearer {self.keys.get(key, key)}"
        return await self.client.request(method, path, headers=headers, **kwargs)


@pytest.fixture
async def gateway(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[Gateway]:
    dsn = fresh_database(postgres, "gateway")
    workspace = f"gw_{uuid.uuid4().hex[:8]}"
    keys: dict[str, str] = {}
    async with store.admin_connection(dsn) as conn:
        await store.create_workspace(conn, workspace)
        for name, scopes in (("admin", ["admin"]), ("writer", ["events:write"]), ("reader", ["customers:read"])):
            keys[name] = (await store.create_key(conn, workspace, name, scopes))[1]
    profile, scoring = FakeProfile(workspace), FakeScoring(workspace)
    settings = Settings(
        database_url=dsn,
        kafka_bootstrap=topics,
        # The in-memory test broker does not implement InitProducerId; idempotence is tested on Apache Kafka.
        kafka_idempotent_producer=broker_kind == "kafka",
        profile_url="http://profile.invalid",
        scoring_url="http://scoring.invalid",
        max_batch_events=5,
        max_body_bytes=20_000,
    )
    app = create_app(
        settings, profile_transport=httpx.MockTransport(profile), scoring_transport=httpx.MockTransport(scoring)
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client,
    ):
        yield Gateway(client, workspace, keys, profile, scoring, dsn)


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and "detail" in body
    return body


async def test_requests_need_a_live_key(gateway: Gateway) -> None:
    for key in (None, "not-a-key", "fw_0123abcd_" + "x" * 43):
        response = await gateway.call("GET", "/v1/customers/c-1", key=key)
        assert_problem(response, 401)
        assert response.headers["www-authenticate"].startswith("Bearer")
    async with store.admin_connection(gateway.dsn) as conn:
        record, plain = await store.create_key(conn, gateway.workspace, "short-lived", ["customers:read"])
        await store.revoke_key(conn, record.id)
    assert_problem(await gateway.call("GET", "/v1/customers/c-1", key=plain), 401)


async def test_keys_need_the_endpoint_scope(gateway: Gateway) -> None:
    assert_problem(await gateway.call("GET", "/v1/customers/c-1", key="writer"), 403)
    assert_problem(await gateway.call("POST", "/v1/events", key="reader", json=[]), 403)
    assert_problem(await gateway.call("DELETE", "/v1/customers/c-1", key="reader"), 403)
    assert_problem(await gateway.call("PUT", "/v1/attributes/tier", key="reader", json={"type": "string"}), 403)


async def test_single_events_and_batches_land_on_inbound(gateway: Gateway, topics: str) -> None:
    ws = gateway.workspace
    single = event("visit", ws, {"email": " Ada@Example.com "}, {"channel": "web"})
    response = await gateway.call("POST", "/v1/events", key="writer", json=single, headers={"Idempotency-Key": "k1"})
    assert response.status_code == 202, response.text
    assert response.json() == {"accepted": [single["id"]], "rejected": []}

    batch = [
        event("purchase", ws, {"external_id": f"u-{i}"}, {"order_id": f"o-{i}", "amount": "9.5"}) for i in range(3)
    ]
    response = await gateway.call("POST", "/v1/events", key="writer", json=batch)
    assert response.status_code == 202, response.text
    assert response.json()["accepted"] == [e["id"] for e in batch]

    records = await read_topic(topics, INBOUND, expect=4, match=lambda r: r.key.startswith(f"{ws}:".encode()))
    by_id = {orjson.loads(r.value)["id"]: r for r in records}
    assert by_id[single["id"]].key == f"{ws}:ada@example.com".encode()
    assert by_id[batch[1]["id"]].key == f"{ws}:u-1".encode()
    assert orjson.loads(by_id[batch[1]["id"]].value)["data"]["amount"] == "9.5"
    headers = dict(by_id[single["id"]].headers)
    assert headers["content-type"] == b"application/cloudevents+json"
    assert "traceparent" in headers


async def test_a_mixed_batch_publishes_the_valid_events_and_lists_every_error(gateway: Gateway, topics: str) -> None:
    ws = gateway.workspace
    good = event("visit", ws, {"anonymous_id": "d-1"}, {"channel": "app"})
    bad = event("purchase", ws, {"email": "b@example.com"}, {"amount": "-3"})  # no order_id, negative amount
    foreign = event("visit", "someone_else", {"anonymous_id": "d-2"}, {"channel": "app"})
    response = await gateway.call("POST", "/v1/events", key="writer", json=[good, bad, foreign, 42])
    body = assert_problem(response, 422)
    assert body["accepted"] == [good["id"]]
    errors = {(e["index"], e["field"]): e for e in body["errors"]}
    assert set(errors) == {(1, "data.order_id"), (1, "data.amount"), (2, "workspace"), (3, "(event)")}
    assert errors[1, "data.amount"]["id"] == bad["id"]
    assert errors[3, "(event)"]["id"] is None
    assert errors[2, "workspace"]["message"] == (
        f"workspace 'someone_else' does not match the API key's workspace '{ws}'"
    )
    records = await read_topic(topics, INBOUND, expect=1, match=lambda r: r.key.startswith(f"{ws}:".encode()))
    assert [orjson.loads(r.value)["id"] for r in records] == [good["id"]]


async def test_bad_requests_answer_problem_json(gateway: Gateway) -> None:
    ws = gateway.workspace
    one = event("visit", ws, {"anonymous_id": "d"}, {"channel": "web"})
    assert_problem(await gateway.call("GET", "/v1/nowhere"), 404)
    assert_problem(await gateway.call("GET", "/v1/events"), 405)
    text_plain, json_type = {"content-type": "text/plain"}, {"content-type": "application/json"}
    assert_problem(await gateway.call("POST", "/v1/events", content=b"hello", headers=text_plain), 415)
    assert_problem(await gateway.call("POST", "/v1/events", content=b"{nope", headers=json_type), 400)
    assert_problem(await gateway.call("POST", "/v1/events", json=[one] * 6), 413)  # max_batch_events=5
    huge = {**one, "data": {**one["data"], "url": "x" * 30_000}}
    assert_problem(await gateway.call("POST", "/v1/events", json=huge), 413)  # max_body_bytes=20_000
    assert_problem(await gateway.call("POST", "/v1/events", json=[]), 422)


async def test_customer_reads_come_from_profile_in_the_keys_workspace(gateway: Gateway) -> None:
    found = await gateway.call("GET", "/v1/customers", key="reader", params={"email": "ada@example.com"})
    assert found.status_code == 200, found.text
    assert found.json()["customer_id"] == "c-1" and "internal_shard" not in found.json()
    assert_problem(await gateway.call("GET", "/v1/customers", params={"email": "x@y.z", "phone": "+49"}), 422)
    assert_problem(await gateway.call("GET", "/v1/customers"), 422)
    assert_problem(await gateway.call("GET", "/v1/customers", params={"email": "nobody@example.com"}), 404)

    view = (await gateway.call("GET", "/v1/customers/c-1", key="reader")).json()
    assert view["stats"]["revenue"] == "20.00" and view["traits"] == {"name": "Ada"}
    assert view["scores"]["rfm"]["segment"] == "Loyal" and "model_version" not in view["scores"]
    assert view["segments"] == SCORES["segments"] and view["degraded"] == []
    assert all(view[k] == [] for k in ("journeys", "referrals", "deals", "tasks"))
    assert all(r.url.path.startswith(f"/internal/v1/workspaces/{gateway.workspace}/") for r in gateway.profile.requests)

    # Another workspace's customer, or an id that would climb the profile URL: not found here.
    assert_problem(await gateway.call("GET", "/v1/customers/c-2"), 404)
    assert_problem(await gateway.call("GET", "/v1/customers/..%2F..%2Fother%2Fcustomers%2Fc-1"), 404)

    page = await gateway.call("GET", "/v1/customers/c-1/timeline", params={"limit": 10_000, "cursor": "abc"})
    assert page.json()["next_cursor"] == "abc" and page.json()["items"][0]["event_id"] == "e-1"
    assert gateway.profile.requests[-1].url.params["limit"] == "500"
    await gateway.call("GET", "/v1/customers/c-1/timeline")
    assert gateway.profile.requests[-1].url.params["limit"] == "50"

    assert (await gateway.call("GET", "/v1/customers/c-1/export")).json()["customer"]["customer_id"] == "c-1"
    erased = await gateway.call("DELETE", "/v1/customers/c-1", headers={"Idempotency-Key": "erase-1"})
    assert erased.status_code == 202 and erased.json()["erased_ids"] == ["c-1"]


async def test_attributes_pass_through_profile(gateway: Gateway) -> None:
    listed = await gateway.call("GET", "/v1/attributes", key="reader")
    assert listed.json()["items"][0]["name"] == "tier"
    put = await gateway.call("PUT", "/v1/attributes/tier", json={"type": "enum", "enum_values": ["gold", "silver"]})
    assert put.status_code == 200 and put.json()["enum_values"] == ["gold", "silver"]
    assert_problem(await gateway.call("PUT", "/v1/attributes/tier", json={"type": "enum", "enum_values": []}), 422)
    assert_problem(await gateway.call("PUT", "/v1/attributes/tier", json={"type": "colour"}), 422)


async def test_profile_down_is_503_naming_it(gateway: Gateway) -> None:
    gateway.profile.down = True
    body = assert_problem(await gateway.call("GET", "/v1/customers/c-1"), 503)
    assert "profile" in body["detail"]
    assert_problem(await gateway.call("DELETE", "/v1/customers/c-1"), 503)


async def test_openapi_documents_every_endpoint(gateway: Gateway) -> None:
    doc = (await gateway.client.get("/openapi.json")).json()
    assert doc["info"]["title"] == "Flywheel API"
    schemes = doc["components"]["securitySchemes"]
    assert any(s["type"] == "http" and s["scheme"].lower() == "bearer" for s in schemes.values())
    assert "InboundEvent" in doc["components"]["schemas"] and "PurchaseEvent" in doc["components"]["schemas"]
    post_events = doc["paths"]["/v1/events"]["post"]
    assert "Idempotency-Key" in {p["name"] for p in post_events["parameters"]}
    assert {"202", "401", "403", "413", "415", "422"} <= set(post_events["responses"])
    for path in ("/v1/customers", "/v1/customers/{customer_id}", "/v1/customers/{customer_id}/timeline",
                 "/v1/customers/{customer_id}/export", "/v1/attributes", "/v1/attributes/{name}"):  # fmt: skip
        for operation in doc["paths"][path].values():
            assert operation["tags"] and operation["security"] and "401" in operation["responses"]
    assert (await gateway.client.get("/docs")).status_code == 200


async def test_the_360_view_stays_up_without_scoring_and_says_so(gateway: Gateway) -> None:
    gateway.scoring.down = True
    view = (await gateway.call("GET", "/v1/customers/c-1", key="reader")).json()
    assert view["customer_id"] == "c-1" and view["stats"]["orders"] == 2
    assert view["scores"] is None and view["segments"] == [] and view["degraded"] == ["scoring"]
    assert_problem(await gateway.call("GET", "/v1/customers/c-1/scores", key="reader"), 503)


async def test_scores_and_segments_come_from_scoring_in_the_keys_workspace(gateway: Gateway) -> None:
    scores = await gateway.call("GET", "/v1/customers/c-1/scores", key="reader")
    assert scores.status_code == 200, scores.text
    assert scores.json()["ltv"] == SCORES["ltv"] and "model_version" not in scores.json()
    assert_problem(await gateway.call("GET", "/v1/customers/c-2/scores", key="reader"), 404)

    listed = (await gateway.call("GET", "/v1/segments", key="reader")).json()
    assert [s["segment_id"] for s in listed["items"]] == ["seg_1"]
    members = (await gateway.call("GET", "/v1/segments/seg_1/members", key="reader")).json()
    assert members["items"][0]["customer_id"] == "c-1"
    assert (await gateway.call("GET", "/v1/segment-fields", key="reader")).json()[0]["field"] == "stats.orders"
    assert_problem(await gateway.call("GET", "/v1/segments/seg_9", key="reader"), 404)

    body = {"name": "Big spenders", "condition": {"field": "stats.revenue", "op": "gte", "value": 500}}
    assert_problem(await gateway.call("POST", "/v1/segments", key="reader", json=body), 403)
    created = await gateway.call("POST", "/v1/segments", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["segment_id"] == "seg_2"
    bad = assert_problem(await gateway.call("POST", "/v1/segments", json={"name": "x", "condition": {"all": []}}), 422)
    assert bad["errors"] == [{"field": "condition", "message": "a condition needs a field"}]
    assert (await gateway.call("PUT", "/v1/segments/seg_1", json=body)).status_code == 200
    assert_problem(await gateway.call("PUT", "/v1/segments/seg_9", json=body), 404)
    assert (await gateway.call("DELETE", "/v1/segments/seg_1")).status_code == 204
    assert all(r.url.path.startswith(f"/internal/v1/workspaces/{gateway.workspace}/") for r in gateway.scoring.requests)
