"""Numbers a JSON body may hold: what every store and encoder of Flywheel can carry unchanged.

JSON itself has no limits, but what reads it does: orjson (every service's encoder) refuses integers beyond
64 bits, turns them into floats when decoding, and writes NaN and infinities as null; Python's json module
accepts `NaN`, `Infinity` and `1e999` (as inf). Such a number in a tenant's document would be a 500 in one
place and a silently changed value in another, so it is refused at the door with a 422 naming the field.

The check costs one regular-expression scan of the body (linear, in C) unless the body holds a run of 19 or
more digits, a three-digit exponent, `NaN` or `Infinity`; only then is it parsed and walked (still linear)
to name the fields. Digits inside strings (order numbers, phone numbers) only cost that second look.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
_SUSPECT = re.compile(rb"\d{19,}|[eE][+-]?\d{3,}|NaN|Infinity")
_MAX_REPORTED = 20


class _NotJson(Exception):
    pass


def _refuse_constant(name: str) -> Any:
    raise _NotJson(name)


def number_problems(body: bytes, root: str = "body") -> list[dict[str, str]]:
    """Field errors (`{"field", "message"}`) for every number of `body` outside what Flywheel holds: integers
    beyond 64 bits signed, and NaN or infinite numbers. An empty list when there are none, or when the body
    is not JSON at all (the endpoint's own parsing answers that)."""
    if not _SUSPECT.search(body):
        return []
    problems: list[dict[str, str]] = []
    try:
        document = json.loads(body, parse_constant=_refuse_constant)
    except _NotJson as exc:
        return [{"field": root, "message": f"{exc} is not a JSON number; send a finite number"}]
    except (ValueError, RecursionError):
        return []
    stack: list[tuple[str, Any]] = [(root, document)]
    while stack and len(problems) < _MAX_REPORTED:
        path, value = stack.pop()
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            if not INT64_MIN <= value <= INT64_MAX:
                problems.append({"field": path, "message": "integer out of range: at most 64 bits (-2^63 to 2^63-1)"})
        elif isinstance(value, float):
            if not math.isfinite(value):
                problems.append({"field": path, "message": "number out of range: it must be finite"})
        elif isinstance(value, dict):
            stack.extend((f"{path}.{key}", item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((f"{path}.{index}", item) for index, item in reversed(list(enumerate(value))))
    problems.sort(key=lambda p: p["field"])
    return problems
