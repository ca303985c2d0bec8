"""GET /v1/reports/kpi-tree through the gateway on the session's PostgreSQL and broker, with stand-ins for profile,
scoring and referral (httpx.MockTransport) answering their internal report documents, and the gateway's clock
fixed in the fourth quarter of 2026; and the report settings (PUT/GET /v1/report-settings) the tree reads its
currency from."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
import pytest

from devstack.postgres import LocalPostgres
from services.gateway.wiring import create_app
from tests.integration.conftest import fresh_database
from tests.integration.gateway_fakes import FakeBackend, KeyedClient, assert_problem, two_workspaces
from tests.integration.gateway_stack import SERVICES, gateway_settings

NOW = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC)
# The previous periods' first days in these tests (of 2026-Q4, of November by from/to, of the last 30 days): the
# fakes answer them with the previous period's numbers.
PREVIOUS_STARTS = ("2026-07-01", "2026-10-02", "2026-10-07")


def answers(current: bool) -> dict[str, dict[str, Any]]:
    """The services' internal answers by path suffix, for the current period or the previous one."""
    period = {"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"}  # the fakes do not echo it back
    report = {
        **period,
        "customers": 1000 if current else 800,
        "new_customers": 90,
        "first_purchasers": 3 if current else 2,
        "purchasers": 600,
        "repeat_purchasers": 200,
        "repurchase_rate": 1 / 3,
        "purchasers_in_period": 150,
        "orders_in_period": 3 if current else 2,
        "revenue_in_period": "700.00" if current else "500.00",
    }
    spend = [
        {"channel": "newsletter", "amount": "40.00", "currency": "EUR"},
        {"channel": "ads", "amount": "20.00"},
        {"channel": "ads", "amount": "500.00", "currency": "USD"},
    ]
    return {
        "/report": report,
        "/nps": {**period, "score": 42.5 if current else 30.0, "promoters": 3, "passives": 0, "detractors": 1,
                 "responses": 4},
        "/marketing-spend/totals": {"from": "2026-01-01", "to": "2026-02-01", "items": spend if current else []},
        "referral/report": {**period, "new_customers": 3, "referred_new_customers": 1, "referral_share": 1 / 3,
                            "reward_cost": "15.00"},
        "/kpis": {**period, "reactivated": 4, "retention_base": 10, "retained_90d": 4, "retention_90d": 0.4,
                  "visitors": 3, "visits": 7, "visit_frequency": 7 / 3, "new_customers": 3,
                  "new_customers_predicted": 2, "new_customers_predicted_clv_total": "150.00"},
        "/distribution": {"customers": 1000, "purchasers": 600, "active": 500, "dormant": 100,
                          "repeat_purchasers": 200, "orders": 900,
                          "ltv": {"historical_avg": "70.005", "historical_total": "42003", "predicted_12m_avg": "80",
                                  "predicted_12m_total": "48000"},
                          "rfm_segments": {}, "churn_risk": {}, "as_of": None, "model": None},
    }  # fmt: skip


@dataclass
class FakeReport(FakeBackend):
    """One service's internal report endpoints, for any workspace."""

    name: str

    def respond(self, request: httpx.Request) -> httpx.Response:
        suffix = request.url.path.split("/", 5)[-1]  # /internal/v1/workspaces/<ws>/<suffix>
        current = request.url.params.get("from", "")[:10] not in PREVIOUS_STARTS
        held = answers(current)
        key = "referral/report" if self.name == "referral" else f"/{suffix}"
        if key not in held:
            return httpx.Response(404, json={"detail": "no such report"})
        return httpx.Response(200, json=held[key])


@dataclass
class Stack(KeyedClient):
    workspaces: tuple[str, str]
    fakes: dict[str, FakeReport]

    async def tree(self, key: str = "reader", **params: Any) -> dict[str, Any]:
        response = await self.call("/v1/reports/kpi-tree", key, **params)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def put(self, path: str, body: Any, key: str = "admin") -> httpx.Response:
        return await self.client.put(path, json=body, headers={"Authorization": f"Bearer {self.keys[key]}"})


