"""Profile's SQL for custom attribute definitions: what a workspace declares its traits to be, and the
quota `attributes` on how many it may declare."""

from __future__ import annotations

from collections.abc import Iterable

import asyncpg

from runtime import quotas
from runtime.db import Connection
from services.profile.domain import AttributeDefinition


async def load_definitions(conn: Connection, workspaces: Iterable[str]) -> dict[str, dict[str, AttributeDefinition]]:
    rows = await conn.fetch(
        "SELECT workspace, name, type, enum_values, description FROM attribute_definitions WHERE workspace = ANY($1)",
        list(set(workspaces)),
    )
    out: dict[str, dict[str, AttributeDefinition]] = {}
    for r in rows:
        out.setdefault(r["workspace"], {})[r["name"]] = _definition(r)
    return out


def _definition(row: asyncpg.Record) -> AttributeDefinition:
    return AttributeDefinition(row["name"], row["type"], tuple(row["enum_values"]), row["description"])


async def put_definition(conn: Connection, workspace: str, definition: AttributeDefinition, quota: int) -> None:
    """Define or change an attribute; a new one must fit the workspace's quota `attributes` (QuotaExceeded,
    a 409, when it does not). Changing a defined attribute never counts again."""
    async with conn.transaction():
        await quotas.ATTRIBUTES.lock(conn, workspace)
        defined = await conn.fetchval(
            "SELECT true FROM attribute_definitions WHERE workspace = $1 AND name = $2", workspace, definition.name
        )
        if not defined:
            quotas.check(quotas.ATTRIBUTES.usage(quota, await count_definitions(conn, workspace)))
        await upsert_definition(conn, workspace, definition)


async def count_definitions(conn: Connection, workspace: str) -> int:
    count: int = await conn.fetchval("SELECT count(*) FROM attribute_definitions WHERE workspace = $1", workspace)
    return count


async def upsert_definition(conn: Connection, workspace: str, definition: AttributeDefinition) -> None:
    await conn.execute(
        """INSERT INTO attribute_definitions (workspace, name, type, enum_values, description)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (workspace, name) DO UPDATE
              SET type = EXCLUDED.type, enum_values = EXCLUDED.enum_values,
                  description = EXCLUDED.description, updated_at = now()""",
        workspace,
        definition.name,
        definition.type,
        list(definition.enum_values),
        definition.description,
    )


async def list_definitions(conn: Connection, workspace: str) -> list[AttributeDefinition]:
    return list((await load_definitions(conn, [workspace])).get(workspace, {}).values())
