"""The overview report and customer search through the gateway, against the real profile, scoring, journey,
referral and sales services in-process on the session's PostgreSQL and broker. Customers come from events
posted to the gateway. The services are started once for the module, reading only what it publishes."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from devstack.postgres import LocalPostgres
from services.gateway import store
from tests.helpers import event, wait_for
from tests.integration.conftest import fresh_database, service_client
from tests.integration.gateway_fakes import KeyedClient, assert_problem, two_workspaces
from tests.integration.gateway_stack import SERVICES, gateway_app, gateway_settings, the_services

APRIL, MAY = dt.datetime(2026, 4, 10, tzinfo=dt.UTC), dt.datetime(2026, 5, 10, tzinfo=dt.UTC)
PERIOD = {"from": "2026-05-01T00:00:00Z", "to": "2026-06-01T00:00:00Z"}


def reports_gateway(
    dsn: str, bootstrap: str, broker_kind: str, transports: dict[str, httpx.AsyncBaseTransport]
) -> FastAPI:
    urls = {f"{name}_url": f"http://{name}" for name in SERVICES}
    return gateway_app(gateway_settings(dsn, bootstrap, broker_kind, **urls), transports)


@dataclass
class Gateway(KeyedClient):
    services: dict[str, FastAPI]
    workspace: str
    ids: dict[str, str]  # the seeded customers a, b, c, d by name


async def internal(app: FastAPI, path: str, **params: Any) -> Any:
    async with service_client(app, "service") as client:
        response = await client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def seed_events(ws: str, external: dict[str, str]) -> list[dict[str, Any]]:
    """a bought in April and May, b in May, c never, d in April; a and c live in Berlin."""
    city = {"a": "Berlin", "b": "Paris", "c": "Berlin", "d": "Rome"}
    first_seen = {"a": APRIL, "b": MAY, "c": MAY, "d": APRIL}
    docs = [
        event("identify", ws, {"external_id": external[n]}, {"traits": {"city": city[n]}}, time=first_seen[n])
        for n in "abcd"
    ]
    for name, amount, when in (("a", "30.00", APRIL), ("a", "50.00", MAY), ("b", "120.00", MAY), ("d", "10.00", APRIL)):
        data = {"order_id": uuid.uuid4().hex, "amount": amount, "currency": "EUR"}
        docs.append(event("purchase", ws, {"external_id": external[name]}, data, time=when + dt.timedelta(hours=1)))
    return docs


@pytest.fixture(scope="module")
async def gateway(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[Gateway]:
    dsn = fresh_database(postgres, "gateway")
    scopes = {"reader": ["customers:read"], "writer": ["events:write", "segments:write"]}
    ws, _, keys = await two_workspaces(dsn, "rp", scopes)
    async with AsyncExitStack() as stack:
        services = await stack.enter_async_context(the_services(postgres, topics, broker_kind))
        app = reports_gateway(dsn, topics, broker_kind, {n: httpx.ASGITransport(app=a) for n, a in services.items()})
        await stack.enter_async_context(app.router.lifespan_context(app))
        client = await stack.enter_async_context(
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")
        )
        external = {name: f"{name}-{uuid.uuid4().hex[:6]}" for name in "abcd"}
        posted = await client.post(
            "/v1/events", json=seed_events(ws, external), headers={"Authorization": f"Bearer {keys['writer']}"}
        )
        assert posted.status_code == 202, posted.text
        yield Gateway(client, keys, services, ws, await _seeded(services, ws, external))


async def _seeded(services: dict[str, FastAPI], ws: str, external: dict[str, str]) -> dict[str, str]:
    """Waits until profile, scoring and referral hold what was posted; the customers' ids by name."""
    base = f"/internal/v1/workspaces/{ws}"

    async def profiled() -> dict[str, str] | None:
        ids = {}
        for name, value in external.items():
            async with service_client(services["profile"], "p") as c:
                found = await c.get(f"{base}/customers", params={"external_id": value})
            if found.status_code != 200:
                return None
            ids[name] = found.json()["customer_id"]
        return ids

    ids = await wait_for(profiled, what="the four customers in profile")

    async def scored() -> bool:
        return bool((await internal(services["scoring"], f"{base}/distribution"))["purchasers"] == 3)

    async def referral_saw_purchases() -> bool:
        report = await internal(services["referral"], f"{base}/report", **{"from": "2026-01-01T00:00:00Z",
                                "to": "2026-07-01T00:00:00Z"})  # fmt: skip
        return bool(report["new_customers"] == 3)

    await wait_for(scored, what="three purchasers scored")
    await wait_for(referral_saw_purchases, what="referral's three new buyers")
    await wait_for(lambda: _orders_profiled(services["profile"], base), what="the four orders in profile's report")
    return ids


async def _orders_profiled(profile: FastAPI, base: str) -> bool:
    report = await internal(profile, f"{base}/report", **{"from": "2026-01-01T00:00:00Z", "to": "2026-07-01T00:00:00Z"})
    return bool(report["orders_in_period"] == 4)


