"""Pure parts of the report: percentiles, measurements, ratios to the raw limits, targets, the table."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.table import Table

# Targets are reported, never asserted.
TARGET_PROFILE_EPS = 12_000.0
TARGET_PROFILE_RATIO = 0.35  # profile ingest beside raw produce in the same run
TARGET_LATENCY_P99_MS = 1_000.0
TARGET_LATENCY_RATE = 2_000.0
TARGET_GATEWAY_EPS = 5_000.0
TARGET_FRESHNESS_P99_MS = 1_000.0  # a purchase to the journey enrolment its segment entry triggers (issue 23)
TARGET_REPORT_S = 2.0  # each growth report over 1M customers and 5M events (issue 18)
REPORTS_RAW_LIMIT = "reports_raw_orders_scan"

RAW_LIMITS = ("raw_produce", "raw_consume", "raw_copy")


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return math.nan
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is not within 0..100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency_summary(values_ms: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/max/mean in milliseconds, rounded to 0.01 ms."""
    if not values_ms:
        return {"count": 0}
    summary = {f"p{q}": percentile(values_ms, q) for q in (50, 95, 99)}
    summary |= {"max": max(values_ms), "min": min(values_ms), "mean": sum(values_ms) / len(values_ms)}
    return {"count": len(values_ms), **{k: round(v, 2) for k, v in summary.items()}}


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else math.nan


@dataclass
class Measurement:
    """One number the bench reports, with what it counts and any detail worth keeping."""

    name: str
    value: float
    unit: str
    n: int
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"value": round(self.value, 2), "unit": self.unit, "n": self.n, **self.details}


def _ratio(value: float, limit: float) -> float | None:
    if not limit or math.isnan(limit) or math.isnan(value):
        return None
    return round(value / limit, 3)


def targets(measurements: Mapping[str, Measurement]) -> dict[str, dict[str, Any]]:
    """Each target, the value it is judged on and whether it was met (None: not measured)."""
    out: dict[str, dict[str, Any]] = {}
    if (ingest := measurements.get("profile_ingest")) is not None:
        out["profile_ingest"] = _target(ingest.value, ">=", TARGET_PROFILE_EPS, "events/s")
        if (raw := measurements.get("raw_produce")) is not None and raw.value:
            ratio = ingest.value / raw.value
            out["profile_ingest_ratio"] = _target(ratio, ">=", TARGET_PROFILE_RATIO, "of raw produce")
    if (latency := measurements.get("latency")) is not None:
        p99 = latency.details.get("received_at_latency_ms", {}).get("p99", math.nan)
        out["latency_p99"] = _target(p99, "<=", TARGET_LATENCY_P99_MS, "ms")
        out["latency_p99"]["at_rate"] = TARGET_LATENCY_RATE
        observed = latency.details.get("observed_visible_latency_ms", {}).get("p99")
        if observed is not None:
            out["latency_p99"]["met_observed_visible"] = observed <= TARGET_LATENCY_P99_MS
            out["latency_p99"]["observed_visible_p99"] = observed
    if (gateway := measurements.get("gateway")) is not None:
        out["gateway"] = _target(gateway.value, ">=", TARGET_GATEWAY_EPS, "events/s")
    for name, m in measurements.items():
        if name.startswith("report_"):
            out[name] = _target(m.value, "<=", TARGET_REPORT_S, "s")
    if (freshness := measurements.get("freshness")) is not None:
        out["freshness_p99"] = _target(freshness.value, "<=", TARGET_FRESHNESS_P99_MS, "ms")
        out["freshness_p99"]["at_rate"] = freshness.details.get("rate_events_per_s")
    return out


def _target(value: float, op: str, goal: float, unit: str) -> dict[str, Any]:
    met: bool | None = None
    if value is not None and not math.isnan(value):
        met = value >= goal if op == ">=" else value <= goal
    return {"target": f"{op} {goal:g} {unit}", "value": None if met is None else round(value, 2), "met": met}


def build_report(machine: Mapping[str, Any], measurements: Mapping[str, Measurement]) -> dict[str, Any]:
    """The JSON document: machine facts, each measurement with its ratio to the matching raw limit, targets."""
    results = {name: m.to_json() for name, m in measurements.items()}
    limits = {name: measurements[name].value for name in RAW_LIMITS if name in measurements}
    if "profile_ingest" in results and limits:
        bottleneck = min(limits, key=lambda name: limits[name])
        results["profile_ingest"]["raw_limit"] = {"name": bottleneck, "value": round(limits[bottleneck], 2)}
        results["profile_ingest"]["ratio_to_raw_limit"] = _ratio(
            measurements["profile_ingest"].value, limits[bottleneck]
        )
    if "gateway" in results and "raw_produce" in limits:
        results["gateway"]["raw_limit"] = {"name": "raw_produce", "value": round(limits["raw_produce"], 2)}
        results["gateway"]["ratio_to_raw_limit"] = _ratio(measurements["gateway"].value, limits["raw_produce"])
    if "loyalty_earn" in results and "raw_produce" in limits:
        # Purchases earned per second against the events per second the broker takes from one producer.
        results["loyalty_earn"]["raw_limit"] = {"name": "raw_produce", "value": round(limits["raw_produce"], 2)}
        results["loyalty_earn"]["ratio_to_raw_limit"] = _ratio(
            measurements["loyalty_earn"].value, limits["raw_produce"]
        )
    if REPORTS_RAW_LIMIT in measurements:
        scan = measurements[REPORTS_RAW_LIMIT].value
        for name, m in measurements.items():
            if name.startswith("report_"):
                results[name]["raw_limit"] = {"name": REPORTS_RAW_LIMIT, "value": round(scan, 3)}
                # Seconds: how many raw scans of the orders one report takes (lower is better).
                results[name]["ratio_to_raw_limit"] = _ratio(m.value, scan)
    return {"machine": dict(machine), "results": results, "targets": targets(measurements)}


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def render_table(report: Mapping[str, Any]) -> Table:
    machine = report["machine"]
    title = (
        f"Flywheel bench: {machine.get('broker')} broker, {machine.get('cpu_count')} CPUs, N={machine.get('events')}"
    )
    table = Table(title=title)
    for column in ("measurement", "value", "unit", "N", "ratio to raw limit", "target", "met"):
        table.add_column(column, justify="left" if column in {"measurement", "unit", "target"} else "right")
    target_of = {
        "profile_ingest": "profile_ingest",
        "latency": "latency_p99",
        "gateway": "gateway",
        "freshness": "freshness_p99",
    }
    for name, result in report["results"].items():
        target = report["targets"].get(target_of.get(name, name), {})
        met = target.get("met")
        met_text = "-" if met is None else ("[green]yes[/green]" if met else "[red]no[/red]")
        table.add_row(
            name,
            _fmt(result["value"]),
            result["unit"],
            _fmt(result["n"]),
            _fmt(result.get("ratio_to_raw_limit")),
            target.get("target", "-"),
            met_text,
        )
    return table


def steady_rate(samples: Sequence[tuple[float, int]], total: int, low: float = 0.1, high: float = 0.9) -> float | None:
    """Events/s between the samples where `low` and `high` of `total` were visible ((seconds, count) pairs):
    the sustained rate, without the start-up and tail of the run."""
    first = next(((t, c) for t, c in samples if c >= low * total), None)
    last = next(((t, c) for t, c in samples if c >= high * total), None)
    if first is None or last is None or last[0] <= first[0]:
        return None
    return (last[1] - first[1]) / (last[0] - first[0])
