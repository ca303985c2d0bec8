"""Profile's read queries: the customer view, the timeline pages and the data-subject export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from runtime.db import Connection
from runtime.pagination import BadCursor, decode_cursor, encode_cursor
from services.profile.domain import IDENTIFIER_KINDS, average_order_value
from services.profile.store import resolve_id


async def find_by_identifier(conn: Connection, workspace: str, kind: str, value: str) -> str | None:
    customer_id: str | None = await conn.fetchval(
        "SELECT customer_id FROM identifiers WHERE workspace = $1 AND kind = $2 AND value = $3", workspace, kind, value
    )
    return customer_id


async def customer_view(conn: Connection, workspace: str, customer_id: str) -> dict[str, Any] | None:
    live = await resolve_id(conn, workspace, customer_id)
    if live is None:
        return None
    row = await conn.fetchrow(
        """SELECT c.*,
                  (SELECT coalesce(json_agg(json_build_array(i.kind, i.value) ORDER BY i.created_at), '[]')
                     FROM identifiers i WHERE i.workspace = c.workspace AND i.customer_id = c.customer_id) AS ids,
                  (SELECT coalesce(array_agg(m.customer_id ORDER BY m.customer_id), '{}')
                     FROM customers m WHERE m.workspace = c.workspace AND m.merged_into = c.customer_id) AS merged_ids
             FROM customers c WHERE c.workspace = $1 AND c.customer_id = $2""",
        workspace,
        live,
    )
    assert row is not None
    identifiers: dict[str, list[str]] = {kind: [] for kind in IDENTIFIER_KINDS}
    for kind, value in row["ids"]:
        identifiers[kind].append(value)
    return {
        "customer_id": row["customer_id"],
        "identifiers": identifiers,
        "traits": row["traits"],
        "tags": list(row["tags"]),
        "stats": {
            "orders": row["orders"],
            "revenue": row["revenue"],
            "average_order_value": average_order_value(row["revenue"], row["orders"]),
            "first_purchase_at": row["first_purchase_at"],
            "last_purchase_at": row["last_purchase_at"],
            "visits": row["visits"],
            "last_visit_at": row["last_visit_at"],
            "open_tickets": row["open_tickets"],
            "last_nps": row["last_nps"],
            "average_csat": round(row["csat_sum"] / row["csat_count"], 2) if row["csat_count"] else None,
        },
        "merged_ids": list(row["merged_ids"]),
        "first_seen_at": row["first_seen_at"],
        "last_event_at": row["last_event_at"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def timeline_key(cursor: str) -> tuple[dt.datetime, str]:
    """The (occurred_at, event_id) after which a timeline page starts."""
    occurred_at, event_id = decode_cursor(cursor, 2)
    try:
        return dt.datetime.fromisoformat(occurred_at), event_id
    except ValueError:
        raise BadCursor() from None


async def timeline_page(
    conn: Connection, workspace: str, customer_id: str, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    params: list[Any] = [workspace, customer_id, limit + 1]
    condition = ""
    if cursor:
        params.extend(timeline_key(cursor))
        condition = "AND (occurred_at, event_id) < ($4, $5)"
    rows = await conn.fetch(
        f"""SELECT event_id, type, occurred_at, source, event -> 'data' AS data, received_at FROM timeline
             WHERE workspace = $1 AND customer_id = $2 {condition}
             ORDER BY occurred_at DESC, event_id DESC LIMIT $3""",  # noqa: S608 - condition is a fixed string
        *params,
    )
    items = [dict(r) for r in rows[:limit]]
    last = rows[limit - 1] if len(rows) > limit else None
    next_cursor = encode_cursor(last["occurred_at"].isoformat(), last["event_id"]) if last else None
    return items, next_cursor


async def export(conn: Connection, workspace: str, customer_id: str) -> dict[str, Any] | None:
    view = await customer_view(conn, workspace, customer_id)
    if view is None:
        return None
    live = view["customer_id"]
    facts: dict[str, Any] = {}
    for name, sql in (
        ("timeline", "SELECT event_id, type, occurred_at, source, event, received_at FROM timeline"),
        ("orders", "SELECT order_id, event_id, amount, currency, occurred_at FROM orders"),
        ("refunds", "SELECT order_id, event_id, amount, occurred_at FROM refunds"),
        ("tickets", "SELECT ticket_id, status, status_at FROM tickets"),
    ):
        rows = await conn.fetch(f"{sql} WHERE workspace = $1 AND customer_id = $2 ORDER BY 1", workspace, live)
        facts[name] = [dict(r) for r in rows]
    return {"customer": view, **facts, "exported_at": dt.datetime.now(dt.UTC)}
