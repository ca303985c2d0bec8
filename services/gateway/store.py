"""SQL for workspaces and API keys, and the admin operations the CLI and `make run` share."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeAlias

import asyncpg

from runtime.db import Connection, migrate
from services.gateway import SERVICE
from services.gateway.domain import (
    ADMIN,
    AdminError,
    Principal,
    UnknownKey,
    UnknownWorkspace,
    generate_key,
    hash_key,
    key_prefix,
    validate_key_name,
    validate_scopes,
    validate_workspace_name,
)

MIGRATIONS = Path(__file__).parent / "migrations"
Executor: TypeAlias = Connection | asyncpg.Pool


@dataclass(frozen=True)
class KeyRecord:
    id: str
    workspace: str
    name: str
    prefix: str
    scopes: tuple[str, ...]
    created_at: datetime
    revoked_at: datetime | None


def _key_record(row: asyncpg.Record) -> KeyRecord:
    return KeyRecord(
        id=str(row["id"]),
        workspace=row["workspace"],
        name=row["name"],
        prefix=row["prefix"],
        scopes=tuple(row["scopes"]),
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
    )


async def find_principal(db: Executor, plain_key: str) -> Principal | None:
    """The workspace and scopes of a live (not revoked) key, or None."""
    if key_prefix(plain_key) is None:
        return None
    row = await db.fetchrow(
        "SELECT id, workspace, scopes FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
        hash_key(plain_key),
    )
    if row is None:
        return None
    return Principal(workspace=row["workspace"], scopes=frozenset(row["scopes"]), key_id=str(row["id"]))


async def workspace_exists(db: Executor, name: str) -> bool:
    return bool(await db.fetchval("SELECT EXISTS (SELECT 1 FROM workspaces WHERE name = $1)", name))


async def create_workspace(db: Executor, name: str) -> None:
    validate_workspace_name(name)
    created = await db.fetchval(
        "INSERT INTO workspaces (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING name", name
    )
    if created is None:
        raise AdminError(f"workspace {name!r} already exists")


async def list_workspaces(db: Executor) -> list[tuple[str, datetime, int]]:
    """(name, created_at, live key count) of every workspace."""
    rows = await db.fetch(
        """SELECT w.name, w.created_at, count(k.id) FILTER (WHERE k.revoked_at IS NULL) AS keys
           FROM workspaces w LEFT JOIN api_keys k ON k.workspace = w.name
           GROUP BY w.name, w.created_at ORDER BY w.name"""
    )
    return [(r["name"], r["created_at"], r["keys"]) for r in rows]


async def create_key(db: Executor, workspace: str, name: str, scopes: list[str]) -> tuple[KeyRecord, str]:
    """A new key for `workspace`; returns its record and the plain key, which is never stored."""
    validate_workspace_name(workspace)
    key_name = validate_key_name(name)
    chosen = validate_scopes(scopes)
    if not await workspace_exists(db, workspace):
        raise UnknownWorkspace(f"workspace {workspace!r} does not exist; create it with `flywheel workspace create`")
    new = generate_key()
    row = await db.fetchrow(
        """INSERT INTO api_keys (id, workspace, name, prefix, key_hash, scopes)
            VALUES ($1, $2, $3, $4, $5, $6)
            RETURNING id, workspace, name, prefix, scopes, created_at, revoked_at""",
        uuid.uuid4(),
        workspace,
        key_name,
        new.prefix,
        new.key_hash,
        chosen,
    )
    assert row is not None
    return _key_record(row), new.plain


async def list_keys(db: Executor, workspace: str) -> list[KeyRecord]:
    if not await workspace_exists(db, workspace):
        raise UnknownWorkspace(f"workspace {workspace!r} does not exist")
    rows = await db.fetch(
        """SELECT id, workspace, name, prefix, scopes, created_at, revoked_at
           FROM api_keys WHERE workspace = $1 ORDER BY created_at""",
        workspace,
    )
    return [_key_record(r) for r in rows]


async def revoke_key(db: Executor, key_id: str) -> tuple[KeyRecord, bool]:
    """Revoke a key by id; returns the record and whether this call revoked it (False: it already was)."""
    try:
        parsed = uuid.UUID(key_id)
    except ValueError:
        raise UnknownKey(f"{key_id!r} is not a key id (see `flywheel key list`)") from None
    row = await db.fetchrow(
        """UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL
           RETURNING id, workspace, name, prefix, scopes, created_at, revoked_at""",
        parsed,
    )
    if row is not None:
        return _key_record(row), True
    row = await db.fetchrow(
        "SELECT id, workspace, name, prefix, scopes, created_at, revoked_at FROM api_keys WHERE id = $1", parsed
    )
    if row is None:
        raise UnknownKey(f"no key with id {key_id}")
    return _key_record(row), False


@contextlib.asynccontextmanager
async def admin_connection(dsn: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection to the gateway database with its migrations applied (for the CLI and `make run`)."""
    await migrate(dsn, SERVICE, MIGRATIONS)
    conn = await asyncpg.connect(dsn, timeout=10)
    try:
        yield conn
    finally:
        await conn.close()


async def ensure_workspace_with_key(dsn: str, workspace: str, key_file: Path) -> str:
    """Dev stack only: the workspace and an admin key for it, the plain key kept in `key_file`.

    Reuses the key in `key_file` while it is still a live key of `workspace`; otherwise creates one.
    """
    validate_workspace_name(workspace)
    existing = _read_key_file(key_file)
    async with admin_connection(dsn) as conn:
        if existing:
            principal = await find_principal(conn, existing)
            if principal is not None and principal.workspace == workspace:
                return existing
        async with conn.transaction():
            await conn.execute("INSERT INTO workspaces (name) VALUES ($1) ON CONFLICT DO NOTHING", workspace)
            _, plain = await create_key(conn, workspace, "dev admin (make run)", [ADMIN])
    _write_key_file(key_file, plain)
    return plain


# Small local files, read and written once per `make run`: blocking I/O is fine here.
def _read_key_file(key_file: Path) -> str | None:
    return key_file.read_text().strip() if key_file.is_file() else None


def _write_key_file(key_file: Path, plain: str) -> None:
    key_file.parent.mkdir(parents=True, exist_ok=True)
    # Owner-only: the file holds a live admin secret.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(plain + "\n")