@asynccontextmanager
async def start(
    postgres: LocalPostgres, topics: str, broker_kind: str, fakes: dict[str, FakeReport]
) -> AsyncIterator[Stack]:
    dsn = fresh_database(postgres, "gateway")
    scopes = {"admin": ["admin"], "reader": ["customers:read"], "writer": ["reports:write"]}
    ws, other, keys = await two_workspaces(dsn, "kt", scopes)
    transports = {name: httpx.MockTransport(fakes.get(name, FakeReport(name, broken=True))) for name in SERVICES}
    app = create_app(
        gateway_settings(dsn, topics, broker_kind),
        clock=lambda: NOW,
        **{f"{name}_transport": transport for name, transport in transports.items()},
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client,
    ):
        yield Stack(client, keys, (ws, other), fakes)


@pytest.fixture
async def stack(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[Stack]:
    fakes = {name: FakeReport(name) for name in ("profile", "scoring", "referral")}
    async with start(postgres, topics, broker_kind, fakes) as running:
        yield running


Q4_TARGETS = [
    {"metric": "revenue", "period": "2026-Q4", "target": 1000},  # a flow: measured pro rata
    {"metric": "repurchase_rate", "period": "2026-Q4", "target": 0.3},
    {"metric": "cac", "period": "2026-Q4", "target": 25},  # lower is better
    {"metric": "dormant", "period": "2026-Q4", "target": 50},  # lower is better
    {"metric": "nps", "period": "2026", "target": 50},  # the year's: not the quarter's
]


async def test_a_running_quarter_against_its_targets(stack: Stack) -> None:
    assert (await stack.put("/v1/report-settings", {"currency": "EUR"})).status_code == 200
    assert (await stack.put("/v1/kpi-targets", {"targets": Q4_TARGETS})).status_code == 200
    tree = await stack.tree(period="2026-Q4")
    assert tree["period"] == {"from": "2026-10-01T00:00:00Z", "to": "2026-12-06T12:00:00Z"}
    assert tree["previous_period"] == {"from": "2026-07-01T00:00:00Z", "to": "2026-09-05T12:00:00Z"}
    assert (tree["target_period"], tree["currency"], tree["degraded"]) == ("2026-Q4", "EUR", [])
    assert list(tree["scale"]) == ["customers", "new_customers", "active", "dormant", "reactivated"]
    assert list(tree["behaviour"]) == ["repurchase_rate", "retention_90d", "visit_frequency", "nps"]
    assert list(tree["financial"]) == [
        "revenue", "average_order_value", "ltv", "cac", "ltv_to_cac", "referral_share", "reward_cost"
    ]  # fmt: skip

    scale, behaviour, financial = tree["scale"], tree["behaviour"], tree["financial"]
    assert scale["customers"] == {
        "value": 1000, "previous": 800, "change": 0.25, "unit": "count", "snapshot": False,
        "lower_is_better": False, "sources": ["profile"], "target": None, "bar": None, "progress": None,
        "status": "no_target",
    }  # fmt: skip
    assert (scale["new_customers"]["value"], scale["new_customers"]["previous"]) == (3, 2)
    assert (scale["active"]["value"], scale["active"]["previous"], scale["active"]["snapshot"]) == (500, None, True)
    dormant = scale["dormant"]
    assert (dormant["value"], dormant["target"], dormant["progress"], dormant["status"]) == (100, 50, 0.5, "behind")

    # Revenue is a flow: 66.5 of the quarter's 92 days have passed, so the bar is 1000 x 66.5 / 92.
    share = Decimal("66.5") / 92
    revenue = financial["revenue"]
    assert (revenue["value"], revenue["previous"], revenue["change"]) == ("700.00", "500.00", 0.4)
    assert revenue["bar"] == float((1000 * share).quantize(Decimal("0.0001")))
    assert revenue["progress"] == float((700 / (1000 * share)).quantize(Decimal("0.0001")))
    assert revenue["status"] == "behind"
    rate = behaviour["repurchase_rate"]
    # progress of the 0.3333 shown: 1.1110
    assert (rate["value"], rate["bar"], rate["progress"], rate["status"]) == (0.3333, 0.3, 1.111, "on_track")
    assert behaviour["nps"]["status"] == "no_target" and behaviour["nps"]["value"] == 42.5  # the year's target
    assert behaviour["visit_frequency"]["value"] == 2.3333 and behaviour["retention_90d"]["value"] == 0.4

    # CAC: (40.00 EUR + 20.00 without a currency + 15.00 rewards) / 3 new customers; the USD row is left out.
    cac = financial["cac"]
    assert (cac["value"], cac["sources"], cac["lower_is_better"]) == ("25.00", ["profile", "referral"], True)
    assert (cac["bar"], cac["progress"], cac["status"]) == (25.0, 1.0, "on_track")
    assert financial["cac"]["previous"] == "7.50"  # (no spend + 15.00 rewards) / 2
    assert financial["ltv_to_cac"]["value"] == 3.0  # (150.00 / 2) / 25.00
    assert financial["average_order_value"]["value"] == "233.33"  # 700.00 / 3
    assert financial["ltv"]["value"] == "70.01" and financial["reward_cost"]["value"] == "15.00"

    # Spend is asked for every day the period touches, in the key's workspace.
    spend_asks = [r for r in stack.fakes["profile"].requests if r.url.path.endswith("/marketing-spend/totals")]
    assert {(r.url.params["from"], r.url.params["to"]) for r in spend_asks} == {
        ("2026-10-01", "2026-12-07"),
        ("2026-07-01", "2026-09-06"),
    }
    assert stack.fakes["profile"].workspaces() == {stack.workspaces[0]}


async def test_from_and_to_spanning_a_month_apply_its_targets(stack: Stack) -> None:
    targets = [{"metric": "new_customers", "period": "2026-11", "target": 3}, *Q4_TARGETS]
    assert (await stack.put("/v1/kpi-targets", {"targets": targets})).status_code == 200
    tree = await stack.tree(**{"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"})
    assert tree["target_period"] == "2026-11" and tree["currency"] is None
    assert tree["previous_period"] == {"from": "2026-10-02T00:00:00Z", "to": "2026-11-01T00:00:00Z"}
    new = tree["scale"]["new_customers"]
    assert (new["target"], new["bar"], new["status"]) == (3, 3, "on_track")  # a past period: the whole target
    assert tree["financial"]["revenue"]["status"] == "no_target"  # the quarter's targets are not November's
    # No report currency: every spend row counts, (40 + 20 + 500 + 15) / 3.
    assert tree["financial"]["cac"]["value"] == "191.67"
    other = await stack.tree(**{"from": "2026-11-01T00:00:00Z", "to": "2026-11-30T00:00:00Z"})
    assert other["target_period"] is None and other["scale"]["new_customers"]["status"] == "no_target"
    # Hours holding no day's start (nor do those before): no spend is asked for; CAC is the rewards, 15.00 / 3.
    stack.fakes["profile"].requests.clear()
    hour = await stack.tree(**{"from": "2026-12-06T02:00:00Z", "to": "2026-12-06T03:00:00Z"})
    assert hour["financial"]["cac"]["value"] == "5.00" and hour["degraded"] == []
    assert not [r for r in stack.fakes["profile"].requests if r.url.path.endswith("/marketing-spend/totals")]
    default = await stack.tree()  # the last 30 days
    assert default["period"] == {"from": "2026-11-06T12:00:00Z", "to": "2026-12-06T12:00:00Z"}


async def test_the_tree_as_csv(stack: Stack) -> None:
    assert (await stack.put("/v1/report-settings", {"currency": "EUR"})).status_code == 200
    assert (await stack.put("/v1/kpi-targets", {"targets": Q4_TARGETS})).status_code == 200
    response = await stack.client.get(
        "/v1/reports/kpi-tree",
        params={"period": "2026-Q4"},
        headers={"Authorization": f"Bearer {stack.keys['reader']}", "Accept": "text/csv"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == ["level", "metric", "unit", "value", "previous", "change", "target", "progress", "status"]
    assert len(rows) == 16 and [r["level"] for r in rows].count("behaviour") == 4
    cac = next(r for r in rows if r["metric"] == "cac")
    assert cac == {"level": "financial", "metric": "cac", "unit": "money", "value": "25.00", "previous": "7.50",
                   "change": "2.3333", "target": "25.0", "progress": "1.0", "status": "on_track"}  # fmt: skip


async def test_bad_periods_and_keys_are_problems(stack: Stack) -> None:
    path = "/v1/reports/kpi-tree"
    both = await stack.call(path, period="2026-Q4", **{"from": "2026-10-01T00:00:00Z"})
    assert assert_problem(both, 422)["errors"][0]["field"] == "period"
    for period in ("2026-Q5", "2026-13", "26", "3000", "2026-q4"):
        assert_problem(await stack.call(path, period=period), 422)
    assert "not started" in assert_problem(await stack.call(path, period="2027"), 422)["detail"]
    backwards = {"from": "2026-11-01T00:00:00Z", "to": "2026-10-01T00:00:00Z"}
    assert_problem(await stack.call(path, **backwards), 422)
    assert_problem(await stack.call(path, **{"from": "2026-11-01T00:00:00"}), 422)  # no zone
    assert_problem(await stack.call(path, "writer", period="2026-Q4"), 403)  # reports:write is not customers:read
    assert_problem(await stack.client.get(path), 401)


async def test_another_workspaces_targets_never_appear(stack: Stack) -> None:
    assert (await stack.put("/v1/kpi-targets", {"targets": Q4_TARGETS})).status_code == 200
    assert (await stack.put("/v1/report-settings", {"currency": "EUR"})).status_code == 200
    stack.fakes["profile"].requests.clear()
    tree = await stack.tree("other", period="2026-Q4")
    assert tree["currency"] is None
    for level in ("scale", "behaviour", "financial"):
        for metric, node in tree[level].items():
            assert (node["target"], node["status"]) == (None, "no_target"), metric
    # Its numbers were asked for its own workspace only.
    assert stack.fakes["profile"].workspaces() == {stack.workspaces[1]}
    # And its own targets stay its own.
    own = {"targets": [{"metric": "revenue", "period": "2026-Q4", "target": 5}]}
    assert (await stack.put("/v1/kpi-targets", own, key="other")).status_code == 200
    mine = await stack.tree(period="2026-Q4")
    assert mine["financial"]["revenue"]["target"] == 1000


async def test_a_degraded_service_leaves_its_metrics_unknown(
    postgres: LocalPostgres, topics: str, broker_kind: str
) -> None:
    fakes = {"profile": FakeReport("profile"), "scoring": FakeReport("scoring", broken=True),
             "referral": FakeReport("referral")}  # fmt: skip
    async with start(postgres, topics, broker_kind, fakes) as stack:
        targets = [{"metric": m, "period": "2026-Q4", "target": 1} for m in ("retention_90d", "ltv", "customers")]
        assert (await stack.put("/v1/kpi-targets", {"targets": targets})).status_code == 200
        tree = await stack.tree(period="2026-Q4")
        assert tree["degraded"] == ["scoring"]
        nodes = {m: n for level in ("scale", "behaviour", "financial") for m, n in tree[level].items()}
        for metric, node in nodes.items():
            if "scoring" in node["sources"]:
                assert (node["value"], node["previous"], node["change"]) == (None, None, None), metric
        assert (nodes["retention_90d"]["status"], nodes["ltv"]["status"]) == ("unknown", "unknown")
        assert nodes["retention_90d"]["target"] == 1 and nodes["ltv_to_cac"]["value"] is None
        assert nodes["customers"]["status"] == "on_track" and nodes["cac"]["value"] == "191.67"


# --- the report settings the tree reads its currency from -------------------------------------------------------


async def test_report_settings_are_set_read_audited_and_kept_per_workspace(stack: Stack) -> None:
    assert (await stack.call("/v1/report-settings")).json() == {"currency": None}
    response = await stack.put("/v1/report-settings", {"currency": "EUR"}, key="writer")
    assert response.status_code == 200, response.text
    assert response.json() == {"currency": "EUR"}
    assert (await stack.call("/v1/report-settings")).json() == {"currency": "EUR"}
    assert (await stack.call("/v1/report-settings", "other")).json() == {"currency": None}
    log = (await stack.call("/v1/audit-log", "admin", limit=50)).json()["items"]
    changed = [e for e in log if e["action"] == "report_settings.changed"]
    assert len(changed) == 1 and changed[0]["target"] == "reports"
    assert not [e for e in (await stack.call("/v1/audit-log", "other")).json()["items"]
                if e["action"] == "report_settings.changed"]  # fmt: skip
    # Null unsets it.
    assert (await stack.put("/v1/report-settings", {"currency": None}, key="writer")).status_code == 200
    assert (await stack.call("/v1/report-settings")).json() == {"currency": None}


async def test_report_settings_refuse_bad_currencies_and_need_reports_write(stack: Stack) -> None:
    for bad in ({"currency": "eur"}, {"currency": "EURO"}, {"currency": 978}, {}, {"currency": "EUR", "x": 1}):
        assert_problem(await stack.put("/v1/report-settings", bad), 422)
    assert_problem(await stack.put("/v1/report-settings", {"currency": "EUR"}, key="reader"), 403)
    assert (await stack.call("/v1/report-settings")).json() == {"currency": None}
    assert_problem(await stack.call("/v1/report-settings", "writer"), 403)
