"""80% intervals of 12-month purchases and CLV, and the repurchase forecast, on real PostgreSQL and a real broker:
a refit keeps the fit's covariance, every purchaser is scored with ordered bounds, segments select on `ltv.p90`,
and `repurchase-forecast` sums the workspace's customers (and no other workspace's) month by month."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import asyncpg
import numpy as np

from contracts.topics import RESOLVED
from services.scoring.domain import bgnbd, gamma_gamma, intervals, simulate
from services.scoring.domain.gamma_gamma import GammaGammaParams
from services.scoring.service import month_windows
from tests.helpers import event, publish, wait_for
from tests.integration.conftest import SCORING_NOW, RunningService, new_workspace
from tests.integration.test_scoring_report_figures import jobs_of, orders_scored, scores_of


def purchase(ws: str, customer_id: str, amount: str, at: dt.datetime) -> dict[str, Any]:
    data = {"order_id": f"o-{uuid.uuid4().hex[:12]}", "amount": amount, "currency": "EUR"}
    doc = event("purchase", ws, {"external_id": customer_id}, data, time=at)
    doc["customerid"] = customer_id
    return doc


def story(ws: str, customers: int, seed: int) -> list[dict[str, Any]]:
    """Purchases of `customers` customers acquired over the two years before SCORING_NOW, drawn from known BG/NBD
    and Gamma-Gamma parameters (simulate.py): one purchase per day, amounts of each customer's own mean spend."""
    rng = np.random.default_rng(seed)
    ages = rng.integers(1, 730, customers).astype(float)
    drawn = simulate.simulate(bgnbd.BgNbdParams(0.8, 40.0, 0.6, 3.0), ages, rng, GammaGammaParams(6.0, 3.8, 15.0))
    events = []
    for c in range(customers):
        first = SCORING_NOW - dt.timedelta(days=int(ages[c]), hours=2)
        x, last = int(drawn.x[c]), int(drawn.t_x[c])
        days = sorted({0, last, *(int(d) for d in rng.integers(1, max(last, 2), max(x - 1, 0)))}) if x else [0]
        mean = max(drawn.monetary[c], 5.0) if x else 30.0
        for day in days:
            events.append(
                purchase(ws, f"c{c}", f"{max(rng.gamma(6.0, mean / 6.0), 1.0):.2f}", first + dt.timedelta(days=day))
            )
    return events


async def rows(service: RunningService, sql: str, *args: Any) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(service.settings.database_url)
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


