"""POST /v1/events in every CloudEvents HTTP mode (structured, batch, binary, plain JSON), against the session's
PostgreSQL and broker; profile is a stand-in. What lands on `flywheel.events.inbound` is the structured event."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
import pytest

from contracts.topics import INBOUND
from devstack.postgres import LocalPostgres
from services.gateway import store
from tests.helpers import event, read_topic
from tests.integration.conftest import fresh_database
from tests.integration.gateway_fakes import (
    FakeJourney,
    FakeProfile,
    FakeReferral,
    FakeSales,
    FakeScoring,
    assert_problem,
)
from tests.integration.gateway_stack import gateway_app, gateway_settings


@dataclass
class Gateway:
    client: httpx.AsyncClient
    workspace: str
    topics: str

    async def landed(self, expect: int) -> dict[str, dict[str, Any]]:
        """The workspace's events on the inbound topic, by id."""
        records = await read_topic(
            self.topics, INBOUND, expect=expect, match=lambda r: r.key.startswith(f"{self.workspace}:".encode())
        )
        return {doc["id"]: doc for doc in (orjson.loads(r.value) for r in records)}


@pytest.fixture
async def gateway(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[Gateway]:
    dsn = fresh_database(postgres, "gateway")
    workspace = f"ce_{uuid.uuid4().hex[:8]}"
    async with store.admin_connection(dsn) as conn:
        await store.create_workspace(conn, workspace)
        key = (await store.create_key(conn, workspace, "writer", ["events:write"]))[1]
    fakes = {
        "profile": FakeProfile(workspace),
        "scoring": FakeScoring(workspace),
        "journey": FakeJourney(workspace),
        "referral": FakeReferral(workspace),
        "sales": FakeSales(workspace),
    }
    app = gateway_app(
        gateway_settings(dsn, topics, broker_kind, max_batch_events=5, max_body_bytes=20_000, rate_limit_per_s=50),
        {name: httpx.MockTransport(fake) for name, fake in fakes.items()},
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://gateway",
            headers={"Authorization": f"Bearer {key}"},
        ) as client,
    ):
        yield Gateway(client, workspace, topics)


def visit(workspace: str | None = None, **extra: Any) -> dict[str, Any]:
    doc = event("visit", workspace or "x", {"anonymous_id": f"d-{uuid.uuid4().hex[:6]}"}, {"channel": "web"})
    if workspace is None:
        del doc["workspace"]
    return {**doc, **extra}


def binary_headers(doc: dict[str, Any], content_type: str = "application/json") -> dict[str, str]:
    headers = {f"ce-{name}": str(value) for name, value in doc.items() if name != "data"}
    return {**headers, "content-type": content_type}


async def test_every_http_mode_lands_as_a_structured_event(gateway: Gateway) -> None:
    ws = gateway.workspace
    structured = visit(ws)
    answer = await gateway.client.post(
        "/v1/events",
        content=orjson.dumps(structured),
        headers={"content-type": "application/cloudevents+json; charset=utf-8"},
    )
    assert answer.status_code == 202, answer.text
    batch = [visit(ws), visit(ws)]
    answer = await gateway.client.post(
        "/v1/events", content=orjson.dumps(batch), headers={"content-type": "application/cloudevents-batch+json"}
    )
    assert answer.status_code == 202, answer.text
    assert answer.json()["accepted"] == [e["id"] for e in batch]

    purchase = event("purchase", ws, {"email": "bin@example.com"}, {"order_id": "o-1", "amount": "12.50"})
    headers = binary_headers({**purchase, "id": "evt 1/é", "subject": "bin"}, "application/json; charset=utf-8")
    headers["ce-id"] = "evt%201%2F%C3%A9"  # percent-encoded, as the HTTP binding says
    answer = await gateway.client.post("/v1/events", content=orjson.dumps(purchase["data"]), headers=headers)
    assert answer.status_code == 202, answer.text
    assert answer.json()["accepted"] == ["evt 1/é"]

    landed = await gateway.landed(expect=4)
    binary = landed["evt 1/é"]
    assert binary["type"] == "purchase" and binary["subject"] == "bin" and binary["workspace"] == ws
    assert binary["datacontenttype"] == "application/json; charset=utf-8"
    assert binary["data"]["amount"] == "12.50" and binary["data"]["customer"] == {"email": "bin@example.com"}
    assert landed[structured["id"]]["time"].startswith(structured["time"][:19])


async def test_workspace_and_time_may_be_left_out(gateway: Gateway) -> None:
    timeless = visit()
    del timeless["time"]
    answer = await gateway.client.post("/v1/events", json=timeless)
    assert answer.status_code == 202, answer.text
    headers = binary_headers(timeless)
    answer = await gateway.client.post(
        "/v1/events", content=orjson.dumps(timeless["data"]), headers={**headers, "ce-id": "binary-timeless"}
    )
    assert answer.status_code == 202, answer.text
    landed = await gateway.landed(expect=2)
    for doc in (landed[timeless["id"]], landed["binary-timeless"]):
        assert doc["workspace"] == gateway.workspace
        assert doc["timesource"] == "received" and doc["time"].endswith("Z")


