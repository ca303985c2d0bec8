"""SQL for workspaces and API keys, and the admin operations the CLI and `make run` share."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeAlias

import asyncpg

from runtime.clock import utc_now
from runtime.db import Connection, migrate
from services.gateway import SERVICE
from services.gateway.domain import (
    ADMIN,
    SALES_APPROVE,
    AdminError,
    Principal,
    UnknownKey,
    UnknownWorkspace,
    default_owner,
    generate_key,
    hash_key,
    key_prefix,
    validate_key_name,
    validate_owner,
    validate_scopes,
    validate_workspace_name,
)

MIGRATIONS = Path(__file__).parent / "migrations"
Executor: TypeAlias = Connection | asyncpg.Pool
KEY_COLUMNS = "id, workspace, name, prefix, scopes, owner, created_at, revoked_at, rotated_at, previous_expires_at"


@dataclass(frozen=True)
class KeyRecord:
    id: str
    workspace: str
    name: str
    prefix: str
    scopes: tuple[str, ...]
    owner: str  # the person or system the key acts for; fixed when the key is made
    created_at: datetime
    revoked_at: datetime | None
    rotated_at: datetime | None = None
    previous_expires_at: datetime | None = None  # when the secret before the last rotation stops working


def _key_record(row: asyncpg.Record) -> KeyRecord:
    return KeyRecord(
        id=str(row["id"]),
        workspace=row["workspace"],
        name=row["name"],
        prefix=row["prefix"],
        scopes=tuple(row["scopes"]),
        owner=row["owner"],
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
        rotated_at=row["rotated_at"],
        previous_expires_at=row["previous_expires_at"],
    )


async def find_principal(db: Executor, plain_key: str, now: datetime | None = None) -> Principal | None:
    """The workspace and scopes of a live (not revoked) key, or None.

    A rotated key's old secret is found too while its grace period lasts; the principal then carries
    `expires_at`, so a cached lookup stops working when the grace period ends."""
    if key_prefix(plain_key) is None:
        return None
    row = await db.fetchrow(
        """SELECT id, workspace, scopes, owner,
                  CASE WHEN key_hash = $1 THEN NULL ELSE previous_expires_at END AS expires_at
           FROM api_keys WHERE (key_hash = $1 OR previous_hash = $1) AND revoked_at IS NULL""",
        hash_key(plain_key),
    )
    if row is None:
        return None
    principal = Principal(
        workspace=row["workspace"],
        scopes=frozenset(row["scopes"]),
        key_id=str(row["id"]),
        expires_at=row.get("expires_at"),
        owner=row["owner"],
    )
    return principal if principal.live_at(now or utc_now()) else None


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


async def create_key(
    db: Executor, workspace: str, name: str, scopes: list[str], owner: str | None = None
) -> tuple[KeyRecord, str]:
    """A new key for `workspace` acting for `owner` (default: itself, `key:<id>`); returns its record and the
    plain key, which is never stored. A key with `sales:approve` must name its owner: approvals record it."""
    validate_workspace_name(workspace)
    key_name = validate_key_name(name)
    chosen = validate_scopes(scopes)
    if owner is not None:
        validate_owner(owner)
    elif SALES_APPROVE in chosen:
        raise AdminError(f"a key with {SALES_APPROVE} must name its owner: the person whose approvals it records")
    if not await workspace_exists(db, workspace):
        raise UnknownWorkspace(f"workspace {workspace!r} does not exist; create it with `flywheel workspace create`")
    new = generate_key()
    key_id = uuid.uuid4()
    row = await db.fetchrow(
        f"""INSERT INTO api_keys (id, workspace, name, prefix, key_hash, scopes, owner)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            RETURNING {KEY_COLUMNS}""",  # noqa: S608 - a constant column list
        key_id,
        workspace,
        key_name,
        new.prefix,
        new.key_hash,
        chosen,
        owner or default_owner(str(key_id)),
    )
    assert row is not None
    return _key_record(row), new.plain


async def list_keys(db: Executor, workspace: str) -> list[KeyRecord]:
    if not await workspace_exists(db, workspace):
        raise UnknownWorkspace(f"workspace {workspace!r} does not exist")
    rows = await db.fetch(
        f"""SELECT {KEY_COLUMNS}
           FROM api_keys WHERE workspace = $1 ORDER BY created_at""",  # noqa: S608 - a constant column list
        workspace,
    )
    return [_key_record(r) for r in rows]


def _key_uuid(key_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(key_id)
    except ValueError:
        raise UnknownKey(f"{key_id!r} is not a key id (see `flywheel key list`)") from None


async def get_key(db: Executor, key_id: str, workspace: str | None = None) -> KeyRecord:
    """The key with this id; with `workspace`, a key of another workspace is unknown too."""
    row = await db.fetchrow(
        f"""SELECT {KEY_COLUMNS}
           FROM api_keys WHERE id = $1""",  # noqa: S608 - a constant column list
        _key_uuid(key_id),
    )
    if row is None or (workspace is not None and row["workspace"] != workspace):
        raise UnknownKey(f"no key with id {key_id}")
    return _key_record(row)


async def revoke_key(db: Executor, key_id: str, workspace: str | None = None) -> tuple[KeyRecord, bool]:
    """Revoke a key by id; returns the record and whether this call revoked it (False: it already was).

    With `workspace` (the API), a key of another workspace is unknown, as if it did not exist."""
    parsed = _key_uuid(key_id)
    row = await db.fetchrow(
        f"""UPDATE api_keys SET revoked_at = now()
            WHERE id = $1 AND revoked_at IS NULL AND ($2::text IS NULL OR workspace = $2)
            RETURNING {KEY_COLUMNS}""",  # noqa: S608 - a constant column list
        parsed,
        workspace,
    )
    if row is not None:
        return _key_record(row), True
    return await get_key(db, key_id, workspace), False


class WouldLockOut(AdminError):
    """A key change through the API that would leave the workspace without a live admin key, or a key revoking
    itself: nobody could then manage the workspace's keys but an operator."""


