"""The runtime's database pieces against a real PostgreSQL: migrations and de-duplication pruning."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer

from devstack.postgres import LocalPostgres
from runtime.db import RUNTIME_MIGRATIONS, create_pool, migrate, prune_processed_events
from runtime.outbox import OutboundMessage, OutboxRelay, write_outbox
from runtime.settings import RuntimeSettings
from tests.integration.conftest import fresh_database

REPO_ROOT = Path(__file__).resolve().parents[2]


async def test_migrations_apply_once_and_refuse_an_edited_migration(postgres: LocalPostgres, tmp_path: Path) -> None:
    dsn = fresh_database(postgres, "migrations")
    (tmp_path / "0001_things.sql").write_text("CREATE TABLE things (id int PRIMARY KEY);")
    runtime = [f"runtime/{path.name}" for path in sorted(RUNTIME_MIGRATIONS.glob("*.sql"))]
    assert runtime[0] == "runtime/0001_runtime.sql"
    assert await migrate(dsn, "svc", tmp_path) == [*runtime, "svc/0001_things.sql"]
    assert await migrate(dsn, "svc", tmp_path) == []
    (tmp_path / "0002_more.sql").write_text("ALTER TABLE things ADD COLUMN name text;")
    assert await migrate(dsn, "svc", tmp_path) == ["svc/0002_more.sql"]
    (tmp_path / "0001_things.sql").write_text("CREATE TABLE things (id bigint PRIMARY KEY);")
    with pytest.raises(RuntimeError, match="was changed after it was applied"):
        await migrate(dsn, "svc", tmp_path)


async def test_processed_event_ids_older_than_the_retention_are_pruned(postgres: LocalPostgres, tmp_path: Path) -> None:
    dsn = fresh_database(postgres, "prune")
    await migrate(dsn, "svc", tmp_path)
    pool = await create_pool(RuntimeSettings(database_url=dsn))
    try:
        await pool.execute(
            """INSERT INTO flywheel_processed_events (workspace, event_id, processed_at)
               VALUES ('w', 'old', now() - interval '15 days'), ('w', 'new', now())"""
        )
        assert await prune_processed_events(pool, retention_hours=14 * 24) == 1
        async with pool.acquire() as conn:
            assert await conn.fetchval("SELECT array_agg(event_id) FROM flywheel_processed_events") == ["new"]
    finally:
        await pool.close()


SERVICES = sorted(p.parent.name for p in (REPO_ROOT / "services").glob("*/__main__.py"))


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_migrates_by_command(postgres: LocalPostgres, service: str) -> None:
    """`python -m services.<name> migrate`: what the Kubernetes migration Jobs and compose's run."""
    dsn = fresh_database(postgres, f"command_{service}")

    def command(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "FLYWHEEL_DATABASE_URL": dsn}
        argv = [sys.executable, "-m", f"services.{service}", *args]
        return subprocess.run(argv, env=env, capture_output=True, text=True, check=False, timeout=60)

    first = command("migrate")
    assert first.returncode == 0, first.stderr
    assert f"{service}/0001_" in first.stdout
    again = command("migrate")
    assert again.returncode == 0 and '"applied": []' in again.stdout
    wrong = command("frobnicate")
    assert wrong.returncode == 2 and "usage" in wrong.stderr


HEADER_CASES: list[list[tuple[str, bytes]]] = [
    [],
    [("traceparent", b"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")],
    [("flag", b"")],
    [("blob", bytes(range(256)))],
    [("a", b"1"), ("b", b"2"), ("a", b"3")],
    [("grüße-✓", "wört ✓".encode())],
]


async def test_outbox_rows_keep_keys_values_and_headers_byte_for_byte(postgres: LocalPostgres, tmp_path: Path) -> None:
    dsn = fresh_database(postgres, "outbox")
    await migrate(dsn, "svc", tmp_path)
    messages = [OutboundMessage("t", None if i % 2 else b"k", bytes([i]), h) for i, h in enumerate(HEADER_CASES)]
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await write_outbox(conn, messages)
        rows = await conn.fetch(
            "SELECT topic, key, value, header_names, header_values FROM flywheel_outbox ORDER BY id"
        )
    finally:
        await conn.close()
    assert [
        OutboundMessage(r["topic"], r["key"], r["value"], list(zip(r["header_names"], r["header_values"], strict=True)))
        for r in rows
    ] == messages


