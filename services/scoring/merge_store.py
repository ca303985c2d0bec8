"""Undone merges in scoring: what a fold changes, kept per merge (runtime.merge_undo), and given back to both
customers on `profile.unmerged`; SQL only (called by service.py)."""

from __future__ import annotations

from collections.abc import Sequence

from runtime import merge_undo
from runtime.db import Connection
from services.scoring.store import recount_open_tickets

# What a fold changes, kept per merge for an undo (runtime.merge_undo). A membership of a segment deleted since
# the merge does not come back.
FOLDED = (
    merge_undo.FoldedTable("customers"),
    merge_undo.FoldedTable("purchase_days"),
    merge_undo.FoldedTable("visit_days"),
    merge_undo.FoldedTable("reactivations"),
    merge_undo.FoldedTable("orders"),
    merge_undo.FoldedTable("tickets"),
    merge_undo.FoldedTable("nps_answers"),
    merge_undo.FoldedTable("event_counts"),
    merge_undo.FoldedTable(
        "segment_members",
        keep_if="EXISTS (SELECT 1 FROM segments g WHERE g.workspace = s.workspace AND g.segment_id = s.segment_id)",
    ),
)


async def keep_for_undo(conn: Connection, workspace: str, merge_id: str, survivor_id: str, merged_id: str) -> None:
    """Both customers' rows, before the fold changes them."""
    await merge_undo.capture(conn, workspace, merge_id, survivor_id, merged_id, FOLDED)


async def restore_merged(
    conn: Connection, workspace: str, merge_id: str, survivor_id: str, restored_id: str, event_ids: Sequence[str]
) -> tuple[merge_undo.Restore, dict[str, set[str]], dict[str, set[str]]]:
    """An undone merge: both customers' rows as before it (runtime.merge_undo), then the NPS answers of
    `event_ids` (given after the merge by the restored customer) go back to it, and each one's latest answer
    is its last NPS again; returns the outcome and each one's segment ids before and after (what to announce)."""
    ids = [survivor_id, restored_id]
    before = await _segments_of(conn, workspace, ids)
    outcome = await merge_undo.restore(conn, workspace, merge_id, survivor_id, restored_id, FOLDED)
    await conn.execute(
        """UPDATE nps_answers SET customer_id = $3
            WHERE workspace = $1 AND customer_id = $2 AND event_id = ANY($4::text[])""",
        workspace,
        survivor_id,
        restored_id,
        list(event_ids),
    )
    await conn.execute(
        """UPDATE customers AS c SET last_nps = a.nps, last_nps_at = a.answered_at
             FROM (SELECT DISTINCT ON (customer_id) customer_id, nps, answered_at FROM nps_answers
                    WHERE workspace = $1 AND customer_id = ANY($2::text[])
                    ORDER BY customer_id, answered_at DESC, event_id DESC) AS a
            WHERE c.workspace = $1 AND c.customer_id = a.customer_id
              AND (c.last_nps_at IS NULL OR a.answered_at > c.last_nps_at)""",
        workspace,
        ids,
    )
    await recount_open_tickets(conn, workspace, ids)
    return outcome, before, await _segments_of(conn, workspace, ids)


async def _segments_of(conn: Connection, workspace: str, customer_ids: Sequence[str]) -> dict[str, set[str]]:
    rows = await conn.fetch(
        "SELECT customer_id, segment_id FROM segment_members WHERE workspace = $1 AND customer_id = ANY($2::text[])",
        workspace,
        list(customer_ids),
    )
    found: dict[str, set[str]] = {c: set() for c in customer_ids}
    for r in rows:
        found[r["customer_id"]].add(r["segment_id"])
    return found
