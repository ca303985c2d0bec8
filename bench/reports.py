"""The growth reports over a big workspace: 1,000,000 customers and about 5,000,000 events (purchases, visits,
survey answers), seeded with COPY into profile's, scoring's and referral's own tables as their handlers would have
written them, then each public report asked through the gateway in front of those three services (all
in-process on the bench's PostgreSQL; journey and sales are not asked by these reports). Measured, never asserted:
each report's latency beside the raw limit of the same machine, one sequential scan of the workspace's orders.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import asyncpg
import httpx
import numpy as np
from fastapi import FastAPI

from bench.report import TARGET_REPORT_S, Measurement, latency_summary
from runtime.service_tokens import ServiceTokenAuth
from services.gateway import store
from services.gateway.settings import GatewayServiceSettings
from services.gateway.wiring import create_app as create_gateway
from services.profile.settings import ProfileServiceSettings
from services.profile.wiring import create_app as create_profile
from services.referral.settings import ReferralServiceSettings
from services.referral.wiring import create_app as create_referral
from services.scoring.settings import ScoringServiceSettings
from services.scoring.wiring import create_app as create_scoring

WORKSPACE = "bench-reports"
SOURCES = np.array(["newsletter", "ads", "store", "web", "direct", "referral"])
CAMPAIGNS = np.array(["", "spring", "summer", "brand"])
DAYS = 730  # the history the workspace has
CALLS = 5  # timed calls per report, after one warm-up
# The gateway reaches the in-process services through transports; the URLs only name them.
SERVICES = ("profile", "scoring", "journey", "referral", "sales")
SERVICE_URLS: dict[str, Any] = {f"{s}_url": f"http://{s}" for s in SERVICES}


@dataclass(frozen=True)
class Workspace:
    """The generated workspace as arrays: per customer, and per purchase, visit and answer."""

    now: dt.datetime
    first_day: np.ndarray  # days ago of each customer's first purchase
    source: np.ndarray  # index into SOURCES
    campaign: np.ndarray  # index into CAMPAIGNS
    order_customer: np.ndarray
    order_days_ago: np.ndarray
    order_amount: np.ndarray  # cents
    visit_customer: np.ndarray
    visit_days_ago: np.ndarray
    answer_customer: np.ndarray
    answer_days_ago: np.ndarray
    answer_nps: np.ndarray

    @property
    def events(self) -> int:
        return len(self.order_customer) + len(self.visit_customer) + len(self.answer_customer)


def generate(customers: int, seed: int = 18) -> Workspace:
    """About 3 purchases, 1.5 visits and 0.5 answers per customer: 5 events each on average."""
    rng = np.random.default_rng(seed)
    first_day = rng.integers(1, DAYS, customers)
    orders = 1 + rng.poisson(2.0, customers)
    order_customer = np.repeat(np.arange(customers), orders)
    # Later purchases: days after the first, never after today; same-day repeats merge into one purchase day.
    offsets = np.concatenate([np.zeros(1, dtype=np.int64), rng.integers(1, 200, len(order_customer) - 1)])
    starts = np.cumsum(np.concatenate([[0], orders[:-1]]))
    offsets[starts] = 0
    order_days_ago = np.maximum(first_day[order_customer] - offsets, 0)
    visits = rng.poisson(1.5, customers)
    visit_customer = np.repeat(np.arange(customers), visits)
    answers = rng.binomial(1, 0.5, customers)
    answer_customer = np.repeat(np.arange(customers), answers)
    return Workspace(
        now=dt.datetime.now(dt.UTC).replace(microsecond=0),
        first_day=first_day,
        source=rng.choice(len(SOURCES), customers, p=[0.2, 0.2, 0.1, 0.1, 0.3, 0.1]),
        campaign=rng.integers(0, len(CAMPAIGNS), customers),
        order_customer=order_customer,
        order_days_ago=order_days_ago,
        order_amount=rng.integers(500, 20_000, len(order_customer)),
        visit_customer=visit_customer,
        visit_days_ago=rng.integers(0, DAYS, len(visit_customer)),
        answer_customer=answer_customer,
        answer_days_ago=rng.integers(0, DAYS, len(answer_customer)),
        answer_nps=rng.integers(0, 11, len(answer_customer)),
    )


def _at(now: dt.datetime, days_ago: int, second: int = 0) -> dt.datetime:
    """`days_ago` days before `now`, `second` seconds earlier but on the same UTC day as the purchase days generated
    for it (`(now - days_ago).date()`): early in a UTC day, a full day's seconds moved a first purchase to the day
    before, out of its cohort's period 0."""
    into_day = now.hour * 3600 + now.minute * 60 + now.second
    return now - dt.timedelta(days=int(days_ago), seconds=second % (into_day + 1))


