"""Budgets the services apply to what a tenant sends, beyond what JSON itself limits.

- Numbers are bounded to the columns that keep them (`INT4_MAX` for `integer` columns and the counts
  compared with them), so a value a tenant may legally send as JSON never fails an insert with a 500.
- Times are bounded to [1900-01-01, 3000-01-01) UTC: far beyond any business date, and far enough from
  Python's and asyncpg's limits (years 1 and 9999) that converting to UTC or adding a window never overflows.
- Free-form JSON values (traits, deal fields, rule values) are bounded in size (bytes of compact JSON)
  and nesting, and may hold only numbers every encoder keeps (64-bit integers, finite floats).

A refusal says what is wrong without quoting the value: it may be large, or personal data.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any

import orjson
from pydantic import AfterValidator, AwareDatetime

INT4_MAX = 2**31 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(3000, 1, 1, tzinfo=dt.UTC)


def time_in_range(value: dt.datetime) -> dt.datetime:
    """`value` when it is in [EARLIEST, LATEST); ValueError (a 422 from pydantic) otherwise."""
    if not EARLIEST <= value < LATEST:
        raise ValueError(f"time out of range: from {EARLIEST:%Y-%m-%d} to before {LATEST:%Y-%m-%d} (UTC)")
    return value


BoundedTime = Annotated[AwareDatetime, AfterValidator(time_in_range)]
"""An aware datetime in [1900-01-01, 3000-01-01) UTC (for bodies and query parameters alike)."""


def json_value_problem(value: Any, *, max_bytes: int, max_depth: int) -> str | None:
    """Why a JSON value is over its budget, or None: nested deeper than `max_depth` containers, holding an
    integer beyond 64 bits or a number that is not finite, or longer than `max_bytes` as compact JSON.

    Linear in the value's size; nesting is measured before encoding, so the encoder never recurses deeper
    than `max_depth`."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth + 1 > max_depth:
                return f"nested deeper than {max_depth} levels"
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(item, bool):
            continue
        elif isinstance(item, int):
            if not INT64_MIN <= item <= INT64_MAX:
                return "holds an integer beyond 64 bits"
        elif isinstance(item, float) and not math.isfinite(item):
            return "holds a number that is not finite"
    size = len(orjson.dumps(value))
    if size > max_bytes:
        return f"is {size} bytes as JSON, more than {max_bytes}"
    return None


def bounded_json(*, max_bytes: int, max_depth: int) -> AfterValidator:
    """A pydantic validator applying `json_value_problem` (use as `Annotated[JsonValue, bounded_json(...)]`)."""

    def check(value: Any) -> Any:
        problem = json_value_problem(value, max_bytes=max_bytes, max_depth=max_depth)
        if problem:
            raise ValueError(f"value {problem}")
        return value

    return AfterValidator(check)
