"""Bulk re-score in PostgreSQL: the scoring service's own refit path (load every customer's inputs, fit,
score, write the scores back, publish what changed) on simulated customers seeded with COPY."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import numpy as np

from bench.report import Measurement
from runtime.context import PoolRuntime
from runtime.db import create_pool, migrate
from services.scoring.domain.bgnbd import BgNbdParams
from services.scoring.domain.simulate import simulate, whole_day_ages
from services.scoring.jobs import ScoringJobs
from services.scoring.service import ScoringContext
from services.scoring.settings import ScoringServiceSettings

MIGRATIONS = Path(__file__).resolve().parents[1] / "services" / "scoring" / "migrations"
WORKSPACE = "bench-scoring"
TRUE_PARAMS = BgNbdParams(r=0.5, alpha=25.0, a=0.9, b=3.0)  # days


async def bulk_rescore(dsn: str, customers: int, seed: int = 7) -> Measurement:
    """Seconds of a first refit (every customer scored for the first time: a change event each) and of
    a second one (the steady state of the daily refit)."""
    await migrate(dsn, "scoring", MIGRATIONS)
    settings = ScoringServiceSettings(database_url=dsn)
    pool = await create_pool(settings)
    try:
        now = dt.datetime.now(dt.UTC)
        rng = np.random.default_rng(seed)
        sim = simulate(TRUE_PARAMS, whole_day_ages(customers, rng, 700) + 1, rng)
        first_ago, last_ago = np.floor(sim.t_cal), np.floor(sim.t_cal - sim.t_x)
        days = sim.x.astype(int) + 1
        revenue = rng.gamma(2.0, 40.0, customers) * days
        records = [
            (
                WORKSPACE,
                f"c{i}",
                now - dt.timedelta(days=float(first_ago[i])),
                int(days[i]),
                int(days[i]),
                float(revenue[i]),
                float(revenue[i]) * (days[i] - 1) / days[i],
                now - dt.timedelta(days=float(first_ago[i])),
                now - dt.timedelta(days=float(last_ago[i])),
            )
            for i in range(customers)
        ]
        columns = [
            "workspace", "customer_id", "first_seen_at", "orders", "purchase_days", "revenue", "repeat_revenue",
            "first_purchase_at", "last_purchase_at",
        ]  # fmt: skip
        async with pool.acquire() as conn:
            await conn.execute("DELETE FROM customers WHERE workspace = $1", WORKSPACE)
            await conn.copy_records_to_table("customers", records=records, columns=columns)
            await conn.execute("INSERT INTO workspace_models (workspace) VALUES ($1) ON CONFLICT DO NOTHING", WORKSPACE)
            await conn.execute("ANALYZE customers")
        jobs = ScoringJobs(ScoringContext(PoolRuntime(pool, settings), lambda: now))
        started = time.perf_counter()
        first = await jobs.refit(WORKSPACE)
        first_seconds = time.perf_counter() - started
        started = time.perf_counter()
        second = await jobs.refit(WORKSPACE)
        second_seconds = time.perf_counter() - started
        async with pool.acquire() as conn:
            published = await conn.fetchval("SELECT count(*) FROM flywheel_outbox")
    finally:
        await pool.close()
    return Measurement(
        "scoring_bulk_rescore",
        second_seconds,
        "s",
        customers,
        {
            "what": "refit + re-score of every customer through PostgreSQL (the daily job), steady state",
            "first_refit_s": round(first_seconds, 2),
            "change_events_of_first_refit": published,
            "converged": first.converged and second.converged,
            "customers_per_second": round(customers / second_seconds),
        },
    )
