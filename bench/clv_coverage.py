"""Coverage of the 80% purchase intervals on the CDNOW sample's 39-week holdout (issue 20, acceptance 2).

The CDNOW sample (tests/data/cdnow_sample_transactions.csv: 2,357 customers who first bought in Q1 1997) is
split as Fader, Hardie and Lee (2005) split it: the 39 weeks to 1997-09-30 calibrate BG/NBD (in days, as the
scoring service fits it; one transaction per customer and UTC day), the 39 weeks after are the holdout. Each
customer's 80% interval of purchases in the holdout (services/scoring/domain/intervals.py) is compared with the
purchase days they made in it: the coverage is the mean share of [k, k+1) inside [p10, p90] (k the realised
count), 0.80 when the intervals are calibrated. Also printed: the share of customers whose realised count lies
within the whole-number interval [floor(p10), floor(p90)], and the totals predicted and observed.

Run: `python -m bench.clv_coverage [--transactions FILE]`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import numpy as np
import orjson
import typer

from cli.scoring import read_transactions
from services.scoring.domain import bgnbd, intervals
from services.scoring.domain.transactions import summarize

SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "data" / "cdnow_sample_transactions.csv"
CALIBRATION_END = np.datetime64("1997-09-30")
HOLDOUT_END = np.datetime64("1998-06-30")
HOLDOUT_DAYS = float((HOLDOUT_END - CALIBRATION_END).astype(int))  # 273 days: 39 weeks


def measure(path: Path = SAMPLE) -> dict[str, Any]:
    log = read_transactions(path)
    ids = log.customers[log.customer_codes]
    calibration = summarize(ids, log.times, log.amounts, CALIBRATION_END, 1.0)
    days = log.times.astype("datetime64[D]")
    later = (days > CALIBRATION_END) & (days <= HOLDOUT_END)
    pairs = np.unique(np.stack([log.customer_codes[later], days[later].astype(np.int64)]), axis=1)
    counts = dict(zip(*np.unique(log.customers[pairs[0]], return_counts=True), strict=True))
    actual = np.array([counts.get(c, 0) for c in calibration.customer_ids], dtype=np.float64)

    fit = bgnbd.fit(calibration.x, calibration.t_x, calibration.t_cal)
    covariance = intervals.log_covariance(fit.params, calibration.x, calibration.t_x, calibration.t_cal)
    draws = intervals.parameter_draws(fit.params, covariance)
    found = intervals.purchase_distribution(draws, HOLDOUT_DAYS, calibration.x, calibration.t_x, calibration.t_cal)
    expected = bgnbd.expected_purchases(fit.params, HOLDOUT_DAYS, calibration.x, calibration.t_x, calibration.t_cal)
    whole = (np.floor(found.p10) <= actual) & (actual <= np.floor(found.p90))
    return {
        "customers": len(actual),
        "holdout_days": HOLDOUT_DAYS,
        "bgnbd_days": fit.params.as_dict(),
        "converged": fit.converged,
        "coverage_80": round(float(intervals.coverage(found.p10, found.p90, actual).mean()), 4),
        "whole_number_interval_holds": round(float(whole.mean()), 4),
        "holdout_purchases": {"observed": int(actual.sum()), "expected": round(float(expected.sum()), 1)},
    }


def main(
    transactions: Annotated[Path, typer.Option(help="customer_id,occurred_at,amount CSV of the CDNOW sample")] = SAMPLE,
) -> None:
    print(orjson.dumps(measure(transactions), option=orjson.OPT_INDENT_2).decode())


if __name__ == "__main__":
    typer.run(main)
