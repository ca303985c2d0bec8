"""A customer's facts for the data-subject export, read in key order: page by page (keyset cursors), or
all of them through a server-side cursor. Neither holds more than a page of rows in memory."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Literal

from runtime.db import Connection
from runtime.pagination import BadCursor, decode_cursor, encode_cursor

SectionName = Literal["timeline", "orders", "refunds", "tickets"]


@dataclass(frozen=True)
class Section:
    """One table of facts: its columns, and the key it is read in order of (each served by an index)."""

    columns: str
    table: str
    key: tuple[str, ...]
    key_types: tuple[str, ...]

    def select(self, after: bool) -> str:
        """Rows of customer $2 of workspace $1 in key order; with `after`, those past the key in $3, $4..."""
        order = ", ".join(self.key)
        condition = ""
        if after:
            values = ", ".join(f"${i + 3}::{t}" for i, t in enumerate(self.key_types))
            condition = f"AND ({order}) > ({values})"
        return (
            f"SELECT {self.columns} FROM {self.table} WHERE workspace = $1 AND customer_id = $2 {condition} "  # noqa: S608
            f"ORDER BY {order}"
        )


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
}


def _key_values(section: Section, cursor: str) -> list[Any]:
    values: list[Any] = decode_cursor(cursor, len(section.key))
    try:
        return [
            dt.datetime.fromisoformat(v) if t == "timestamptz" else v
            for v, t in zip(values, section.key_types, strict=True)
        ]
    except ValueError:
        raise BadCursor() from None


def _cursor_of(section: Section, row: dict[str, Any]) -> str:
    return encode_cursor(
        *(
            row[k].isoformat() if t == "timestamptz" else row[k]
            for k, t in zip(section.key, section.key_types, strict=True)
        )
    )


async def page(
    conn: Connection, workspace: str, customer_id: str, name: SectionName, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of a section: its rows and the cursor of the next page (None on the last)."""
    section = SECTIONS[name]
    after = _key_values(section, cursor) if cursor else []
    rows = await conn.fetch(f"{section.select(bool(after))} LIMIT {int(limit) + 1}", workspace, customer_id, *after)
    items = [dict(r) for r in rows[:limit]]
    return items, _cursor_of(section, items[-1]) if len(rows) > limit else None


async def every_row(
    conn: Connection, workspace: str, customer_id: str, name: SectionName, prefetch: int = 500
) -> AsyncIterator[dict[str, Any]]:
    """Every row of a section, fetched `prefetch` at a time (call inside a transaction)."""
    async for row in conn.cursor(SECTIONS[name].select(False), workspace, customer_id, prefetch=prefetch):
        yield dict(row)
