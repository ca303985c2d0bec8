"""The predicted-LTV models at scale: fit and re-score N simulated customers, beside `lifetimes` as a reference.

Measured: the BG/NBD fit, the Gamma-Gamma fit and the bulk re-score (P(alive), expected purchases
over 90 days, 12-month CLV) of N customers simulated from the CDNOW parameters in days, ages in
whole days up to two years, as the scoring service sees them. Target: fit + re-score of 1M
customers under 5 s. The same fits and re-score by lifetimes 0.11.3 on the same arrays, in the same
run, give the reference (target: at least 3x faster). lifetimes is no dependency of Flywheel: it is
installed, with old enough pandas/numpy/scipy pinned, into a private venv under .flywheel/bench and
run in a subprocess with a time limit; what it finished in time is reported.

Run alone: `python -m bench.scoring [--customers N] [--out FILE]`; `make bench` includes it.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import orjson
import typer

from services.scoring.domain import bgnbd, clv, gamma_gamma, intervals, simulate

TARGET_SECONDS = 5.0
TARGET_CUSTOMERS = 1_000_000
TARGET_SPEEDUP = 3.0
HORIZON_DAYS = 90.0
MAX_AGE_DAYS = 730
LIFETIMES_PINS = (
    "lifetimes==0.11.3",
    "pandas==1.5.3",
    "numpy==1.26.4",
    "scipy==1.11.4",
    "autograd==1.6.2",
    "dill==0.3.8",
)
VENV = Path(__file__).resolve().parents[1] / ".flywheel" / "bench" / "lifetimes-venv"

# Runs inside the private venv. One JSON line per finished stage, so a timeout still leaves the rest.
LIFETIMES_SCRIPT = """
import json, sys, time, warnings
import numpy as np
import pandas as pd
import lifetimes
from lifetimes import BetaGeoFitter, GammaGammaFitter
warnings.simplefilter("ignore")
data = np.load(sys.argv[1])
x, t_x, t_cal, monetary, horizon = data["x"], data["t_x"], data["t_cal"], data["monetary"], float(sys.argv[2])
def say(**kw):
    print(json.dumps(kw), flush=True)