async def seed_profile(conn: asyncpg.Connection, w: Workspace) -> None:
    customers = len(w.first_day)
    # Each customer's second order (the second largest days-ago): its orders by customer, earliest first.
    by_time = np.lexsort((-w.order_days_ago, w.order_customer))
    counts = np.bincount(w.order_customer, minlength=customers)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    second_day = np.where(counts >= 2, w.order_days_ago[by_time][np.minimum(starts + 1, len(by_time) - 1)], -1)
    revenue = np.bincount(w.order_customer, weights=w.order_amount, minlength=customers)
    last_day = np.full(customers, DAYS + 1)
    np.minimum.at(last_day, w.order_customer, w.order_days_ago)
    visits = np.bincount(w.visit_customer, minlength=customers)
    records = []
    for i in range(customers):
        source = str(SOURCES[w.source[i]])
        utm = source in ("newsletter", "ads")
        first_at = _at(w.now, w.first_day[i], i % 86_400)
        records.append(
            (
                WORKSPACE, f"c{i}", first_at - dt.timedelta(hours=1), int(counts[i]), Decimal(int(revenue[i])) / 100,
                first_at, _at(w.now, second_day[i], i % 86_400) if second_day[i] >= 0 else None,
                _at(w.now, last_day[i]), int(visits[i]), first_at - dt.timedelta(hours=1) if utm else None,
                source if utm else None,
                (str(CAMPAIGNS[w.campaign[i]]) or None) if utm else None,
                source if source in ("store", "web") else None,
                "p-bench" if source == "referral" else None, first_at if source == "referral" else None,
            )
        )  # fmt: skip
    columns = [
        "workspace", "customer_id", "first_seen_at", "orders", "revenue", "first_purchase_at", "second_purchase_at",
        "last_purchase_at", "visits", "first_utm_at", "first_utm_source", "first_utm_campaign",
        "first_purchase_channel", "referral_program_id", "referral_at",
    ]  # fmt: skip
    await conn.copy_records_to_table("customers", records=records, columns=columns)
    orders = [
        (WORKSPACE, f"o{n}", f"c{c}", f"e{n}", Decimal(int(a)) / 100, _at(w.now, d, int(c) % 86_400))
        for n, (c, d, a) in enumerate(zip(w.order_customer, w.order_days_ago, w.order_amount, strict=True))
    ]
    columns = ["workspace", "order_id", "customer_id", "event_id", "amount", "occurred_at"]
    await conn.copy_records_to_table("orders", records=orders, columns=columns)
    answers = [
        (WORKSPACE, f"s{n}", f"c{c}", _at(w.now, d, n % 86_400), "survey", int(s))
        for n, (c, d, s) in enumerate(zip(w.answer_customer, w.answer_days_ago, w.answer_nps, strict=True))
    ]
    columns = ["workspace", "event_id", "customer_id", "answered_at", "source", "nps"]
    await conn.copy_records_to_table("survey_answers", records=answers, columns=columns)
    spend = [
        (WORKSPACE, (w.now - dt.timedelta(days=d)).date(), str(s), c, Decimal(100 + d % 50))
        for d in range(DAYS) for s in SOURCES[:2] for c in CAMPAIGNS
    ]  # fmt: skip
    columns = ["workspace", "spend_date", "channel", "campaign", "amount"]
    await conn.copy_records_to_table("marketing_spend", records=spend, columns=columns)
    for table in ("customers", "orders", "survey_answers", "marketing_spend"):
        await conn.execute(f"ANALYZE {table}")


