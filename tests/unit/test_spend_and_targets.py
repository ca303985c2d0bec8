"""Marketing spend rows as the CSV import reads them, and KPI targets' periods and metrics (no I/O)."""

from __future__ import annotations

import datetime as dt

import orjson
import pytest

from cli.import_rows import ImportRow, Rejected, UsageError
from cli.import_spend import columns_of, parse_row
from services.gateway.domain import parse_period


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2026", "year", dt.date(2026, 1, 1), dt.date(2027, 1, 1)),
        ("2026-Q1", "quarter", dt.date(2026, 1, 1), dt.date(2026, 4, 1)),
        ("2026-Q4", "quarter", dt.date(2026, 10, 1), dt.date(2027, 1, 1)),
        ("2026-02", "month", dt.date(2026, 2, 1), dt.date(2026, 3, 1)),
        ("2026-12", "month", dt.date(2026, 12, 1), dt.date(2027, 1, 1)),
        ("1900", "year", dt.date(1900, 1, 1), dt.date(1901, 1, 1)),
        ("2999-12", "month", dt.date(2999, 12, 1), dt.date(3000, 1, 1)),
    ],
)
def test_a_period_is_the_days_of_its_year_quarter_or_month(text: str, kind: str, start: dt.date, end: dt.date) -> None:
    period = parse_period(text)
    assert (period.kind, period.start, period.end) == (kind, start, end)


NOT_PERIODS = ["", "26", "2026-Q0", "2026-Q5", "2026-00", "2026-13", "2026-1", "3000", "1899", "2026-q4", "2026Q4"]
NOT_PERIODS += [" 2026", "2026-12-01", "\uff12\uff10\uff12\uff16", "2026\n"]  # fullwidth digits, a newline


@pytest.mark.parametrize("text", NOT_PERIODS)
def test_anything_else_is_not_a_period(text: str) -> None:
    with pytest.raises(ValueError, match="a period is"):
        parse_period(text)


COLUMNS = columns_of(["date", "channel", "campaign", "amount", "currency"])


def test_a_spend_row_becomes_the_contracts_json_with_empty_cells_left_out() -> None:
    outcome = parse_row(2, ["2026-11-01", " newsletter ", "", "12.5", ""], COLUMNS)
    assert isinstance(outcome, ImportRow)
    assert orjson.loads(outcome.value) == {"date": "2026-11-01", "channel": "newsletter", "amount": "12.5"}


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (["2026-02-30", "ads", "", "1", ""], "date"),
        (["01/11/2026", "ads", "", "1", ""], "date"),
        (["2026-11-01", "", "", "1", ""], "channel"),
        (["2026-11-01", "ads", "", "-1", ""], "amount"),
        (["2026-11-01", "ads", "", "1.005", ""], "amount"),
        (["2026-11-01", "ads", "", "", ""], "amount"),
        (["2026-11-01", "ads", "", "1", "euro"], "currency"),
        (["2026-11-01", "ads", "1"], "cells"),
    ],
)
def test_a_bad_spend_row_is_rejected_naming_the_field(cells: list[str], reason: str) -> None:
    outcome = parse_row(7, cells, COLUMNS)
    assert isinstance(outcome, Rejected) and outcome.line == 7 and reason in outcome.reason


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        (["date", "channel"], "missing column(s) amount"),
        (["date", "channel", "amount", "cost"], "unknown column"),
        (["date", "channel", "amount", "amount"], "given twice"),
    ],
)
def test_a_bad_header_stops_the_import(header: list[str], problem: str) -> None:
    with pytest.raises(UsageError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        columns_of(header)
