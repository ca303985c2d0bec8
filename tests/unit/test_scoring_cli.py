"""`flywheel scoring fit`: the CDNOW sample end to end, and bad files rejected with the line that is wrong."""

from __future__ import annotations

import csv
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from cli.main import app

CDNOW = Path(__file__).resolve().parents[1] / "data" / "cdnow_sample_transactions.csv"
runner = CliRunner()


def _fit(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["scoring", "fit", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cdnow_prints_the_fitted_models_and_writes_predictions(tmp_path: Path) -> None:
    out = tmp_path / "predictions.csv"
    args = ["--transactions", str(CDNOW), "--observation-end", "1997-09-30", "--time-unit", "week"]
    code, stdout, stderr = _fit(*args, "--predictions", str(out))
    assert code == 0, stderr
    report = orjson.loads(stdout)
    assert report["customers"] == 2357 and report["time_unit"] == "week" and report["horizon"] == 52
    assert report["bgnbd"]["r"] == pytest.approx(0.243, rel=0.01)
    assert report["bgnbd"]["alpha"] == pytest.approx(4.414, rel=0.01)
    assert report["gamma_gamma"]["p"] == pytest.approx(6.25, rel=0.01)
    assert report["gamma_gamma"]["v"] == pytest.approx(15.44, rel=0.01)
    assert report["log_likelihood"] == pytest.approx(-9582.4, abs=0.1)
    assert report["converged"] == {"bgnbd": True, "gamma_gamma": True}
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [
        "customer_id",
        "frequency",
        "recency",
        "T",
        "p_alive",
        "expected_purchases",
        "predicted_clv",
    ]
    assert len(rows) == 2357
    four = next(r for r in rows if r["customer_id"] == "cdnow-4")
    assert (four["frequency"], float(four["recency"]), float(four["T"])) == ("2", 30.428571, 38.857143)
    assert 0 < float(four["p_alive"]) < 1 and float(four["expected_purchases"]) > 0 and float(four["predicted_clv"]) > 0


def test_days_are_the_default_unit(tmp_path: Path) -> None:
    code, stdout, _ = _fit("--transactions", str(CDNOW), "--observation-end", "1997-09-30")
    report = orjson.loads(stdout)
    assert code == 0 and report["time_unit"] == "day" and report["horizon"] == 365
    assert report["bgnbd"]["alpha"] == pytest.approx(7 * 4.414, rel=0.01)


BAD_FILES = {
    "missing column": ("customer_id,occurred_at,price\nc1,2024-01-01,3\n", "line 1", "amount"),
    "bad date": ("customer_id,occurred_at,amount\nc1,2024-01-01,3\nc1,2024-13-01,3\n", "line 3", "occurred_at"),
    "bad amount": (
        "customer_id,amount,occurred_at\nc1,3,2024-01-01\nc2,1,2024-01-02\nc1,abc,2024-01-05\n",
        "line 4",
        "amount",
    ),
    "negative amount": ("customer_id,occurred_at,amount\nc1,2024-01-01T10:00:00Z,-5\n", "line 2", "negative"),
    "empty file": ("", "empty", "header"),
    "only a header": ("customer_id,occurred_at,amount\n", "no transactions", ""),
    "short row": ("customer_id,occurred_at,amount\nc1,2024-01-01\n", "line 2", "fields"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_input_exits_2_with_one_line_naming_the_problem(tmp_path: Path, name: str) -> None:
    content, where, what = BAD_FILES[name]
    path = tmp_path / "transactions.csv"
    path.write_text(content)
    code, stdout, stderr = _fit("--transactions", str(path), "--observation-end", "2024-12-31")
    assert code == 2
    assert stdout == ""
    assert where in stderr and what in stderr
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1


def test_missing_file_bad_options_and_nothing_in_the_window_exit_non_zero(tmp_path: Path) -> None:
    code, _, stderr = _fit("--transactions", str(tmp_path / "nope.csv"), "--observation-end", "2024-12-31")
    assert code == 2 and "no such file" in stderr
    code, _, _ = _fit("--transactions", str(CDNOW), "--observation-end", "30/09/1997")
    assert code == 2
    code, _, _ = _fit("--transactions", str(CDNOW), "--observation-end", "1997-09-30", "--time-unit", "month")
    assert code == 2
    code, _, stderr = _fit("--transactions", str(CDNOW), "--observation-end", "1996-01-01")
    assert code == 2 and "no transaction" in stderr


def test_rfc3339_offsets_count_on_their_utc_day(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    rows = [
        "customer_id,occurred_at,amount,channel",
        "c1,2024-01-01T23:30:00-02:00,10,web",  # 2024-01-02 in UTC
        "c1,2024-01-02T00:10:00Z,5,web",  # same UTC day: one transaction
        "c1,2024-01-05,20,shop",
        "c2,2024-01-03 08:00:00,7,shop",
    ]
    path.write_text("\n".join(rows) + "\n")
    out = tmp_path / "p.csv"
    code, _, stderr = _fit("--transactions", str(path), "--observation-end", "2024-01-10", "--predictions", str(out))
    assert code == 0, stderr
    with out.open(newline="") as handle:
        rows_out = {r["customer_id"]: r for r in csv.DictReader(handle)}
    assert rows_out["c1"]["frequency"] == "1" and float(rows_out["c1"]["recency"]) == 3.0
    assert float(rows_out["c1"]["T"]) == 8.0 and float(rows_out["c2"]["T"]) == 7.0
