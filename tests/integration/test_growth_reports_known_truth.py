"""Acceptance: a generated workspace with known truth (tests/integration/growth_truth.py) gives every figure of
every growth report exactly, money to the cent. The events go through the gateway to the five real services on
the session's PostgreSQL and broker; each expected figure is computed again in plain Python over the same
generated events. The predicted CLV is the one figure a model makes: the expected averages are taken over each
customer's own predicted CLV as the 360 view shows it (what is checked is which customers each average is over)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from devstack.postgres import LocalPostgres
from services.gateway import store
from services.gateway.deps import GatewayContext
from tests.helpers import event, wait_for
from tests.integration.gateway_stack import GatewayInFront, gateway_client, gateway_in_front_of_the_services
from tests.integration.growth_truth import (
    MIN_PURCHASE,
    REFERRER,
    REWARD,
    WORKSPACE_CURRENCY,
    World,
    generate,
    money,
    ratio,
)
from tests.running import SCORING_NOW, service_client

UTC = dt.UTC
PERIOD_START = dt.datetime(2026, 3, 1, tzinfo=UTC)
PERIOD_END = dt.datetime(2026, 6, 1, tzinfo=UTC)
PERIOD = {"from": PERIOD_START.isoformat(), "to": PERIOD_END.isoformat()}
PROGRAM = {
    "name": "Friends",
    "code_prefix": "FR",
    "valid_from": "2026-01-01T00:00:00+00:00",
    "attribution_window_days": 365,
    "referrer_reward": {"kind": "amount", "value": str(REWARD), "trigger": "first_purchase",
                        "min_purchase": str(MIN_PURCHASE)},
}  # fmt: skip
REPEAT_BUYERS = {"all": [{"field": "stats.orders", "op": "gte", "value": 2}]}


@pytest.fixture(scope="module")
async def stack(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[GatewayInFront]:
    async with gateway_in_front_of_the_services(postgres, topics, broker_kind) as running:
        yield running


def _customer(name: str) -> dict[str, str]:
    return {"external_id": name}


def _events(world: World, workspace: str, code: str) -> list[dict[str, Any]]:
    docs = []
    for v in world.visits:
        data: dict[str, Any] = {"channel": v.channel}
        if v.utm_source:
            data |= {"utm_source": v.utm_source} | ({"utm_campaign": v.utm_campaign} if v.utm_campaign else {})
        docs.append(event("visit", workspace, _customer(v.customer), data, time=v.at))
    for p in world.purchases:
        data = {"order_id": p.order_id, "amount": str(p.amount), "currency": WORKSPACE_CURRENCY}
        for name in ("channel", "utm_source", "utm_campaign"):
            if getattr(p, name):
                data[name] = getattr(p, name)
        if p.referral_code:
            data["referral_code"] = code
        docs.append(event("purchase", workspace, _customer(p.customer), data, time=p.at))
    for a in world.answers:
        docs.append(event("survey", workspace, _customer(a.customer), {"nps": a.nps, "survey_id": "q"}, time=a.at))
    # In time order: out-of-order delivery has its own tests (acquisition source, NPS, scoring).
    return sorted(docs, key=lambda d: d["time"])


async def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@pytest.fixture(scope="module")
async def seeded(stack: GatewayInFront) -> AsyncIterator[tuple[World, httpx.AsyncClient, dict[str, str], str]]:
    """The generated world, published; every service has taken all of it and scoring has refit."""
    world = generate()
    state: GatewayContext = stack.app.state.gateway
    workspace = f"truth_{uuid.uuid4().hex[:8]}"
    await store.create_workspace(state.runtime.pool, workspace)
    _, key = await store.create_key(state.runtime.pool, workspace, "tests", ["admin"])
    async with gateway_client(stack, key) as client:
        await _ok(await client.put("/v1/report-settings", json={"currency": WORKSPACE_CURRENCY}))
        spend_rows = [
            {"date": r.day.isoformat(), "channel": r.channel, "amount": str(r.amount)}
            | ({"campaign": r.campaign} if r.campaign else {})
            | ({"currency": r.currency} if r.currency else {})
            for r in world.spend
        ]
        for start in range(0, len(spend_rows), 200):
            await _ok(await client.post("/v1/marketing-spend", json={"rows": spend_rows[start : start + 200]}))
        # The referrer exists first, with a code of the program.
        referrer = event("purchase", workspace, _customer(REFERRER), {"order_id": "o-referrer", "amount": "42.00",
                         "currency": WORKSPACE_CURRENCY}, time=world.orders_of(REFERRER)[0].at)  # fmt: skip
        await _ok(await client.post("/v1/events", json=[referrer]), 202)
        referrer_id = await wait_for(lambda: _customer_id(client, REFERRER), within=60, what="the referrer")
        program = await _ok(await client.post("/v1/referral-programs", json=PROGRAM), 201)
        code = (
            await _ok(
                await client.post(
                    f"/v1/referral-programs/{program['program_id']}/codes", json={"customer_id": referrer_id}
                )
            )
        )["code"]
        segment = await _ok(
            await client.post("/v1/segments", json={"name": "Repeat buyers", "condition": REPEAT_BUYERS}), 201
        )
        docs = [d for d in _events(world, workspace, code) if d["data"].get("order_id") != "o-referrer"]
        for start in range(0, len(docs), 100):
            await _ok(await client.post("/v1/events", json=docs[start : start + 100]), 202)
        ids = {c: await _customer_id_when_resolved(client, c) for c in world.customers}
        scoring = service_client(stack.services["scoring"], "scoring")
        referral = service_client(stack.services["referral"], "referral")
        profile = service_client(stack.services["profile"], "profile")
        internal = f"/internal/v1/workspaces/{workspace}"
        everything = {"from": "2025-01-01T00:00:00+00:00", "to": "2026-07-01T00:00:00+00:00"}

        async def all_taken() -> bool:
            distribution = (await scoring.get(f"{internal}/distribution")).json()
            report = (await referral.get(f"{internal}/report", params=everything)).json()
            # Scoring learns each customer's acquisition source from profile's decisions, after their purchases.
            sources = (await profile.get(f"{internal}/acquisition-report", params=everything)).json()["items"]
            clv = (await scoring.get(f"{internal}/predicted-clv", params=everything)).json()["items"]
            counted = {(i["source"], i["campaign"]): i["new_customers"] for i in sources}
            known = {(i["source"], i["campaign"]): i["new_customers"] for i in clv}
            # Profile learns the referral attributions from the referral service, after the purchases: until it
            # has them all, profile and scoring can agree on `direct` for a referred customer.
            attributed = counted.get(("referral", None), 0) == report["referred_new_customers"]
            # Every answer taken (counted once per customer over all time: completeness, not the figures).
            answered = (await profile.get(f"{internal}/nps", params=everything)).json()["responses"]
            segment_answered = (
                await scoring.get(f"{internal}/segments/{segment['segment_id']}/nps", params=everything)
            ).json()["responses"]
            repeat_buyers = set(world.repeat_buyers())
            return bool(
                answered == len({a.customer for a in world.answers})
                and segment_answered == len({a.customer for a in world.answers if a.customer in repeat_buyers})
                and distribution["orders"] == len(world.purchases)
                and report["new_customers"] == len(world.customers)
                and attributed
                and counted == known
            )

        await wait_for(all_taken, within=120, what="every service took every event")
        await _ok(await scoring.post(f"{internal}/refit"))
        yield world, client, {**ids, "segment": segment["segment_id"]}, workspace
        for service in (scoring, referral, profile):
            await service.aclose()


async def _customer_id_when_resolved(client: httpx.AsyncClient, external_id: str) -> str:
    return await wait_for(lambda: _customer_id(client, external_id), within=60, what=external_id)


async def _customer_id(client: httpx.AsyncClient, external_id: str) -> str | None:
    response = await client.get("/v1/customers", params={"external_id": external_id})
    return response.json()["customer_id"] if response.status_code == 200 else None


async def _predicted_clv(client: httpx.AsyncClient, world: World, ids: dict[str, str]) -> dict[str, Decimal]:
    clv: dict[str, Decimal] = {}
    for name in world.customers:
        scores = await _ok(await client.get(f"/v1/customers/{ids[name]}/scores"))
        predicted = scores["ltv"].get("predicted_12m")
        if predicted is not None:
            clv[name] = Decimal(str(predicted))
    return clv


async def test_the_acquisition_report_is_exact(
    seeded: tuple[World, httpx.AsyncClient, dict[str, str], str],
) -> None:
    world, client, ids, _ = seeded
    predicted = await _predicted_clv(client, world, ids)
    report = await _ok(await client.get("/v1/reports/acquisition", params=PERIOD))
    assert report["degraded"] == [] and report["currency"] == WORKSPACE_CURRENCY
    expected = world.acquisition(PERIOD_START, PERIOD_END, predicted)
    assert _rows(report["items"], expected) == expected
    per_channel = world.acquisition(PERIOD_START, PERIOD_END, predicted, per_channel=True)
    assert _rows(report["channels"], per_channel) == per_channel
    assert report["unconverted_spend"] == [{"currency": "USD", "amount": "250.00"}]
    # The referral channel's spend is the reward cost granted in the period: a reward per qualifying friend.
    assert expected[("referral", None)]["spend"] == money(world.reward_cost(PERIOD_START, PERIOD_END))
    assert world.reward_cost(PERIOD_START, PERIOD_END) > 0
    # The CSV says the same.
    csv_answer = await client.get("/v1/reports/acquisition", params=PERIOD, headers={"Accept": "text/csv"})
    assert csv_answer.status_code == 200 and csv_answer.headers["content-type"].startswith("text/csv")
    levels = Counter(row["level"] for row in csv.DictReader(io.StringIO(csv_answer.text)))
    assert (levels["item"], levels["channel"], levels["total"]) == (len(expected), len(per_channel), 1)
    spend_of = {(r["channel"], r["campaign"] or None): r["spend"] for r in csv.DictReader(io.StringIO(csv_answer.text))
                if r["level"] == "item"}  # fmt: skip
    assert spend_of == {key: row["spend"] for key, row in expected.items()}


def _rows(rows: list[dict[str, Any]], expected: dict[tuple[str, str | None], dict[str, object]]) -> dict[Any, Any]:
    names = next(iter(expected.values())).keys()
    return {(r["channel"], r["campaign"]): {k: r[k] for k in names} for r in rows}


async def test_the_retention_cohorts_are_exact(seeded: tuple[World, httpx.AsyncClient, dict[str, str], str]) -> None:
    world, client, _, _ = seeded
    since, until = dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2026, 6, 15, tzinfo=UTC)
    report = await _ok(
        await client.get(
            "/v1/reports/retention", params={"from": since.isoformat(), "to": until.isoformat(), "period": "month"}
        )
    )
    assert report["degraded"] == [] and report["granularity"] == "month"
    got = [{k: c[k] for k in ("cohort", "size", "retained", "revenue_per_member", "repurchase_rate")}
           for c in report["cohorts"]]  # fmt: skip
    # Scoring's clock is SCORING_NOW: June has not ended, so every cohort's last cell is null.
    assert got == world.retention_by_month(since, until, SCORING_NOW)
    assert all(c["retained"][-1] is None for c in got)


async def test_the_nps_is_exact_overall_by_month_by_channel_and_for_a_segment(
    seeded: tuple[World, httpx.AsyncClient, dict[str, str], str],
) -> None:
    world, client, ids, _ = seeded
    report = await _ok(await client.get("/v1/reports/nps", params={**PERIOD, "by": "channel"}))
    counts = ("score", "promoters", "passives", "detractors", "responses")
    assert {k: report[k] for k in counts} == world.nps(world.answers, PERIOD_START, PERIOD_END)
    assert report["by_month"] == world.nps_by_month(PERIOD_START, PERIOD_END)
    assert {g["key"]: {k: g[k] for k in counts} for g in report["by_channel"]} == world.nps_by_channel(
        PERIOD_START, PERIOD_END
    )
    members = set(world.repeat_buyers())
    segment = await _ok(await client.get("/v1/reports/nps", params={**PERIOD, "segment_id": ids["segment"]}))
    assert segment["segment_id"] == ids["segment"]
    expected = world.nps([a for a in world.answers if a.customer in members], PERIOD_START, PERIOD_END)
    assert {k: segment[k] for k in counts} == expected


async def test_the_segment_report_is_exact(seeded: tuple[World, httpx.AsyncClient, dict[str, str], str]) -> None:
    world, client, ids, _ = seeded
    members = world.repeat_buyers()
    report = await _ok(await client.get(f"/v1/reports/segments/{ids['segment']}", params=PERIOD))
    in_period = [p for p in world.purchases if p.customer in members and PERIOD_START <= p.at < PERIOD_END]
    revenue = sum((p.amount for p in in_period), Decimal(0))
    predicted = await _predicted_clv(client, world, ids)
    scored = [predicted[c] for c in members if c in predicted]
    risks: dict[str, int] = {}
    for name in members:
        risk = (await _ok(await client.get(f"/v1/customers/{ids[name]}/scores")))["churn"]["risk"]
        risks[risk] = risks.get(risk, 0) + 1
    repeaters = [c for c in members if len(world.purchase_days(c)) >= 2]
    assert (report["members"], report["revenue"], report["orders"]) == (len(members), money(revenue), len(in_period))
    assert report["average_order_value"] == money(revenue / len(in_period))
    assert report["avg_predicted_clv"] == money(sum(scored, Decimal(0)) / len(scored))
    assert report["churn_mix"] == risks
    assert (report["purchasers"], report["repeat_purchasers"]) == (len(members), len(repeaters))
    assert report["repurchase_rate"] == ratio(len(repeaters), len(members))
    answers = [a for a in world.answers if a.customer in set(members)]
    assert {k: report["nps"][k] for k in ("score", "promoters", "passives", "detractors", "responses")} == world.nps(
        answers, PERIOD_START, PERIOD_END
    )


async def test_the_kpi_tree_is_exact_and_measured_against_its_targets(
    seeded: tuple[World, httpx.AsyncClient, dict[str, str], str],
) -> None:
    world, client, ids, _ = seeded
    quarter = (dt.datetime(2026, 4, 1, tzinfo=UTC), dt.datetime(2026, 7, 1, tzinfo=UTC))
    previous = (dt.datetime(2026, 1, 1, tzinfo=UTC), quarter[0])
    predicted = await _predicted_clv(client, world, ids)
    expected, before = world.kpis(*quarter, predicted), world.kpis(*previous, predicted)
    revenue = Decimal(str(expected["revenue"]))
    targets = [
        {"metric": "revenue", "period": "2026-Q2", "target": float(revenue - 1)},  # met
        {"metric": "new_customers", "period": "2026-Q2", "target": int(str(expected["new_customers"])) + 5},  # not
        {"metric": "cac", "period": "2026-Q2", "target": 1.0},  # lower is better: behind
    ]
    await _ok(await client.put("/v1/kpi-targets", json={"targets": targets}))
    tree = await _ok(await client.get("/v1/reports/kpi-tree", params={"period": "2026-Q2"}))
    assert tree["degraded"] == [] and tree["target_period"] == "2026-Q2"
    nodes = {**tree["scale"], **tree["behaviour"], **tree["financial"]}
    assert {name: nodes[name]["value"] for name in expected} == expected
    snapshots = {name for name, node in nodes.items() if node["snapshot"]}
    assert {name: nodes[name]["previous"] for name in expected if name not in snapshots} == {
        name: value for name, value in before.items() if name not in snapshots
    }
    assert nodes["revenue"]["status"] == "on_track" and nodes["new_customers"]["status"] == "behind"
    assert nodes["cac"]["status"] == "behind" and nodes["nps"]["status"] == "no_target"
    assert nodes["revenue"]["progress"] == round(float(revenue / (revenue - 1)), 4)
