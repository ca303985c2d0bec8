"""The gateway's loyalty endpoints, 360 view section and overview numbers against stand-ins of profile and
loyalty (MockTransport), in-process on the session's PostgreSQL and broker: what the gateway itself decides
(scopes, the customer looked up in profile first, the 409's `available`, 201 against 200, degradation). The same
through the real loyalty service: tests/integration/test_gateway_loyalty.py."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from devstack.postgres import LocalPostgres
from services.gateway import store
from tests.integration.conftest import fresh_database
from tests.integration.gateway_fakes import (
    POINTS,
    FakeLoyalty,
    FiveFakes,
    assert_problem,
)
from tests.integration.gateway_stack import gateway_app, gateway_settings

FRESH = {"Cache-Control": "no-cache"}


@dataclass
class Gateway:
    client: httpx.AsyncClient
    workspace: str
    keys: dict[str, str]
    fakes: FiveFakes
    loyalty: FakeLoyalty

    async def call(self, method: str, path: str, key: str = "admin", **kwargs: Any) -> httpx.Response:
        headers = {**dict(kwargs.pop("headers", {})), "Authorization": f"Bearer {self.keys[key]}"}
        return await self.client.request(method, path, headers=headers, **kwargs)

    def loyalty_paths(self) -> list[str]:
        return [request.url.path for request in self.loyalty.requests]


@pytest.fixture
async def gateway(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[Gateway]:
    dsn = fresh_database(postgres, "gateway")
    workspace = f"gw_{uuid.uuid4().hex[:8]}"
    keys: dict[str, str] = {}
    scopes = {"admin": ["admin"], "writer": ["loyalty:write"], "reader": ["customers:read"], "events": ["events:write"]}
    async with store.admin_connection(dsn) as conn:
        await store.create_workspace(conn, workspace)
        for name, granted in scopes.items():
            keys[name] = (await store.create_key(conn, workspace, name, granted))[1]
    fakes, loyalty = FiveFakes.of(workspace), FakeLoyalty(workspace)
    app = gateway_app(
        gateway_settings(dsn, topics, broker_kind), {**fakes.transports(), "loyalty": httpx.MockTransport(loyalty)}
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client,
    ):
        yield Gateway(client, workspace, keys, fakes, loyalty)


async def test_a_customers_points_come_from_loyalty_once_profile_knows_the_customer(gateway: Gateway) -> None:
    answer = await gateway.call("GET", "/v1/customers/c-1/points", "reader")
    assert answer.status_code == 200, answer.text
    points = answer.json()
    assert (points["balance"], points["available"], points["tier"]["next_tier"]) == (820, 820, "gold")
    assert points["lots"] == POINTS["lots"] and "shard" not in points
    # Another workspace's customer, an erased one or a made-up id: profile does not know it, loyalty is not asked
    # for it (404 as everywhere), and an id that cannot name a customer is not forwarded at all.
    asked = len(gateway.loyalty.requests)
    assert_problem(await gateway.call("GET", "/v1/customers/c-2/points", "reader"), 404)
    assert_problem(await gateway.call("GET", "/v1/customers/../points", "reader"), 404)
    assert all("/customers/c-2/" not in path for path in gateway.loyalty_paths()[asked:])
    assert_problem(await gateway.call("GET", "/v1/customers/c-1/points", "events"), 403)
    assert all(path.startswith(f"/internal/v1/workspaces/{gateway.workspace}/") for path in gateway.loyalty_paths())


async def test_a_redemption_is_held_once_per_order_and_a_short_one_names_what_is_available(gateway: Gateway) -> None:
    path = "/v1/customers/c-1/points/redemptions"
    held = await gateway.call("POST", path, "writer", json={"points": 500, "order_id": "o-9", "order_total": "40"})
    assert held.status_code == 201, held.text
    assert (held.json()["status"], held.json()["available"]) == ("held", 320)
    again = await gateway.call("POST", path, "writer", json={"points": 500, "order_id": "o-9", "order_total": "40"})
    assert again.status_code == 200 and again.json() == held.json()  # the same order: the same redemption

    short = assert_problem(await gateway.call("POST", path, "writer", json={"points": 400, "order_id": "o-10"}), 409)
    assert short["available"] == 320 and "320" in short["detail"]

    # Retried with its Idempotency-Key: the first answer again, nothing redeemed twice.
    retry = {"Idempotency-Key": "checkout-o-11"}
    first = await gateway.call("POST", path, "writer", json={"points": 100, "order_id": "o-11"}, headers=retry)
    replay = await gateway.call("POST", path, "writer", json={"points": 100, "order_id": "o-11"}, headers=retry)
    assert first.status_code == replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true"
    assert len(gateway.loyalty.redemptions) == 2


@pytest.mark.parametrize(
    "body",
    [
        {"points": 0, "order_id": "o-1"},
        {"points": 10**10, "order_id": "o-1"},
        {"points": 5, "order_id": "o" * 513},
        {"points": 5, "order_id": ""},
        {"points": 5},
        {"points": 5, "order_id": "o-1", "order_total": "-1"},
        {"points": 5, "order_id": "o-1", "extra": "x" * 100},
    ],
)
async def test_a_bad_redemption_is_refused_before_loyalty_hears_of_it(gateway: Gateway, body: dict[str, Any]) -> None:
    assert_problem(await gateway.call("POST", "/v1/customers/c-1/points/redemptions", "writer", json=body), 422)
    assert gateway.loyalty.redemptions == {}


async def test_redeeming_takes_loyalty_write_and_a_known_customer(gateway: Gateway) -> None:
    body = {"points": 5, "order_id": "o-1"}
    assert_problem(await gateway.call("POST", "/v1/customers/c-1/points/redemptions", "reader", json=body), 403)
    assert_problem(await gateway.call("POST", "/v1/customers/c-2/points/redemptions", "writer", json=body), 404)
    assert gateway.loyalty.redemptions == {}
    huge = {"points": 5, "order_id": "o-1", "pad": "x" * 6_000_000}
    answer = await gateway.call("POST", "/v1/customers/c-1/points/redemptions", "writer", json=huge)
    assert answer.status_code == 413


async def test_the_program_passes_through_under_its_scopes(gateway: Gateway) -> None:
    program = await gateway.call("GET", "/v1/loyalty-program", "reader")
    assert program.status_code == 200 and program.json()["version"] == 2
    assert_problem(await gateway.call("PUT", "/v1/loyalty-program", "reader", json={"name": "Tea club"}), 403)
    changed = await gateway.call("PUT", "/v1/loyalty-program", "writer", json={"name": "Coffee club"})
    assert changed.status_code == 200 and changed.json()["version"] == 3
    bad = assert_problem(await gateway.call("PUT", "/v1/loyalty-program", "writer", json={"name": ""}), 422)
    assert bad["errors"] == [{"field": "name", "message": "String should have at least 1 character"}]


async def test_the_360_view_shows_points_and_stays_up_without_loyalty(gateway: Gateway) -> None:
    view = (await gateway.call("GET", "/v1/customers/c-1", "reader", headers=FRESH)).json()
    assert view["loyalty"]["balance"] == 820 and view["loyalty"]["tier"]["current"] == "silver"
    assert view["degraded"] == []
    gateway.loyalty.down = True
    view = (await gateway.call("GET", "/v1/customers/c-1", "reader", headers=FRESH)).json()
    assert view["loyalty"] is None and view["degraded"] == ["loyalty"]
    assert view["scores"]["rfm"]["segment"] == "Loyal" and view["referrals"]
    assert_problem(await gateway.call("GET", "/v1/customers/c-1/points", "reader"), 503)


async def test_the_overview_shows_liability_redemption_and_tiers(gateway: Gateway) -> None:
    overview = (await gateway.call("GET", "/v1/reports/overview", "reader")).json()
    kpis = overview["kpis"]
    assert "loyalty" not in overview["degraded"]
    assert (kpis["points_outstanding"]["value"], kpis["points_liability"]["value"]) == (820, "8.20")
    assert kpis["points_liability"]["snapshot"] and kpis["points_liability"]["previous"] is None
    assert (kpis["points_redemption_rate"]["value"], kpis["points_redemption_rate"]["previous"]) == (0.25, 0.25)
    assert overview["distributions"]["loyalty_tiers"] == {"member": 3, "silver": 1}
    gateway.loyalty.down = True
    overview = (await gateway.call("GET", "/v1/reports/overview", "reader")).json()
    assert "loyalty" in overview["degraded"] and overview["distributions"]["loyalty_tiers"] is None
    assert overview["kpis"]["points_outstanding"]["value"] is None


async def test_loyalty_quotas_are_listed(gateway: Gateway) -> None:
    quotas = (await gateway.call("GET", "/v1/quotas", "reader")).json()
    assert "loyalty" not in quotas["degraded"]  # a service enforcing no quota answers 404: none listed
    gateway.loyalty.down = True
    assert "loyalty" in (await gateway.call("GET", "/v1/quotas", "reader")).json()["degraded"]
