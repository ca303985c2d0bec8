"""Tracking plans (a workspace's own event types) through the gateway, in front of the six real services on the
session's PostgreSQL and broker: versions listed with the events accepted and refused per type; the gateway's 422
naming the field before anything is published; a custom event published to Kafka directly and invalid against the
plan dead-lettered with the reason; workspaces kept apart; huge and pathological schemas refused; a quota on types;
and custom events on the timeline, in a segment condition (`events.<type>.count` within a window) and triggering
the cart-abandonment template."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from functools import partial
from typing import Any

import httpx
import orjson
import pytest

from contracts.topics import DEADLETTER, INBOUND
from contracts.tracking_plan import UNDECLARED
from devstack.postgres import LocalPostgres
from services.gateway import store
from services.gateway.deps import GatewayContext
from tests.helpers import event, publish, read_topic, wait_for
from tests.integration.gateway_stack import GatewayInFront, gateway_client, gateway_in_front_of_the_services
from tests.running import SCORING_NOW
from tests.samples.tracking import CART_SCHEMA

TYPES_QUOTA = 3
SCHEMA_BYTES = 4096


@pytest.fixture(scope="module")
async def stack(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[GatewayInFront]:
    async with gateway_in_front_of_the_services(
        postgres,
        topics,
        broker_kind,
        services_settings={"quota_event_types": TYPES_QUOTA, "event_schema_max_bytes": SCHEMA_BYTES},
    ) as running:
        yield running


async def new_tenant(stack: GatewayInFront) -> tuple[str, httpx.AsyncClient]:
    state: GatewayContext = stack.app.state.gateway
    workspace = f"tp_{uuid.uuid4().hex[:8]}"
    await store.create_workspace(state.runtime.pool, workspace)
    _, key = await store.create_key(state.runtime.pool, workspace, "tests", ["admin"])
    return workspace, gateway_client(stack, key)


@pytest.fixture
async def tenant(stack: GatewayInFront) -> AsyncIterator[tuple[str, httpx.AsyncClient]]:
    workspace, client = await new_tenant(stack)
    async with client:
        yield workspace, client


def cart(workspace: str, email: str, total: Any, **more: Any) -> dict[str, Any]:
    data = {"cart": {"total": total, "items": 1}, **more}
    return event("cart_abandoned", workspace, {"email": email}, data, time=SCORING_NOW - dt.timedelta(hours=2))


async def declare(client: httpx.AsyncClient, name: str = "cart_abandoned", **body: Any) -> httpx.Response:
    return await client.put(f"/v1/event-types/{name}", json={"schema": CART_SCHEMA, **body})


async def listed(client: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    answer = await client.get("/v1/event-types")
    assert answer.status_code == 200, answer.text
    return {item["name"]: item for item in answer.json()["items"]}


async def counts_reach(client: httpx.AsyncClient, name: str, accepted: int, rejected: int) -> dict[str, Any]:
    async def probe() -> dict[str, Any] | None:
        item = (await listed(client)).get(name)
        return item if item and item["counts"] == {"accepted": accepted, "rejected": rejected} else None

    return await wait_for(probe, within=60, what=f"{name} counted {accepted} accepted, {rejected} rejected")


async def test_the_plan_is_versioned_and_listed_with_counts_and_refuses_invalid_events_naming_the_field(
    tenant: tuple[str, httpx.AsyncClient],
) -> None:
    workspace, client = tenant
    first = await declare(client, description="a cart left behind")
    assert first.status_code == 200, first.text
    assert (first.json()["version"], first.json()["unknown_fields"]) == (1, "keep")
    second = await declare(client, unknown_fields="refuse")
    assert [v["version"] for v in second.json()["versions"]] == [1, 2]
    assert second.json()["schema"] == CART_SCHEMA and second.json()["unknown_fields"] == "refuse"

    email = f"ada-{uuid.uuid4().hex[:6]}@example.com"
    valid = await client.post("/v1/events", json=cart(workspace, email, 59.9))
    assert valid.status_code == 202, valid.text
    invalid = await client.post("/v1/events", json=[cart(workspace, email, "a lot"), cart(workspace, email, 5, x=1)])
    assert invalid.status_code == 422
    errors = [(e["index"], e["field"], e["message"]) for e in invalid.json()["errors"]]
    assert errors == [
        (0, "data.cart.total", 'must satisfy `type`: "number"'),
        (1, "data.x", "not in the tracking plan (unknown fields are refused)"),
    ]
    assert "a lot" not in invalid.text  # the value sent is never quoted
    undeclared = await client.post("/v1/events", json=event("wishlist_added", workspace, {"email": email}))
    assert undeclared.json()["errors"][0]["field"] == "type" and undeclared.json()["errors"][0]["message"] == UNDECLARED

    item = await counts_reach(client, "cart_abandoned", accepted=1, rejected=2)
    assert item["builtin"] is False and item["version"] == 2 and item["description"] is None
    plan = await listed(client)
    assert plan["purchase"]["builtin"] is True and plan["purchase"]["schema"] is None
    assert "wishlist_added" not in plan  # counted, but not a declared type

    customer = (await client.get("/v1/customers", params={"email": email})).json()
    timeline = (await client.get(f"/v1/customers/{customer['customer_id']}/timeline")).json()["items"]
    assert [(i["type"], i["data"]["cart"]["total"]) for i in timeline] == [("cart_abandoned", 59.9)]


async def test_a_kafka_event_invalid_against_the_plan_is_dead_lettered_naming_the_field(
    stack: GatewayInFront, tenant: tuple[str, httpx.AsyncClient], bootstrap: str
) -> None:
    workspace, client = tenant
    assert (await declare(client)).status_code == 200
    email = f"bob-{uuid.uuid4().hex[:6]}@example.com"
    wrong = cart(workspace, email, -3)  # minimum 0
    no_cart = event("cart_abandoned", workspace, {"email": email}, {"url": "https://shop.example/cart"})
    undeclared = event("trial_started", workspace, {"email": email})
    fine = cart(workspace, email, 12)
    await publish(bootstrap, INBOUND, [wrong, no_cart, undeclared, fine])

    ids = {e["id"].encode() for e in (wrong, no_cart, undeclared)}
    dead = await read_topic(
        bootstrap, DEADLETTER, expect=3, within=60, match=lambda r: any(i in (r.value or b"") for i in ids)
    )
    reasons = {orjson.loads(r.value)["id"]: dict(r.headers)["flywheel-dlq-reason"].decode() for r in dead}
    assert (
        reasons[wrong["id"]]
        == "invalid cart_abandoned event (tracking plan): data.cart.total: must satisfy `minimum`: 0"
    )
    assert reasons[no_cart["id"]] == "invalid cart_abandoned event (tracking plan): data.cart: required"
    assert reasons[undeclared["id"]] == f"type: {UNDECLARED}"
    await counts_reach(client, "cart_abandoned", accepted=1, rejected=2)


async def test_another_workspace_neither_sees_nor_uses_the_types_and_hostile_schemas_are_refused(
    stack: GatewayInFront, tenant: tuple[str, httpx.AsyncClient]
) -> None:
    workspace, client = tenant
    assert (await declare(client)).status_code == 200
    other, intruder = await new_tenant(stack)
    async with intruder:
        assert "cart_abandoned" not in await listed(intruder)
        refused = await intruder.post("/v1/events", json=cart(other, "eve@example.com", 1))
        assert refused.status_code == 422 and refused.json()["errors"][0]["message"] == UNDECLARED
        foreign = await intruder.post("/v1/events", json=cart(workspace, "eve@example.com", 1))
        assert foreign.status_code == 422  # naming the owner's workspace is refused as ever
    assert (await listed(client))["cart_abandoned"]["counts"]["rejected"] == 0

    huge = {"type": "object", "properties": {f"f{i}": {"type": "string"} for i in range(400)}}
    nested: dict[str, Any] = {"type": "object"}
    for _ in range(20):
        nested = {"type": "object", "properties": {"x": nested}}
    cases = {
        "huge": (huge, "schema"),
        "deep": (nested, "schema.properties.x.properties.x.properties.x.properties.x.properties.x.properties.x"),
        "backtracking": (
            {"properties": {"a": {"type": "string", "pattern": "^(a+)+\\1$"}}},
            "schema.properties.a.pattern",
        ),
        "remote": ({"properties": {"a": {"$ref": "https://evil.example/s.json"}}}, "schema.properties.a.$ref"),
        "customer": ({"properties": {"customer": {"type": "string"}}}, "schema.properties.customer"),
        "not_a_schema": ({"properties": {"a": {"type": "nope"}}}, "schema.properties.a.type"),
    }
    for name, (schema, field) in cases.items():
        answer = await client.put(f"/v1/event-types/{name}", json={"schema": schema})
        assert answer.status_code == 422, (name, answer.text)
        assert answer.json()["errors"][0]["field"].startswith(field), (name, answer.json())
    for name in ("purchase", "Cart", "custom"):
        answer = await client.put(f"/v1/event-types/{name}", json={"schema": {}})
        assert answer.status_code == 422, (name, answer.text)
    too_large = await client.put("/v1/event-types/big", json={"schema": huge, "description": "x" * 501})
    assert too_large.status_code == 422


async def test_new_types_beyond_the_quota_are_refused(tenant: tuple[str, httpx.AsyncClient]) -> None:
    _, client = tenant
    for i in range(TYPES_QUOTA):
        assert (await declare(client, f"type_{i}")).status_code == 200
    over = await declare(client, "one_more")
    assert over.status_code == 409 and over.json()["quota"] == "event_types"
    assert (await declare(client, "type_0")).status_code == 200  # a new version of a declared type still goes
    quotas = {q["name"]: q for q in (await client.get("/v1/quotas")).json()["quotas"]}
    assert (quotas["event_types"]["limit"], quotas["event_types"]["used"]) == (TYPES_QUOTA, TYPES_QUOTA)


async def test_custom_events_count_in_segments_and_trigger_the_cart_abandonment_template(
    tenant: tuple[str, httpx.AsyncClient],
) -> None:
    workspace, client = tenant
    assert (await declare(client)).status_code == 200
    condition = {"field": "events.cart_abandoned.count", "op": "gte", "value": 2, "within_last": "7d"}
    segment = await client.post("/v1/segments", json={"name": "Cart abandoners", "condition": condition})
    assert segment.status_code == 201, segment.text
    made = await client.post("/v1/journey-templates/cart_abandonment", json={})
    assert made.status_code == 201, made.text
    journey_id = made.json()["journey_id"]
    assert (await client.post(f"/v1/journeys/{journey_id}/activate")).status_code == 200

    twice, once, long_ago = (f"{who}-{uuid.uuid4().hex[:6]}@example.com" for who in ("ann", "ben", "cat"))
    old = event(
        "cart_abandoned",
        workspace,
        {"email": long_ago},
        {"cart": {"total": 3}},
        time=SCORING_NOW - dt.timedelta(days=9),
    )
    sent = [cart(workspace, twice, 10), cart(workspace, twice, 20), cart(workspace, once, 5), old, old | {"id": "o2"}]
    assert (await client.post("/v1/events", json=sent)).status_code == 202

    async def members() -> list[str] | None:
        page = (await client.get(f"/v1/segments/{segment.json()['segment_id']}/members")).json()
        return [m["customer_id"] for m in page["items"]] or None

    ids: dict[str, str] = {}
    for email in (twice, once, long_ago):
        ids[email] = await wait_for(partial(_customer_id, client, email), what=email)
    assert await wait_for(members, within=60, what="the segment's members") == [ids[twice]]

    async def enrolled() -> list[dict[str, Any]] | None:
        items = (await client.get(f"/v1/customers/{ids[once]}/journeys")).json()["items"]
        return [i for i in items if i["journey_id"] == journey_id] or None

    enrolment = (await wait_for(enrolled, within=60, what="the cart abandonment enrolment"))[0]
    assert enrolment["status"] == "waiting" and enrolment["step_id"] == "wait_reminder"


async def _customer_id(client: httpx.AsyncClient, email: str) -> str | None:
    answer = await client.get("/v1/customers", params={"email": email})
    return str(answer.json()["customer_id"]) if answer.status_code == 200 else None
