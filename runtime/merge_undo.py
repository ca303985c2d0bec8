"""Undoable folds of `profile.merged`: what each service's fold changed, kept so `profile.unmerged` gives both
customers their rows back. Written once, used by every service that folds merges (scoring, journey, referral,
sales, loyalty); see also runtime.merges (where merged ids went).

At merge time (`capture`, just before the fold), the rows of BOTH customers in each table the service's fold
touches are kept as JSON (`to_jsonb` of each row, in SQL: numbers and times keep their exact values), per
(workspace, merge_id) in `flywheel_merge_snapshots`. A `profile.merged` without a `merge_id` (sent before
merges could be undone) is kept under `merge_id_of(survivor, merged)`, a hash of the pair; an undo finds it by
that id too, whatever id profile gives the undo. A snapshot is found only for its own pair (survivor and
restored id), so an undo naming other customers than its merge's finds nothing. A pair merged again after an
undo is kept again under the same id (the restored snapshot is replaced).

On `profile.unmerged` (`restore`), each table gets its snapshot rows back:
- rows the fold re-keyed (a primary key naming the merged customer, rewritten to the survivor: a category, a
  touch, a customer row) are deleted, then every snapshot row is written back by its primary key (inserted
  where the fold deleted it, overwritten where it changed it). Rows written after the merge under keys the
  snapshot does not hold stay where they are: the service moves those of `restored_event_ids` itself.
- a table declared `links_only` (deals, tasks: rows that live on after the merge, moved by stage or status)
  gets back only its customer columns, so what happened to the row after the merge is kept; but rows its
  `revive_if` picks (journey's enrolments the fold ended) get their whole snapshot row back.
The merged id then resolves to itself again (its `flywheel_merged_customers` row goes; the ids merged into it
before point back at it, being part of the snapshot). A second restore of the same merge (a redelivery, a
second undo event) finds `restored_at` set and changes nothing. A merge whose snapshot is missing (never seen
by this service, older than the retention, or over the budget) restores nothing: the caller applies the rest
and logs it.

Retention: snapshots older than `merge_undo_retention_days` (runtime settings) are pruned with the processed
event ids; after that an undo cannot give this service's rows back (profile should refuse undo past that age).
An erasure of either customer deletes the merge's snapshot (runtime.merges.forget calls `forget`).
"""

from __future__ import annotations

import enum
import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import asyncpg

from runtime.db import Connection

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FoldedTable:
    """A table a service's fold changes: the columns that name a customer, and whether an undo gives back
    whole rows (the default) or only those columns (`links_only`). `keep_if`: a condition on a snapshot row `s`
    for it to come back (a row whose parent is gone since, e.g. a deleted segment's membership, stays gone)."""

    name: str
    customer_columns: tuple[str, ...] = ("customer_id",)
    links_only: bool = False
    keep_if: str = "true"
    revive_if: str = "false"  # links_only: rows (now `t`, then `s`) that get their whole snapshot row back


MERGED_CUSTOMERS = FoldedTable("flywheel_merged_customers", ("merged_id", "survivor_id"))
MAX_SNAPSHOT_ROWS = 100_000  # rows of both customers one service keeps for one merge (a tenant's budget)


class Restore(enum.Enum):
    RESTORED = "restored from the snapshot"
    ALREADY = "already restored: nothing changed"
    MISSING = "no snapshot (merge never seen here, or older than the retention)"


def merge_id_of(survivor_id: str, merged_id: str, merge_id: str | None) -> str:
    """The merge's id, or for a `profile.merged` without one, an id derived from the pair (stable, 64 chars at
    most, distinct from profile's `m_...` ids)."""
    if merge_id:
        return merge_id
    return "pair_" + hashlib.sha256(f"{survivor_id}\x1f{merged_id}".encode()).hexdigest()[:40]


