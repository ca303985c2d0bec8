"""SQL of the workspace's loyalty program: every version of its document (the current one is the highest)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import asyncpg

from contracts.http.loyalty import LoyaltyProgramIn
from runtime import quotas
from runtime.db import Connection
from services.loyalty.domain.program import Program


@dataclass(frozen=True)
class ProgramVersion:
    """One version of a workspace's program as stored; `created_at` is the first version's, `updated_at` this one's."""

    workspace: str
    version: int
    name: str
    active: bool
    document: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def program(self) -> Program:
        return Program(self.version, LoyaltyProgramIn.model_validate(self.document))


def _stored(row: asyncpg.Record) -> ProgramVersion:
    document = row["document"]  # the pool's jsonb codec decodes it
    return ProgramVersion(
        workspace=row["workspace"],
        version=row["version"],
        name=row["name"],
        active=row["active"],
        document=dict(document),
        created_at=row["first_at"],
        updated_at=row["created_at"],
    )


_SELECT = """SELECT p.workspace, p.version, p.name, p.active, p.document, p.created_at,
                    (SELECT min(f.created_at) FROM programs f WHERE f.workspace = p.workspace) AS first_at
               FROM programs p"""


async def current(conn: Connection, workspace: str) -> ProgramVersion | None:
    """The workspace's program now (its highest version), or None."""
    row = await conn.fetchrow(f"{_SELECT} WHERE p.workspace = $1 ORDER BY p.version DESC LIMIT 1", workspace)
    return _stored(row) if row else None


async def versions(conn: Connection, workspace: str, limit: int) -> list[ProgramVersion]:
    """The workspace's program versions, newest first."""
    rows = await conn.fetch(f"{_SELECT} WHERE p.workspace = $1 ORDER BY p.version DESC LIMIT $2", workspace, limit)
    return [_stored(row) for row in rows]


_COUNT_VERSIONS = "SELECT count(*) FROM programs WHERE workspace = $1"


async def count_versions(conn: Connection, workspace: str) -> int:
    return int(await conn.fetchval(_COUNT_VERSIONS, workspace) or 0)


async def put(
    conn: Connection, workspace: str, rules: LoyaltyProgramIn, now: dt.datetime, quota: int
) -> ProgramVersion:
    """A new version of the workspace's program (version 1 the first time), within the quota
    `loyalty_program_versions` (QuotaExceeded, a 409, past it). Concurrent PUTs of one workspace are serialised by
    the quota's lock, so two never take the same version."""
    async with conn.transaction():
        await quotas.LOYALTY_PROGRAM_VERSIONS.enforce(conn, workspace, quota, _COUNT_VERSIONS)
        await conn.execute(
            """INSERT INTO programs (workspace, version, name, active, document, created_at)
               SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5 FROM programs WHERE workspace = $1""",
            workspace,
            rules.name,
            rules.active,
            rules.model_dump(mode="json"),
            now,
        )
        stored = await current(conn, workspace)
    assert stored is not None
    return stored
