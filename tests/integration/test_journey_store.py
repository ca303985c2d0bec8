"""Journey's SQL against a real PostgreSQL: customer facts, due timers shared between replicas, deliveries
leased one by one within each workspace's share."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import asyncpg

from devstack.postgres import LocalPostgres
from runtime.db import Connection, create_pool, migrate
from runtime.settings import RuntimeSettings
from services.journey import delivery_store, store
from services.journey.domain.facts import FactsRecord
from tests.integration.conftest import fresh_database

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "journey" / "migrations"
NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


async def journey_pool(postgres: LocalPostgres) -> asyncpg.Pool:
    dsn = fresh_database(postgres, "journey")
    await migrate(dsn, "journey", MIGRATIONS)
    return await create_pool(RuntimeSettings(database_url=dsn))


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
                ids_mine = [r.enrolment_id for r in mine]
                ids_theirs = [r.enrolment_id for r in theirs]
        finally:
            await pool.release(first)
            await pool.release(second)
        assert ids_mine == ["e9", "e8", "e7", "e6", "e5", "e4"]  # the longest overdue first
        assert ids_theirs == ["e3", "e2", "e1", "e0"]  # what the other replica holds is skipped
    finally:
        await pool.close()


async def test_a_tenants_burst_of_due_timers_does_not_hold_back_another_tenants_timer(postgres: LocalPostgres) -> None:
    """50,000 timers of one workspace came due first; another's single timer, due after all of them, is in the
    first round all the same (each workspace with due timers gets an equal share of a round)."""
    pool = await journey_pool(postgres)
    try:
        async with pool.acquire() as conn:
            await conn.execute(
                """INSERT INTO enrolments (workspace, enrolment_id, journey_id, version, customer_id, step_id, status,
                                           entered_at, due_at)
                   SELECT 'burst', 'e' || i, 'j', 1, 'c' || i, 's', 'waiting', t, t - make_interval(secs => i)
                     FROM generate_series(1, 50000) AS i, (SELECT $1::timestamptz AS t) AS due""",
                NOW - dt.timedelta(days=2),
            )
            await conn.execute(
                """INSERT INTO enrolments (workspace, enrolment_id, journey_id, version, customer_id, step_id, status,
                                           entered_at, due_at)
                   VALUES ('quiet', 'q', 'j', 1, 'c', 's', 'waiting', $1, $1)""",
                NOW - dt.timedelta(seconds=1),
            )
            await conn.execute("ANALYZE enrolments")
            async with conn.transaction():
                first_round = await store.claim_due_enrolments(conn, NOW, 500)
            by_workspace = {w: sum(1 for r in first_round if r.workspace == w) for w in ("burst", "quiet")}
            assert by_workspace == {"burst": 250, "quiet": 1}
            burst = [r.enrolment_id for r in first_round if r.workspace == "burst"]
            assert burst == [f"e{i}" for i in range(50000, 49750, -1)], "each workspace's longest overdue first"
            await conn.execute("DELETE FROM enrolments WHERE workspace = 'quiet'")  # its timer ran
            async with conn.transaction():  # alone, the burst has the whole round
                second_round = await store.claim_due_enrolments(conn, NOW, 500)
                assert len(second_round) == 500 and {r.workspace for r in second_round} == {"burst"}
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
                assert [r.enrolment_id for r in await store.claim_due_enrolments(conn, NOW, 10)] == ["e"]
    finally:
        await pool.close()


# --- webhook deliveries: leases and shares ---------------------------------------------------------------


async def add_due(conn: Connection, workspace: str, count: int, *, minutes_ago: int = 5) -> list[str]:
    ids = [f"{workspace}-d{i:03}" for i in range(count)]
    await conn.executemany(
        """INSERT INTO webhook_deliveries (workspace, delivery_id, enrolment_id, journey_id, customer_id, body,
                                           next_attempt_at)
           VALUES ($1, $2, 'e', 'j', 'c', '{}', $3)""",
        [(workspace, d, NOW - dt.timedelta(minutes=minutes_ago, seconds=-i)) for i, d in enumerate(ids)],
    )
    return ids


async def add_channel(conn: Connection, workspace: str, url: str) -> None:
    await conn.execute(
        "INSERT INTO workspace_channels (workspace, webhook_url, webhook_secret) VALUES ($1, $2, 's')", workspace, url
    )


async def test_due_deliveries_give_each_workspace_no_more_than_its_free_share(postgres: LocalPostgres) -> None:
    pool = await journey_pool(postgres)
    try:
        async with pool.acquire() as conn:
            tarpit = await add_due(conn, "tarpit", 50, minutes_ago=10)  # older than anyone else's
            others = await add_due(conn, "other", 3)
            await add_due(conn, "later", 2, minutes_ago=-60)  # not due yet
            await add_channel(conn, "tarpit", "https://Slow.Example.com./hook")
            await add_channel(conn, "other", "http://hooks.example.org:8080/x")
            rows = await delivery_store.due_deliveries(conn, NOW, 4, {"tarpit": 1})
            # the tarpit's one free slot, plus one to show its share held the rest back; other's three
            assert [(r.workspace, r.delivery_id, r.free) for r in rows] == [
                ("tarpit", tarpit[0], 1),
                ("tarpit", tarpit[1], 1),
                ("other", others[0], 4),
                ("other", others[1], 4),
                ("other", others[2], 4),
            ]
            assert {r.workspace: r.receiver for r in rows} == {
                "tarpit": "slow.example.com:443",
                "other": "hooks.example.org:8080",
            }
            due = await delivery_store.due_deliveries(conn, NOW, 4, {"tarpit": 0})
            assert [r.workspace for r in due] == ["tarpit"] + ["other"] * 3
    finally:
        await pool.close()


async def test_a_lease_keeps_a_delivery_from_other_claims_until_it_runs_out(postgres: LocalPostgres) -> None:
    pool = await journey_pool(postgres)
    try:
        async with pool.acquire() as conn:
            (first, second) = await add_due(conn, "ws", 2)
            await add_channel(conn, "ws", "https://hooks.example.com/h")
            mine, theirs = uuid.uuid4(), uuid.uuid4()
            claimed = await delivery_store.claim_deliveries(conn, [("ws", first)], NOW, 90, mine)
            assert [(r.delivery_id, r.attempts, r.webhook_url) for r in claimed] == [
                (first, 1, "https://hooks.example.com/h")
            ]
            # another replica sees only the free one, and cannot take the leased one
            assert [r.delivery_id for r in await delivery_store.due_deliveries(conn, NOW, 8, {})] == [second]
            assert await delivery_store.claim_deliveries(conn, [("ws", first)], NOW, 90, theirs) == []
            # the claimer dies; its lease runs out; another claim takes the delivery and counts the attempt
            await conn.execute("UPDATE webhook_deliveries SET claimed_until = now() - interval '1 second'")
            again = await delivery_store.claim_deliveries(conn, [("ws", first)], NOW, 90, theirs)
            assert [(r.delivery_id, r.attempts) for r in again] == [(first, 2)]
            # the first claimer's late outcome is dropped; the holder's is recorded and gives the lease back
            assert not await delivery_store.record_outcome(conn, "ws", first, mine, "delivered", None, 200, None)
            assert await delivery_store.record_outcome(conn, "ws", first, theirs, "delivered", None, 200, None)
            row = await conn.fetchrow("SELECT * FROM webhook_deliveries WHERE delivery_id = $1", first)
            assert row is not None
            assert (row["status"], row["attempts"], row["claimed_until"], row["claim_id"]) == (
                "delivered",
                2,
                None,
                None,
            )
            assert await delivery_store.claim_deliveries(conn, [("ws", first)], NOW, 90, uuid.uuid4()) == []
    finally:
        await pool.close()


async def test_a_retry_is_due_again_at_its_time_and_a_missing_channel_shows(postgres: LocalPostgres) -> None:
    pool = await journey_pool(postgres)
    try:
        async with pool.acquire() as conn:
            (delivery_id,) = await add_due(conn, "ws", 1)
            claim = uuid.uuid4()
            (row,) = await delivery_store.claim_deliveries(conn, [("ws", delivery_id)], NOW, 90, claim)
            assert row.webhook_url is None and row.receiver is None
            later = NOW + dt.timedelta(minutes=5)
            retry = (claim, "retry", later, None, "no webhook")
            assert await delivery_store.record_outcome(conn, "ws", delivery_id, *retry)
            assert await delivery_store.due_deliveries(conn, NOW, 8, {}) == []
            assert [r.delivery_id for r in await delivery_store.due_deliveries(conn, later, 8, {})] == [delivery_id]
    finally:
        await pool.close()