async def capture(
    conn: Connection,
    workspace: str,
    merge_id: str,
    survivor_id: str,
    merged_id: str,
    tables: Sequence[FoldedTable],
) -> bool:
    """Keep both customers' rows of `tables` (and the merge redirects naming them) before the fold changes them.
    The first capture of a merge wins (a redelivered merge finds its rows already folded). A merge whose rows
    are over the budget (MAX_SNAPSHOT_ROWS: a tenant's customer with a huge history) is not kept, and logged:
    its undo will give this service's rows back to nobody. Returns whether this capture was taken."""
    if await conn.fetchval(
        """SELECT 1 FROM flywheel_merge_snapshots
            WHERE workspace = $1 AND merge_id = $2 AND restored_at IS NULL""",
        workspace,
        merge_id,
    ):
        return False
    parts: list[str] = []
    counts: list[str] = []
    for table in (*tables, MERGED_CUSTOMERS):
        match = " OR ".join(f"t.{column} = ANY($2::text[])" for column in table.customer_columns)
        where = f"FROM {table.name} AS t WHERE t.workspace = $1 AND ({match})"
        parts.append(f"'{table.name}', (SELECT coalesce(jsonb_agg(to_jsonb(t)), '[]'::jsonb) {where})")
        counts.append(f"(SELECT count(*) {where})")
    rows: int = await conn.fetchval(
        f"SELECT {' + '.join(counts)}",
        workspace,
        [survivor_id, merged_id],
    )
    if rows > MAX_SNAPSHOT_ROWS:
        log.warning(
            "merge too large to keep for an undo",
            extra={"workspace": workspace, "merge_id": merge_id, "rows": rows, "budget": MAX_SNAPSHOT_ROWS},
        )
        return False
    status: str = await conn.execute(
        f"""INSERT INTO flywheel_merge_snapshots (workspace, merge_id, survivor_id, merged_id, tables)
            SELECT $1, $3, $4, $5, jsonb_build_object({", ".join(parts)})
            ON CONFLICT (workspace, merge_id) DO UPDATE SET
              survivor_id = excluded.survivor_id, merged_id = excluded.merged_id, tables = excluded.tables,
              taken_at = now(), restored_at = NULL
            WHERE flywheel_merge_snapshots.restored_at IS NOT NULL""",  # the pair merged again after an undo
        workspace,
        [survivor_id, merged_id],
        merge_id,
        survivor_id,
        merged_id,
    )
    return status.endswith(" 1")


async def restore(
    conn: Connection,
    workspace: str,
    merge_id: str,
    survivor_id: str,
    restored_id: str,
    tables: Sequence[FoldedTable],
) -> Restore:
    """Give both customers their rows of `tables` back as the snapshot of the merge holds them, and let the
    restored id resolve to itself again (always, even without a snapshot)."""
    row = await conn.fetchrow(  # a merge sent without its id was kept under the pair's (merge_id_of)
        """SELECT merge_id, restored_at IS NOT NULL AS done FROM flywheel_merge_snapshots
            WHERE workspace = $1 AND merge_id = ANY($2::text[]) AND survivor_id = $3 AND merged_id = $4
            ORDER BY merge_id = $5 DESC LIMIT 1 FOR UPDATE""",
        workspace,
        [merge_id, merge_id_of(survivor_id, restored_id, None)],
        survivor_id,
        restored_id,
        merge_id,
    )
    outcome = Restore.MISSING if row is None else Restore.ALREADY if row["done"] else Restore.RESTORED
    if row is not None and outcome is Restore.RESTORED:
        for table in (*tables, MERGED_CUSTOMERS):
            await _restore_table(conn, workspace, row["merge_id"], table, survivor_id, restored_id)
        await conn.execute(
            "UPDATE flywheel_merge_snapshots SET restored_at = now() WHERE workspace = $1 AND merge_id = $2",
            workspace,
            row["merge_id"],
        )
    if outcome is not Restore.ALREADY:
        await conn.execute(
            "DELETE FROM flywheel_merged_customers WHERE workspace = $1 AND merged_id = $2", workspace, restored_id
        )
    return outcome


async def _columns(conn: Connection, table: str) -> list[asyncpg.Record]:
    rows: list[asyncpg.Record] = await conn.fetch(
        """SELECT a.attname AS name, coalesce(a.attnum = ANY(i.indkey), false) AS in_key
             FROM pg_attribute AS a
             LEFT JOIN pg_index AS i ON i.indrelid = a.attrelid AND i.indisprimary
            WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
            ORDER BY a.attnum""",
        table,
    )
    return rows