def _acquisition(w: Workspace, i: int) -> tuple[str | None, str | None, str | None, dt.datetime | None]:
    """The source profile decides for customer i (as seed_profile's touches give it), as scoring keeps it from
    profile.acquisition_changed: none for `direct`."""
    source = str(SOURCES[w.source[i]])
    if source == "direct":
        return None, None, None, None
    campaign = (str(CAMPAIGNS[w.campaign[i]]) or None) if source in ("newsletter", "ads") else None
    return source, campaign, "p-bench" if source == "referral" else None, _at(w.now, w.first_day[i])


async def seed_scoring(conn: asyncpg.Connection, w: Workspace) -> None:
    customers = len(w.first_day)
    days = np.unique(np.stack([w.order_customer, w.order_days_ago]), axis=1)
    day_amount: dict[tuple[int, int], int] = {}
    for c, d, a in zip(w.order_customer, w.order_days_ago, w.order_amount, strict=True):
        day_amount[(int(c), int(d))] = day_amount.get((int(c), int(d)), 0) + int(a)
    purchase_days = [
        (WORKSPACE, f"c{c}", (w.now - dt.timedelta(days=int(d))).date(), Decimal(day_amount[(int(c), int(d))]) / 100, 1)
        for c, d in zip(days[0], days[1], strict=True)
    ]
    await conn.copy_records_to_table(
        "purchase_days", records=purchase_days, columns=["workspace", "customer_id", "day", "amount", "purchases"]
    )
    visit_days = np.unique(np.stack([w.visit_customer, w.visit_days_ago]), axis=1)
    await conn.copy_records_to_table(
        "visit_days",
        records=[(WORKSPACE, f"c{c}", (w.now - dt.timedelta(days=int(d))).date(), 1) for c, d in visit_days.T],
        columns=["workspace", "customer_id", "day", "visits"],
    )
    n_days = np.bincount(days[0], minlength=customers)
    revenue = np.bincount(w.order_customer, weights=w.order_amount, minlength=customers)
    last_day = np.full(customers, DAYS + 1)
    np.minimum.at(last_day, w.order_customer, w.order_days_ago)
    rng = np.random.default_rng(7)
    clv = rng.gamma(2.0, 60.0, customers)
    risk = np.array(["low", "medium", "high"])[rng.integers(0, 3, customers)]
    records = [
        (
            WORKSPACE, f"c{i}", _at(w.now, w.first_day[i]), int(n_days[i]), int(n_days[i]),
            Decimal(int(revenue[i])) / 100, _at(w.now, w.first_day[i], i % 86_400), _at(w.now, last_day[i]),
            Decimal(f"{clv[i]:.2f}"), str(risk[i]), w.now, *_acquisition(w, i),
        )
        for i in range(customers)
    ]  # fmt: skip
    columns = [
        "workspace", "customer_id", "first_seen_at", "orders", "purchase_days", "revenue", "first_purchase_at",
        "last_purchase_at", "predicted_clv", "churn_risk", "scored_at", "acquisition_source", "acquisition_campaign",
        "acquisition_program_id", "acquisition_decided_at",
    ]  # fmt: skip
    await conn.copy_records_to_table("customers", records=records, columns=columns)
    await conn.execute(
        "INSERT INTO segments (workspace, segment_id, name, condition) VALUES ($1, 'seg-bench', 'Repeat buyers', $2)",
        WORKSPACE,
        '{"field": "stats.orders", "op": "gte", "value": 2}',
    )
    members = [(WORKSPACE, "seg-bench", f"c{i}", w.now) for i in np.flatnonzero(n_days >= 2)]
    await conn.copy_records_to_table(
        "segment_members", records=members, columns=["workspace", "segment_id", "customer_id", "entered_at"]
    )
    # Scoring keeps the NPS answers too (what a segment's NPS counts), and the segment's size per day.
    answers = [
        (WORKSPACE, f"c{c}", f"s{n}", _at(w.now, d, n % 86_400), int(s))
        for n, (c, d, s) in enumerate(zip(w.answer_customer, w.answer_days_ago, w.answer_nps, strict=True))
    ]
    columns = ["workspace", "customer_id", "event_id", "answered_at", "nps"]
    await conn.copy_records_to_table("nps_answers", records=answers, columns=columns)
    await conn.execute(
        """INSERT INTO segment_sizes (workspace, segment_id, day, members)
           SELECT $1, 'seg-bench', $2::date - d, greatest($3 - d, 0) FROM generate_series(0, $4) AS d""",
        WORKSPACE,
        w.now.date(),
        len(members),
        DAYS,
    )
    # A purchase day more than 90 days after the one before it ended a dormancy (the fixed rule's threshold).
    customer, days_ago = days
    back = np.flatnonzero((customer[:-1] == customer[1:]) & (days_ago[1:] - days_ago[:-1] > 90))
    reactivations = [
        (WORKSPACE, f"c{customer[j]}", _at(w.now, days_ago[j + 1] - 90), _at(w.now, days_ago[j])) for j in back
    ]
    await conn.copy_records_to_table(
        "reactivations",
        records=reactivations,
        columns=["workspace", "customer_id", "dormant_since", "reactivated_at"],
    )
    for table in (
        "customers",
        "purchase_days",
        "visit_days",
        "segment_members",
        "nps_answers",
        "segment_sizes",
        "reactivations",
    ):
        await conn.execute(f"ANALYZE {table}")


