"""A customer's facts for the data-subject export, read in key order: page by page (keyset cursors), or
all of them through a server-side cursor (runtime.export_sections). Neither holds more than a page of rows
in memory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Literal

from runtime import export_sections
from runtime.db import Connection
from runtime.export_sections import Section

SectionName = Literal["timeline", "orders", "refunds", "tickets", "survey_answers", "merges"]

SECTIONS: dict[SectionName, Section] = {
    "timeline": Section(
        "event_id, type, occurred_at, source, event, received_at",
        "timeline",
        ("occurred_at", "event_id"),
        ("timestamptz", "text"),
    ),
    "orders": Section("order_id, event_id, amount, currency, occurred_at", "orders", ("order_id",), ("text",)),
    "refunds": Section(
        "order_id, event_id, amount, occurred_at", "refunds", ("order_id", "event_id"), ("text", "text")
    ),
    "tickets": Section("ticket_id, status, status_at", "tickets", ("ticket_id",), ("text",)),
    "survey_answers": Section(
        "event_id, answered_at, source, nps, csat, survey_id, channel, comment",
        "survey_answers",
        ("event_id",),
        ("text",),
    ),
    # The customer's merges, as survivor or merged id (what joined them, what the merged side owned, how it ended).
    "merges": Section(
        "merge_id, survivor_id, merged_id, reason, cause_event_id, joined_identifiers, merged_identifiers, "
        "survivor_snapshot, merged_snapshot, merged_at, undone_at, undo_reason",
        "merges",
        ("merge_id",),
        ("text",),
        where="workspace = $1 AND (survivor_id = $2 OR merged_id = $2)",
    ),
}


async def page(
    conn: Connection, workspace: str, customer_id: str, name: SectionName, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of a section: its rows and the cursor of the next page (None on the last)."""
    return await export_sections.page(conn, SECTIONS[name], workspace, customer_id, limit, cursor)


async def every_row(
    conn: Connection, workspace: str, customer_id: str, name: SectionName, prefetch: int = 500
) -> AsyncIterator[dict[str, Any]]:
    """Every row of a section, fetched `prefetch` at a time (call inside a transaction)."""
    async for row in export_sections.every_row(conn, SECTIONS[name], workspace, customer_id, prefetch):
        yield row
