"""The retention report counts a cohort's size from its members, not from period 0's buyers: a member whose
purchase days disagree with its first purchase (data written before a fix, or imported so) is still counted, and
the report answers instead of failing (it answered 500: the cohort had no period-0 row)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import asyncpg

from devstack.postgres import LocalPostgres
from runtime.db import migrate
from services.scoring import report_store
from tests.integration.conftest import fresh_database

UTC = dt.UTC
NOW = dt.datetime(2026, 6, 15, tzinfo=UTC)


async def test_a_member_without_a_purchase_day_in_period_0_counts_in_its_cohort(postgres: LocalPostgres) -> None:
    dsn = fresh_database(postgres, "scoring_retention_sizes")
    await migrate(dsn, "scoring", Path("services/scoring/migrations"))
    conn = await asyncpg.connect(dsn)
    try:
        first = dt.datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
        for customer, first_purchase in [("a", first), ("b", first), ("c", dt.datetime(2026, 4, 2, tzinfo=UTC))]:
            await conn.execute(
                "INSERT INTO customers (workspace, customer_id, first_seen_at, first_purchase_at)"
                " VALUES ($1, $2, $3, $3)",
                "w",
                customer,
                first_purchase,
            )
        # a bought on its first purchase's day; b's only purchase day is the next day, in April (period 1);
        # c, April's only member, has no purchase day at all.
        for customer, day in [("a", dt.date(2026, 3, 31)), ("b", dt.date(2026, 4, 1))]:
            await conn.execute(
                "INSERT INTO purchase_days (workspace, customer_id, day, amount, purchases)"
                " VALUES ('w', $1, $2, 10, 1)",
                customer,
                day,
            )
        report = await report_store.retention(
            conn, "w", dt.datetime(2026, 3, 1, tzinfo=UTC), dt.datetime(2026, 5, 1, tzinfo=UTC), "month", NOW
        )
    finally:
        await conn.close()
    march, april = report.cohorts
    assert (march.size, march.retained) == (2, [0.5, 0.5])
    assert (april.size, april.retained) == (1, [0.0])