say(stage="start", version=lifetimes.__version__, customers=len(x))
started = time.perf_counter()
bg = BetaGeoFitter().fit(x, t_x, t_cal)
say(stage="fit_bgnbd", seconds=time.perf_counter() - started, params={k: float(v) for k, v in bg.params_.items()})
repeat = (x > 0) & (monetary > 0)
started = time.perf_counter()
gg = GammaGammaFitter().fit(x[repeat], monetary[repeat])
say(stage="fit_gamma_gamma", seconds=time.perf_counter() - started, params={k: float(v) for k, v in gg.params_.items()})
started = time.perf_counter()
alive = bg.conditional_probability_alive(x, t_x, t_cal)
expected = bg.conditional_expected_number_of_purchases_up_to_time(horizon, x, t_x, t_cal)
series = [pd.Series(values) for values in (x, t_x, t_cal, monetary)]  # its CLV wants pandas
value = gg.customer_lifetime_value(bg, *series, time=12, discount_rate=1.1 ** (1 / 12) - 1, freq="D")
say(stage="rescore", seconds=time.perf_counter() - started, clv_total=float(np.sum(value)))
"""


def run(
    customers: int = TARGET_CUSTOMERS, seed: int = 7, lifetimes: bool = True, lifetimes_timeout: float = 600.0
) -> dict[str, Any]:
    """The "scoring" section of the bench report."""
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    ages = simulate.whole_day_ages(customers, rng, MAX_AGE_DAYS)
    data = simulate.simulate(bgnbd.DEFAULT_BGNBD_DAYS, ages, rng, spend=gamma_gamma.DEFAULT_GAMMA_GAMMA)
    simulated_s = time.perf_counter() - started
    ours = _flywheel(data)
    report: dict[str, Any] = {
        "customers": customers,
        "repeat_customers": int(np.count_nonzero(data.x)),
        "seed": seed,
        "simulate_s": round(simulated_s, 3),
        "data": f"simulated from the CDNOW parameters in days, ages 0-{MAX_AGE_DAYS - 1} whole days",
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "target": f"fit + re-score of {TARGET_CUSTOMERS:,} customers under {TARGET_SECONDS:g} s",
        "flywheel": ours,
        "true_params": {
            "bgnbd": bgnbd.DEFAULT_BGNBD_DAYS.as_dict(),
            "gamma_gamma": gamma_gamma.DEFAULT_GAMMA_GAMMA.as_dict(),
        },
    }
    report["met"] = ours["total_s"] < TARGET_SECONDS if customers >= TARGET_CUSTOMERS else None
    if lifetimes:
        reference = _lifetimes(data, lifetimes_timeout)
        report["lifetimes"] = reference
        report["speedup"] = _speedup(ours, reference)
        if "params" in reference:
            report["max_relative_param_difference"] = _largest_difference(ours["params"], reference["params"])
    report["notes"] = [
        "ages are whole days, as real data's: the hypergeometric part of the re-score is computed once per "
        "distinct (x, age) pair; with continuous ages it would be per customer (13 hyp2f1 calls each)",
        "lifetimes' CLV counts 30-day months, Flywheel's 365.25/12-day months: same work, slightly different "
        "values; only the timings are compared",
    ]
    return report


def _largest_difference(ours: dict[str, dict[str, float]], theirs: dict[str, dict[str, float]]) -> float | None:
    """Do both implementations find the same maximum? The largest relative difference of any parameter."""
    pairs = [(ours[m][k], theirs[m][k]) for m in theirs for k in theirs[m] if k in ours.get(m, {})]
    return max((abs(a - b) / abs(b) for a, b in pairs if b), default=None)


def _flywheel(data: simulate.Simulated) -> dict[str, Any]:
    x, t_x, t_cal, monetary = data.x, data.t_x, data.t_cal, data.monetary
    laps: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        laps[name] = now - clock
        clock = now

    bg = bgnbd.fit(x, t_x, t_cal)
    lap("fit_bgnbd")
    gg = gamma_gamma.fit(x, monetary)
    lap("fit_gamma_gamma")
    bgnbd.p_alive(bg.params, x, t_x, t_cal)
    lap("p_alive")
    bgnbd.expected_purchases(bg.params, HORIZON_DAYS, x, t_x, t_cal)
    lap("expected_purchases")
    value = clv.predicted_clv(bg.params, gg.params, x, t_x, t_cal, monetary, unit_days=1.0)
    lap("clv")
    # Issue 20: the 80% intervals of 12-month purchases and CLV (the fit's covariance once per refit, then the
    # predictive PMF mixed over the parameter draws for every customer; docs/scoring-intervals.md).
    covariance = intervals.log_covariance(bg.params, x, t_x, t_cal)
    lap("covariance")
    year = intervals.customer_intervals(
        intervals.parameter_draws(bg.params, covariance), bg.params, gg.params, x, t_x, t_cal, monetary, value,
        horizon=365.25,
    )  # fmt: skip
    lap("intervals")
    rescore = laps["p_alive"] + laps["expected_purchases"] + laps["clv"]
    return {
        "fit_bgnbd_s": round(laps["fit_bgnbd"], 3),
        "fit_gamma_gamma_s": round(laps["fit_gamma_gamma"], 3),
        "rescore_s": round(rescore, 3),
        "rescore_detail_s": {k: round(laps[k], 3) for k in ("p_alive", "expected_purchases", "clv")},
        "total_s": round(laps["fit_bgnbd"] + laps["fit_gamma_gamma"] + rescore, 3),
        "intervals_s": {k: round(laps[k], 3) for k in ("covariance", "intervals")},
        "total_with_intervals_s": round(
            laps["fit_bgnbd"] + laps["fit_gamma_gamma"] + rescore + laps["covariance"] + laps["intervals"], 3
        ),
        "clv_p90_total": round(float(year.clv_p90.sum()), 2),
        "converged": {"bgnbd": bg.converged, "gamma_gamma": gg.converged},
        "iterations": {"bgnbd": bg.iterations, "gamma_gamma": gg.iterations},
        "params": {"bgnbd": bg.params.as_dict(), "gamma_gamma": gg.params.as_dict()},
        "clv_total": round(float(value.sum()), 2),
    }


def ensure_lifetimes_venv() -> Path:
    """The private venv with lifetimes and its pinned dependencies (created once; pip's configured index)."""
    python = VENV / "bin" / "python"
    marker = VENV / "flywheel-pins.txt"
    wanted = "\n".join(LIFETIMES_PINS)
    if python.exists() and marker.exists() and marker.read_text() == wanted:
        return python
    VENV.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True, capture_output=True)
    install = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *LIFETIMES_PINS]
    done = subprocess.run(install, check=False, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"pip install of {' '.join(LIFETIMES_PINS)} failed: {done.stderr.strip()[-500:]}")
    marker.write_text(wanted)
    return python


