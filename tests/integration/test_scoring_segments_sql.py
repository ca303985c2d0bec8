"""Segment conditions compiled to SQL, evaluated by a real PostgreSQL against the scoring schema."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import orjson
import pytest

from devstack.postgres import LocalPostgres
from runtime.db import create_pool, migrate
from runtime.settings import RuntimeSettings
from services.scoring.domain.segment_sql import SqlParams, compile_condition, compile_membership_query
from services.scoring.domain.segments import parse_condition
from tests.integration.conftest import fresh_database

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)

# c1 a champion, c2 a one-time buyer with service trouble, c3 a prospect with odd traits, c4 dormant,
# c5 without traits whose last purchase is exactly 30 days ago. "other" is another workspace.
CUSTOMERS: list[dict[str, Any]] = [
    {
        "customer_id": "c1",
        "traits": {"city": "Berlin", "plan": "pro", "age": 34, "vip": True, "signup": "2026-11-01"},
        "orders": 5,
        "revenue": 500,
        "refunded": 50,
        "purchase_days": 4,
        "first_purchase_at": NOW - 300 * DAY,
        "last_purchase_at": NOW - 10 * DAY,
        "visits": 20,
        "last_visit_at": NOW - DAY,
        "last_nps": 9,
        "r": 5,
        "f": 4,
        "m": 5,
        "rfm_segment": "Champions",
        "p_alive": 0.9,
        "churn_risk": "low",
    },
    {
        "customer_id": "c2",
        "traits": {"city": "Paris", "age": "34", "signup": "2026-11-20T10:00:00+02:00"},
        "orders": 1,
        "revenue": 40,
        "purchase_days": 1,
        "first_purchase_at": NOW - 45 * DAY,
        "last_purchase_at": NOW - 45 * DAY,
        "visits": 3,
        "last_visit_at": NOW - dt.timedelta(hours=6),
        "open_tickets": 2,
        "last_nps": 3,
        "r": 3,
        "f": 1,
        "m": 2,
        "rfm_segment": "About to Sleep",
        "p_alive": 0.5,
        "churn_risk": "medium",
    },
    {
        "customer_id": "c3",
        "traits": {"city": "berlin-mitte", "age": None, "signup": "not a date", "vip": "true"},
        "visits": 1,
    },
    {
        "customer_id": "c4",
        "traits": {"age": 70.5, "tags": ["a", "b"], "signup": "2026-13-45", "nested": {"x": 1}},
        "orders": 3,
        "revenue": 300,
        "purchase_days": 3,
        "first_purchase_at": NOW - 400 * DAY,
        "last_purchase_at": NOW - 200 * DAY,
        "r": 1,
        "f": 3,
        "m": 4,
        "rfm_segment": "Can't Lose Them",
        "p_alive": 0.1,
        "churn_risk": "high",
        "dormant_since": NOW - 20 * DAY,
    },
    {
        "customer_id": "c5",
        "traits": {},
        "orders": 2,
        "revenue": 80,
        "purchase_days": 2,
        "first_purchase_at": NOW - 60 * DAY,
        "last_purchase_at": NOW - 30 * DAY,
        "churn_risk": "low",
    },
]
OTHER_WORKSPACE = {**CUSTOMERS[0], "customer_id": "o1"}


@pytest.fixture(scope="module")
async def dsn(postgres: LocalPostgres) -> AsyncIterator[str]:
    dsn = fresh_database(postgres, "scoring_segments")
    await migrate(dsn, "scoring", Path("services/scoring/migrations"))
    conn = await asyncpg.connect(dsn)
    try:
        for workspace, customer in [*(("w", c) for c in CUSTOMERS), ("other", OTHER_WORKSPACE)]:
            row = {"first_seen_at": NOW - 500 * DAY, **customer, "workspace": workspace}
            row["traits"] = orjson.dumps(row["traits"]).decode()
            columns = list(row)
            placeholders = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
            await conn.execute(
                f"INSERT INTO customers ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
                *row.values(),
            )
    finally:
        await conn.close()
    yield dsn


@pytest.fixture
async def conn(dsn: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(dsn)
    try:
        yield connection
    finally:
        await connection.close()


def leaf(field: str, op: str, value: Any = None) -> dict[str, Any]:
    return {"field": field, "op": op} | ({} if value is None else {"value": value})


async def members(
    conn: asyncpg.Connection,
    segments: dict[str, dict[str, Any]],
    *,
    ids: list[str] | None = None,
    now: dt.datetime = NOW,
    workspace: str = "w",
) -> dict[str, set[str]]:
    """segment id -> customer ids, via compile_membership_query; every row in scope is checked."""
    sql, values = compile_membership_query([(sid, parse_condition(doc)) for sid, doc in segments.items()])
    rows = await conn.fetch(sql, workspace, ids, now, *values)
    found: dict[str, set[str]] = {sid: set() for sid in segments}
    for row in rows:
        for sid in row["segment_ids"]:
            found[sid].add(row["customer_id"])
    return found


EXAMPLE: dict[str, Any] = {
    "all": [
        leaf("stats.orders", "gte", 2),
        {
            "any": [
                leaf("traits.city", "in", ["Berlin", "Paris"]),
                {"not": leaf("scores.churn_risk", "eq", "high")},
            ]
        },
        leaf("stats.last_purchase_at", "within_last", "30d"),
    ]
}

SEGMENTS: dict[str, tuple[dict[str, Any], set[str]]] = {
    # c5: no city, churn_risk low, last purchase exactly 30 days ago (a window includes its start).
    "example": (EXAMPLE, {"c1", "c5"}),
    # Columns.
    "orders_eq_2": (leaf("stats.orders", "eq", 2), {"c5"}),
    "orders_ne_2": (leaf("stats.orders", "ne", 2), {"c1", "c2", "c3", "c4"}),
    "revenue_in": (leaf("stats.revenue", "in", [40, 300.0]), {"c2", "c4"}),
    "ltv_gte_450": (leaf("scores.historical_ltv", "gte", 450), {"c1"}),
    "p_alive_eq": (leaf("scores.p_alive", "eq", 0.9), {"c1"}),
    "p_alive_lt_half": (leaf("scores.p_alive", "lt", 0.5), {"c4"}),
    "p_alive_in": (leaf("scores.p_alive", "in", [0.5, 0.1]), {"c2", "c4"}),
    "nps_detractor": (leaf("stats.last_nps", "lte", 6), {"c2"}),
    "nps_not_detractor": ({"not": leaf("stats.last_nps", "lte", 6)}, {"c1", "c3", "c4", "c5"}),
    "no_nps": (leaf("stats.last_nps", "not_exists"), {"c3", "c4", "c5"}),
    "tickets": (leaf("stats.open_tickets", "gte", 1), {"c2"}),
    "rfm": (leaf("scores.rfm_segment", "in", ["Champions", "Can't Lose Them"]), {"c1", "c4"}),
    "rfm_not_in": (leaf("scores.rfm_segment", "not_in", ["Champions"]), {"c2", "c3", "c4", "c5"}),
    "scored_not_high": (
        {"all": [leaf("scores.churn_risk", "exists"), leaf("scores.churn_risk", "ne", "high")]},
        {"c1", "c2", "c5"},
    ),
    "not_high": (leaf("scores.churn_risk", "ne", "high"), {"c1", "c2", "c3", "c5"}),
    "dormant": (leaf("scores.dormant", "eq", True), {"c4"}),
    "awake": (leaf("scores.dormant", "ne", True), {"c1", "c2", "c3", "c5"}),
    # Time windows relative to now, and absolute times.
    "bought_30d": (leaf("stats.last_purchase_at", "within_last", "30d"), {"c1", "c5"}),
    "lapsed_30d": (leaf("stats.last_purchase_at", "not_within_last", "30d"), {"c2", "c3", "c4"}),
    "lapsed_buyers": (
        {"all": [leaf("stats.last_purchase_at", "exists"), leaf("stats.last_purchase_at", "not_within_last", "4w")]},
        {"c2", "c4", "c5"},
    ),
    "visit_12h": (leaf("stats.last_visit_at", "within_last", "12h"), {"c2"}),
    "first_bought_before": (leaf("stats.first_purchase_at", "before", "2026-02-01T00:00:00Z"), {"c1", "c4"}),
    "seen_after": (leaf("stats.first_seen_at", "after", "2025-01-01T00:00:00+14:00"), {"c1", "c2", "c3", "c4", "c5"}),
    # Traits: JSON types, missing and null traits, bad data.
    "age_eq_34": (leaf("traits.age", "eq", 34), {"c1"}),
    "age_eq_34_text": (leaf("traits.age", "eq", "34"), {"c2"}),
    "age_eq_34_float": (leaf("traits.age", "eq", 34.0), {"c1"}),
    "age_ne_34": (leaf("traits.age", "ne", 34), {"c2", "c3", "c4", "c5"}),
    "age_gt_30": (leaf("traits.age", "gt", 30), {"c1", "c4"}),
    "age_lt_50": (leaf("traits.age", "lt", 50), {"c1"}),
    "age_in": (leaf("traits.age", "in", [70.5, "34"]), {"c2", "c4"}),
    "age_not_in": (leaf("traits.age", "not_in", [34]), {"c2", "c3", "c4", "c5"}),
    "age_exists": (leaf("traits.age", "exists"), {"c1", "c2", "c4"}),
    "age_not_exists": (leaf("traits.age", "not_exists"), {"c3", "c5"}),
    "vip": (leaf("traits.vip", "eq", True), {"c1"}),
    "city_contains": (leaf("traits.city", "contains", "BERLIN"), {"c1", "c3"}),
    "tags_contains": (leaf("traits.tags", "contains", "a"), set()),
    "tags_gt": (leaf("traits.tags", "gt", 1), set()),
    "nested_eq": (leaf("traits.nested", "eq", 1), set()),
    "signup_7d": (leaf("traits.signup", "within_last", "7d"), {"c2"}),
    "signup_not_7d": (leaf("traits.signup", "not_within_last", "7d"), {"c1", "c3", "c4", "c5"}),
    "signup_before": (leaf("traits.signup", "before", "2026-11-10T00:00:00Z"), {"c1"}),
    # A date without an offset is midnight UTC.
    "signup_after_a": (leaf("traits.signup", "after", "2026-10-31T23:30:00Z"), {"c1", "c2"}),
    "signup_after_b": (leaf("traits.signup", "after", "2026-10-31T23:30:00-01:00"), {"c2"}),
    "injection": (leaf("traits.city", "eq", "x'; DROP TABLE customers; --"), set()),
}


async def test_memberships_of_every_segment_in_one_query(conn: asyncpg.Connection) -> None:
    found = await members(conn, {sid: doc for sid, (doc, _) in SEGMENTS.items()})
    assert found == {sid: expected for sid, (_, expected) in SEGMENTS.items()}
    assert await conn.fetchval("SELECT count(*) FROM customers") == len(CUSTOMERS) + 1


async def test_each_segment_alone_gives_the_same_members(conn: asyncpg.Connection) -> None:
    for sid, (doc, expected) in SEGMENTS.items():
        assert await members(conn, {sid: doc}) == {sid: expected}, sid


async def test_time_windows_follow_the_now_parameter(conn: asyncpg.Connection) -> None:
    segments = {sid: SEGMENTS[sid][0] for sid in ("example", "bought_30d", "visit_12h", "signup_7d")}
    later = await members(conn, segments, now=NOW + 15 * DAY)
    assert later == {"example": {"c1"}, "bought_30d": {"c1"}, "visit_12h": set(), "signup_7d": set()}
    # Times after now count as within the window.
    earlier = await members(conn, segments, now=NOW - 20 * DAY)
    assert earlier == {
        "example": {"c1", "c5"},
        "bought_30d": {"c1", "c2", "c5"},
        "visit_12h": {"c1", "c2"},
        "signup_7d": {"c1", "c2"},
    }


async def test_the_scope_is_the_given_customers_of_the_workspace(conn: asyncpg.Connection) -> None:
    sql, values = compile_membership_query([("example", parse_condition(EXAMPLE))])
    for _ in range(7):  # past the point where PostgreSQL may switch to a generic plan
        rows = await conn.fetch(sql, "w", ["c1", "c3", "missing", "o1"], NOW, *values)
        assert sorted((r["customer_id"], r["segment_ids"]) for r in rows) == [("c1", ["example"]), ("c3", [])]
    assert await conn.fetch(sql, "w", [], NOW, *values) == []
    everyone = await conn.fetch(sql, "w", None, NOW, *values)
    assert sorted(r["customer_id"] for r in everyone) == ["c1", "c2", "c3", "c4", "c5"]
    other = await conn.fetch(sql, "other", None, NOW, *values)
    assert [(r["customer_id"], r["segment_ids"]) for r in other] == [("o1", ["example"])]


async def test_a_workspace_without_segments_lists_its_customers(conn: asyncpg.Connection) -> None:
    sql, values = compile_membership_query([])
    rows = await conn.fetch(sql, "w", None, NOW, *values)
    assert sorted(r["customer_id"] for r in rows) == ["c1", "c2", "c3", "c4", "c5"]
    assert all(r["segment_ids"] == [] for r in rows)


async def test_a_condition_compiles_into_a_query_of_ones_own(conn: asyncpg.Connection) -> None:
    params = SqlParams(now=NOW)
    workspace = params.add("w", "text")
    expression = compile_condition(parse_condition(EXAMPLE), params)
    rows = await conn.fetch(
        f"SELECT customer_id FROM customers c WHERE c.workspace = {workspace} AND {expression}",  # noqa: S608
        *params.values,
    )
    assert sorted(r["customer_id"] for r in rows) == ["c1", "c5"]


async def test_the_services_pool_with_its_jsonb_codec_runs_the_query(dsn: str) -> None:
    segments = {sid: SEGMENTS[sid][0] for sid in ("example", "age_in", "signup_after_a", "injection")}
    sql, values = compile_membership_query([(sid, parse_condition(doc)) for sid, doc in segments.items()])
    pool = await create_pool(RuntimeSettings(database_url=dsn))
    try:
        rows = await pool.fetch(sql, "w", None, NOW, *values)
    finally:
        await pool.close()
    found = {sid: {r["customer_id"] for r in rows if sid in r["segment_ids"]} for sid in segments}
    assert found == {sid: SEGMENTS[sid][1] for sid in segments}
