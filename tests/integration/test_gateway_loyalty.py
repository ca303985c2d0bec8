"""Loyalty through the gateway in front of the six real services, in-process on the session's PostgreSQL and broker:
the program set through the public API, a purchase posted as an event earning points visible in GET points and in
the 360 view, a redemption (201, 200 for the same order, 409 with `available`), the overview's loyalty numbers, what
another workspace's key gets (404, and nothing of this workspace's program), and the 360 view without loyalty."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from devstack.postgres import LocalPostgres
from services.gateway import store
from services.gateway.deps import GatewayContext
from tests.helpers import event, wait_for
from tests.integration.conftest import fresh_database
from tests.integration.gateway_fakes import assert_problem
from tests.integration.gateway_stack import (
    SERVICES,
    GatewayInFront,
    as_if_over_http,
    gateway_app,
    gateway_client,
    gateway_in_front_of_the_services,
    gateway_settings,
)
from tests.samples.loyalty import POINT_PER_EURO

FRESH = {"Cache-Control": "no-cache"}


@dataclass
class Loyal:
    stack: GatewayInFront
    other_workspace: str
    keys: dict[str, str]  # writer (events, loyalty), reader, other (admin of the other workspace)
    customer_id: str  # a customer of the stack's workspace who bought for 120 EUR

    def client(self, key: str = "admin") -> httpx.AsyncClient:
        return gateway_client(self.stack, self.stack.admin_key if key == "admin" else self.keys[key])


async def _keys(stack: GatewayInFront, other: str) -> dict[str, str]:
    state: GatewayContext = stack.app.state.gateway
    keys: dict[str, str] = {}
    async with state.runtime.pool.acquire() as conn:
        await store.create_workspace(conn, other)
        for name, workspace, scopes in (
            ("writer", stack.workspace, ["events:write", "loyalty:write"]),
            ("reader", stack.workspace, ["customers:read"]),
            ("other", other, ["admin"]),
        ):
            keys[name] = (await store.create_key(conn, workspace, name, scopes))[1]
    return keys


@pytest.fixture(scope="module")
async def loyal(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[Loyal]:
    async with gateway_in_front_of_the_services(postgres, topics, broker_kind) as stack:
        other = f"gw_{uuid.uuid4().hex[:8]}"
        keys = await _keys(stack, other)
        async with gateway_client(stack, keys["writer"]) as writer:
            program = await writer.put("/v1/loyalty-program", json=POINT_PER_EURO)
            assert program.status_code == 200, program.text
            email = f"ada-{uuid.uuid4().hex[:8]}@example.com"
            purchase = event(
                "purchase",
                stack.workspace,
                {"email": email},
                {"order_id": "o-1", "amount": "120.00", "currency": "EUR"},
            )
            assert (await writer.post("/v1/events", json=purchase)).status_code == 202
        async with gateway_client(stack) as admin:

            async def found() -> str | None:
                answer = await admin.get("/v1/customers", params={"email": email})
                return str(answer.json()["customer_id"]) if answer.status_code == 200 else None

            customer_id = await wait_for(found, within=30, what="the buyer")
        yield Loyal(stack, other, keys, customer_id)


async def _earned(loyal: Loyal) -> dict[str, Any]:
    async with loyal.client("reader") as reader:

        async def points() -> dict[str, Any] | None:
            answer = await reader.get(f"/v1/customers/{loyal.customer_id}/points")
            assert answer.status_code == 200, answer.text
            doc: dict[str, Any] = answer.json()
            return doc if doc["balance"] > 0 else None

        return await wait_for(points, within=30, what="the purchase's points")


async def test_a_purchase_earns_points_shown_by_points_and_by_the_360_view(loyal: Loyal) -> None:
    points = await _earned(loyal)
    assert (points["balance"], points["currency"], points["value"]) == (120, "EUR", "1.20")
    assert [(lot["lot_id"], lot["remaining"]) for lot in points["lots"]] == [("earn:order:o-1", 120)]
    assert points["tier"]["current"] == "silver" and points["tier"]["next_tier"] == "gold"
    async with loyal.client("reader") as reader:
        view = (await reader.get(f"/v1/customers/{loyal.customer_id}", headers=FRESH)).json()
        program = (await reader.get("/v1/loyalty-program")).json()
    assert view["degraded"] == [] and view["loyalty"]["balance"] == 120
    assert view["loyalty"]["tier"]["current"] == "silver"
    assert program["name"] == "Tea club" and program["version"] >= 1


async def test_a_redemption_holds_points_once_per_order_and_a_short_one_says_what_is_available(loyal: Loyal) -> None:
    await _earned(loyal)
    path = f"/v1/customers/{loyal.customer_id}/points/redemptions"
    async with loyal.client("writer") as writer:
        held = await writer.post(path, json={"points": 50, "order_id": "o-2", "order_total": "30.00"})
        assert held.status_code == 201, held.text
        assert (held.json()["status"], held.json()["available"], held.json()["value"]) == ("held", 70, "0.50")
        again = await writer.post(path, json={"points": 50, "order_id": "o-2", "order_total": "30.00"})
        assert again.status_code == 200 and again.json()["redemption_id"] == held.json()["redemption_id"]
        short = assert_problem(await writer.post(path, json={"points": 500, "order_id": "o-3"}), 409)
        assert short["available"] == 70
        assert_problem(await writer.post(path, json={"points": 1, "order_id": "o-4"}), 422)  # below the minimum
    async with loyal.client("reader") as reader:
        points = (await reader.get(f"/v1/customers/{loyal.customer_id}/points")).json()
        assert_problem(await reader.post(path, json={"points": 20, "order_id": "o-5"}), 403)
    assert (points["balance"], points["available"]) == (120, 70)
    assert [(h["order_id"], h["points"]) for h in points["holds"]] == [("o-2", 50)]


async def test_another_workspaces_key_reaches_neither_the_customer_nor_the_program(loyal: Loyal) -> None:
    await _earned(loyal)
    customer = f"/v1/customers/{loyal.customer_id}"
    async with loyal.client("other") as other:
        assert_problem(await other.get(f"{customer}/points"), 404)
        assert_problem(await other.post(f"{customer}/points/redemptions", json={"points": 20, "order_id": "x"}), 404)
        assert_problem(await other.get("/v1/loyalty-program"), 404)  # its workspace has none
        theirs = await other.put("/v1/loyalty-program", json={**POINT_PER_EURO, "name": "Their club"})
        assert theirs.status_code == 200 and theirs.json()["name"] == "Their club"
        oversized = {
            **POINT_PER_EURO,
            "earn": {"points_per_unit": "1", "multipliers": [{"sku": "s", "multiplier": "2"}] * 201},
        }
        assert_problem(await other.put("/v1/loyalty-program", json=oversized), 422)
    async with loyal.client("reader") as reader:
        ours = (await reader.get("/v1/loyalty-program")).json()
        points = (await reader.get(f"{customer}/points")).json()
    assert ours["name"] == "Tea club" and points["balance"] == 120


async def test_the_overview_counts_the_points_liability_and_the_members_by_tier(loyal: Loyal) -> None:
    await _earned(loyal)
    async with loyal.client("reader") as reader:
        overview = (await reader.get("/v1/reports/overview")).json()
    assert "loyalty" not in overview["degraded"]
    kpis = overview["kpis"]
    assert (kpis["points_outstanding"]["value"], kpis["points_liability"]["value"]) == (120, "1.20")
    assert kpis["loyalty_members"]["value"] == 1 and kpis["points_earned"]["value"] == 120
    assert overview["distributions"]["loyalty_tiers"]["silver"] == 1


async def test_the_360_view_without_loyalty_names_it_in_degraded(
    loyal: Loyal, postgres: LocalPostgres, topics: str, broker_kind: str
) -> None:
    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    stack = loyal.stack
    transports: dict[str, httpx.AsyncBaseTransport] = {
        name: as_if_over_http(stack.services[name]) for name in SERVICES if name != "loyalty"
    }
    transports["loyalty"] = httpx.MockTransport(unreachable)
    dsn = fresh_database(postgres, "gateway")
    async with store.admin_connection(dsn) as conn:
        await store.create_workspace(conn, stack.workspace)
        key = (await store.create_key(conn, stack.workspace, "reader", ["customers:read"]))[1]
    app = gateway_app(
        gateway_settings(dsn, topics, broker_kind, service_name="gateway", service_timeout_s=30), transports
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://gateway",
            headers={"Authorization": f"Bearer {key}"},
        ) as client,
    ):
        view = (await client.get(f"/v1/customers/{loyal.customer_id}", headers=FRESH)).json()
        overview = (await client.get("/v1/reports/overview")).json()
    assert view["degraded"] == ["loyalty"] and view["loyalty"] is None
    assert view["customer_id"] == loyal.customer_id and view["stats"]["orders"] == 1
    assert "loyalty" in overview["degraded"] and overview["kpis"]["points_outstanding"]["value"] is None


async def test_a_cached_view_shows_a_change_in_loyalty(loyal: Loyal) -> None:
    await _earned(loyal)
    state: GatewayContext = loyal.stack.app.state.gateway
    await wait_for(lambda: _true(state.views.live), within=60, what="the gateway following customer changes")
    view_path = f"/v1/customers/{loyal.customer_id}"
    async with loyal.client("writer") as writer, loyal.client("reader") as reader:
        before = (await reader.get(view_path)).json()["loyalty"]["available"]
        assert (await reader.get(view_path)).json()["loyalty"]["available"] == before  # cached by now
        redeemed = await writer.post(f"{view_path}/points/redemptions", json={"points": 10, "order_id": "o-cache"})
        assert redeemed.status_code == 201, redeemed.text

        async def shown() -> int | None:
            available = int((await reader.get(view_path)).json()["loyalty"]["available"])
            return available if available == before - 10 else None

        await wait_for(shown, within=10, what="the redemption in the (cached) 360 view")


async def _true(condition: bool) -> bool:
    return condition


async def test_the_export_holds_the_customers_loyalty_ledger(loyal: Loyal) -> None:
    await _earned(loyal)
    async with loyal.client("reader") as reader:
        answer = await reader.get(f"/v1/customers/{loyal.customer_id}/export")
    assert answer.status_code == 200, answer.text
    held = answer.json()["loyalty"]
    assert set(held) == {"member", "entries", "lots", "orders", "redemptions"}
    assert [m["balance"] for m in held["member"]] == [120]
    assert ("earn:order:o-1", 120) in [(e["entry_id"], e["points"]) for e in held["entries"]]
    # Numbers as the runtime's export sections encode every service's (a numeric column is a JSON number).
    assert [(o["order_id"], float(o["amount"])) for o in held["orders"]] == [("o-1", 120.0)]
    async with loyal.client("other") as other:
        assert_problem(await other.get(f"/v1/customers/{loyal.customer_id}/export"), 404)


async def test_an_erased_customers_points_are_not_found(loyal: Loyal) -> None:
    stack = loyal.stack
    email = f"eve-{uuid.uuid4().hex[:8]}@example.com"
    order = {"order_id": f"o-{uuid.uuid4().hex[:6]}", "amount": "30.00", "currency": "EUR"}
    async with loyal.client("writer") as writer:
        assert (
            await writer.post("/v1/events", json=event("purchase", stack.workspace, {"email": email}, order))
        ).status_code == 202
    async with loyal.client() as admin:

        async def earned() -> str | None:
            found = await admin.get("/v1/customers", params={"email": email})
            if found.status_code != 200:
                return None
            customer_id = str(found.json()["customer_id"])
            points = await admin.get(f"/v1/customers/{customer_id}/points")
            return customer_id if points.status_code == 200 and points.json()["balance"] == 30 else None

        customer_id = await wait_for(earned, within=30, what="the second buyer's points")
        assert (await admin.delete(f"/v1/customers/{customer_id}")).status_code == 202
        assert_problem(await admin.get(f"/v1/customers/{customer_id}/points"), 404)
        redeem = {"points": 10, "order_id": "o-after"}
        assert_problem(await admin.post(f"/v1/customers/{customer_id}/points/redemptions", json=redeem), 404)