async def raw_scan(conn: asyncpg.Connection) -> float:
    """Seconds of one sequential pass over the workspace's orders (count and sum): the raw limit."""
    started = time.perf_counter()
    await conn.fetchrow("SELECT count(*), sum(amount) FROM orders WHERE workspace = $1", WORKSPACE)
    return time.perf_counter() - started


REPORTS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("acquisition", "/v1/reports/acquisition", {}),
    ("retention_month", "/v1/reports/retention", {"period": "month"}),
    ("retention_week", "/v1/reports/retention", {"period": "week"}),
    ("nps", "/v1/reports/nps", {}),
    ("nps_by_channel", "/v1/reports/nps", {"by": "channel"}),
    ("segment", "/v1/reports/segments/seg-bench", {}),
    ("kpi_tree", "/v1/reports/kpi-tree", {}),
)


# What the reports ask the services (one call each, the last 30 days): where a report's time goes.
INTERNAL_CALLS: tuple[tuple[str, str, dict[str, str] | None], ...] = (
    ("profile", "/report", {}),
    ("profile", "/acquisition-report", {}),
    ("profile", "/nps", {}),
    ("profile", "/nps", {"by": "channel"}),
    ("referral", "/report", {}),
    ("scoring", "/distribution", None),
    ("scoring", "/kpis", {}),
    ("scoring", "/predicted-clv", {}),
    ("scoring", "/retention", {"period": "month"}),
    ("scoring", "/segments/seg-bench/report", {}),
    ("scoring", "/segments/seg-bench/nps", {}),
)


async def time_internal_calls(apps: dict[str, FastAPI], now: dt.datetime) -> dict[str, float | str]:
    """Milliseconds of each service call the reports make, alone (after one warm-up call)."""
    period = {"from": (now - dt.timedelta(days=30)).isoformat(), "to": now.isoformat()}
    found: dict[str, float | str] = {}
    for service, suffix, params in INTERNAL_CALLS:
        app = apps[service]
        auth = ServiceTokenAuth.for_settings(app.state.runtime.settings, "bench")
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{service}",
                                     auth=auth, timeout=120) as client:  # fmt: skip
            path = f"/internal/v1/workspaces/{WORKSPACE}{suffix}"
            query = None if params is None else {**period, **params}
            await client.get(path, params=query)
            started = time.perf_counter()
            response = await client.get(path, params=query)
            name = f"{service}{suffix}" + "".join(f" {k}={v}" for k, v in (params or {}).items())
            took = round((time.perf_counter() - started) * 1000, 1)
            found[name] = took if response.status_code == 200 else f"{response.status_code}: {response.text[:200]}"
    return found


async def time_reports(client: httpx.AsyncClient, span_days: int, now: dt.datetime) -> dict[str, dict[str, Any]]:
    """Each report over the last `span_days`: a warm-up call, then CALLS timed ones (seconds)."""
    period = {"from": (now - dt.timedelta(days=span_days)).isoformat(), "to": now.isoformat()}
    found: dict[str, dict[str, Any]] = {}
    for name, path, params in REPORTS:
        response = await client.get(path, params={**period, **params})
        if response.status_code != 200:
            found[name] = {"error": f"{response.status_code}: {response.text[:300]}"}
            continue
        seconds = []
        for _ in range(CALLS):
            started = time.perf_counter()
            response = await client.get(path, params={**period, **params})
            seconds.append(time.perf_counter() - started)
        found[name] = {"seconds": latency_summary([s * 1000 for s in seconds]), "status": response.status_code}
    return found


