"""The public API's value types now live in contracts/http/types.py, next to the request bodies built from them;
this name stays for the gateway modules that import it."""

from __future__ import annotations

from contracts.http.types import (
    CURSOR_PATTERN,
    TIME_DESCRIPTION,
    TIME_PATTERN,
    Cursor,
    DecimalForm,
    JsonBoolean,
    JsonInteger,
    JsonNumber,
    Money,
    Percent,
    RequestTime,
    Revenue,
    UnitPrice,
)

__all__ = [
    "CURSOR_PATTERN",
    "TIME_DESCRIPTION",
    "TIME_PATTERN",
    "Cursor",
    "DecimalForm",
    "JsonBoolean",
    "JsonInteger",
    "JsonNumber",
    "Money",
    "Percent",
    "RequestTime",
    "Revenue",
    "UnitPrice",
]