async def test_the_overview_sets_the_period_beside_the_previous_one(gateway: Gateway) -> None:
    overview = await gateway.ok("/v1/reports/overview", **PERIOD)
    assert overview["period"] == {"from": "2026-05-01T00:00:00Z", "to": "2026-06-01T00:00:00Z"}
    assert overview["previous_period"] == {"from": "2026-03-31T00:00:00Z", "to": "2026-05-01T00:00:00Z"}
    assert overview["degraded"] == []
    kpis = overview["kpis"]

    def triple(name: str) -> tuple[Any, Any, Any]:
        return kpis[name]["value"], kpis[name]["previous"], kpis[name]["change"]

    assert kpis["customers"] == {
        "value": 4, "previous": 2, "change": 1.0, "unit": "count", "snapshot": False, "source": "profile"
    }  # fmt: skip
    assert triple("new_customers") == (2, 2, 0.0)
    assert triple("purchasing_customers") == (2, 2, 0.0)
    assert triple("revenue") == ("170.00", "40.00", 3.25)
    assert triple("repurchase_rate") == (0.3333, 0.0, None)  # no base to compare with
    assert triple("active_customers") == (3, None, None) and kpis["active_customers"]["snapshot"] is True
    assert triple("dormant_customers") == (0, None, None)
    assert triple("average_ltv") == ("70.00", None, None)  # (80 + 120 + 10) / 3
    assert triple("referral_share") == (0.0, 0.0, None) and triple("referred_new_customers") == (0, 0, None)
    assert triple("journey_enrolments") == (0, 0, None) and triple("journey_conversion_rate") == (None, None, None)
    assert kpis["sales_win_rate"]["source"] == "sales" and kpis["deals_won"]["value"] == 0
    distributions = overview["distributions"]
    assert sum(distributions["rfm_segments"].values()) == 3
    assert set(distributions["churn_risk"]) == {"low", "medium", "high"}

    # The default period is the last 30 days; wrong periods and keys are problems.
    default = await gateway.ok("/v1/reports/overview")
    start, end = (dt.datetime.fromisoformat(default["period"][k]) for k in ("from", "to"))
    assert end - start == dt.timedelta(days=30) and default["previous_period"]["to"] == default["period"]["from"]
    assert_problem(await gateway.call("/v1/reports/overview", **{"from": PERIOD["to"], "to": PERIOD["from"]}), 422)
    assert_problem(await gateway.call("/v1/reports/overview", **{"from": "2026-05-01T00:00:00"}), 422)  # naive
    assert_problem(await gateway.call("/v1/reports/overview", "writer"), 403)
    other = await gateway.ok("/v1/reports/overview", "other", **PERIOD)
    assert (
        other["degraded"] == []
        and other["kpis"]["customers"]["value"] == 0
        and other["distributions"]["rfm_segments"] == {}
    )


