"""runtime.merge_undo against a real PostgreSQL: a fold's changes are given back row for row (re-keyed rows,
moved rows, deleted rows, exact numbers and times), rows written after the merge stay, links-only tables
keep their later changes, a second restore changes nothing, erasure and the retention drop snapshots."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from devstack.postgres import LocalPostgres
from runtime import merge_undo, merges
from runtime.db import Connection, create_pool, migrate
from runtime.merge_undo import FoldedTable, Restore
from runtime.settings import RuntimeSettings
from tests.integration.conftest import fresh_database

TABLES = (
    FoldedTable("facts"),
    FoldedTable("tags"),
    FoldedTable("deals", links_only=True),
    FoldedTable("links", ("customer_id", "friend_id")),
)
SCHEMA = """
CREATE TABLE facts (workspace text, customer_id text, amount numeric, at timestamptz, tags text[],
                    doubled numeric GENERATED ALWAYS AS (amount * 2) STORED, PRIMARY KEY (workspace, customer_id));
CREATE TABLE tags (workspace text, customer_id text, tag text, PRIMARY KEY (workspace, customer_id, tag));
CREATE TABLE deals (workspace text, deal_id text, customer_id text, stage text, PRIMARY KEY (workspace, deal_id));
CREATE TABLE links (workspace text, customer_id text, friend_id text);
"""


@pytest.fixture
async def pool(postgres: LocalPostgres, tmp_path: Path) -> AsyncIterator[asyncpg.Pool]:
    dsn = fresh_database(postgres, "merge_undo")
    (tmp_path / "0001_schema.sql").write_text(SCHEMA)
    await migrate(dsn, "svc", tmp_path)
    created = await create_pool(RuntimeSettings(database_url=dsn))
    try:
        yield created
    finally:
        await created.close()


async def _fold(conn: Connection, ws: str) -> None:
    """A fold of m into s, as a service would write it."""
    await merges.record_merge(conn, ws, "s", "m")
    await conn.execute(
        "UPDATE facts SET amount = amount + 1.000000000000000001 WHERE workspace = $1 AND customer_id = 's'", ws
    )
    await conn.execute("DELETE FROM facts WHERE workspace = $1 AND customer_id = 'm'", ws)
    await conn.execute(
        """INSERT INTO tags SELECT workspace, 's', tag FROM tags WHERE workspace = $1 AND customer_id = 'm'
           ON CONFLICT DO NOTHING""",
        ws,
    )
    await conn.execute("DELETE FROM tags WHERE workspace = $1 AND customer_id = 'm'", ws)
    await conn.execute("UPDATE deals SET customer_id = 's' WHERE workspace = $1 AND customer_id = 'm'", ws)
    await conn.execute("UPDATE links SET friend_id = 's' WHERE workspace = $1 AND friend_id = 'm'", ws)


async def _state(conn: Connection, ws: str) -> dict[str, list[str]]:
    found = {}
    for table in ("facts", "tags", "deals", "links", "flywheel_merged_customers"):
        rows = await conn.fetch(f"SELECT to_jsonb(t)::text AS r FROM {table} t WHERE workspace = $1", ws)  # noqa: S608
        found[table] = sorted(r["r"] for r in rows)
    return found


async def test_a_fold_is_given_back_row_for_row_and_later_rows_stay(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        await _given_back(conn)


async def _given_back(conn: Connection) -> None:
    for ws in ("w", "other"):
        await conn.execute(
            """INSERT INTO facts (workspace, customer_id, amount, at, tags) VALUES
                 ($1, 's', 12.345678901234567891, '2026-01-02T03:04:05.123456Z', '{a,b}'),
                 ($1, 'm', 1, '2026-01-01T00:00:00Z', NULL)""",
            ws,
        )
        await conn.execute("INSERT INTO tags VALUES ($1, 's', 'x'), ($1, 'm', 'x'), ($1, 'm', 'y')", ws)
        await conn.execute("INSERT INTO deals VALUES ($1, 'd1', 'm', 'new'), ($1, 'd2', 's', 'new')", ws)
        await conn.execute("INSERT INTO links VALUES ($1, 'f', 'm'), ($1, 'q', 'z')", ws)
        await merges.record_merge(conn, ws, "m", "old")  # an id merged into m before: back to m after the undo
    before = await _state(conn, "w")
    assert await merge_undo.capture(conn, "w", "m_1", "s", "m", TABLES)
    await _fold(conn, "w")
    assert not await merge_undo.capture(conn, "w", "m_1", "s", "m", TABLES)  # a redelivered merge
    await conn.execute("UPDATE deals SET stage = 'won' WHERE workspace = 'w' AND deal_id = 'd1'")  # after the merge
    await conn.execute("INSERT INTO tags VALUES ('w', 's', 'later')")
    other = await _state(conn, "other")

    assert await merge_undo.restore(conn, "w", "m_1", "s", "m", TABLES) is Restore.RESTORED
    after = await _state(conn, "w")
    expected = {
        **before,
        "deals": sorted(r.replace('"new", "deal_id": "d1"', '"won", "deal_id": "d1"') for r in before["deals"]),
        "tags": sorted([*before["tags"], '{"tag": "later", "workspace": "w", "customer_id": "s"}']),
    }
    assert after == expected
    assert await merges.survivors(conn, "w", ["m", "old"]) == {"old": "m"}
    assert await merge_undo.restore(conn, "w", "m_1", "s", "m", TABLES) is Restore.ALREADY
    assert await _state(conn, "w") == after
    assert await _state(conn, "other") == other  # another workspace's rows, same ids: untouched


async def test_an_unknown_merge_only_lets_the_id_resolve_to_itself(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        await _an_unknown_merge_only_lets_the_id_resolve_to_itself(pool, conn)


async def _an_unknown_merge_only_lets_the_id_resolve_to_itself(pool: asyncpg.Pool, conn: Connection) -> None:
    await merges.record_merge(conn, "w", "s", "m")
    assert await merge_undo.restore(conn, "w", "m_never", "s", "m", TABLES) is Restore.MISSING
    assert await merges.survivors(conn, "w", ["m"]) == {}


async def test_erasure_and_the_retention_drop_snapshots(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        await _erasure_and_the_retention_drop_snapshots(pool, conn)


async def _erasure_and_the_retention_drop_snapshots(pool: asyncpg.Pool, conn: Connection) -> None:
    for merge_id, merged in (("m_1", "a"), ("m_2", "b"), ("m_3", "c")):
        await merge_undo.capture(conn, "w", merge_id, "s", merged, TABLES)
    await merges.forget(conn, "w", ["a"])
    await conn.execute(
        "UPDATE flywheel_merge_snapshots SET taken_at = now() - interval '91 days' WHERE merge_id = 'm_2'"
    )
    assert await merge_undo.prune(pool, 90) == 1
    left = await conn.fetch("SELECT merge_id FROM flywheel_merge_snapshots ORDER BY merge_id")
    assert [r["merge_id"] for r in left] == ["m_3"]


async def test_a_merge_over_the_budget_is_not_kept_and_its_undo_restores_nothing(
    pool: asyncpg.Pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(merge_undo, "MAX_SNAPSHOT_ROWS", 2)
    async with pool.acquire() as conn:
        await conn.execute("INSERT INTO tags VALUES ('w', 's', 'a'), ('w', 'm', 'b'), ('w', 'm', 'c')")
        assert not await merge_undo.capture(conn, "w", "m_big", "s", "m", TABLES)
        await _fold(conn, "w")
        assert await merge_undo.restore(conn, "w", "m_big", "s", "m", TABLES) is Restore.MISSING
        assert await merges.survivors(conn, "w", ["m"]) == {}


async def test_kept_rows_whose_parent_went_stay_gone_and_revived_rows_come_back_whole(pool: asyncpg.Pool) -> None:
    tables = (
        FoldedTable("tags", keep_if="s.tag <> 'deleted-since'"),
        FoldedTable("deals", links_only=True, revive_if="t.stage = 'ended by the merge'"),
    )
    async with pool.acquire() as conn:
        await conn.execute("INSERT INTO tags VALUES ('w', 'm', 'kept'), ('w', 'm', 'deleted-since')")
        await conn.execute("INSERT INTO deals VALUES ('w', 'd1', 'm', 'open'), ('w', 'd2', 'm', 'open')")
        await merge_undo.capture(conn, "w", "m_1", "s", "m", tables)
        await conn.execute("DELETE FROM tags WHERE workspace = 'w'")
        await conn.execute("UPDATE deals SET customer_id = 's', stage = 'ended by the merge' WHERE deal_id = 'd1'")
        await conn.execute("UPDATE deals SET customer_id = 's', stage = 'won' WHERE deal_id = 'd2'")
        assert await merge_undo.restore(conn, "w", "m_1", "s", "m", tables) is Restore.RESTORED
        assert [r["tag"] for r in await conn.fetch("SELECT tag FROM tags WHERE workspace = 'w'")] == ["kept"]
        deals = await conn.fetch("SELECT deal_id, customer_id, stage FROM deals WHERE workspace = 'w' ORDER BY 1")
        assert [tuple(r) for r in deals] == [("d1", "m", "open"), ("d2", "m", "won")]


async def test_an_undo_naming_other_customers_than_its_merge_finds_nothing_and_a_pair_merged_again_is_kept_again(
    pool: asyncpg.Pool,
) -> None:
    async with pool.acquire() as conn:
        await conn.execute("INSERT INTO tags VALUES ('w', 'm', 'x')")
        assert await merge_undo.capture(conn, "w", "m_1", "s", "m", TABLES)
        assert await merge_undo.restore(conn, "w", "m_1", "s", "other", TABLES) is Restore.MISSING
        legacy = merge_undo.merge_id_of("s", "m", None)
        assert await merge_undo.restore(conn, "w", "m_1", "s", "m", TABLES) is Restore.RESTORED
        assert await merge_undo.capture(conn, "w", legacy, "s", "m", TABLES)  # a merge sent without its id
        assert await merge_undo.restore(conn, "w", "m_given", "s", "m", TABLES) is Restore.RESTORED
        assert await merge_undo.capture(conn, "w", legacy, "s", "m", TABLES)  # merged again after the undo
        assert await merge_undo.restore(conn, "w", "m_again", "s", "m", TABLES) is Restore.RESTORED
        assert await merge_undo.restore(conn, "w", "m_again", "s", "m", TABLES) is Restore.ALREADY
