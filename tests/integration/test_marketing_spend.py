"""Marketing spend (profile, through the gateway) and KPI targets (the gateway's own), in front of the five real
services on the session's PostgreSQL and broker: replace semantics, paging, budgets (413/422), quotas (409 naming
the quota), workspaces kept apart, the audit log, and `flywheel import spend` against the served gateway."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import uuid
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from typer.testing import CliRunner, Result

from cli.importer import app as import_app
from devstack.postgres import LocalPostgres
from services.gateway import store
from services.gateway.deps import GatewayContext
from services.profile import spend_store
from tests.integration.gateway_stack import GatewayInFront, gateway_client, gateway_in_front_of_the_services
from tests.integration.served import served

SPEND_QUOTA = 40
TARGETS_QUOTA = 5


@pytest.fixture(scope="module")
async def stack(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[GatewayInFront]:
    async with gateway_in_front_of_the_services(
        postgres,
        topics,
        broker_kind,
        services_settings={"quota_marketing_spend_rows": SPEND_QUOTA},
        quota_kpi_targets=TARGETS_QUOTA,
    ) as running:
        yield running


async def new_workspace(stack: GatewayInFront, scopes: list[str] | None = None) -> tuple[str, str]:
    """A fresh workspace and a key for it (admin unless `scopes`)."""
    state: GatewayContext = stack.app.state.gateway
    workspace = f"sp_{uuid.uuid4().hex[:8]}"
    await store.create_workspace(state.runtime.pool, workspace)
    _, key = await store.create_key(state.runtime.pool, workspace, "tests", scopes or ["admin"])
    return workspace, key


@pytest.fixture
async def tenant(stack: GatewayInFront) -> AsyncIterator[httpx.AsyncClient]:
    _, key = await new_workspace(stack)
    async with gateway_client(stack, key) as client:
        yield client


def row(
    day: str, channel: str, amount: Any, campaign: str | None = None, currency: str | None = None
) -> dict[str, Any]:
    doc = {"date": day, "channel": channel, "amount": amount}
    if campaign is not None:
        doc["campaign"] = campaign
    if currency is not None:
        doc["currency"] = currency
    return doc


async def all_spend(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = ""
    while True:
        response = await client.get("/v1/marketing-spend", params={**params, "limit": 2, "cursor": cursor})
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= 2
        items += page["items"]
        if page["next_cursor"] is None:
            return items
        cursor = page["next_cursor"]


async def test_a_resent_row_replaces_the_earlier_one_and_no_campaign_is_its_own_key(
    tenant: httpx.AsyncClient,
) -> None:
    first = [
        row("2026-11-01", "newsletter", "100.00"),
        row("2026-11-01", "newsletter", "40.10", campaign="black-friday", currency="EUR"),
        row("2026-11-02", "ads", 12.5),
    ]
    response = await tenant.post("/v1/marketing-spend", json={"rows": first})
    assert response.status_code == 200, response.text
    assert response.json() == {"stored": 3, "replaced": 0}

    again = [row("2026-11-01", "newsletter", "120.00"), row("2026-11-01", "newsletter", "0.99", "black-friday")]
    response = await tenant.post("/v1/marketing-spend", json={"rows": again})
    assert response.json() == {"stored": 2, "replaced": 2}

    items = await all_spend(tenant)
    got = {(i["date"], i["channel"], i["campaign"]): (i["amount"], i["currency"]) for i in items}
    assert got == {
        ("2026-11-01", "newsletter", None): ("120.00", None),
        ("2026-11-01", "newsletter", "black-friday"): ("0.99", None),
        ("2026-11-02", "ads", None): ("12.50", None),
    }
    # The same request twice (a retry) changes nothing.
    assert (await tenant.post("/v1/marketing-spend", json={"rows": again})).json() == {"stored": 2, "replaced": 2}
    assert await all_spend(tenant) == items


async def test_spend_pages_by_date_within_from_and_to(tenant: httpx.AsyncClient) -> None:
    days = [dt.date(2026, 10, 1) + dt.timedelta(days=n) for n in range(7)]
    rows = [row(d.isoformat(), channel, "1.00") for d in days for channel in ("a", "b")]
    assert (await tenant.post("/v1/marketing-spend", json={"rows": rows})).status_code == 200

    items = await all_spend(tenant)
    assert [(i["date"], i["channel"]) for i in items] == [(r["date"], r["channel"]) for r in rows]
    window = await all_spend(tenant, **{"from": "2026-10-03", "to": "2026-10-05"})
    assert [(i["date"], i["channel"]) for i in window] == [
        ("2026-10-03", "a"),
        ("2026-10-03", "b"),
        ("2026-10-04", "a"),
        ("2026-10-04", "b"),
    ]
    bad = await tenant.get("/v1/marketing-spend", params={"from": "2026-10-05", "to": "2026-10-05"})
    assert bad.status_code == 422
    assert (await tenant.get("/v1/marketing-spend", params={"cursor": "bm9wZQ=="})).status_code == 422
    assert (await tenant.get("/v1/marketing-spend", params={"from": "1700000000"})).status_code == 422


async def test_profile_sums_spend_per_channel_and_campaign_in_sql(stack: GatewayInFront) -> None:
    workspace, key = await new_workspace(stack)
    rows = [
        row("2026-09-01", "ads", "10.10", "c1"),
        row("2026-09-02", "ads", "0.05", "c1"),
        row("2026-09-02", "ads", "7.00"),
        row("2026-09-30", "newsletter", "3.33"),
        row("2026-10-01", "newsletter", "100.00"),  # outside [09-01, 10-01)
    ]
    async with gateway_client(stack, key) as client:
        assert (await client.post("/v1/marketing-spend", json={"rows": rows})).status_code == 200
    state: GatewayContext = stack.app.state.gateway
    profile = stack.services["profile"]
    async with profile.state.context.runtime.pool.acquire() as conn:  # the profile service's own database
        totals = await spend_store.totals(conn, workspace, dt.date(2026, 9, 1), dt.date(2026, 10, 1))
    assert [(t.channel, t.campaign, Decimal(t.amount)) for t in totals.items] == [
        ("ads", None, Decimal("7.00")),
        ("ads", "c1", Decimal("10.15")),
        ("newsletter", None, Decimal("3.33")),
    ]
    answer = await state.profile.get(
        f"/internal/v1/workspaces/{workspace}/marketing-spend/totals",
        params={"from": "2026-09-01", "to": "2026-10-01"},
        not_found="no such workspace",
    )
    assert answer["from"] == "2026-09-01" and len(answer["items"]) == 3


async def test_budgets_refuse_too_many_rows_and_bad_values(tenant: httpx.AsyncClient, stack: GatewayInFront) -> None:
    too_many = [row("2026-01-01", f"ch{n}", "1") for n in range(1001)]
    response = await tenant.post("/v1/marketing-spend", json={"rows": too_many})
    assert response.status_code == 422 and response.headers["content-type"].startswith("application/problem+json")
    huge = {"rows": [row("2026-01-01", "x" * 90, "1", campaign="y" * 190)] * 30_000}  # > FLYWHEEL_MAX_BODY_BYTES
    assert len(orjson.dumps(huge)) > stack.app.state.gateway.runtime.settings.max_body_bytes
    assert (await tenant.post("/v1/marketing-spend", content=orjson.dumps(huge))).status_code == 413
    for bad in (
        row("2026-02-30", "ads", "1"),  # no such day
        row("3000-01-01", "ads", "1"),  # beyond the services' years
        row("2026-01-01", "ads", "-1"),  # negative
        row("2026-01-01", "ads", "1.001"),  # beyond cents
        row("2026-01-01", "ads", "1e3"),  # not an exact decimal
        row("2026-01-01", "", "1"),  # empty channel
        row("2026-01-01", "x" * 101, "1"),  # channel too long
        row("2026-01-01", "ads", "1", campaign=""),  # empty campaign: leave it out instead
        row("2026-01-01", "ads\n", "1"),  # control characters
        row("2026-01-01", "ads", "1", currency="eur"),  # not ISO 4217
        {**row("2026-01-01", "ads", "1"), "extra": 1},
    ):
        response = await tenant.post("/v1/marketing-spend", json={"rows": [bad]})
        assert response.status_code == 422, (bad, response.text)
        assert response.json()["errors"], response.text
    assert await all_spend(tenant) == []


async def test_the_spend_quota_answers_409_naming_it_and_stores_nothing(stack: GatewayInFront) -> None:
    _, key = await new_workspace(stack)
    async with gateway_client(stack, key) as client:
        rows = [row("2026-03-01", f"ch{n}", "1") for n in range(SPEND_QUOTA - 1)]
        assert (await client.post("/v1/marketing-spend", json={"rows": rows})).status_code == 200
        two_more = [row("2026-03-02", "a", "1"), row("2026-03-02", "b", "1")]
        response = await client.post("/v1/marketing-spend", json={"rows": two_more})
        assert response.status_code == 409, response.text
        problem = response.json()
        assert problem["quota"] == "marketing_spend_rows" and problem["limit"] == SPEND_QUOTA
        assert problem["used"] == SPEND_QUOTA - 1
        assert len(await all_spend(client)) == SPEND_QUOTA - 1
        # Replacing held rows never counts again; one new row still fits.
        assert (await client.post("/v1/marketing-spend", json={"rows": rows})).status_code == 200
        assert (await client.post("/v1/marketing-spend", json={"rows": two_more[:1]})).status_code == 200
        quotas = {q["name"]: q for q in (await client.get("/v1/quotas")).json()["quotas"]}
        assert quotas["marketing_spend_rows"]["used"] == SPEND_QUOTA
        assert quotas["kpi_targets"]["limit"] == TARGETS_QUOTA


async def test_another_workspace_cannot_read_or_change_spend_or_targets(stack: GatewayInFront) -> None:
    _, key_a = await new_workspace(stack)
    _, key_b = await new_workspace(stack)
    async with gateway_client(stack, key_a) as a, gateway_client(stack, key_b) as b:
        assert (await a.post("/v1/marketing-spend", json={"rows": [row("2026-05-01", "ads", "5")]})).status_code == 200
        targets = {"targets": [{"metric": "nps", "period": "2026", "target": 40}]}
        assert (await a.put("/v1/kpi-targets", json=targets)).status_code == 200
        # B sends the same keys: its own rows and targets, A's stay as they were.
        assert (await b.post("/v1/marketing-spend", json={"rows": [row("2026-05-01", "ads", "9")]})).json() == {
            "stored": 1,
            "replaced": 0,
        }
        other = {"targets": [{"metric": "nps", "period": "2026", "target": 10}]}
        assert (await b.put("/v1/kpi-targets", json=other)).status_code == 200
        assert [i["amount"] for i in await all_spend(a)] == ["5.00"]
        assert [i["amount"] for i in await all_spend(b)] == ["9.00"]
        assert [t["target"] for t in (await a.get("/v1/kpi-targets")).json()["items"]] == [40]
        # A cursor of A's pages names nothing of B's.
        assert len(await all_spend(b)) == 1


async def test_writes_need_the_reports_write_scope(stack: GatewayInFront) -> None:
    _, reader = await new_workspace(stack, ["customers:read"])
    async with gateway_client(stack, reader) as client:
        spend = {"rows": [row("2026-05-01", "ads", "5")]}
        assert (await client.post("/v1/marketing-spend", json=spend)).status_code == 403
        targets = {"targets": [{"metric": "nps", "period": "2026", "target": 40}]}
        assert (await client.put("/v1/kpi-targets", json=targets)).status_code == 403
        assert (await client.get("/v1/marketing-spend")).status_code == 200
        assert (await client.get("/v1/kpi-targets")).status_code == 200
    _, writer = await new_workspace(stack, ["reports:write"])
    async with gateway_client(stack, writer) as client:
        assert (await client.post("/v1/marketing-spend", json=spend)).status_code == 200
        assert (await client.get("/v1/marketing-spend")).status_code == 403


async def test_kpi_targets_replace_remove_and_are_audited(tenant: httpx.AsyncClient) -> None:
    body = {
        "targets": [
            {"metric": "repurchase_rate", "period": "2026-Q4", "target": 0.35},
            {"metric": "average_order_value", "period": "2026", "target": 64.5},
            {"metric": "new_customers", "period": "2026-12", "target": 1200},
        ]
    }
    response = await tenant.put("/v1/kpi-targets", json=body)
    assert response.status_code == 200, response.text
    held = {(t["metric"], t["period"]): t["target"] for t in response.json()["items"]}
    assert held == {
        ("average_order_value", "2026"): 64.5,
        ("new_customers", "2026-12"): 1200,
        ("repurchase_rate", "2026-Q4"): 0.35,
    }
    change = {
        "targets": [
            {"metric": "repurchase_rate", "period": "2026-Q4", "target": 0.4},
            {"metric": "new_customers", "period": "2026-12", "target": None},
        ]
    }
    assert (await tenant.put("/v1/kpi-targets", json=change)).status_code == 200
    listed = (await tenant.get("/v1/kpi-targets")).json()["items"]
    assert [(t["metric"], t["period"], t["target"]) for t in listed] == [
        ("average_order_value", "2026", 64.5),
        ("repurchase_rate", "2026-Q4", 0.4),
    ]
    log = (await tenant.get("/v1/audit-log", params={"limit": 50})).json()["items"]
    changed = [(e["action"], e["target"]) for e in log if e["action"] == "kpi_target.changed"]
    assert sorted(changed) == sorted(
        [
            ("kpi_target.changed", "repurchase_rate/2026-Q4"),
            ("kpi_target.changed", "average_order_value/2026"),
            ("kpi_target.changed", "new_customers/2026-12"),
            ("kpi_target.changed", "repurchase_rate/2026-Q4"),
            ("kpi_target.changed", "new_customers/2026-12"),
        ]
    )


async def test_kpi_targets_refuse_bad_input_and_keep_to_their_quota(tenant: httpx.AsyncClient) -> None:
    for bad in (
        {"metric": "happiness", "period": "2026", "target": 1},
        {"metric": "nps", "period": "2026-Q5", "target": 1},
        {"metric": "nps", "period": "2026-13", "target": 1},
        {"metric": "nps", "period": "26", "target": 1},
        {"metric": "nps", "period": "3000", "target": 1},
        {"metric": "nps", "period": "2026", "target": "40"},
        {"metric": "nps", "period": "2026", "target": 1e16},
        {"metric": "nps", "period": "2026"},
    ):
        response = await tenant.put("/v1/kpi-targets", json={"targets": [bad]})
        assert response.status_code == 422, (bad, response.text)
    many = [{"metric": "nps", "period": f"{2000 + n}", "target": n} for n in range(101)]
    assert (await tenant.put("/v1/kpi-targets", json={"targets": many})).status_code == 422
    assert (await tenant.put("/v1/kpi-targets", json={"targets": many[:TARGETS_QUOTA]})).status_code == 200
    response = await tenant.put("/v1/kpi-targets", json={"targets": many[TARGETS_QUOTA : TARGETS_QUOTA + 1]})
    assert response.status_code == 409, response.text
    assert response.json()["quota"] == "kpi_targets" and response.json()["used"] == TARGETS_QUOTA
    assert len((await tenant.get("/v1/kpi-targets")).json()["items"]) == TARGETS_QUOTA
    # Changing held targets, or removing one and adding one in the same request, fits.
    swap = [{**many[0], "target": None}, many[TARGETS_QUOTA]]
    assert (await tenant.put("/v1/kpi-targets", json={"targets": swap})).status_code == 200
    assert len((await tenant.get("/v1/kpi-targets")).json()["items"]) == TARGETS_QUOTA


# --- flywheel import spend ------------------------------------------------------------------------


async def invoke(*args: str) -> Result:
    # The command runs its own event loop (asyncio.run), so it runs in a thread, off the served gateway's loop.
    return await asyncio.to_thread(CliRunner().invoke, import_app, list(args))


async def test_import_spend_sends_valid_rows_in_batches_and_reports_rejected_lines(
    stack: GatewayInFront, tmp_path: Path
) -> None:
    _, key = await new_workspace(stack)
    lines = ["date,channel,campaign,amount,currency"]
    lines += [f"2026-06-{1 + n % 28:02d},ch{n // 28},,{n}.25,EUR" for n in range(30)]  # 30 valid rows
    lines += ["2026-06-31,ads,,1,EUR", "2026-06-01,ads,,-5,", "2026-06-01,,c,1,", "2026-06-01,ads,x,1,EUR,extra"]
    lines += ["2026-06-01,ads,spring,3.50,"]
    path = tmp_path / "spend.csv"
    path.write_text("\n".join(lines) + "\n")
    rejects = tmp_path / "rejects.jsonl"
    async with served(stack.app) as url:
        result = await invoke("spend", str(path), "--gateway", url, "--key", key, "--rejects", str(rejects))
        assert result.exit_code == 1, result.output
        assert "importing" in result.output  # the progress bar
        assert re.search(r"rows read\s*│\s*35 ", result.output) and re.search(r"published\s*│\s*31 ", result.output)
        for line in (32, 33, 34, 35):
            assert re.search(rf"│\s+{line} │", result.output), line  # the report names each rejected line
        rejected = [orjson.loads(x) for x in rejects.read_bytes().splitlines()]
        assert [r["line"] for r in rejected] == [32, 33, 34, 35]
        assert "date" in rejected[0]["reason"] and "amount" in rejected[1]["reason"]
        assert "channel" in rejected[2]["reason"] and "cells" in rejected[3]["reason"]
        async with gateway_client(stack, key) as client:
            items = await all_spend(client)
            assert len(items) == 31
            assert {"date": "2026-06-01", "channel": "ads", "campaign": "spring", "amount": "3.50"}.items() <= next(
                i for i in items if i["channel"] == "ads"
            ).items()
            # Re-running is safe: every row replaces itself.
            again = await invoke("spend", str(path), "--gateway", url, "--key", key)
            assert again.exit_code == 1
            assert len(await all_spend(client)) == 31

        good = tmp_path / "good.csv"
        good.write_text("channel,date,amount\nads,2026-07-01,1\n")
        ok = await invoke("spend", str(good), "--gateway", url, "--key", key)
        assert ok.exit_code == 0, ok.output
        refused = await invoke("spend", str(good), "--gateway", url, "--key", "fw_nope_nope")
        assert refused.exit_code == 2 and "401" in refused.output
    bad_header = tmp_path / "bad.csv"
    bad_header.write_text("day,channel,amount\n2026-01-01,ads,1\n")
    result = await invoke("spend", str(bad_header), "--key", key)
    assert result.exit_code == 2 and "unknown column" in result.output
    away = await invoke("spend", str(good), "--gateway", "http://127.0.0.1:1", "--key", key)
    assert away.exit_code == 2 and "cannot reach the gateway" in away.output
    missing = await invoke("spend", str(tmp_path / "none.csv"), "--key", key)
    assert missing.exit_code == 2 and "no such file" in missing.output


async def test_import_spend_stops_at_the_quota_naming_it(stack: GatewayInFront, tmp_path: Path) -> None:
    _, key = await new_workspace(stack)
    path = tmp_path / "many.csv"
    path.write_text("date,channel,amount\n" + "".join(f"2026-01-01,ch{n},1\n" for n in range(SPEND_QUOTA + 1)))
    async with served(stack.app) as url:
        result = await invoke("spend", str(path), "--gateway", url, "--key", key)
    assert result.exit_code == 2, result.output
    assert "marketing_spend_rows" in result.output and "re-running the import is safe" in result.output