async def test_intervals_are_stored_served_and_segmentable(scoring: RunningService, topics: str) -> None:
    ws, other = new_workspace(), new_workspace()
    planted = story(ws, 150, seed=1)
    hostile = [purchase(other, "c0", "99999.00", SCORING_NOW - dt.timedelta(days=40))]
    await publish(topics, RESOLVED, [*planted, *hostile])
    await wait_for(lambda: orders_scored(scoring, ws, len(planted)), what="every purchase scored")
    await wait_for(lambda: orders_scored(scoring, other, 1), what="the other workspace scored")

    report = await jobs_of(scoring).refit(ws)
    assert report.converged, report.note
    distribution = (await scoring.client.get(f"/internal/v1/workspaces/{ws}/distribution")).json()
    covariance = np.array(distribution["model"]["bgnbd"]["log_covariance"])
    assert covariance.shape == (4, 4) and np.all(np.linalg.eigvalsh(covariance) > 0)

    for customer in ("c0", "c1", "c2"):
        ltv = (await scores_of(scoring, ws, customer) or {})["ltv"]
        # (a customer who is no purchase at all with more than 90% chance has p90 0 below a positive expectation)
        assert Decimal(ltv["p10"]) <= min(Decimal(ltv["predicted_12m"]), Decimal(ltv["p90"])), ltv
        assert 0 <= ltv["expected_purchases_12m_p10"] <= ltv["expected_purchases_12m_p90"], ltv
        assert ltv["expected_purchases_12m"] > ltv["expected_purchases_90d"] > 0

    # The same numbers as the domain computes from the stored model and the customers' inputs (no drift between
    # the event path, the refit and the API).
    stored = await rows(
        scoring,
        """SELECT customer_id, purchase_days, repeat_revenue, clv_p10, clv_p90, predicted_clv,
                  expected_purchases_12m_p10, expected_purchases_12m_p90,
                  (last_purchase_at::date - first_purchase_at::date) AS t_x,
                  ($2::date - first_purchase_at::date) AS t_cal
             FROM customers WHERE workspace = $1 ORDER BY customer_id""",
        ws,
        SCORING_NOW.date(),
    )
    assert all(r["clv_p90"] is not None for r in stored)
    model = distribution["model"]
    params = bgnbd.BgNbdParams.from_dict(model["bgnbd"])
    spend = gamma_gamma.GammaGammaParams.from_dict(model["gamma_gamma"])
    x = np.array([r["purchase_days"] - 1 for r in stored], dtype=float)
    t_x = np.array([r["t_x"] for r in stored], dtype=float)
    t_cal = np.array([r["t_cal"] for r in stored], dtype=float)
    monetary = np.divide(np.array([float(r["repeat_revenue"]) for r in stored]), x, out=np.zeros_like(x), where=x > 0)
    draws = intervals.parameter_draws(params, covariance)
    found = intervals.purchase_distribution(draws, 365.25, x, t_x, t_cal)
    assert np.allclose(found.p90, [r["expected_purchases_12m_p90"] for r in stored], rtol=1e-9)
    assert np.allclose(found.p10, [r["expected_purchases_12m_p10"] for r in stored], rtol=1e-9)
    del spend, monetary

    # Segments select on the bounds; the other workspace's big spender is in no segment of ws.
    threshold = sorted(float(r["clv_p90"]) for r in stored)[len(stored) // 2]
    saved = await scoring.client.post(
        f"/internal/v1/workspaces/{ws}/segments",
        json={"name": "upside", "condition": {"field": "ltv.p90", "op": "gt", "value": threshold}},
    )
    assert saved.status_code == 201, saved.text
    assert saved.json()["members"] == sum(1 for r in stored if float(r["clv_p90"]) > threshold)
    fields = (await scoring.client.get(f"/internal/v1/workspaces/{ws}/segment-fields")).json()
    assert {"ltv.p10", "ltv.p90", "ltv.expected_purchases_12m_p90"} <= {f["field"] for f in fields}


async def test_the_repurchase_forecast(scoring: RunningService, topics: str) -> None:
    ws, other = new_workspace(), new_workspace()
    planted = story(ws, 150, seed=2)
    await publish(topics, RESOLVED, [*planted, purchase(other, "x", "99999.00", SCORING_NOW - dt.timedelta(days=9))])
    await wait_for(lambda: orders_scored(scoring, ws, len(planted)), what="every purchase scored")
    await wait_for(lambda: orders_scored(scoring, other, 1), what="the other workspace scored")
    assert (await jobs_of(scoring).refit(ws)).converged

    path = f"/internal/v1/workspaces/{ws}/repurchase-forecast"
    answer = await scoring.client.get(path, params={"from": "2026-04", "months": "6", "currency": "EUR"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["currency"] == "EUR" and body["customers"] == 150 and body["as_of"] == "2026-06-01"
    months = body["months"]
    assert [m["month"] for m in months] == ["2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09"]
    assert all(m["expected_purchases"] == 0 and Decimal(m["expected_revenue"]) == 0 for m in months[:2])  # past
    for m in months[2:]:
        assert m["expected_purchases"] > 0
        assert Decimal(m["revenue_p10"]) < Decimal(m["expected_revenue"]) < Decimal(m["revenue_p90"]), m
    assert months[2]["expected_purchases"] > months[5]["expected_purchases"]  # customers drift away

    # The months add up to the customers' expected purchases from now to the end of the last month.
    windows = month_windows(dt.date(2026, 4, 1), 6, SCORING_NOW.date())
    assert windows[2] == ("2026-06", 0.0, 30.0)
    stored = await rows(
        scoring,
        """SELECT purchase_days, (last_purchase_at::date - first_purchase_at::date) AS t_x,
                  ($2::date - first_purchase_at::date) AS t_cal FROM customers WHERE workspace = $1""",
        ws,
        SCORING_NOW.date(),
    )
    model = (await scoring.client.get(f"/internal/v1/workspaces/{ws}/distribution")).json()["model"]
    params = bgnbd.BgNbdParams.from_dict(model["bgnbd"])
    x = np.array([r["purchase_days"] - 1 for r in stored], dtype=float)
    total = bgnbd.expected_purchases(
        params, windows[-1][2], x, np.array([r["t_x"] for r in stored], float), [r["t_cal"] for r in stored]
    ).sum()
    assert abs(sum(m["expected_purchases"] for m in months) - total) < 1e-3

    # Another workspace sees only its own customer; bad parameters are problems, not 500s.
    mine = await scoring.client.get(f"/internal/v1/workspaces/{other}/repurchase-forecast", params={"from": "2026-06"})
    assert mine.status_code == 200 and mine.json()["customers"] == 1 and len(mine.json()["months"]) == 12
    assert mine.json()["currency"] is None
    empty = await scoring.client.get(
        f"/internal/v1/workspaces/{new_workspace()}/repurchase-forecast", params={"from": "2026-06"}
    )
    assert empty.status_code == 200 and empty.json()["customers"] == 0
    for params_ in ({"from": "2026-13"}, {"from": "2026-06", "months": "25"}, {"from": "2026-06", "months": "0"},
                    {}, {"from": "2026-06", "currency": "euro"}, {"from": "1969-12"}):  # fmt: skip
        bad = await scoring.client.get(path, params=params_)
        assert bad.status_code == 422, (params_, bad.text)
        assert bad.headers["content-type"].startswith("application/problem+json")
