"""Scoring's figures for the growth reports on real PostgreSQL and a real broker: acquisition sources from profile's
lifecycle events (late, out of order, merged), reactivations, and the three internal report endpoints checked
figure by figure against numbers worked out by hand below."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Any

import asyncpg
import httpx
import orjson

from contracts.topics import PROFILE_LIFECYCLE, RESOLVED, SCORING_CHANGES
from runtime.service_tokens import TokenIssuer
from services.scoring.jobs import ScoringJobs
from services.scoring.service import ScoringContext
from tests.helpers import event, merged_event, publish, read_topic, wait_for
from tests.integration import growth_truth
from tests.integration.conftest import SCORING_NOW, RunningService, new_workspace


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)


def resolved(event_type: str, ws: str, customer_id: str, data: dict[str, Any], at: dt.datetime) -> dict[str, Any]:
    doc = event(event_type, ws, {"external_id": customer_id}, data, time=at)
    doc["customerid"] = customer_id
    return doc


def purchase(ws: str, customer_id: str, amount: str, at: dt.datetime, order_id: str | None = None) -> dict[str, Any]:
    data = {"order_id": order_id or f"o-{uuid.uuid4().hex[:10]}", "amount": amount, "currency": "EUR"}
    return resolved("purchase", ws, customer_id, data, at)


def visit(ws: str, customer_id: str, at: dt.datetime) -> dict[str, Any]:
    return resolved("visit", ws, customer_id, {"channel": "web"}, at)


def acquisition(
    ws: str,
    customer_id: str,
    source: str,
    decided_at: dt.datetime,
    campaign: str | None = None,
    program_id: str | None = None,
    touch_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """profile.acquisition_changed as profile publishes it (decided at `decided_at`)."""
    data = {"customer_id": customer_id, "source": source, "campaign": campaign, "program_id": program_id}
    data["at"] = touch_at.isoformat() if touch_at else None
    return {
        "specversion": "1.0",
        "id": f"profile.acquisition_changed:{customer_id}:{uuid.uuid4().hex}",
        "source": "flywheel.profile",
        "type": "profile.acquisition_changed",
        "time": decided_at.isoformat(),
        "workspace": ws,
        "data": {k: v for k, v in data.items() if v is not None},
    }


async def get(service: RunningService, ws: str, path: str, **params: str) -> httpx.Response:
    return await service.client.get(f"/internal/v1/workspaces/{ws}/{path}", params=params)


async def figures(
    service: RunningService, ws: str, path: str, since: dt.datetime, until: dt.datetime, **kw: str
) -> Any:
    response = await get(service, ws, path, **{"from": since.isoformat(), "to": until.isoformat(), **kw})
    assert response.status_code == 200, response.text
    return response.json()


async def scores_of(service: RunningService, ws: str, customer_id: str) -> dict[str, Any] | None:
    response = await service.client.get(f"/internal/v1/workspaces/{ws}/customers/{customer_id}/scores")
    return response.json() if response.status_code == 200 else None


async def orders_scored(service: RunningService, ws: str, expected: int) -> bool:
    distribution = (await service.client.get(f"/internal/v1/workspaces/{ws}/distribution")).json()
    return bool(distribution["orders"] == expected)


async def acquisitions(service: RunningService, ws: str) -> dict[str, tuple[str | None, str | None]]:
    conn = await asyncpg.connect(service.settings.database_url)
    try:
        rows = await conn.fetch(
            "SELECT customer_id, acquisition_source, acquisition_campaign FROM customers WHERE workspace = $1", ws
        )
    finally:
        await conn.close()
    return {r["customer_id"]: (r["acquisition_source"], r["acquisition_campaign"]) for r in rows}


def jobs_of(service: RunningService) -> ScoringJobs:
    assert service.app is not None
    context: ScoringContext = service.app.state.context
    return ScoringJobs(context)


def predicted(scores: dict[str, dict[str, Any]], *customers: str) -> Decimal:
    return sum((Decimal(scores[c]["ltv"]["predicted_12m"]) for c in customers), Decimal(0))


# The story (scoring's clock: SCORING_NOW, 2026-06-01 12:00 UTC, a Monday).
PURCHASES = [
    ("a", "50.00", utc(2026, 1, 10, 9)),
    ("a", "30.00", utc(2026, 1, 20, 9)),
    ("a", "20.00", utc(2026, 3, 5, 9)),
    ("b", "100.00", utc(2026, 1, 15, 9)),
    ("b", "10.00", utc(2026, 2, 2, 9)),
    ("c", "40.00", utc(2026, 1, 31, 23)),
    ("d", "60.00", utc(2026, 2, 10, 9)),
    ("d", "15.00", utc(2026, 5, 20, 9)),
    ("d2", "20.01", utc(2026, 2, 11, 9)),
    ("e", "25.00", utc(2026, 6, 1, 10)),  # a June cohort: its only cell has not ended
    ("f", "5.00", utc(2025, 12, 20, 9)),  # first purchase before every period asked for
    ("f", "5.00", utc(2026, 1, 5, 9)),
    ("g", "10.00", utc(2026, 5, 5, 9)),
    ("g", "10.00", utc(2026, 5, 12, 9)),
    ("g", "5.00", utc(2026, 5, 27, 9)),
    ("h", "7.50", utc(2026, 5, 13, 9)),
    ("r", "30.00", utc(2025, 12, 1, 9)),  # dormant by the sweep, back on 2026-05-15
]
VISITS = [
    ("v1", utc(2026, 5, 3, 8)),
    ("v1", utc(2026, 5, 3, 9)),
    ("v1", utc(2026, 5, 10, 9)),
    ("v2", utc(2026, 5, 31, 23, 59)),
    ("v3", utc(2026, 4, 30, 23, 59)),  # before the period
    ("v4", utc(2026, 6, 1, 0, 0)),  # the period's end: not in it
]


async def plant(scoring: RunningService, topics: str, ws: str) -> None:
    # g's source arrives before any of its events: the row is created for it, and its purchases fold into it.
    await publish(topics, PROFILE_LIFECYCLE, [acquisition(ws, "g", "newsletter", utc(2026, 5, 5, 9))])
    await wait_for(lambda: _has_row(scoring, ws, "g"), what="g's row made by its acquisition source")
    await publish(topics, RESOLVED, [purchase(ws, c, amount, at) for c, amount, at in PURCHASES])
    await publish(topics, RESOLVED, [visit(ws, c, at) for c, at in VISITS])
    await wait_for(lambda: orders_scored(scoring, ws, len(PURCHASES)), what="every purchase scored")
    await publish(
        topics,
        PROFILE_LIFECYCLE,
        [
            acquisition(ws, "a", "newsletter", utc(2026, 1, 10, 9), campaign="spring", touch_at=utc(2026, 1, 9)),
            # b: a referral decided later, then an older decision delivered late: the referral stays.
            acquisition(ws, "b", "referral", utc(2026, 2, 1), program_id="p-friends", touch_at=utc(2026, 1, 14)),
            acquisition(ws, "b", "ads", utc(2026, 1, 15, 9), touch_at=utc(2026, 1, 15, 9)),
            acquisition(ws, "d", "ads", utc(2026, 2, 10, 9)),
        ],
    )
    await wait_for(lambda: _sources_are(scoring, ws, {"b": ("referral", None), "d": ("ads", None)}), what="sources")


async def _has_row(scoring: RunningService, ws: str, customer_id: str) -> bool:
    return customer_id in await acquisitions(scoring, ws)


async def _sources_are(scoring: RunningService, ws: str, expected: dict[str, tuple[str | None, str | None]]) -> bool:
    found = await acquisitions(scoring, ws)
    return all(found.get(c) == v for c, v in expected.items())


async def test_report_figures_are_exact(scoring: RunningService, topics: str) -> None:
    ws, other = new_workspace(), new_workspace()
    # Another workspace's customers, sources and visits in the same periods: none of it shows in ws's figures.
    await publish(
        topics,
        RESOLVED,
        [purchase(other, "a", "999.00", utc(2026, 1, 10, 9)), visit(other, "a", utc(2026, 5, 3, 8))],
    )
    await publish(topics, PROFILE_LIFECYCLE, [acquisition(other, "a", "hostile", utc(2026, 1, 10, 9))])
    await plant(scoring, topics, ws)
    await wait_for(lambda: orders_scored(scoring, other, 1), what="the other workspace scored")

    # r becomes dormant (last purchase 182 days ago), then buys again on 2026-05-15: one reactivation.
    await jobs_of(scoring).sweep()
    await publish(topics, RESOLVED, [purchase(ws, "r", "12.00", utc(2026, 5, 15, 9))])
    await read_topic(
        topics,
        SCORING_CHANGES,
        expect=1,
        match=lambda rec: (
            orjson.loads(rec.value)["workspace"] == ws and orjson.loads(rec.value)["type"] == "customer.reactivated"
        ),
    )
    await wait_for(lambda: orders_scored(scoring, ws, len(PURCHASES) + 1), what="r's purchase scored")
    scores = {}
    for customer in ("a", "b", "c", "d", "d2", "g", "h"):
        found = await scores_of(scoring, ws, customer)
        assert found is not None
        scores[customer] = found

    # --- predicted CLV of the new customers of [2026-01-01, 2026-06-01), by source --------------------------
    report = await figures(scoring, ws, "predicted-clv", utc(2026, 1, 1), utc(2026, 6, 1))
    assert report["from"].startswith("2026-01-01") and report["to"].startswith("2026-06-01")
    groups: dict[tuple[str, str | None], list[str]] = {("ads", None): ["d"], ("direct", None): ["c", "d2", "h"]}
    groups |= {("newsletter", None): ["g"]}
    groups |= {("newsletter", "spring"): ["a"], ("referral", None): ["b"]}
    assert [(i["source"], i["campaign"]) for i in report["items"]] == list(groups)
    for item, customers in zip(report["items"], groups.values(), strict=True):
        assert item["new_customers"] == len(customers) == item["predicted"]
        assert Decimal(item["predicted_clv_total"]) == predicted(scores, *customers)

    # --- the KPI tree's figures for May 2026 ----------------------------------------------------------------
    kpis = await figures(scoring, ws, "kpis", utc(2026, 5, 1), utc(2026, 6, 1))
    # Base: a purchase day in [2026-01-31, 2026-05-01): c (Jan 31), b, d, d2, a. Retained: one in
    # [2026-03-03, 2026-06-01): a (Mar 5), d (May 20); g, h and r bought then but were not in the base.
    assert (kpis["retention_base"], kpis["retained_90d"], kpis["retention_90d"]) == (5, 2, 0.4)
    assert (kpis["visitors"], kpis["visits"], kpis["visit_frequency"]) == (2, 4, 2.0)
    assert kpis["reactivated"] == 1
    assert (kpis["new_customers"], kpis["new_customers_predicted"]) == (2, 2)
    assert Decimal(kpis["new_customers_predicted_clv_total"]) == predicted(scores, "g", "h")
    march = await figures(scoring, ws, "kpis", utc(2026, 3, 1), utc(2026, 4, 1))
    assert (march["reactivated"], march["visitors"], march["visit_frequency"], march["new_customers"]) == (
        0,
        0,
        None,
        0,
    )

    # --- monthly cohorts of [2026-01-01, 2026-07-01): June is the period holding `to`, not ended by now -------
    months = await figures(scoring, ws, "retention", utc(2026, 1, 1), utc(2026, 7, 1), period="month")
    assert months["period"] == "month"
    assert [(c["cohort"], c["start"][:10], c["size"]) for c in months["cohorts"]] == [
        ("2026-01", "2026-01-01", 3),  # a, b, c
        ("2026-02", "2026-02-01", 2),  # d, d2
        ("2026-05", "2026-05-01", 2),  # g, h
        ("2026-06", "2026-06-01", 1),  # e
    ]
    jan, feb, may, jun = months["cohorts"]
    third, two_thirds = 0.3333, 0.6667
    assert jan["retained"] == [1.0, third, third, 0.0, 0.0, None]
    # Jan: 50 + 30 + 100 + 40 = 220 / 3; Feb: b's 10; Mar: a's 20.
    assert jan["revenue_per_member"] == ["73.33", "3.33", "6.67", "0.00", "0.00", None]
    # a's second purchase day is in January, b's in February.
    assert jan["repurchase_rate"] == [third, two_thirds, two_thirds, two_thirds, two_thirds, None]
    assert feb["retained"] == [1.0, 0.0, 0.0, 0.5, None]
    assert feb["revenue_per_member"] == ["40.01", "0.00", "0.00", "7.50", None]  # 80.01 / 2 = 40.005: half up
    assert feb["repurchase_rate"] == [0.0, 0.0, 0.0, 0.5, None]
    # May: g's 10 + 10 + 5 and h's 7.50 = 32.50 / 2; g's second purchase day is in May.
    assert (may["retained"], may["revenue_per_member"], may["repurchase_rate"]) == (
        [1.0, None],
        ["16.25", None],
        [0.5, None],
    )
    assert (jun["retained"], jun["revenue_per_member"], jun["repurchase_rate"]) == ([None], [None], [None])

    # --- weekly cohorts of [2026-05-04, 2026-06-01): `to` on a Monday opens no fifth week -----------------------
    weeks = await figures(scoring, ws, "retention", utc(2026, 5, 4), utc(2026, 6, 1), period="week")
    assert [(c["cohort"], c["start"][:10], c["size"]) for c in weeks["cohorts"]] == [
        ("2026-W19", "2026-05-04", 1),  # g
        ("2026-W20", "2026-05-11", 1),  # h
    ]
    w19, w20 = weeks["cohorts"]
    assert (w19["retained"], w19["revenue_per_member"], w19["repurchase_rate"]) == (
        [1.0, 1.0, 0.0, 1.0],
        ["10.00", "10.00", "0.00", "5.00"],
        [0.0, 1.0, 1.0, 1.0],
    )
    assert (w20["retained"], w20["revenue_per_member"], w20["repurchase_rate"]) == (
        [1.0, 0.0, 0.0],
        ["7.50", "0.00", "0.00"],
        [0.0, 0.0, 0.0],
    )

    # --- hostile tenant: the other workspace's figures are its own, and its token reads none of ws's -----------
    theirs = await figures(scoring, other, "predicted-clv", utc(2026, 1, 1), utc(2026, 6, 1))
    assert [(i["source"], i["new_customers"]) for i in theirs["items"]] == [("hostile", 1)]
    other_token = TokenIssuer.for_settings(scoring.settings, "tests").authorization(other, frozenset({"admin"}))
    transport = httpx.ASGITransport(app=scoring.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://scoring") as stranger:
        for path in ("predicted-clv", "kpis", "retention"):
            refused = await stranger.get(
                f"/internal/v1/workspaces/{ws}/{path}",
                params={"from": "2026-01-01T00:00:00Z", "to": "2026-06-01T00:00:00Z"},
                headers={"Authorization": other_token},
            )
            assert refused.status_code == 403, (path, refused.text)
            assert "newsletter" not in refused.text and "cohorts" not in refused.text
    empty = await figures(scoring, new_workspace(), "retention", utc(2026, 1, 1), utc(2026, 6, 1))
    assert empty["cohorts"] == []


async def test_a_merge_keeps_the_survivors_source_and_late_news_of_the_merged_id_is_dropped(
    scoring: RunningService, topics: str
) -> None:
    ws = new_workspace()
    await publish(
        topics,
        RESOLVED,
        [purchase(ws, "s", "10.00", utc(2026, 4, 1, 9)), purchase(ws, "m", "20.00", utc(2026, 3, 1, 9))],
    )
    await wait_for(lambda: orders_scored(scoring, ws, 2), what="both scored")
    await publish(
        topics,
        PROFILE_LIFECYCLE,
        [
            acquisition(ws, "s", "newsletter", utc(2026, 4, 1, 9), campaign="april"),
            acquisition(ws, "m", "ads", utc(2026, 3, 1, 9)),
        ],
    )
    await wait_for(lambda: _sources_are(scoring, ws, {"s": ("newsletter", "april"), "m": ("ads", None)}), what="both")
    merged = merged_event(ws, "s", "m", SCORING_NOW)
    # Profile announces the survivor's source again after the merge, and a replay of m's old one comes late.
    await publish(
        topics,
        PROFILE_LIFECYCLE,
        [
            merged,
            acquisition(ws, "s", "newsletter", SCORING_NOW, campaign="april"),
            acquisition(ws, "m", "ads", utc(2026, 3, 1, 9)),
            acquisition(ws, "z", "sentinel", SCORING_NOW),  # same partition, after them: all of them were handled
        ],
    )
    await wait_for(lambda: _has_row(scoring, ws, "z"), what="the lifecycle events handled")
    assert await acquisitions(scoring, ws) == {"s": ("newsletter", "april"), "z": ("sentinel", None)}
    report = await figures(scoring, ws, "predicted-clv", utc(2026, 1, 1), utc(2026, 6, 1))
    assert [(i["source"], i["campaign"], i["new_customers"]) for i in report["items"]] == [("newsletter", "april", 1)]
    months = await figures(scoring, ws, "retention", utc(2026, 3, 1), utc(2026, 5, 1), period="month")
    # s's first purchase is m's (March) now; its April purchase is the second day.
    assert [(c["cohort"], c["size"], c["repurchase_rate"]) for c in months["cohorts"]] == [("2026-03", 1, [0.0, 1.0])]


async def test_a_reactivation_is_recorded_once_and_merges_and_erasures_take_it_along(
    scoring: RunningService, topics: str
) -> None:
    ws = new_workspace()
    await publish(topics, RESOLVED, [purchase(ws, "x", "10.00", utc(2025, 11, 1, 9))])
    await wait_for(lambda: orders_scored(scoring, ws, 1), what="x scored")
    await jobs_of(scoring).sweep()
    back = purchase(ws, "x", "10.00", utc(2026, 5, 20, 9))
    await publish(topics, RESOLVED, [back, back])  # a redelivery is the same purchase
    await wait_for(lambda: orders_scored(scoring, ws, 2), what="x back")
    may = (utc(2026, 5, 1), utc(2026, 6, 1))
    kpis = await wait_for(lambda: _reactivated(scoring, ws, *may), what="the reactivation")
    assert kpis["reactivated"] == 1
    merged = merged_event(ws, "y", "x", SCORING_NOW)
    await publish(topics, PROFILE_LIFECYCLE, [merged])
    await wait_for(lambda: _reactivations_of(scoring, ws, "y"), what="the reactivation moved to the survivor")
    assert (await figures(scoring, ws, "kpis", *may))["reactivated"] == 1
    erased = {**merged, "id": f"profile.erased:y-{ws}", "type": "profile.erased"}
    erased["data"] = {"customer_id": "y", "erased_ids": ["y", "x"]}
    await publish(topics, PROFILE_LIFECYCLE, [erased])
    await wait_for(lambda: _no_reactivations(scoring, ws), what="the erasure")
    assert (await figures(scoring, ws, "kpis", *may))["reactivated"] == 0


async def _reactivated(scoring: RunningService, ws: str, since: dt.datetime, until: dt.datetime) -> Any:
    kpis = await figures(scoring, ws, "kpis", since, until)
    return kpis if kpis["reactivated"] else None


async def _reactivation_rows(scoring: RunningService, ws: str) -> list[str]:
    conn = await asyncpg.connect(scoring.settings.database_url)
    try:
        rows = await conn.fetch("SELECT customer_id FROM reactivations WHERE workspace = $1", ws)
    finally:
        await conn.close()
    return [r["customer_id"] for r in rows]


async def _reactivations_of(scoring: RunningService, ws: str, customer_id: str) -> bool:
    return await _reactivation_rows(scoring, ws) == [customer_id]


async def _no_reactivations(scoring: RunningService, ws: str) -> bool:
    return await _reactivation_rows(scoring, ws) == []


async def test_a_bad_period_is_a_problem(scoring: RunningService) -> None:
    ws = new_workspace()
    for path in ("predicted-clv", "kpis", "retention"):
        backwards = await get(scoring, ws, path, **{"from": "2026-03-02T00:00:00Z", "to": "2026-03-01T00:00:00Z"})
        assert backwards.status_code == 422, backwards.text
        assert backwards.headers["content-type"].startswith("application/problem+json")
        missing = await get(scoring, ws, path, **{"from": "2026-03-01T00:00:00Z"})
        assert missing.status_code == 422
    too_long = await get(
        scoring, ws, "retention", **{"from": "2018-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z", "period": "week"}
    )
    assert too_long.status_code == 422 and too_long.headers["content-type"].startswith("application/problem+json")
    assert "at most 400" in too_long.json()["detail"]
    months = await get(
        scoring, ws, "retention", **{"from": "2018-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z", "period": "month"}
    )
    assert months.status_code == 200, months.text
    daily = await get(
        scoring, ws, "retention", **{"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z", "period": "day"}
    )
    assert daily.status_code == 422 and daily.headers["content-type"].startswith("application/problem+json")


async def test_the_known_truth_worlds_cohorts_and_new_customers(scoring: RunningService, topics: str) -> None:
    """The acceptance test's generated world (tests/integration/growth_truth.py): its purchases as scoring receives
    them give the monthly cohorts its plain-Python computation gives (June: not ended, null), and the predicted-CLV
    report counts its new customers by the source profile would announce for each."""
    world = growth_truth.generate()
    ws = new_workspace()
    await publish(
        topics, RESOLVED, [purchase(ws, p.customer, str(p.amount), p.at, p.order_id) for p in world.purchases]
    )
    sources = {c: world.source(c) for c in world.customers}
    await publish(
        topics,
        PROFILE_LIFECYCLE,
        [
            acquisition(ws, c, source, SCORING_NOW, campaign=campaign)
            for c, (source, campaign) in sources.items()
            if source != "direct"  # profile announces none for a customer who is `direct`
        ],
    )
    await wait_for(lambda: orders_scored(scoring, ws, len(world.purchases)), what="the world's purchases")
    announced = sum(1 for source, _ in sources.values() if source != "direct")
    await wait_for(lambda: _sources_counted(scoring, ws, announced), what="the sources announced")
    since, until = growth_truth.START, dt.datetime(2026, 6, 2, tzinfo=dt.UTC)
    months = await figures(scoring, ws, "retention", since, until, period="month")
    expected = world.retention_by_month(since, until, SCORING_NOW)
    last_cells = [c["retained"][-1] for c in expected]  # type: ignore[index]
    assert len(expected) >= 4 and last_cells == [None] * len(expected)
    assert [{k: c[k] for k in expected[0]} for c in months["cohorts"]] == expected

    counts: dict[tuple[str, str | None], int] = defaultdict(int)
    for customer in world.new_customers(since, until):
        counts[sources[customer]] += 1
    report = await figures(scoring, ws, "predicted-clv", since, until)
    assert {(i["source"], i["campaign"]): i["new_customers"] for i in report["items"]} == dict(counts)


async def _sources_counted(scoring: RunningService, ws: str, expected: int) -> bool:
    return sum(1 for source, _ in (await acquisitions(scoring, ws)).values() if source) == expected
