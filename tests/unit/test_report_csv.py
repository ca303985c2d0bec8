"""The reports' CSV: header, cells, and no formula a spreadsheet would run from a workspace's names."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from services.gateway.report_csv import csv_text


def test_rows_under_a_header_with_missing_cells_empty() -> None:
    text = csv_text(["channel", "spend", "cac"], [{"channel": "newsletter", "spend": Decimal("10.50"), "cac": None}])
    assert list(csv.reader(io.StringIO(text))) == [["channel", "spend", "cac"], ["newsletter", "10.50", ""]]


def test_a_name_a_spreadsheet_would_run_is_quoted_out() -> None:
    hostile = ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx"]
    text = csv_text(["channel"], [{"channel": name} for name in hostile])
    cells = [row[0] for row in csv.reader(io.StringIO(text))][1:]
    assert cells == [f"'{name}" for name in hostile]


def test_numbers_are_written_as_numbers() -> None:
    text = csv_text(["n", "rate"], [{"n": -3, "rate": -0.25}])
    assert text.splitlines()[1] == "-3,-0.25"