def _named(service: str, dsn_of: Callable[[str], str], common: dict[str, Any]) -> dict[str, Any]:
    """A service's settings: its own name (its consumer group), its database, the bench's broker."""
    return {"service_name": service, "database_url": dsn_of(service), **common}


@asynccontextmanager
async def _started(app: FastAPI) -> AsyncIterator[FastAPI]:
    async with app.router.lifespan_context(app):
        yield app


async def reports_bench(dsn_of: Callable[[str], str], bootstrap: str, kafka: bool, customers: int) -> list[Measurement]:
    """Seed the workspace, start the services and the gateway in-process, time every report over 30 and 365
    days. One Measurement per report (the 30-day p50, in seconds) and the raw scan."""
    w = generate(customers)
    # The embedded broker does not implement InitProducerId: idempotence only on Apache Kafka.
    common: dict[str, Any] = {"kafka_bootstrap": bootstrap, "kafka_idempotent_producer": kafka}
    async with AsyncExitStack() as stack:
        profile = await stack.enter_async_context(
            _started(create_profile(ProfileServiceSettings(**_named("profile", dsn_of, common))))
        )
        scoring = await stack.enter_async_context(
            _started(create_scoring(ScoringServiceSettings(**_named("scoring", dsn_of, common))))
        )
        referral = await stack.enter_async_context(
            _started(create_referral(ReferralServiceSettings(**_named("referral", dsn_of, common))))
        )
        seeded_at = time.perf_counter()
        for name, seed in (("profile", seed_profile), ("scoring", seed_scoring)):
            conn = await asyncpg.connect(dsn_of(name))
            try:
                await seed(conn, w)
            finally:
                await conn.close()
        seed_seconds = time.perf_counter() - seeded_at
        nobody = httpx.MockTransport(lambda request: httpx.Response(404, json={"detail": "not in this bench"}))
        gateway = await stack.enter_async_context(
            _started(
                create_gateway(
                    GatewayServiceSettings(
                        service_name="gateway",
                        database_url=dsn_of("gateway"), service_timeout_s=60, **common,
                        **SERVICE_URLS,
                    ),
                    profile_transport=httpx.ASGITransport(app=profile),
                    scoring_transport=httpx.ASGITransport(app=scoring),
                    referral_transport=httpx.ASGITransport(app=referral),
                    journey_transport=nobody,
                    sales_transport=nobody,
                    loyalty_transport=nobody,
                )
            )
        )  # fmt: skip
        pool = gateway.state.gateway.runtime.pool
        await store.create_workspace(pool, WORKSPACE)
        _, key = await store.create_key(pool, WORKSPACE, "bench", ["admin"])
        conn = await asyncpg.connect(dsn_of("profile"))
        try:
            raw = min([await raw_scan(conn) for _ in range(3)])
        finally:
            await conn.close()
        transport = httpx.ASGITransport(app=gateway)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://gateway", headers={"Authorization": f"Bearer {key}"}, timeout=120
        ) as client:
            month = await time_reports(client, 30, w.now)
            year = await time_reports(client, 365, w.now)
        calls = await time_internal_calls({"profile": profile, "scoring": scoring, "referral": referral}, w.now)
    measurements = [
        Measurement(
            "reports_raw_orders_scan", raw, "s", len(w.order_customer),
            {"what": "one sequential pass over the workspace's orders (count, sum): the raw limit",
             "service_calls_ms": calls,
             "seed_seconds": round(seed_seconds, 1), "customers": customers, "events": w.events},
        )
    ]  # fmt: skip
    for name, _, _ in REPORTS:
        got, wide = month[name], year[name]
        p50 = got.get("seconds", {}).get("p50")
        measurements.append(
            Measurement(
                f"report_{name}",
                (p50 or float("nan")) / 1000,
                "s",
                customers,
                {
                    "over_30_days_ms": got,
                    "over_365_days_ms": wide,
                    "target_s": TARGET_REPORT_S,
                    "events": w.events,
                },
            )
        )
    return measurements