class _RecordingRelay(OutboxRelay):
    """The relay's rounds without a broker: what each round would publish."""

    def __init__(self, pool: asyncpg.Pool, batch: int) -> None:
        super().__init__(pool, cast(AIOKafkaProducer, None), "svc", batch, poll_s=1.0)
        self.rounds: list[list[OutboundMessage]] = []

    async def _send(self, messages: Sequence[OutboundMessage]) -> None:
        self.rounds.append(list(messages))


async def test_packed_outbox_rows_keep_each_message_byte_for_byte_and_in_order(
    postgres: LocalPostgres, tmp_path: Path
) -> None:
    dsn = fresh_database(postgres, "outbox_packed")
    await migrate(dsn, "svc", tmp_path)
    messages = [OutboundMessage("t", None if i % 2 else b"k", bytes([i]), h) for i, h in enumerate(HEADER_CASES)]
    lone = OutboundMessage("other", b"k", None, [("a", b"")])
    pool = await create_pool(RuntimeSettings(database_url=dsn))
    try:
        async with pool.acquire() as conn, conn.transaction():
            await write_outbox(conn, [*messages, lone], packed=True)
        packed = await pool.fetch("SELECT topic, message_count FROM flywheel_outbox_packed")
        single = await pool.fetch("SELECT topic FROM flywheel_outbox")
        relay = _RecordingRelay(pool, batch=100)
        assert await relay.drain() == len(messages) + 1
    finally:
        await pool.close()
    # A topic's messages share a row; a topic with one message keeps the plain row it always had.
    assert [(r["topic"], r["message_count"]) for r in packed] == [("t", len(messages))]
    assert [r["topic"] for r in single] == ["other"]
    assert relay.rounds == [[lone, *messages]]


async def test_a_relay_round_takes_rows_in_order_until_it_holds_a_batch_of_messages(
    postgres: LocalPostgres, tmp_path: Path
) -> None:
    dsn = fresh_database(postgres, "outbox_rounds")
    await migrate(dsn, "svc", tmp_path)
    packed = [OutboundMessage("t", b"k", bytes([i])) for i in range(5)]
    singles = [OutboundMessage("t", b"k", bytes([i])) for i in range(5, 8)]
    pool = await create_pool(RuntimeSettings(database_url=dsn))
    try:
        async with pool.acquire() as conn, conn.transaction():
            await write_outbox(conn, packed, packed=True)
            await write_outbox(conn, singles)
        relay = _RecordingRelay(pool, batch=3)
        assert await relay.drain() == 8
        left = await pool.fetchval(
            "SELECT (SELECT count(*) FROM flywheel_outbox) + (SELECT count(*) FROM flywheel_outbox_packed)"
        )
    finally:
        await pool.close()
    # A packed row larger than a batch is a round of its own; then the rows up to the batch's size.
    assert relay.rounds == [packed, singles]
    assert left == 0


async def test_pending_outbox_rows_keep_their_headers_across_the_header_migration(
    postgres: LocalPostgres, tmp_path: Path
) -> None:
    dsn = fresh_database(postgres, "outbox_upgrade")
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute((RUNTIME_MIGRATIONS / "0001_runtime.sql").read_text())
        await conn.execute(
            """INSERT INTO flywheel_outbox (topic, key, value, headers)
               VALUES ('t', 'k', 'v', '[["traceparent", "MDAtYWJj"], ["flag", ""]]')"""
        )
        await migrate(dsn, "svc", tmp_path)
        row = await conn.fetchrow("SELECT header_names, header_values FROM flywheel_outbox")
    finally:
        await conn.close()
    assert row is not None
    assert list(zip(row["header_names"], row["header_values"], strict=True)) == [
        ("traceparent", b"00-abc"),
        ("flag", b""),
    ]
