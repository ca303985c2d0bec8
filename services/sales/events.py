"""Sales events as outbox messages: validated against their contract, keyed by the customer, with ids
derived from what caused them (so a replay de-duplicates downstream)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from contracts.sales import SALES_EVENT_TYPES
from contracts.topics import SALES_EVENTS
from runtime.outbox import OutboundMessage, event_message

SOURCE = "flywheel.sales"


def stable_id(prefix: str, workspace: str, *parts: object) -> str:
    """A short id derived from the natural key it stands for (same key, same id)."""
    digest = hashlib.sha256(":".join([workspace, *map(str, parts)]).encode()).hexdigest()
    return f"{prefix}_{digest[:20]}"


def sales_event(
    workspace: str, event_type: str, event_id: str, data: dict[str, Any], now: dt.datetime
) -> OutboundMessage:
    customer_id = data.get("customer_id") or "-"
    return event_message(
        SALES_EVENTS,
        SOURCE,
        workspace,
        event_type,
        event_id,
        customer_id,
        data,
        now,
        model=SALES_EVENT_TYPES[event_type],
    )


def task_data(row: Any) -> dict[str, Any]:
    return {
        "task_id": row["task_id"],
        "title": row["title"],
        "assignee": row["assignee"],
        "team": row["team"],
        "due_at": row["due_at"],
        "source": row["source"],
        "customer_id": row["customer_id"],
        "deal_id": row["deal_id"],
    }


def task_event(workspace: str, event_type: str, row: Any, now: dt.datetime, **extra: Any) -> OutboundMessage:
    return sales_event(workspace, event_type, f"{event_type}:{row['task_id']}", {**task_data(row), **extra}, now)


def deal_data(row: Any) -> dict[str, Any]:
    return {
        "deal_id": row["deal_id"],
        "pipeline_id": row["pipeline_id"],
        "customer_id": row["customer_id"],
        "owner": row["owner"],
        "amount": str(row["amount"]),
        "currency": row["currency"],
    }
