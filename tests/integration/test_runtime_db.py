"""The runtime's database pieces against a real PostgreSQL: migrations and de-duplication pruning."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from devstack.postgres import LocalPostgres
from runtime.db import create_pool, migrate, prune_processed_events
from runtime.settings import Settings
from tests.integration.conftest import fresh_database


async def test_migrations_apply_once_and_refuse_an_edited_migration(postgres: LocalPostgres, tmp_path: Path) -> None:
    dsn = fresh_database(postgres, "migrations")
    (tmp_path / "0001_things.sql").write_text("CREATE TABLE things (id int PRIMARY KEY);")
    assert await migrate(dsn, "svc", tmp_path) == ["runtime/0001_runtime.sql", "svc/0001_things.sql"]
    assert await migrate(dsn, "svc", tmp_path) == []
    (tmp_path / "0002_more.sql").write_text("ALTER TABLE things ADD COLUMN name text;")
    assert await migrate(dsn, "svc", tmp_path) == ["svc/0002_more.sql"]
    (tmp_path / "0001_things.sql").write_text("CREATE TABLE things (id bigint PRIMARY KEY);")
    with pytest.raises(RuntimeError, match="was changed after it was applied"):
        await migrate(dsn, "svc", tmp_path)


async def test_processed_event_ids_older_than_the_retention_are_pruned(postgres: LocalPostgres, tmp_path: Path) -> None:
    dsn = fresh_database(postgres, "prune")
    await migrate(dsn, "svc", tmp_path)
    pool = await create_pool(Settings(database_url=dsn))
    try:
        await pool.execute(
            """INSERT INTO flywheel_processed_events (workspace, event_id, processed_at)
               VALUES ('w', 'old', now() - interval '15 days'), ('w', 'new', now())"""
        )
        assert await prune_processed_events(pool, retention_hours=14 * 24) == 1
        conn: asyncpg.Connection
        async with pool.acquire() as conn:
            assert await conn.fetchval("SELECT array_agg(event_id) FROM flywheel_processed_events") == ["new"]
    finally:
        await pool.close()


def test_a_service_migrates_by_command(postgres: LocalPostgres) -> None:
    dsn = fresh_database(postgres, "command")

    def profile_command(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "FLYWHEEL_DATABASE_URL": dsn}
        argv = [sys.executable, "-m", "services.profile", *args]
        return subprocess.run(argv, env=env, capture_output=True, text=True, check=False, timeout=60)

    first = profile_command("migrate")
    assert first.returncode == 0, first.stderr
    assert "profile/0001_profiles.sql" in first.stdout
    again = profile_command("migrate")
    assert again.returncode == 0 and '"applied": []' in again.stdout
    wrong = profile_command("frobnicate")
    assert wrong.returncode == 2 and "usage" in wrong.stderr
