"""GET /v1/sales-forecast through the gateway on the session's PostgreSQL, with stand-ins for sales (its
`deal-forecast`) and scoring (its `repurchase-forecast`, the shape contracts.http.scoring.RepurchaseForecast) holding
two workspaces' answers: each key reads only its own workspace's forecast; money is exact, rounded to the cent half
up; deals in other currencies are listed apart; scoring not answering is named in `degraded`; the query is bounded;
CSV too. The real sales figures are tests/integration/test_sales_forecast.py's."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from devstack.postgres import LocalPostgres
from tests.integration.conftest import fresh_database
from tests.integration.gateway_fakes import (
    Answer,
    FakeReports,
    KeyedClient,
    assert_problem,
    started_gateway,
    two_workspaces,
)
from tests.integration.gateway_stack import gateway_app, gateway_settings

ASKED = {"from": "2026-06", "months": "3"}


def a_answers() -> dict[str, Answer]:
    """Workspace A: EUR and USD deals (one answered beyond the months asked), repurchase in EUR."""
    return {
        "deal-forecast": lambda request: {
            "from": request.url.params["from"], "months": int(request.url.params["months"]), "items": [
                {"month": "2026-06", "currency": "EUR", "deals": 2, "amount": "1500.00", "weighted": "150.005"},
                {"month": "2026-06", "currency": "USD", "deals": 1, "amount": "200.00", "weighted": "20.0"},
                {"month": "2026-08", "currency": "EUR", "deals": 1, "amount": "1000.00", "weighted": "800.0"},
                {"month": "2026-08", "currency": "USD", "deals": 1, "amount": "100.00", "weighted": "60.0"},
                {"month": "2027-01", "currency": "EUR", "deals": 9, "amount": "9.00", "weighted": "9.0"}]},
        "repurchase-forecast": {"currency": "EUR", "customers": 40, "as_of": "2026-05-20", "months": [
            {"month": "2026-06", "expected_purchases": 41.26, "expected_revenue": "2063.004",
             "revenue_p10": "1812.00", "revenue_p90": "2341.00"},
            {"month": "2026-07", "expected_purchases": 39.1, "expected_revenue": "1955.00",
             "revenue_p10": "1700.00", "revenue_p90": "2210.00"},
            {"month": "2026-08", "expected_purchases": 37.0, "expected_revenue": "1850.00",
             "revenue_p10": "1600.00", "revenue_p90": "2100.00"}]},
    }  # fmt: skip


def b_answers() -> dict[str, Answer]:
    """Workspace B: one deal of its own; scoring holds no forecast for it (not answering)."""
    return {
        "deal-forecast": {"from": "2026-06", "months": 3, "items": [
            {"month": "2026-07", "currency": "EUR", "deals": 1, "amount": "9999.00", "weighted": "999.9"}]},
    }  # fmt: skip


@dataclass
class Gateway(KeyedClient):
    workspaces: dict[str, str]
    fakes: dict[str, FakeReports]


@pytest.fixture(scope="module")
async def gateway(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[Gateway]:
    dsn = fresh_database(postgres, "gateway")
    scopes = {"reader": ["customers:read"], "admin": ["admin"], "writer": ["events:write"]}
    a, b, keys = await two_workspaces(dsn, "sf", scopes)
    answers = {a: a_answers(), b: b_answers()}

    def owned_by(name: str, path: str) -> FakeReports:
        return FakeReports(name, {ws: {p: v for p, v in held.items() if p == path} for ws, held in answers.items()})

    fakes = {
        "sales": owned_by("sales", "deal-forecast"),
        "scoring": owned_by("scoring", "repurchase-forecast"),
        **{name: FakeReports(name, {}) for name in ("profile", "referral", "journey")},
    }
    urls = {f"{name}_url": f"http://{name}" for name in fakes}
    app = gateway_app(
        gateway_settings(dsn, topics, broker_kind, **urls), {n: httpx.MockTransport(f) for n, f in fakes.items()}
    )
    async with started_gateway(app) as client:
        put = await client.put(
            "/v1/report-settings", json={"currency": "EUR"}, headers={"Authorization": f"Bearer {keys['admin']}"}
        )
        assert put.status_code == 200, put.text
        yield Gateway(client, keys, {"a": a, "b": b}, fakes)


async def test_open_deals_and_expected_repurchase_by_month(gateway: Gateway) -> None:
    forecast = await gateway.ok("/v1/sales-forecast", by="month", **ASKED)
    assert (forecast["by"], forecast["from"], forecast["months"], forecast["currency"]) == (
        "month",
        "2026-06",
        3,
        "EUR",
    )
    rows = [
        (i["month"], i["open_deals"], i["pipeline_amount"], i["weighted_deals"], i["expected_purchases"],
         i["repurchase_revenue"], i["repurchase_revenue_p10"], i["repurchase_revenue_p90"], i["expected_revenue"])
        for i in forecast["items"]
    ]  # fmt: skip
    assert rows == [
        ("2026-06", 2, "1500.00", "150.01", 41.26, "2063.00", "1812.00", "2341.00", "2213.01"),  # 2213.009 half up
        ("2026-07", 0, "0.00", "0.00", 39.1, "1955.00", "1700.00", "2210.00", "1955.00"),
        ("2026-08", 1, "1000.00", "800.00", 37.0, "1850.00", "1600.00", "2100.00", "2650.00"),
    ]
    assert forecast["other_currencies"] == [
        {"currency": "USD", "open_deals": 2, "pipeline_amount": "300.00", "weighted_deals": "80.00"}
    ]
    assert forecast["degraded"] == []
    assert gateway.fakes["sales"].workspaces() <= {gateway.workspaces["a"]}

    table = await gateway.call("/v1/sales-forecast", "reader", "text/csv", **ASKED)
    assert table.status_code == 200 and table.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(table.text)))
    assert lines[0][:4] == ["month", "open_deals", "pipeline_amount", "weighted_deals"] and len(lines) == 4
    assert lines[1][0] == "2026-06" and lines[1][-1] == "2213.01"


async def test_another_workspace_reads_its_own_and_scoring_missing_degrades(gateway: Gateway) -> None:
    forecast = await gateway.ok("/v1/sales-forecast", "other", **ASKED)
    assert forecast["currency"] == "EUR"  # its deals' only currency (it set no report currency)
    july = forecast["items"][1]
    assert (july["month"], july["open_deals"], july["weighted_deals"]) == ("2026-07", 1, "999.90")
    assert all(i["expected_purchases"] is None and i["expected_revenue"] is None for i in forecast["items"])
    assert forecast["degraded"] == ["scoring"]
    gateway.fakes["sales"].down = True
    try:
        down = await gateway.ok("/v1/sales-forecast", **ASKED)
    finally:
        gateway.fakes["sales"].down = False
    assert down["degraded"] == ["sales"] and all(i["open_deals"] is None for i in down["items"])
    assert down["items"][0]["repurchase_revenue"] == "2063.00"


async def test_the_query_is_bounded_and_needs_the_read_scope(gateway: Gateway) -> None:
    for bad in ({"months": 25}, {"months": 0}, {"from": "2026-13"}, {"from": "26-06"}, {"by": "week"}):
        assert_problem(await gateway.call("/v1/sales-forecast", **bad), 422)
    assert_problem(await gateway.call("/v1/sales-forecast", "writer"), 403)
    default = await gateway.ok("/v1/sales-forecast")
    assert default["months"] == 12 and len(default["items"]) == 12
