"""Opaque cursors for keyset pagination: the sort key of the last item of a page, base64url JSON."""

from __future__ import annotations

import base64
from typing import Any

import orjson

from runtime.problems import ProblemError


class BadCursor(ProblemError):
    def __init__(self) -> None:
        message = "cursor is not one this API returned"
        super().__init__(422, message, errors=[{"field": "cursor", "message": message}])


def encode_cursor(*key: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(key)).decode()


def decode_cursor(cursor: str, parts: int) -> list[Any]:
    """The key an earlier page's `next_cursor` holds; BadCursor (a 422) for anything else."""
    try:
        key = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError):
        raise BadCursor() from None
    if not isinstance(key, list) or len(key) != parts or not all(isinstance(k, str) for k in key):
        raise BadCursor()
    return key
