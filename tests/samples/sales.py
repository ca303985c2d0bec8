"""A valid `data` object for every type in contracts.sales.SALES_EVENT_TYPES."""

from __future__ import annotations

from typing import Any

SALES_DATA: dict[str, dict[str, Any]] = {}
