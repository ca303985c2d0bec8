"""The growth reports (acquisition, retention, NPS, segment) and the report currency through the gateway on the
session's PostgreSQL, with stand-ins for profile, scoring and referral (httpx.MockTransport handlers) holding two
workspaces' answers: each key reads only its own workspace's figures; a service down is named in `degraded`; every
report also as CSV. The real services' figures are their own tests'; the end-to-end run is the lead's."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from devstack.postgres import LocalPostgres
from tests.integration.conftest import fresh_database
from tests.integration.gateway_fakes import Answer, FakeReports, KeyedClient, assert_problem, two_workspaces
from tests.integration.gateway_stack import gateway_app, gateway_settings

PERIOD = {"from": "2026-05-01T00:00:00Z", "to": "2026-06-01T00:00:00Z"}
NPS = {"score": 25.0, "promoters": 2, "passives": 1, "detractors": 1, "responses": 4}


def a_answers() -> dict[str, Answer]:
    """Workspace A: newsletter/spring and referral customers, spend in EUR and USD, one segment `vip`."""
    span = {"from": PERIOD["from"], "to": PERIOD["to"]}
    nps_month = {**NPS, "month": "2026-05"}
    return {
        "acquisition-report": {**span, "sources": [], "items": [
            {"source": "newsletter", "campaign": "spring", "new_customers": 3, "first_order_total": "100.00",
             "avg_first_order": "33.33", "repurchasers_90d": 1, "repurchase_rate_90d": 0.3333},
            {"source": "referral", "campaign": None, "new_customers": 1, "first_order_total": "25.00",
             "avg_first_order": "25.00", "repurchasers_90d": 0, "repurchase_rate_90d": 0.0}]},
        "marketing-spend/totals": {"from": "2026-05-01", "to": "2026-06-01", "items": [
            {"channel": "newsletter", "campaign": "spring", "currency": "EUR", "amount": "100.00"},
            {"channel": "ads", "campaign": None, "currency": "USD", "amount": "40.00"}]},
        "predicted-clv": {**span, "items": [
            {"source": "newsletter", "campaign": "spring", "new_customers": 3, "predicted": 2,
             "predicted_clv_total": "200.01"}]},
        "report": {**span, "new_customers": 4, "referred_new_customers": 1, "referral_share": 0.25,
                   "reward_cost": "15.00"},
        "nps": lambda request: {**span, **NPS, "by_month": [nps_month], "by_channel": (
            [{**NPS, "key": "=cmd|' /C calc'!A0"}] if request.url.params.get("by") == "channel" else None)},
        "retention": lambda request: {**span, "period": request.url.params["period"], "cohorts": [
            {"cohort": "2026-05", "start": PERIOD["from"], "size": 3, "retained": [1.0, None],
             "revenue_per_member": ["33.335", None], "repurchase_rate": [0.33333, None]}]},
        "segments/vip/report": {**span, "segment_id": "vip", "name": "VIP", "members": 2,
            "sizes": [{"day": "2026-05-01", "members": 1}, {"day": "2026-05-02", "members": 2}],
            "revenue": "100.005", "orders": 3, "average_order_value": "33.34", "avg_predicted_clv": "50.125",
            "churn_mix": {"low": 1, "high": 1}, "purchasers": 2, "repeat_purchasers": 1, "repurchase_rate": 0.5,
            "nps": {**NPS}, "nps_by_month": [nps_month]},
        "segments/vip/nps": {**span, **{**NPS, "score": 100.0, "promoters": 1, "responses": 1, "passives": 0,
                             "detractors": 0}, "by_month": []},
    }  # fmt: skip


def b_answers() -> dict[str, Answer]:
    """Workspace B: one direct customer, no spend, no segment."""
    span = {"from": PERIOD["from"], "to": PERIOD["to"]}
    return {
        "acquisition-report": {**span, "sources": [], "items": [
            {"source": "direct", "campaign": None, "new_customers": 1, "first_order_total": "9.99",
             "avg_first_order": "9.99", "repurchasers_90d": 0, "repurchase_rate_90d": 0.0}]},
        "marketing-spend/totals": {"from": "2026-05-01", "to": "2026-06-01", "items": []},
        "predicted-clv": {**span, "items": []},
        "report": {**span, "new_customers": 1, "referred_new_customers": 0, "referral_share": 0.0},
        "nps": {**span, "score": None, "promoters": 0, "passives": 0, "detractors": 0, "responses": 0},
        "retention": {**span, "period": "month", "cohorts": []},
    }  # fmt: skip


def owned_by(name: str, paths: set[str], answers: dict[str, dict[str, Answer]]) -> FakeReports:
    return FakeReports(name, {ws: {p: a for p, a in held.items() if p in paths} for ws, held in answers.items()})


@dataclass
class Gateway(KeyedClient):
    workspaces: dict[str, str]
    fakes: dict[str, FakeReports]

    async def csv(self, path: str, key: str = "reader", **params: Any) -> list[list[str]]:
        response = await self.call(path, key, "text/csv", **params)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/csv")
        return list(csv.reader(io.StringIO(response.text)))


@pytest.fixture(scope="module")
async def gateway(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[Gateway]:
    dsn = fresh_database(postgres, "gateway")
    scopes = {"reader": ["customers:read"], "admin": ["admin"], "writer": ["events:write"]}
    a, b, keys = await two_workspaces(dsn, "gr", scopes)
    answers = {a: a_answers(), b: b_answers()}
    fakes = {
        "profile": owned_by("profile", {"acquisition-report", "marketing-spend/totals", "nps"}, answers),
        "scoring": owned_by(
            "scoring", {"predicted-clv", "retention", "segments/vip/report", "segments/vip/nps"}, answers
        ),
        "referral": owned_by("referral", {"report"}, answers),
        "journey": FakeReports("journey", {}),
        "sales": FakeReports("sales", {}),
    }
    urls = {f"{name}_url": f"http://{name}" for name in fakes}
    app = gateway_app(
        gateway_settings(dsn, topics, broker_kind, **urls), {n: httpx.MockTransport(f) for n, f in fakes.items()}
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client,
    ):
        gateway = Gateway(client, keys, {"a": a, "b": b}, fakes)
        put = await client.put(
            "/v1/report-settings", json={"currency": "EUR"}, headers={"Authorization": f"Bearer {keys['admin']}"}
        )
        assert put.status_code == 200, put.text
        yield gateway


async def test_the_report_currency_is_set_read_audited_and_per_workspace(gateway: Gateway) -> None:
    assert await gateway.ok("/v1/report-settings", "admin") == {"currency": "EUR"}
    assert await gateway.ok("/v1/report-settings", "other") == {"currency": None}  # B's is not A's
    log = await gateway.ok("/v1/audit-log", "admin", limit=50)
    assert [e["target"] for e in log["items"] if e["action"] == "report_settings.changed"] == ["reports"]
    other_log = await gateway.ok("/v1/audit-log", "other", limit=50)
    assert not [e for e in other_log["items"] if e["action"] == "report_settings.changed"]
    headers = {"Authorization": f"Bearer {gateway.keys['admin']}"}
    for bad in ({"currency": "eur"}, {"currency": "EURO"}, {"currency": 12}, {"currency": "EUR", "x": 1}, {}):
        assert_problem(await gateway.client.put("/v1/report-settings", json=bad, headers=headers), 422)
    reader = {"Authorization": f"Bearer {gateway.keys['reader']}"}
    assert_problem(await gateway.client.put("/v1/report-settings", json={"currency": "USD"}, headers=reader), 403)
    assert await gateway.ok("/v1/report-settings", "admin") == {"currency": "EUR"}


async def test_the_acquisition_report_combines_new_customers_spend_clv_and_reward_cost(gateway: Gateway) -> None:
    report = await gateway.ok("/v1/reports/acquisition", **PERIOD)
    assert report["period"] == PERIOD and report["currency"] == "EUR" and report["degraded"] == []
    assert report["items"] == [
        {"channel": "newsletter", "campaign": "spring", "new_customers": 3, "spend": "100.00", "cac": "33.33",
         "avg_first_order": "33.33", "avg_predicted_clv": "100.01", "ltv_to_cac": 3.0002,
         "repurchase_rate_90d": 0.3333},
        {"channel": "referral", "campaign": None, "new_customers": 1, "spend": "15.00", "cac": "15.00",
         "avg_first_order": "25.00", "avg_predicted_clv": None, "ltv_to_cac": None, "repurchase_rate_90d": 0.0},
    ]  # fmt: skip  # 200.01 / 2 = 100.005 -> 100.01 (half up); 100.005 / (100 / 3) = 3.00015 -> 3.0002 (exact)
    assert [c["channel"] for c in report["channels"]] == ["newsletter", "referral"]
    assert report["total"] == {
        "channel": "all", "campaign": None, "new_customers": 4, "spend": "115.00", "cac": "28.75",
        "avg_first_order": "31.25", "avg_predicted_clv": "100.01", "ltv_to_cac": 3.4784, "repurchase_rate_90d": 0.25,
    }  # fmt: skip  # 100.005 / 28.75 = 3.47843...
    assert report["unconverted_spend"] == [{"currency": "USD", "amount": "40.00"}]
    # Spend is asked for the UTC days that start in the period; every service in the key's workspace.
    [spend_call] = [r for r in gateway.fakes["profile"].requests if r.url.path.endswith("/marketing-spend/totals")]
    assert dict(spend_call.url.params) == {"from": "2026-05-01", "to": "2026-06-01"}
    assert all(f"/workspaces/{gateway.workspaces['a']}/" in r.url.path for r in gateway.fakes["profile"].requests)

    # No day starts in the period: no spend asked for, spend 0.
    gateway.fakes["profile"].requests.clear()
    short = await gateway.ok(
        "/v1/reports/acquisition", **{"from": "2026-05-01T08:00:00Z", "to": "2026-05-01T20:00:00Z"}
    )
    assert short["unconverted_spend"] == [] and short["items"][0]["spend"] == "0.00"
    assert not [r for r in gateway.fakes["profile"].requests if "marketing-spend" in r.url.path]


async def test_another_workspace_reads_only_its_own_figures(gateway: Gateway) -> None:
    report = await gateway.ok("/v1/reports/acquisition", "other", **PERIOD)
    assert report["currency"] is None and report["unconverted_spend"] == [] and report["degraded"] == []
    assert [(i["channel"], i["new_customers"], i["spend"], i["cac"]) for i in report["items"]] == [
        ("direct", 1, "0.00", "0.00")
    ]
    assert (await gateway.ok("/v1/reports/nps", "other", **PERIOD))["responses"] == 0
    assert (await gateway.ok("/v1/reports/retention", "other", **PERIOD))["cohorts"] == []
    # A's segment through B's key is unknown, in the report and in the NPS of a segment.
    body = assert_problem(await gateway.call("/v1/reports/segments/vip", "other", **PERIOD), 404)
    assert "vip" in body["detail"]
    assert_problem(await gateway.call("/v1/reports/nps", "other", segment_id="vip", **PERIOD), 404)
    b_paths = [r.url.path for f in gateway.fakes.values() for r in f.requests if gateway.workspaces["b"] in r.url.path]
    assert b_paths and all(p.startswith(f"/internal/v1/workspaces/{gateway.workspaces['b']}/") for p in b_paths)


async def test_retention_nps_and_segment_reports(gateway: Gateway) -> None:
    retention = await gateway.ok("/v1/reports/retention", period="week", **PERIOD)
    assert retention["granularity"] == "week" and retention["currency"] == "EUR"
    assert retention["cohorts"] == [
        {"cohort": "2026-05", "start": PERIOD["from"], "size": 3, "retained": [1.0, None],
         "revenue_per_member": ["33.34", None], "repurchase_rate": [0.3333, None]}
    ]  # fmt: skip
    assert (await gateway.ok("/v1/reports/retention", **PERIOD))["granularity"] == "month"
    assert_problem(await gateway.call("/v1/reports/retention", period="day", **PERIOD), 422)

    nps = await gateway.ok("/v1/reports/nps", **PERIOD)
    assert {k: nps[k] for k in NPS} == NPS and nps["by_channel"] is None and nps["segment_id"] is None
    assert nps["currency"] == "EUR"
    assert nps["by_month"] == [{**NPS, "month": "2026-05"}]
    by_channel = await gateway.ok("/v1/reports/nps", by="channel", **PERIOD)
    assert [g["key"] for g in by_channel["by_channel"]] == ["=cmd|' /C calc'!A0"]
    of_segment = await gateway.ok("/v1/reports/nps", segment_id="vip", **PERIOD)
    assert of_segment["score"] == 100.0 and of_segment["segment_id"] == "vip" and of_segment["by_channel"] is None
    assert_problem(await gateway.call("/v1/reports/nps", by="channel", segment_id="vip", **PERIOD), 422)
    assert_problem(await gateway.call("/v1/reports/nps", by="campaign", **PERIOD), 422)
    assert_problem(await gateway.call("/v1/reports/nps", segment_id="../x", **PERIOD), 422)
    assert_problem(await gateway.call("/v1/reports/nps", segment_id="x" * 65, **PERIOD), 422)

    segment = await gateway.ok("/v1/reports/segments/vip", **PERIOD)
    assert {k: segment[k] for k in ("revenue", "orders", "average_order_value", "avg_predicted_clv")} == {
        "revenue": "100.01", "orders": 3, "average_order_value": "33.34", "avg_predicted_clv": "50.13"
    }  # fmt: skip  # 100.005 -> 100.01, 100.005 / 3 = 33.335 -> 33.34: each from the exact figure
    assert segment["churn_mix"] == {"low": 1, "high": 1} and segment["repurchase_rate"] == 0.5
    assert segment["nps"] == NPS and segment["sizes"][1] == {"day": "2026-05-02", "members": 2}
    assert segment["name"] == "VIP" and segment["currency"] == "EUR" and segment["degraded"] == []
    assert_problem(await gateway.call("/v1/reports/segments/nope", **PERIOD), 404)
    assert_problem(await gateway.call("/v1/reports/segments/" + "x" * 65, **PERIOD), 422)


async def test_bad_periods_and_keys_are_problems(gateway: Gateway) -> None:
    for path in ("/v1/reports/acquisition", "/v1/reports/retention", "/v1/reports/nps", "/v1/reports/segments/vip"):
        assert_problem(await gateway.call(path, **{"from": PERIOD["to"], "to": PERIOD["from"]}), 422)
        assert_problem(await gateway.call(path, **{"from": "2026-05-01T00:00:00"}), 422)  # no zone
        assert_problem(await gateway.call(path, **{"from": "2000-01-01T00:00:00Z", "to": PERIOD["to"]}), 422)
        assert_problem(await gateway.call(path, "writer", **PERIOD), 403)
        assert (await gateway.client.get(path)).status_code == 401
    default = await gateway.ok("/v1/reports/acquisition")  # the last 30 days
    assert default["period"]["from"] < default["period"]["to"]


async def test_a_service_down_is_named_and_its_figures_null(gateway: Gateway) -> None:
    scoring = gateway.fakes["scoring"]
    scoring.down = True
    try:
        report = await gateway.ok("/v1/reports/acquisition", **PERIOD)
        assert report["degraded"] == ["scoring"]
        assert report["items"][0]["cac"] == "33.33" and report["items"][0]["avg_predicted_clv"] is None
        retention = await gateway.ok("/v1/reports/retention", **PERIOD)
        assert retention["cohorts"] is None and retention["degraded"] == ["scoring"]
        body = assert_problem(await gateway.call("/v1/reports/segments/vip", **PERIOD), 503)
        assert body["service"] == "scoring"
        of_segment = await gateway.ok("/v1/reports/nps", segment_id="vip", **PERIOD)
        assert of_segment["score"] is None and of_segment["degraded"] == ["scoring"]
    finally:
        scoring.down = False
    gateway.fakes["referral"].down = True
    try:
        report = await gateway.ok("/v1/reports/acquisition", **PERIOD)
        assert report["degraded"] == ["referral"] and report["total"]["spend"] is None
        assert report["items"][0]["spend"] == "100.00" and report["items"][1]["spend"] is None
    finally:
        gateway.fakes["referral"].down = False
    gateway.fakes["profile"].down = True
    try:
        report = await gateway.ok("/v1/reports/acquisition", **PERIOD)
        assert report["degraded"] == ["profile"] and report["total"]["new_customers"] is None
        nps = await gateway.ok("/v1/reports/nps", **PERIOD)
        assert nps["degraded"] == ["profile"] and nps["score"] is None and nps["by_month"] is None
    finally:
        gateway.fakes["profile"].down = False


async def test_every_report_as_csv_with_workspace_written_cells_quoted_out(gateway: Gateway) -> None:
    rows = await gateway.csv("/v1/reports/acquisition", **PERIOD)
    assert rows[0][:4] == ["level", "channel", "campaign", "new_customers"]
    assert [r[0] for r in rows[1:]] == ["item", "item", "channel", "channel", "total", "unconverted"]
    assert rows[1][:6] == ["item", "newsletter", "spring", "3", "100.00", "33.33"]
    assert rows[-1][rows[0].index("spend")] == "40.00" and rows[-1][rows[0].index("currency")] == "USD"

    retention = await gateway.csv("/v1/reports/retention", **PERIOD)
    assert retention[0] == ["cohort", "start", "size", "k", "retained", "revenue_per_member", "repurchase_rate"]
    assert retention[1] == ["2026-05", "2026-05-01T00:00:00+00:00", "3", "0", "1.0", "33.34", "0.3333"]
    assert retention[2] == ["2026-05", "2026-05-01T00:00:00+00:00", "3", "1", "", "", ""]

    nps = await gateway.csv("/v1/reports/nps", by="channel", **PERIOD)
    assert [r[:2] for r in nps[1:]] == [["period", ""], ["month", "2026-05"], ["channel", "'=cmd|' /C calc'!A0"]]

    segment = await gateway.csv("/v1/reports/segments/vip", **PERIOD)
    assert [r[:3] for r in segment[1:]] == [
        ["day", "2026-05-01", "1"],
        ["day", "2026-05-02", "2"],
        ["summary", "", "2"],
    ]
    # JSON stays the default, and JSON asked for before CSV wins.
    response = await gateway.call("/v1/reports/nps", "reader", "application/json, text/csv", **PERIOD)
    assert response.headers["content-type"].startswith("application/json")
