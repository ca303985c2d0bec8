"""`customer.changed` notifications written by the database triggers of runtime migration 0004, on a real
PostgreSQL: what the gateway's 360 view cache invalidates on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import orjson
import pytest

from contracts.topics import CUSTOMER_CHANGES
from devstack.postgres import LocalPostgres
from runtime.db import migrate
from tests.integration.conftest import fresh_database

SERVICES = Path(__file__).resolve().parents[2] / "services"


@pytest.fixture
async def profile_db(postgres: LocalPostgres) -> AsyncIterator[asyncpg.Connection]:
    conn = await _migrated(postgres, "profile")
    yield conn
    await conn.close()


@pytest.fixture
async def scoring_db(postgres: LocalPostgres) -> AsyncIterator[asyncpg.Connection]:
    conn = await _migrated(postgres, "scoring")
    yield conn
    await conn.close()


async def _migrated(postgres: LocalPostgres, service: str) -> asyncpg.Connection:
    dsn = fresh_database(postgres, f"changes_{service}")
    await migrate(dsn, service, SERVICES / service / "migrations")
    return await asyncpg.connect(dsn)


async def _changes(conn: asyncpg.Connection) -> list[tuple[str, dict[str, Any]]]:
    """(key, envelope) of every change notification in the outbox, oldest first; empties the outbox."""
    rows = await conn.fetch("DELETE FROM flywheel_outbox RETURNING id, topic, key, value, header_names, header_values")
    assert all(r["topic"] == CUSTOMER_CHANGES for r in rows)
    assert all(r["header_names"] == ["content-type"] for r in rows)
    return [(r["key"].decode(), orjson.loads(r["value"])) for r in sorted(rows, key=lambda r: r["id"])]


def _ids(changes: list[tuple[str, dict[str, Any]]]) -> dict[str, list[str] | None]:
    return {envelope["workspace"]: envelope["data"]["customer_ids"] for _, envelope in changes}


async def test_a_statement_sends_one_change_per_workspace_naming_its_customers(scoring_db: asyncpg.Connection) -> None:
    await scoring_db.execute(
        """INSERT INTO customers (workspace, customer_id, first_seen_at)
           VALUES ('shop-a', 'c2', now()), ('shop-a', 'c1', now()), ('shop-b', 'c9', now())"""
    )
    changes = await _changes(scoring_db)
    assert sorted(key for key, _ in changes) == ["shop-a", "shop-b"]
    assert _ids(changes) == {"shop-a": ["c1", "c2"], "shop-b": ["c9"]}
    envelope = changes[0][1]
    assert envelope["type"] == "customer.changed" and envelope["source"] == "scoring"
    assert envelope["specversion"] == "1.0" and envelope["id"] and envelope["time"]


async def test_a_merge_names_both_the_merged_customer_and_its_survivor(profile_db: asyncpg.Connection) -> None:
    await profile_db.execute(
        """INSERT INTO customers (workspace, customer_id, first_seen_at)
           VALUES ('shop', 'survivor', now()), ('shop', 'merged', now())"""
    )
    assert await _changes(profile_db) == []  # new customers cannot be cached: profile's inserts send nothing
    await profile_db.execute("UPDATE customers SET merged_into = 'survivor' WHERE customer_id = 'merged'")
    assert _ids(await _changes(profile_db)) == {"shop": ["merged", "survivor"]}
    await profile_db.execute("DELETE FROM identifiers")  # no rows: nothing changed, nothing sent
    await profile_db.execute("UPDATE customers SET tags = '{vip}' WHERE customer_id = 'nobody'")
    assert await _changes(profile_db) == []


async def test_many_customers_at_once_change_the_whole_workspace(scoring_db: asyncpg.Connection) -> None:
    await scoring_db.execute(
        """INSERT INTO customers (workspace, customer_id, first_seen_at)
           SELECT 'big', 'c' || n, now() FROM generate_series(1, 501) AS n"""
    )
    assert _ids(await _changes(scoring_db)) == {"big": None}


async def test_a_renamed_segment_changes_every_customer_of_its_workspace(scoring_db: asyncpg.Connection) -> None:
    await scoring_db.execute(
        "INSERT INTO segments (workspace, segment_id, name, condition) VALUES ('shop', 's1', 'VIP', '{}')"
    )
    await scoring_db.execute(
        "INSERT INTO segment_members (workspace, segment_id, customer_id) VALUES ('shop', 's1', 'c1')"
    )
    await _changes(scoring_db)
    await scoring_db.execute("UPDATE segments SET name = 'Very important' WHERE segment_id = 's1'")
    assert _ids(await _changes(scoring_db)) == {"shop": None}
    await scoring_db.execute("DELETE FROM segments WHERE segment_id = 's1'")  # cascades to its members
    sent = [envelope["data"]["customer_ids"] for _, envelope in await _changes(scoring_db)]
    assert len(sent) == 2 and None in sent and ["c1"] in sent
    await scoring_db.execute(
        "INSERT INTO flywheel_merged_customers (workspace, merged_id, survivor_id) VALUES ('shop', 'm', 's')"
    )
    assert _ids(await _changes(scoring_db)) == {"shop": ["m", "s"]}


async def test_a_change_wakes_the_outbox_relay(scoring_db: asyncpg.Connection, postgres: LocalPostgres) -> None:
    woken = asyncio.Event()
    await scoring_db.add_listener("flywheel_outbox", lambda *_: woken.set())
    writer = await asyncpg.connect(postgres.dsn(await scoring_db.fetchval("SELECT current_database()")))
    try:
        await writer.execute("INSERT INTO customers (workspace, customer_id, first_seen_at) VALUES ('w', 'c', now())")
        await asyncio.wait_for(woken.wait(), timeout=10)
    finally:
        await writer.close()