async def test_a_service_down_degrades_only_its_numbers(
    gateway: Gateway, postgres: LocalPostgres, topics: str, broker_kind: str
) -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, json={"detail": "boom"})

    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    def off_contract(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"new_customers": "many"})

    transports: dict[str, httpx.AsyncBaseTransport] = {
        "profile": httpx.ASGITransport(app=gateway.services["profile"]),
        "scoring": httpx.MockTransport(broken),
        "journey": httpx.MockTransport(unreachable),
        "referral": httpx.MockTransport(off_contract),
        "sales": httpx.ASGITransport(app=gateway.services["sales"]),
    }
    dsn = fresh_database(postgres, "gateway")
    async with store.admin_connection(dsn) as conn:
        await store.create_workspace(conn, gateway.workspace)
        key = (await store.create_key(conn, gateway.workspace, "reader", ["customers:read"]))[1]
    app = reports_gateway(dsn, topics, broker_kind, transports)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client,
    ):
        response = await client.get("/v1/reports/overview", params=PERIOD, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.text
    overview = response.json()
    assert overview["degraded"] == ["journey", "referral", "scoring"]
    kpis = overview["kpis"]
    for name, kpi in kpis.items():
        if kpi["source"] in overview["degraded"]:
            assert (kpi["value"], kpi["previous"], kpi["change"]) == (None, None, None), name
    assert kpis["customers"]["value"] == 4 and kpis["deals_won"]["value"] == 0  # profile and sales still answer
    assert overview["distributions"]["rfm_segments"] is None


async def test_customers_are_searched_by_traits_scores_and_segments(gateway: Gateway) -> None:
    name_of = {customer_id: name for name, customer_id in gateway.ids.items()}

    async def names(key: str = "reader", **params: Any) -> list[str]:
        page = await gateway.ok("/v1/customers/search", key, **params)
        return [name_of[c["customer_id"]] for c in page["items"]]

    # Pages of one, by revenue: every customer once, in order; the items are customer objects.
    seen: list[str] = []
    params: dict[str, Any] = {"sort": "-revenue", "limit": 1}
    while True:
        page = await gateway.ok("/v1/customers/search", **params)
        seen += [name_of[c["customer_id"]] for c in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == ["b", "a", "d", "c"]
    first = (await gateway.ok("/v1/customers/search", sort="-revenue", limit=1))["items"][0]
    assert first["stats"]["revenue"] == "120.00" and first["traits"] == {"city": "Paris"}
    assert set(await names(**{"trait.city": "Berlin"})) == {"a", "c"}

    # Score filters come from scoring: b's RFM segment lists b, never c (no purchase, no RFM segment).
    scores = await gateway.ok(f"/v1/customers/{gateway.ids['b']}/scores")
    by_rfm = await names(rfm_segment=scores["rfm"]["segment"])
    by_risk = await names(churn_risk=scores["churn"]["risk"], sort="revenue")
    assert "b" in by_rfm and "c" not in by_rfm and "b" in by_risk
    for name in by_risk:
        risk = (await gateway.ok(f"/v1/customers/{gateway.ids[name]}/scores"))["churn"]["risk"]
        assert risk == scores["churn"]["risk"]

    # A saved segment's members, intersected with a trait filter.
    condition = {"all": [{"field": "stats.orders", "op": "gte", "value": 2}]}
    created = await gateway.client.post(
        "/v1/segments",
        json={"name": "Repeat buyers", "condition": condition},
        headers={"Authorization": f"Bearer {gateway.keys['writer']}"},
    )
    assert created.status_code == 201, created.text
    segment_id = created.json()["segment_id"]

    async def members() -> list[str] | None:
        return await names(segment=segment_id) or None

    assert await wait_for(members, what="a in the segment") == ["a"]
    assert await names(segment=segment_id, **{"trait.city": "Rome"}) == []

    # Problems: an unknown segment, a bad trait filter, a forged cursor; no key, another workspace.
    assert_problem(await gateway.call("/v1/customers/search", segment="seg_nope"), 404)
    assert_problem(await gateway.call("/v1/customers/search", **{"trait.": "x"}), 422)
    assert_problem(await gateway.call("/v1/customers/search", cursor="forged"), 422)
    assert_problem(await gateway.call("/v1/customers/search", sort="name"), 422)
    assert_problem(await gateway.client.get("/v1/customers/search"), 401)
    assert await names("other") == []
    assert_problem(await gateway.call("/v1/customers/search", "other", segment=segment_id), 404)
    # The pinned lookup is unchanged: one identifier answers one customer, none answers 422.
    assert_problem(await gateway.call("/v1/customers"), 422)


async def test_journey_and_referral_reports_count_only_their_period(gateway: Gateway) -> None:
    """Their rows written straight to each service's database: a journey that converts and a referral take
    far longer to bring about through events, and the flows themselves are tested in the services' suites."""
    ws = f"rp_{uuid.uuid4().hex[:8]}"
    journey_pool = gateway.services["journey"].state.runtime.pool
    enrolments = [  # (id, status, holdout, entered_at): only May's treated ones count; e3 converted
        ("e1", "active", False, MAY),
        ("e2", "converted", False, MAY),
        ("e3", "converted", True, MAY),  # a holdout: left out
        ("e4", "converted", False, APRIL),  # the previous period
    ]
    await journey_pool.executemany(
        """INSERT INTO enrolments (workspace, enrolment_id, journey_id, version, customer_id, status, holdout,
                                   entered_at) VALUES ($1, $2, 'j_1', 1, $2, $3, $4, $5)""",
        [(ws, *row) for row in enrolments],
    )
    referral_pool = gateway.services["referral"].state.runtime.pool
    purchases = [("f1", MAY), ("f1", MAY + dt.timedelta(days=1)), ("f2", MAY), ("f3", MAY), ("f4", APRIL)]
    await referral_pool.executemany(
        "INSERT INTO purchases (workspace, order_id, customer_id, amount, purchased_at) VALUES ($1, $2, $3, 10, $4)",
        [(ws, f"o{i}", customer, when) for i, (customer, when) in enumerate(purchases)],
    )
    await referral_pool.executemany(
        """INSERT INTO attributions (workspace, friend_id, program_id, referrer_id, code, first_touch_at,
                                     attributed_at, status) VALUES ($1, $2, 'p_1', 'r_1', 'TEA-1', $3, $3, $4)""",
        [(ws, "f1", MAY, "purchased"), (ws, "f2", MAY, "rejected"), (ws, "f4", APRIL, "purchased")],
    )
    base = f"/internal/v1/workspaces/{ws}/report"
    journeys = await internal(gateway.services["journey"], base, **PERIOD)
    assert (journeys["entered"], journeys["converted"], journeys["conversion_rate"], journeys["journeys"]) == (
        2, 1, 0.5, 1
    )  # fmt: skip
    referrals = await internal(gateway.services["referral"], base, **PERIOD)
    assert (referrals["new_customers"], referrals["referred_new_customers"]) == (3, 1)  # f1, f2, f3; f1 referred
    assert referrals["referral_share"] == 1 / 3
    april = {"from": "2026-04-01T00:00:00Z", "to": "2026-05-01T00:00:00Z"}
    assert (await internal(gateway.services["referral"], base, **april))["referral_share"] == 1.0
