"""`flywheel scoring fit`: the predicted-LTV models fitted to a transaction file, for analysts.

Reads `customer_id,occurred_at,amount` (a header line; other columns are ignored), summarises it as
the scoring service does (one transaction per customer and UTC day, only days up to the end of
observation), fits BG/NBD and Gamma-Gamma, prints the parameters as JSON and can write each
customer's predictions. A fit that does not converge is reported and its model's defaults are used
for the predictions instead. Exit codes: 0 done, 2 the input could not be used (one line on stderr
naming the file and line).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, NoReturn

import numpy as np
import orjson
import typer
from numpy.typing import NDArray
from rich.console import Console

from services.scoring.domain import bgnbd, clv, gamma_gamma
from services.scoring.domain.fitting import FloatArray
from services.scoring.domain.transactions import Summary, summarize

app = typer.Typer(name="scoring", help="Fit the predicted-LTV models (BG/NBD, Gamma-Gamma) to transactions.")

COLUMNS = ("customer_id", "occurred_at", "amount")
UNIT_DAYS = {"day": 1.0, "week": 7.0}
DEFAULT_HORIZON = {"day": 365, "week": 52}
PREDICTION_COLUMNS = ("customer_id", "frequency", "recency", "T", "p_alive", "expected_purchases", "predicted_clv")
LARGE_FILE_BYTES = 50_000_000  # above this, show that something is happening
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class InputError(Exception):
    """The transaction file cannot be used; the message names the line."""


@dataclass(frozen=True)
class Transactions:
    customer_codes: NDArray[np.int64]  # index into `customers`: integers sort much faster than strings
    customers: NDArray[np.str_]
    times: NDArray[np.datetime64]  # UTC, seconds
    amounts: FloatArray


def parse_time(text: str) -> int:
    """Seconds since the epoch (UTC) of an RFC 3339 time or a YYYY-MM-DD date (midnight UTC)."""
    value = text.strip().upper()
    if len(value) == 10:
        day = dt.date.fromisoformat(value)
        return (day - EPOCH.date()).days * 86_400
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return math.floor((moment - EPOCH).total_seconds())


def parse_amount(text: str) -> float:
    amount = float(text)
    if not math.isfinite(amount):
        raise ValueError("not a finite number")
    if amount < 0:
        raise ValueError("negative")
    return amount


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            for row in reader:
                yield reader.line_num, row
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path}: cannot be read ({exc})") from None


def read_transactions(path: Path) -> Transactions:
    """Stream the CSV into arrays; the first bad line raises InputError naming it."""
    rows = _rows(path)
    header = next(rows, None)
    if header is None:
        raise InputError(f"{path} is empty: expected a header line {','.join(COLUMNS)}")
    names = [name.strip() for name in header[1]]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise InputError(f"{path} line 1: missing column(s) {', '.join(missing)} (header: {','.join(names)})")
    at = [names.index(c) for c in COLUMNS]
    width = max(at) + 1
    codes: dict[str, int] = {}
    ids: list[int] = []
    seconds: list[int] = []
    amounts: list[float] = []
    for line, row in rows:
        if not row:
            continue  # a blank line
        if len(row) < width:
            raise InputError(f"{path} line {line}: {len(row)} fields, the header has {len(names)}")
        customer, occurred, amount = row[at[0]].strip(), row[at[1]], row[at[2]]
        if not customer:
            raise InputError(f"{path} line {line}: customer_id is empty")
        try:
            seconds.append(parse_time(occurred))
        except (ValueError, OverflowError):
            raise InputError(
                f"{path} line {line}: occurred_at {occurred!r} is not an RFC 3339 time or a date"
            ) from None
        try:
            amounts.append(parse_amount(amount))
        except ValueError as exc:
            reason = "negative" if str(exc) == "negative" else "not a number"
            raise InputError(f"{path} line {line}: amount {amount!r} is {reason}") from None
        ids.append(codes.setdefault(customer, len(codes)))
    if not ids:
        raise InputError(f"{path}: no transactions after the header")
    customers = np.array(list(codes))
    return Transactions(
        np.array(ids, dtype=np.int64), customers, np.array(seconds, dtype="datetime64[s]"), np.array(amounts)
    )


def _fail(message: str) -> NoReturn:
    Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    raise typer.Exit(2)


@app.command("fit")
def fit_command(
    transactions: Annotated[Path, typer.Option("--transactions", help="CSV with customer_id,occurred_at,amount")],
    observation_end: Annotated[str, typer.Option("--observation-end", help="Last day observed (YYYY-MM-DD, UTC)")],
    time_unit: Annotated[str, typer.Option("--time-unit", help="day or week: the unit of alpha, recency, T")] = "day",
    horizon: Annotated[
        int | None, typer.Option("--horizon", min=1, help="Expected purchases over N time units [365 days / 52 weeks]")
    ] = None,
    predictions: Annotated[
        Path | None, typer.Option("--predictions", help="Write per-customer predictions here")
    ] = None,
    months: Annotated[int, typer.Option("--clv-months", min=1, help="Months of revenue in predicted_clv")] = 12,
    discount_rate: Annotated[float, typer.Option("--discount-rate", help="Annual discount rate of the CLV")] = 0.10,
) -> None:
    """Fit BG/NBD and Gamma-Gamma; print parameters as JSON; optionally write predictions as CSV."""
    if time_unit not in UNIT_DAYS:
        raise typer.BadParameter("use day or week", param_hint="--time-unit")
    try:
        end = np.datetime64(dt.date.fromisoformat(observation_end.strip()), "D")
    except ValueError:
        raise typer.BadParameter(
            f"{observation_end!r} is not a date YYYY-MM-DD", param_hint="--observation-end"
        ) from None
    if not discount_rate > -1:
        raise typer.BadParameter("must exceed -1", param_hint="--discount-rate")
    unit_days = UNIT_DAYS[time_unit]
    span = horizon or DEFAULT_HORIZON[time_unit]
    started = time.perf_counter()
    try:
        large = transactions.is_file() and transactions.stat().st_size > LARGE_FILE_BYTES
        with Console(stderr=True).status(f"reading {transactions}…") if large else contextlib.nullcontext():
            log = read_transactions(transactions)
    except InputError as exc:
        _fail(str(exc))
    read_s = time.perf_counter() - started
    summary = summarize(log.customer_codes, log.times, log.amounts, end, unit_days)
    if len(summary) == 0:
        _fail(f"{transactions}: no transaction on or before {observation_end}")
    report, scores = _fit_and_score(summary, unit_days, span, months, discount_rate)
    in_window = int(np.count_nonzero(log.times.astype("datetime64[D]") <= end))
    report = {
        "customers": len(summary),
        "transactions": len(log.amounts),
        "transactions_in_window": in_window,
        "observation_end": observation_end.strip(),
        "time_unit": time_unit,
        "horizon": span,
        **report,
    }
    if predictions is not None:
        try:
            write_predictions(predictions, log.customers[summary.customer_ids], summary, *scores)
        except OSError as exc:
            _fail(f"{predictions}: cannot be written ({exc})")
        report["predictions"] = str(predictions)
    report["seconds"] = {"read": round(read_s, 3), "total": round(time.perf_counter() - started, 3)}
    typer.echo(orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY).decode())


def _fit_and_score(
    summary: Summary, unit_days: float, horizon: float, months: int, discount_rate: float
) -> tuple[dict[str, Any], tuple[FloatArray, FloatArray, FloatArray]]:
    x, t_x, t_cal, monetary = summary.x, summary.t_x, summary.t_cal, summary.monetary
    bg = bgnbd.fit(x, t_x, t_cal)
    gg = gamma_gamma.fit(x, monetary)
    notes: list[str] = []
    bg_params = bg.params
    if not bg.converged:
        default = bgnbd.DEFAULT_BGNBD_DAYS
        bg_params = bgnbd.BgNbdParams(default.r, default.alpha / unit_days, default.a, default.b)
        notes.append(f"BG/NBD did not converge ({bg.message}); predictions use the CDNOW defaults")
    gg_params = gg.params
    if not gg.converged or gg.params.q <= 1:
        repeat = (x > 0) & (monetary > 0)
        mean = float(monetary[repeat].mean()) if np.any(repeat) else 0.0
        gg_params = gamma_gamma.DEFAULT_GAMMA_GAMMA
        if mean > 0:
            gg_params = gg_params.with_mean_spend(mean)
        why = gg.message if not gg.converged else f"q = {gg.params.q:.3g} <= 1 has no mean spend"
        notes.append(f"Gamma-Gamma unusable ({why}); predictions use the CDNOW shapes scaled to the mean spend")
    for note in notes:
        Console(stderr=True, soft_wrap=True).print(f"[yellow]warning:[/] {note}", highlight=False)
    alive = bgnbd.p_alive(bg_params, x, t_x, t_cal)
    expected = bgnbd.expected_purchases(bg_params, horizon, x, t_x, t_cal)
    value = clv.predicted_clv(
        bg_params,
        gg_params,
        x,
        t_x,
        t_cal,
        monetary,
        unit_days=unit_days,
        months=months,
        annual_discount_rate=discount_rate,
    )
    report: dict[str, Any] = {
        "bgnbd": bg_params.as_dict(),
        "gamma_gamma": gg_params.as_dict(),
        "log_likelihood": bg.log_likelihood,
        "gamma_gamma_log_likelihood": gg.log_likelihood,
        "converged": {"bgnbd": bg.converged, "gamma_gamma": gg.converged},
        "repeat_customers": int(np.count_nonzero(x > 0)),
        "clv": {"months": months, "annual_discount_rate": discount_rate, "total": float(value.sum())},
        "fit_seconds": {"bgnbd": round(bg.seconds, 3), "gamma_gamma": round(gg.seconds, 3)},
    }
    if notes:
        report["notes"] = notes
    return report, (alive, expected, value)


def write_predictions(
    path: Path,
    names: NDArray[np.str_],
    summary: Summary,
    alive: FloatArray,
    expected: FloatArray,
    value: FloatArray,
    chunk: int = 100_000,
) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(PREDICTION_COLUMNS)
        for start in range(0, len(summary), chunk):
            part = slice(start, start + chunk)
            writer.writerows(
                zip(
                    names[part].tolist(),
                    summary.x[part].astype(np.int64).tolist(),
                    np.round(summary.t_x[part], 6).tolist(),
                    np.round(summary.t_cal[part], 6).tolist(),
                    np.round(alive[part], 6).tolist(),
                    np.round(expected[part], 6).tolist(),
                    np.round(value[part], 4).tolist(),
                    strict=True,
                )
            )