async def _restore_table(
    conn: Connection, workspace: str, merge_id: str, table: FoldedTable, survivor_id: str, merged_id: str
) -> None:
    columns = await _columns(conn, table.name)
    key = [c["name"] for c in columns if c["in_key"]]
    names = [c["name"] for c in columns]
    rows = (
        f"jsonb_populate_recordset(NULL::{table.name}, (SELECT tables -> '{table.name}'"  # noqa: S608 (constant names)
        " FROM flywheel_merge_snapshots WHERE workspace = $1 AND merge_id = $2))"
    )
    if not key:  # no primary key: the customers' rows are replaced as a whole
        match = " OR ".join(f"{column} = ANY($2::text[])" for column in table.customer_columns)
        await conn.execute(
            f"DELETE FROM {table.name} WHERE workspace = $1 AND ({match})",  # noqa: S608
            workspace,
            [survivor_id, merged_id],
        )
        await conn.execute(
            f"INSERT INTO {table.name} ({', '.join(names)}) SELECT {', '.join(names)} FROM {rows} AS s"  # noqa: S608
            f" WHERE {table.keep_if}",
            workspace,
            merge_id,
        )
        return
    if not table.links_only and set(key) & set(table.customer_columns):  # the fold may have re-keyed rows
        mapped = [
            f"CASE WHEN s.{k} = $4 THEN $3 ELSE s.{k} END" if k in table.customer_columns else f"s.{k}" for k in key
        ]
        own = ", ".join(f"s.{k}" for k in key)
        await conn.execute(
            f"""DELETE FROM {table.name} AS t USING {rows} AS s
                 WHERE t.workspace = $1 AND ({", ".join(f"t.{k}" for k in key)}) = ({", ".join(mapped)})
                   AND ({", ".join(mapped)}) IS DISTINCT FROM ({own})""",  # noqa: S608 (constant names)
            workspace,
            merge_id,
            survivor_id,
            merged_id,
        )
    written = table.customer_columns if table.links_only else [n for n in names if n not in key]
    update = ", ".join(f"{n} = excluded.{n}" for n in written)
    conflict = f"DO UPDATE SET {update}" if update else "DO NOTHING"
    if table.links_only:  # only rows still there: what the service deleted since stays deleted
        every = [n for n in names if n not in key]
        await conn.execute(
            f"""UPDATE {table.name} AS t SET {", ".join(f"{n} = s.{n}" for n in every)} FROM {rows} AS s
                 WHERE t.workspace = $1 AND ({", ".join(f"t.{k}" for k in key)}) = ({", ".join(f"s.{k}" for k in key)})
                   AND ({table.revive_if})""",  # noqa: S608 (constant names)
            workspace,
            merge_id,
        )
        await conn.execute(
            f"""UPDATE {table.name} AS t SET {", ".join(f"{n} = s.{n}" for n in written)} FROM {rows} AS s
                 WHERE t.workspace = $1 AND ({", ".join(f"t.{k}" for k in key)}) = ({", ".join(f"s.{k}" for k in key)})""",  # noqa: S608, E501
            workspace,
            merge_id,
        )
        return
    await conn.execute(
        f"""INSERT INTO {table.name} ({", ".join(names)}) SELECT {", ".join(names)} FROM {rows} AS s
             WHERE {table.keep_if} ON CONFLICT ({", ".join(key)}) {conflict}""",  # noqa: S608 (constant names)
        workspace,
        merge_id,
    )


async def forget(conn: Connection, workspace: str, customer_ids: Iterable[str]) -> None:
    """An erasure of either customer of a merge drops its snapshot."""
    await conn.execute(
        """DELETE FROM flywheel_merge_snapshots
            WHERE workspace = $1 AND (survivor_id = ANY($2::text[]) OR merged_id = ANY($2::text[]))""",
        workspace,
        sorted(set(customer_ids)),
    )


async def prune(pool: asyncpg.Pool, retention_days: int) -> int:
    """Drop snapshots older than the retention; returns how many went."""
    status: str = await pool.execute(
        "DELETE FROM flywheel_merge_snapshots WHERE taken_at < now() - make_interval(days => $1)", retention_days
    )
    return int(status.rsplit(maxsplit=1)[-1])
