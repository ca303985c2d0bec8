"""A valid `data` object for every type in contracts.referral.REFERRAL_EVENT_TYPES."""

from __future__ import annotations

from typing import Any

REFERRAL_DATA: dict[str, dict[str, Any]] = {}
