"""Loyalty program documents the tests share."""

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
