"""A custom event type (a workspace's tracking plan) for the tests: its schema and valid data."""

from __future__ import annotations

from typing import Any

CART_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "cart": {
            "type": "object",
            "properties": {
                "total": {"type": "number", "minimum": 0},
                "items": {"type": "integer", "minimum": 1},
                "sku": {"type": "string", "pattern": "^[A-Z]{2}-[0-9]+$"},
            },
            "required": ["total"],
        },
        "url": {"type": "string", "maxLength": 2048},
    },
    "required": ["cart"],
}
CART_DATA: dict[str, Any] = {"customer": {"email": "ada@example.com"}, "cart": {"total": 59.9, "items": 2}}
