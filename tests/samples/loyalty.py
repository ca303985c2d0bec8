"""Loyalty program documents the tests share, and a valid `data` object for every type in
contracts.loyalty.LOYALTY_EVENT_TYPES."""

from __future__ import annotations

from typing import Any

# A point per euro, no bonuses (the earn rules are loyalty's own tests'), so a test's expected points are plain
# arithmetic: 120 EUR earn 120 points and reach silver (from 100); gold from 500.
POINT_PER_EURO: dict[str, Any] = {
    "name": "Tea club",
    "currency": "EUR",
    "time_zone": "Europe/Berlin",
    "earn": {"points_per_unit": "1"},
    "tiers": {
        "basis": "spend",
        "window_months": 12,
        "grace_days": 30,
        "ladder": [
            {"name": "member", "threshold": "0"},
            {"name": "silver", "threshold": "100", "benefits": ["free shipping"]},
            {"name": "gold", "threshold": "500"},
        ],
    },
    "expiry": {"months": 24, "notice_days": 30},
    "redemption": {"point_value": "0.01", "min_points": 10, "max_share_of_order": "1", "hold_minutes": 30},
}


_MEMBER: dict[str, Any] = {"customer_id": "c_1", "balance": 420, "program_version": 2}
LOYALTY_DATA: dict[str, dict[str, Any]] = {
    "loyalty.points_earned": {
        **_MEMBER,
        "entry_id": "earn:order:o-17",
        "points": 120,
        "reason": "purchase",
        "order_id": "o-17",
        "expires_at": "2028-05-01T22:00:00Z",
    },
    "loyalty.points_redeemed": {
        **_MEMBER,
        "entry_id": "redeem:rd_1",
        "redemption_id": "rd_1",
        "points": 500,
        "order_id": "o-18",
        "value": "5.00",
        "currency": "EUR",
    },
    "loyalty.points_reversed": {
        **_MEMBER,
        "entry_id": "reverse:refund:o-17:1",
        "points": -48,
        "reason": "refund of order o-17 (40.00 of 100.00)",
        "order_id": "o-17",
    },
    "loyalty.points_adjusted": {**_MEMBER, "entry_id": "merge:c_2", "points": 300, "reason": "merged with c_2"},
    "loyalty.points_expiring": {
        **_MEMBER,
        "lot_id": "earn:order:o-17",
        "points": 80,
        "expires_at": "2028-05-01T22:00:00Z",
    },
    "loyalty.points_expired": {
        **_MEMBER,
        "entry_id": "expire:earn:order:o-17",
        "lot_id": "earn:order:o-17",
        "points": 80,
    },
    "loyalty.tier_changed": {
        **_MEMBER,
        "previous": "member",
        "current": "silver",
        "direction": "up",
        "qualifying_value": "520.00",
        "reason": "qualifying spend 520.00 reached silver (500)",
    },
}
