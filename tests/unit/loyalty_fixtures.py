"""Loyalty programs for the domain's unit tests: contracts/http/loyalty.py's EXAMPLE_PROGRAM, changed here and
there."""

from __future__ import annotations

import copy
from typing import Any

from contracts.http.loyalty import EXAMPLE_PROGRAM, LoyaltyProgramIn
from services.loyalty.domain.program import Program


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def program(version: int = 1, **changes: Any) -> Program:
    """EXAMPLE_PROGRAM with `changes` merged in (nested documents merged, lists replaced)."""
    return Program(version, LoyaltyProgramIn.model_validate(_merge(EXAMPLE_PROGRAM, changes)))