async def guard_key_change(db: Executor, workspace: str, target_key_id: str, actor_key_id: str, action: str) -> None:
    """Inside the changing transaction: refuse (WouldLockOut) a key revoking itself, and revoking or rotating
    the workspace's last live admin key (a lost rotation answer would lock everyone out after the grace).

    The workspace's live admin keys are locked (FOR UPDATE) until the transaction ends, so two concurrent
    revocations of its last two admin keys cannot both pass."""
    if action == "revoke" and target_key_id == actor_key_id:
        raise WouldLockOut("a key cannot revoke itself; revoke it with another admin key")
    rows = await db.fetch(
        """SELECT id FROM api_keys WHERE workspace = $1 AND revoked_at IS NULL AND $2 = ANY(scopes)
           ORDER BY id FOR UPDATE""",
        workspace,
        ADMIN,
    )
    if [str(r["id"]) for r in rows] == [target_key_id]:
        raise WouldLockOut(
            f"this is the workspace's last live admin key: it cannot be {action}d through the API; "
            "create a second admin key first"
        )


LIVE_KEYS_SQL = "SELECT count(*) FROM api_keys WHERE workspace = $1 AND revoked_at IS NULL"


async def count_live_keys(db: Executor, workspace: str) -> int:
    return int(await db.fetchval(LIVE_KEYS_SQL, workspace))


async def rotate_key(
    db: Executor, key_id: str, grace: timedelta, *, workspace: str | None = None, now: datetime | None = None
) -> tuple[KeyRecord, str]:
    """A new secret for a live key, same id and scopes; the current secret keeps working for `grace`.

    Only one old secret is kept: rotating again ends the grace of the one before at once."""
    at = now or utc_now()
    new = generate_key()
    row = await db.fetchrow(
        f"""UPDATE api_keys
            SET previous_hash = key_hash, previous_expires_at = $3, key_hash = $4, prefix = $5, rotated_at = $6
            WHERE id = $1 AND revoked_at IS NULL AND ($2::text IS NULL OR workspace = $2)
            RETURNING {KEY_COLUMNS}""",  # noqa: S608 - a constant column list
        _key_uuid(key_id),
        workspace,
        at + grace,
        new.key_hash,
        new.prefix,
        at,
    )
    if row is None:
        record = await get_key(db, key_id, workspace)  # raises UnknownKey when it is not there at all
        raise AdminError(f"key {record.id} is revoked; create a new one instead")
    return _key_record(row), new.plain


@contextlib.asynccontextmanager
async def admin_connection(dsn: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection to the gateway database with its migrations applied (for the CLI and `make run`)."""
    await migrate(dsn, SERVICE, MIGRATIONS)
    conn = await asyncpg.connect(dsn, timeout=10)
    try:
        yield conn
    finally:
        await conn.close()


DEV_KEY_OWNER = "sam@demo.test"
"""Who the dev stack's key acts for: the console's "my tasks" and `flywheel demo`'s deals and tasks are theirs."""


async def ensure_workspace_with_key(dsn: str, workspace: str, key_file: Path) -> str:
    """Dev stack only: the workspace and an admin key for it acting for DEV_KEY_OWNER, the plain key kept in
    `key_file`.

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
            _, plain = await create_key(conn, workspace, "dev admin (make run)", [ADMIN], DEV_KEY_OWNER)
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