def _lifetimes(data: simulate.Simulated, timeout: float) -> dict[str, Any]:
    out: dict[str, Any] = {"pins": list(LIFETIMES_PINS), "timeout_s": timeout}
    try:
        python = ensure_lifetimes_venv()
    except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
        return out | {"error": f"could not set up lifetimes: {exc}"}
    with tempfile.TemporaryDirectory(prefix="flywheel-bench-scoring-") as folder:
        arrays = Path(folder) / "customers.npz"
        np.savez(arrays, x=data.x, t_x=data.t_x, t_cal=data.t_cal, monetary=data.monetary)
        argv = [str(python), "-c", LIFETIMES_SCRIPT, str(arrays), str(HORIZON_DAYS)]
        try:
            done = subprocess.run(argv, check=False, capture_output=True, text=True, timeout=timeout)
            stdout, finished = done.stdout, done.returncode == 0
            if not finished:
                out["error"] = (
                    done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"
                )
        except subprocess.TimeoutExpired as exc:
            raw = exc.stdout or b""
            stdout, finished = raw.decode() if isinstance(raw, bytes) else raw, False
            out["timed_out"] = True
    for line in stdout.splitlines():
        stage = json.loads(line)
        name = stage.pop("stage")
        if name == "start":
            out |= {"version": stage["version"], "customers": stage["customers"]}
        else:
            out[f"{name}_s"] = round(stage.pop("seconds"), 3)
            if "params" in stage:
                out.setdefault("params", {})["bgnbd" if name == "fit_bgnbd" else "gamma_gamma"] = stage["params"]
    out["completed"] = finished
    if all(f"{k}_s" in out for k in ("fit_bgnbd", "fit_gamma_gamma", "rescore")):
        out["total_s"] = round(out["fit_bgnbd_s"] + out["fit_gamma_gamma_s"] + out["rescore_s"], 3)
    return out


def _speedup(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """lifetimes' time over Flywheel's, for what both finished; a timed-out stage gives a lower bound."""
    result: dict[str, Any] = {"target": f">= {TARGET_SPEEDUP:g}x"}
    for key in ("fit_bgnbd", "fit_gamma_gamma", "rescore", "total"):
        if f"{key}_s" in theirs and ours[f"{key}_s"] > 0:
            result[key] = round(theirs[f"{key}_s"] / ours[f"{key}_s"], 1)
    fits_ours = ours["fit_bgnbd_s"] + ours["fit_gamma_gamma_s"]
    if "fit_bgnbd_s" in theirs and "fit_gamma_gamma_s" in theirs:
        result["fits"] = round((theirs["fit_bgnbd_s"] + theirs["fit_gamma_gamma_s"]) / fits_ours, 1)
    elif theirs.get("timed_out"):
        result["fits_at_least"] = round(theirs["timeout_s"] / fits_ours, 1)
    judged = result.get("total", result.get("fits", result.get("fits_at_least")))
    result["met"] = None if judged is None else judged >= TARGET_SPEEDUP
    return result


def summary_line(report: dict[str, Any]) -> str:
    ours = report["flywheel"]
    line = (
        f"scoring, {report['customers']:,} customers: BG/NBD fit {ours['fit_bgnbd_s']:.2f} s, Gamma-Gamma fit "
        f"{ours['fit_gamma_gamma_s']:.2f} s, re-score {ours['rescore_s']:.2f} s, total {ours['total_s']:.2f} s "
        f"(target < {TARGET_SECONDS:g} s); with the 80% intervals {ours['total_with_intervals_s']:.2f} s"
    )
    theirs = report.get("lifetimes", {})
    if "total_s" in theirs:
        line += f"; lifetimes {theirs['total_s']:.2f} s, {report['speedup'].get('total')}x"
    elif "error" in theirs or theirs.get("timed_out"):
        line += f"; lifetimes: {theirs.get('error', 'timed out')}"
    return line


app = typer.Typer(add_completion=False)


@app.command()
def main(
    customers: Annotated[int, typer.Option(min=1000, help="Simulated customers")] = TARGET_CUSTOMERS,
    seed: Annotated[int, typer.Option(help="Seed of the simulation")] = 7,
    lifetimes: Annotated[bool, typer.Option(help="Also time lifetimes 0.11.3 (private venv)")] = True,
    lifetimes_timeout: Annotated[float, typer.Option(help="Seconds lifetimes may take in all")] = 600.0,
    out: Annotated[Path | None, typer.Option(help="Write the JSON here (default: stdout only)")] = None,
) -> None:
    """Fit and re-score simulated customers; print the JSON section `make bench` adds as "scoring"."""
    report = run(customers, seed, lifetimes, lifetimes_timeout)
    text = orjson.dumps(report, option=orjson.OPT_INDENT_2) + b"\n"
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(text)
    sys.stdout.write(text.decode())
    sys.stderr.write(summary_line(report) + "\n")


if __name__ == "__main__":
    app()
