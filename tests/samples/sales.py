"""A valid `data` object for every type in contracts.sales.SALES_EVENT_TYPES."""

from __future__ import annotations

from typing import Any

_TASK: dict[str, Any] = {
    "task_id": "t_5b0c1d2e3f4a5b6c7d8e",
    "title": "Call back about the renewal",
    "assignee": "ana",
    "team": None,
    "due_at": "2026-06-02T09:00:00+00:00",
    "source": "journey",
    "customer_id": "c_01J9ZK3M4W6Q8R0T2V4X6Z8B0D",
    "deal_id": None,
}
_DEAL: dict[str, Any] = {
    "deal_id": "d_0f1e2d3c4b5a69788796",
    "pipeline_id": "repurchase_upsell",
    "customer_id": "c_01J9ZK3M4W6Q8R0T2V4X6Z8B0D",
    "owner": "ana",
    "amount": "1200.00",
    "currency": "EUR",
}
_QUOTE: dict[str, Any] = {
    "quote_id": "q_7a6b5c4d3e2f1a0b9c8d",
    "deal_id": "d_0f1e2d3c4b5a69788796",
    "customer_id": "c_01J9ZK3M4W6Q8R0T2V4X6Z8B0D",
    "discount_percent": "20",
    "threshold_percent": "15",
    "total": "960.00",
    "currency": "EUR",
}

SALES_DATA: dict[str, dict[str, Any]] = {
    "sales.task_created": _TASK,
    "sales.task_due": _TASK,
    "sales.task_overdue": {**_TASK, "source": "sop", "deal_id": "d_0f1e2d3c4b5a69788796"},
    "sales.task_completed": {**_TASK, "completed_at": "2026-06-02T08:30:00+00:00", "completed_by": "ana"},
    "sales.deal_stage_changed": {
        **_DEAL,
        "previous_stage": "qualify",
        "stage": "proposal",
        "backwards": False,
        "override_reason": "customer confirmed budget by phone",
        "overridden": ["field budget"],
    },
    "sales.deal_won": {**_DEAL, "stage": "negotiation", "reason": "accepted quote q_7a6b5c", "cycle_days": 41.5},
    "sales.deal_lost": {**_DEAL, "stage": "proposal", "reason": "went with a competitor", "cycle_days": 12.0},
    "sales.quote_approval_requested": _QUOTE,
    "sales.quote_decided": {**_QUOTE, "decision": "approved", "approver": "maria", "comment": "strategic account"},
}