async def test_another_workspace_is_refused_in_every_mode(gateway: Gateway) -> None:
    """A key of one workspace never writes another's events, whichever way the workspace is named."""
    foreign = visit("someone_else")
    body = assert_problem(await gateway.client.post("/v1/events", json=foreign), 422)
    assert [e["field"] for e in body["errors"]] == ["workspace"]
    answer = await gateway.client.post(
        "/v1/events", content=orjson.dumps(foreign["data"]), headers=binary_headers(foreign)
    )
    body = assert_problem(answer, 422)
    assert [e["field"] for e in body["errors"]] == ["ce-workspace"]
    assert body["accepted"] == []


async def test_binary_refusals_name_the_header(gateway: Gateway) -> None:
    doc = visit(gateway.workspace)
    headers = binary_headers(doc)
    del headers["ce-type"]
    body = assert_problem(
        await gateway.client.post("/v1/events", content=orjson.dumps(doc["data"]), headers=headers), 422
    )
    assert [e["field"] for e in body["errors"]] == ["ce-type"]
    assert "no event type" in body["errors"][0]["message"]

    no_data = assert_problem(await gateway.client.post("/v1/events", content=b"", headers=binary_headers(doc)), 422)
    assert [e["field"] for e in no_data["errors"]] == ["data"]
    not_json = await gateway.client.post("/v1/events", content=b"{nope", headers=binary_headers(doc))
    assert "binary mode" in assert_problem(not_json, 400)["detail"]
    twice = [(k, v) for k, v in binary_headers(doc).items()] + [("ce-id", "again")]
    assert (
        "ce-id given more than once"
        in assert_problem(
            await gateway.client.post("/v1/events", content=orjson.dumps(doc["data"]), headers=twice), 400
        )["detail"]
    )


async def test_media_types_with_parameters_and_refused_charsets(gateway: Gateway) -> None:
    doc = visit(gateway.workspace, datacontenttype="application/json; charset=utf-8")
    answer = await gateway.client.post(
        "/v1/events", content=orjson.dumps(doc), headers={"content-type": "application/json; charset=UTF-8"}
    )
    assert answer.status_code == 202, answer.text
    for content_type in ("application/cloudevents+json; charset=latin-1", "application/json; charset=utf-16"):
        refused = assert_problem(
            await gateway.client.post("/v1/events", content=orjson.dumps(doc), headers={"content-type": content_type}),
            415,
        )
        assert "UTF-8" in refused["detail"]
    binary = binary_headers(visit(gateway.workspace), "application/json; charset=iso-8859-1")
    assert_problem(await gateway.client.post("/v1/events", content=b"{}", headers=binary), 415)
    wrong = visit(gateway.workspace, datacontenttype="application/json; charset=latin-1")
    body = assert_problem(await gateway.client.post("/v1/events", json=wrong), 422)
    assert {e["field"] for e in body["errors"]} >= {"datacontenttype"}


async def test_oversized_or_too_many_ce_headers_are_bounded(gateway: Gateway) -> None:
    doc = visit(gateway.workspace)
    many = {**binary_headers(doc), **{f"ce-x{i}": "1" for i in range(40)}}
    body = assert_problem(await gateway.client.post("/v1/events", content=orjson.dumps(doc["data"]), headers=many), 400)
    assert "more than 32" in body["detail"]
    huge = {**binary_headers(doc), "ce-source": "s" * 5000}
    body = assert_problem(await gateway.client.post("/v1/events", content=orjson.dumps(doc["data"]), headers=huge), 400)
    assert "longer than 2048 bytes" in body["detail"]


async def test_an_idempotency_key_tells_binary_events_apart(gateway: Gateway) -> None:
    doc = visit(gateway.workspace)
    first = {**binary_headers(doc), "Idempotency-Key": "same"}
    assert (
        await gateway.client.post("/v1/events", content=orjson.dumps(doc["data"]), headers=first)
    ).status_code == 202
    other = {**first, "ce-id": "another"}
    reused = await gateway.client.post("/v1/events", content=orjson.dumps(doc["data"]), headers=other)
    assert_problem(reused, 422)  # the same key for another request, not a replay of the first answer


async def test_the_webhook_validation_handshake_and_allow(gateway: Gateway) -> None:
    bare = httpx.AsyncClient(transport=gateway.client._transport, base_url="http://gateway")  # no API key
    async with bare:
        answer = await bare.options("/v1/events", headers={"WebHook-Request-Origin": "eventgrid.azure.net"})
        assert answer.status_code == 200, answer.text
        assert answer.headers["webhook-allowed-origin"] == "eventgrid.azure.net"
        assert answer.headers["webhook-allowed-rate"] == "3000"  # 50 a second, a minute
        assert answer.headers["allow"] == "OPTIONS, POST"
        plain = await bare.options("/v1/events")
        assert plain.status_code == 200 and plain.headers["allow"] == "OPTIONS, POST"
        assert "webhook-allowed-origin" not in plain.headers
        bad = await bare.options("/v1/events", headers={"WebHook-Request-Origin": "a b"})
        assert_problem(bad, 422)
        assert_problem(await bare.post("/v1/events", json=visit()), 401)  # a POST still needs a key
        # OPTIONS names the methods to anyone: another method is a 405 without a key too (not a 401).
        for method in ("GET", "TRACE", "DELETE"):
            keyless = await bare.request(method, "/v1/events")
            assert_problem(keyless, 405)
            assert keyless.headers["allow"] == "OPTIONS, POST"
    wrong_method = await gateway.client.get("/v1/events")
    assert_problem(wrong_method, 405)
    assert wrong_method.headers["allow"] == "OPTIONS, POST"
