"""Every event sales publishes, as outbox messages: validated against their contract (the whole envelope),
keyed by the customer, with ids derived from what caused them (so a replay de-duplicates downstream)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from contracts.sales import SALES_EVENT_TYPES
from contracts.topics import SALES_EVENTS
from runtime.outbox import OutboundMessage, event_message
from services.sales.deal_store import Deal
from services.sales.task_store import Task

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


def task_data(task: Task) -> dict[str, Any]:
    return {
        "task_id": task.task_id,
        "title": task.title,
        "assignee": task.assignee,
        "team": task.team,
        "due_at": task.due_at,
        "source": task.source,
        "customer_id": task.customer_id,
        "deal_id": task.deal_id,
        **({"churn_reasons": task.churn_reasons} if task.churn_reasons else {}),
        **({"predicted_clv": str(task.predicted_clv)} if task.predicted_clv is not None else {}),
    }


def task_event(workspace: str, event_type: str, task: Task, now: dt.datetime, **extra: Any) -> OutboundMessage:
    return sales_event(workspace, event_type, f"{event_type}:{task.task_id}", {**task_data(task), **extra}, now)


def deal_data(deal: Deal) -> dict[str, Any]:
    return {
        "deal_id": deal.deal_id,
        "pipeline_id": deal.pipeline_id,
        "customer_id": deal.customer_id,
        "owner": deal.owner,
        "amount": str(deal.amount),
        "currency": deal.currency,
    }
