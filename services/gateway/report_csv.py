"""Every report as CSV (`Accept: text/csv`): a report flattens itself to rows of named cells, and this module
writes them. Cells a workspace wrote (channel and campaign names, segment names) could be read by a spreadsheet as
formulas, so a cell starting with one of = + - @ (or a tab or carriage return) is prefixed with a quote, as OWASP
recommends for CSV injection; numbers the report computed are written as they are."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from fastapi import Request
from fastapi.responses import Response

CSV_MEDIA_TYPE = "text/csv"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float | Decimal | date | datetime | bool | None


def wants_csv(request: Request) -> bool:
    """Whether the client asked for CSV: `text/csv` in Accept before any JSON type (no q-value arithmetic: a
    client asking for CSV names it)."""
    accept = request.headers.get("accept", "").lower()
    csv_at = accept.find(CSV_MEDIA_TYPE)
    if csv_at < 0:
        return False
    json_at = accept.find("application/json")
    return json_at < 0 or csv_at < json_at


def _cell(value: Cell) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, Cell]]) -> str:
    """The rows as CSV with a header of `columns` (a cell a row lacks is empty)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return out.getvalue()


def csv_response(name: str, columns: Sequence[str], rows: Iterable[Mapping[str, Cell]]) -> Response:
    """A CSV answer named `name`.csv for download."""
    return Response(
        csv_text(columns, rows),
        media_type=f"{CSV_MEDIA_TYPE}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
