"""A valid `data` object for every type in contracts.scoring.SCORING_CHANGE_TYPES."""

from __future__ import annotations

from typing import Any

CUSTOMER_ID = "c_01J9ZK3M4W6Q8R0T2V4X6Z8B0D"

SCORING_DATA: dict[str, dict[str, Any]] = {
    "rfm.segment_changed": {
        "customer_id": CUSTOMER_ID,
        "previous": "Loyal",
        "current": "At Risk",
        "r": 2,
        "f": 4,
        "m": 4,
    },
    "churn.risk_changed": {
        "customer_id": CUSTOMER_ID,
        "previous": "low",
        "current": "high",
        "p_alive": 0.18,
        "reasons": ["no purchase for 94 days, 3.1x their usual gap of 30 days"],
        "predicted_clv": "1240.50",
    },
    "scores.changed": {
        "customer_id": CUSTOMER_ID,
        "previous_p_alive": 0.34,
        "p_alive": 0.29,
        "previous_predicted_clv": "1302.10",
        "predicted_clv": "1240.50",
    },
    "segment.entered": {"customer_id": CUSTOMER_ID, "segment_id": "seg_1", "segment_name": "Berlin regulars"},
    "segment.exited": {"customer_id": CUSTOMER_ID, "segment_id": "seg_1", "segment_name": "Berlin regulars"},
    "customer.dormant": {
        "customer_id": CUSTOMER_ID,
        "last_purchase_at": "2026-01-02T10:00:00Z",
        "days_since_last_purchase": 95,
        "threshold_days": 90,
        "rule": "fixed_days",
    },
    "customer.reactivated": {
        "customer_id": CUSTOMER_ID,
        "dormant_since": "2026-04-02T00:00:00Z",
        "purchased_at": "2026-05-01T10:15:00+02:00",
    },
}
