"""Profile's consumer histograms from its Prometheus /metrics text: parse and diff (pure)."""

from __future__ import annotations

import math
from typing import Any

SERIES = ("flywheel_consumer_batch_seconds", "flywheel_consumer_batch_size")
Snapshot = dict[str, dict[str, float]]  # series -> {"sum", "count", "le=<bound>": cumulative count}


def _labels(text: str) -> dict[str, str]:
    out = {}
    for part in text.split(","):
        if "=" in part:
            name, value = part.split("=", 1)
            out[name.strip()] = value.strip().strip('"')
    return out


def parse(text: str, topic: str) -> Snapshot:
    """Sum, count and buckets of the consumer batch histograms for `topic`."""
    snapshot: Snapshot = {series: {} for series in SERIES}
    for line in text.splitlines():
        if line.startswith("#") or "{" not in line:
            continue
        head, _, rest = line.partition("{")
        labels_text, _, value_text = rest.rpartition("}")
        labels = _labels(labels_text)
        if labels.get("topic") != topic:
            continue
        for series in SERIES:
            if head == f"{series}_sum":
                snapshot[series]["sum"] = float(value_text.split()[0])
            elif head == f"{series}_count":
                snapshot[series]["count"] = float(value_text.split()[0])
            elif head == f"{series}_bucket":
                snapshot[series][f"le={labels.get('le')}"] = float(value_text.split()[0])
    return snapshot


def _bucket_quantile(buckets: dict[float, float], q: float) -> float | None:
    """Upper bound of the bucket holding the q-quantile (what the histogram can say)."""
    total = buckets.get(math.inf, 0.0)
    if total <= 0:
        return None
    for bound in sorted(buckets):
        if buckets[bound] >= q * total:
            return bound
    return None


def delta(before: Snapshot, after: Snapshot) -> dict[str, Any]:
    """What happened between two snapshots: batches, mean batch size and time, p50/p99 bucket bounds."""
    out: dict[str, Any] = {}
    for series in SERIES:
        b, a = before.get(series, {}), after.get(series, {})
        diff = {k: a[k] - b.get(k, 0.0) for k in a}
        count = diff.get("count", 0.0)
        buckets = {float(k[3:].replace("+Inf", "inf")): v for k, v in diff.items() if k.startswith("le=")}
        short = series.removeprefix("flywheel_consumer_")
        out[short] = {
            "batches": int(count),
            "sum": round(diff.get("sum", 0.0), 3),
            "mean": round(diff["sum"] / count, 4) if count else None,
            "p50_bucket_le": _bucket_quantile(buckets, 0.50),
            "p99_bucket_le": _bucket_quantile(buckets, 0.99),
        }
    return out
