"""Journey's SQL against a real PostgreSQL: customer facts, due timers shared between replicas."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import asyncpg

from devstack.postgres import LocalPostgres
from runtime.db import create_pool, migrate
from runtime.settings import Settings
from services.journey import store
from services.journey.domain.facts import FactsRecord
from tests.integration.conftest import fresh_database

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "journey" / "migrations"
NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


async def journey_pool(postgres: LocalPostgres) -> asyncpg.Pool:
    dsn = fresh_database(postgres, "journey")
    await migrate(dsn, "journey", MIGRATIONS)
    return await create_pool(Settings(database_url=dsn))


async def test_facts_round_trip_and_unknown_customers_start_empty(postgres: LocalPostgres) -> None:
    pool = await journey_pool(postgres)
    try:
        async with pool.acquire() as conn, conn.transaction():
            facts = await store.load_facts(conn, "ws", ["c1", "c2"])
            assert facts["c1"] == FactsRecord()
            facts["c1"].traits["name"] = "Ada"
            facts["c1"].segments |= {"seg_a", "seg_b"}
            facts["c1"].event_counts["purchase"] = 2
            facts["c2"].stats["revenue"] = "12.50"
            await store.save_facts(conn, "ws", facts)
        async with pool.acquire() as conn:
            again = await store.load_facts(conn, "ws", ["c1", "c2"])
        assert again["c1"].traits == {"name": "Ada"} and again["c1"].segments == {"seg_a", "seg_b"}
        assert again["c1"].event_counts == {"purchase": 2} and again["c2"].stats == {"revenue": "12.50"}
        assert again["c2"].segments == set()
    finally:
        await pool.close()


async def test_two_replicas_claim_disjoint_due_timers(postgres: LocalPostgres) -> None:
    pool = await journey_pool(postgres)
    try:
        async with pool.acquire() as conn:
            await conn.executemany(
                """INSERT INTO enrolments (workspace, enrolment_id, journey_id, version, customer_id, step_id, status,
                                           entered_at, due_at)
                   VALUES ('ws', $1, 'j', 1, $2, 's', 'waiting', $3, $4)""",
                [(f"e{i}", f"c{i}", NOW, NOW - dt.timedelta(minutes=i)) for i in range(10)]
                + [("later", "c-later", NOW, NOW + dt.timedelta(hours=1))],
            )
        first, second = await pool.acquire(), await pool.acquire()
        try:
            async with first.transaction(), second.transaction():
                mine = await store.claim_due_enrolments(first, NOW, 6)
                theirs = await store.claim_due_enrolments(second, NOW, 6)
                ids_mine = [r["enrolment_id"] for r in mine]
                ids_theirs = [r["enrolment_id"] for r in theirs]
        finally:
            await pool.release(first)
            await pool.release(second)
        assert ids_mine == ["e9", "e8", "e7", "e6", "e5", "e4"]  # the longest overdue first
        assert ids_theirs == ["e3", "e2", "e1", "e0"]  # what the other replica holds is skipped
    finally:
        await pool.close()


async def test_a_paused_journeys_timers_hold_until_it_is_active_again(postgres: LocalPostgres) -> None:
    pool = await journey_pool(postgres)
    try:
        async with pool.acquire() as conn:
            await conn.execute(
                """INSERT INTO journeys (workspace, journey_id, name, status, latest_version, active_version)
                   VALUES ('ws', 'j', 'J', 'paused', 1, 1)"""
            )
            await conn.execute(
                """INSERT INTO enrolments (workspace, enrolment_id, journey_id, version, customer_id, step_id, status,
                                           entered_at, due_at)
                   VALUES ('ws', 'e', 'j', 1, 'c', 's', 'waiting', $1, $1)""",
                NOW - dt.timedelta(days=1),
            )
            async with conn.transaction():
                assert await store.claim_due_enrolments(conn, NOW, 10) == []
            await conn.execute("UPDATE journeys SET status = 'active'")
            async with conn.transaction():
                assert [r["enrolment_id"] for r in await store.claim_due_enrolments(conn, NOW, 10)] == ["e"]
    finally:
        await pool.close()
