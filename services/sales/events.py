"""Sales events as outbox messages: validated against their contract, keyed by the customer, with ids
derived from what caused them (so a replay de-duplicates downstream)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from contracts.codec import encode
from contracts.envelope import CONTENT_TYPE
from contracts.sales import SALES_EVENT_TYPES
from contracts.topics import SALES_EVENTS
from runtime.outbox import OutboundMessage
from runtime.telemetry import inject_headers

SOURCE = "flywheel.sales"


def stable_id(prefix: str, workspace: str, *parts: object) -> str:
    """A short id derived from the natural key it stands for (same key, same id)."""
    digest = hashlib.sha256(":".join([workspace, *map(str, parts)]).encode()).hexdigest()
    return f"{prefix}_{digest[:20]}"


def sales_event(
    workspace: str, event_type: str, event_id: str, data: dict[str, Any], now: dt.datetime
) -> OutboundMessage:
    envelope = SALES_EVENT_TYPES[event_type].model_validate(
        {
            "specversion": "1.0",
            "id": event_id,
            "source": SOURCE,
            "type": event_type,
            "time": now,
            "workspace": workspace,
            "datacontenttype": "application/json",
            "data": data,
        }
    )
    key = f"{workspace}:{data.get('customer_id') or '-'}".encode()
    headers = inject_headers([("content-type", CONTENT_TYPE.encode())])
    return OutboundMessage(SALES_EVENTS, key, encode(envelope), headers)


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
