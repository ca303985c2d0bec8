"""Where merged customers went. Services that consume `profile.merged` record each merge here, so an event
still in flight for the merged id (on another topic, or behind the merge in its partition) is applied to
the survivor; erasure forgets the ids."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from runtime import merge_undo
from runtime.db import Connection


async def survivors(conn: Connection, workspace: str, customer_ids: Iterable[str]) -> dict[str, str]:
    """Survivors of ids that were merged away (ids not merged are absent)."""
    rows = await conn.fetch(
        """SELECT merged_id, survivor_id FROM flywheel_merged_customers
            WHERE workspace = $1 AND merged_id = ANY($2::text[])""",
        workspace,
        sorted(set(customer_ids)),
    )
    return {r["merged_id"]: r["survivor_id"] for r in rows}


async def record_merge(conn: Connection, workspace: str, survivor_id: str, merged_id: str) -> None:
    """The merged id, and ids merged into it earlier, now resolve straight to the survivor."""
    await conn.execute(
        """INSERT INTO flywheel_merged_customers (workspace, merged_id, survivor_id) VALUES ($1, $2, $3)
           ON CONFLICT (workspace, merged_id) DO UPDATE SET survivor_id = excluded.survivor_id""",
        workspace,
        merged_id,
        survivor_id,
    )
    await conn.execute(
        "UPDATE flywheel_merged_customers SET survivor_id = $3 WHERE workspace = $1 AND survivor_id = $2",
        workspace,
        merged_id,
        survivor_id,
    )


async def forget(conn: Connection, workspace: str, customer_ids: Sequence[str]) -> None:
    """Erasure: the ids resolve nowhere, and the snapshots of their merges go (runtime.merge_undo)."""
    await merge_undo.forget(conn, workspace, customer_ids)
    await conn.execute(
        """DELETE FROM flywheel_merged_customers
            WHERE workspace = $1 AND (merged_id = ANY($2::text[]) OR survivor_id = ANY($2::text[]))""",
        workspace,
        list(customer_ids),
    )
