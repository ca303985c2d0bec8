"""A hostile tenant's numbers and strings against a JSON API: every leaf of a valid body, one at a time,
replaced by a value at or beyond what a column or Python holds. An answer of 500 or more is a failure (the
value should have been refused with a 4xx naming the field, or stored unchanged)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

# Within 64 bits (the gateway lets those through), but beyond int4 columns, numeric precisions,
# timedelta and date ranges; floats at the end of the double range; a string no column should take.
BOUNDARY_VALUES: tuple[Any, ...] = (
    2**31,
    -(2**31) - 1,
    2**63 - 1,
    -(2**63),
    1e308,
    -1e308,
    1e-308,
    "9" * 40,
    "x" * 100_000,
)


def leaf_paths(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """The path of every scalar in a JSON document (containers' own paths are not leaves)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaf_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaf_paths(item, (*path, index))
    else:
        yield path


def replaced(document: Any, path: tuple[str | int, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(document, dict):
        return {k: replaced(v, rest, value) if k == head else v for k, v in document.items()}
    return [replaced(v, rest, value) if i == head else v for i, v in enumerate(document)]


@dataclass(frozen=True)
class Failure:
    method: str
    url: str
    field: str
    value: str
    status: int
    answer: str

    def __str__(self) -> str:
        return f"{self.method} {self.url} {self.field}={self.value}: {self.status} {self.answer[:200]}"


async def probe(client: httpx.AsyncClient, method: str, url: str, body: Any) -> list[Failure]:
    """Send `body` with each leaf replaced by each boundary value; the answers of 500 or more (an exception
    the app raised through an in-process transport counts as a 500)."""
    failures = []
    for path in leaf_paths(body):
        for value in BOUNDARY_VALUES:
            try:
                answer = await client.request(method, url, json=replaced(body, path, value))
                status, text = answer.status_code, answer.text
            except Exception as exc:  # raised by the app under test: its 500
                status, text = 500, repr(exc)
            if status >= 500:
                shown = repr(value) if not isinstance(value, str) else f"<string of {len(value)}>"
                field = ".".join(map(str, path)) or "(body)"
                failures.append(Failure(method, url, field, shown, status, text))
    return failures
