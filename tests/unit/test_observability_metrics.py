"""Every metric a dashboard, an alert or a runbook query uses is emitted by the code, with the labels
the query groups and filters by.

The emitted names come from prometheus_client's registry after importing every module of runtime/,
services/ and cli/ that defines a metric, expanded the way the exposition format names samples
(a Counter `x` is `x_total`; a Histogram `x` is `x_bucket` with `le`, `x_sum`, `x_count`).
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
import yaml
from prometheus_client import REGISTRY
from prometheus_client.metrics import MetricWrapperBase

ROOT = Path(__file__).resolve().parents[2]
OBSERVABILITY = ROOT / "deploy" / "observability"
DASHBOARDS = sorted((OBSERVABILITY / "grafana" / "dashboards").glob("*.json"))
ALERTS = OBSERVABILITY / "prometheus" / "alerts.yml"
OPERATIONS = ROOT / "docs" / "operations.md"

# Labels Prometheus itself puts on every scraped series.
TARGET_LABELS = frozenset({"job", "instance"})
# Series that are not Flywheel's but are used on purpose, with their labels (`service` is a target
# label of Flywheel's scrape jobs in docker-compose and under the Prometheus operator alike).
FOREIGN = {"up": TARGET_LABELS | {"service"}}

_DEFINES_METRIC = re.compile(r"\b(Counter|Gauge|Histogram|Summary)\(\s*\n?\s*\"flywheel_")
_METRIC = re.compile(r"\b(flywheel_[a-z0-9_]+|up)\b(?!\s*\()")
_SELECTOR = re.compile(r"\b(flywheel_[a-z0-9_]+|up)\s*\{([^}]*)\}")
_MATCHER = re.compile(r"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)\s*\"(?:[^\"\\]|\\.)*\"")
_GROUPING = re.compile(r"\b(?:by|without)\s*\(([^)]*)\)")
_LABEL_VALUES = re.compile(r"label_values\(\s*(flywheel_[a-z0-9_]+)[^,]*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)")
_PROMQL_BLOCK = re.compile(r"```promql\n(.*?)```", re.S)

Emitted = dict[str, frozenset[str]]


def metric_modules() -> list[str]:
    """Modules that define a flywheel_* metric, found by reading the source (new ones are picked up)."""
    modules = []
    for package in ("runtime", "services", "cli"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.name != "__main__.py" and _DEFINES_METRIC.search(path.read_text()):
                modules.append(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return modules


def emitted_metrics() -> Emitted:
    """Sample name -> label names, for every flywheel_* metric registered once the modules are imported."""
    for module in metric_modules():
        importlib.import_module(module)
    out: dict[str, frozenset[str]] = {}
    for collector in set(REGISTRY._names_to_collectors.values()):
        if not isinstance(collector, MetricWrapperBase):  # the process and platform collectors
            continue
        labels = frozenset(collector._labelnames)
        for family in collector.describe():
            if not family.name.startswith("flywheel_"):
                continue
            suffixes = {
                "counter": {"_total": labels, "_created": labels},
                "gauge": {"": labels},
                "histogram": {"_bucket": labels | {"le"}, "_sum": labels, "_count": labels, "_created": labels},
                "summary": {"_sum": labels, "_count": labels, "_created": labels},
            }[family.type]
            out |= {family.name + suffix: names for suffix, names in suffixes.items()}
    return out


def _aggregations(expr: str) -> Iterator[tuple[frozenset[str], str]]:
    """(grouping labels, the aggregated sub-expression) for `agg by (..) (arg)` and `agg (arg) by (..)`."""
    for match in _GROUPING.finditer(expr):
        labels = frozenset(label.strip() for label in match.group(1).split(",") if label.strip())
        after = expr[match.end() :].lstrip()
        if after.startswith("("):  # prefix form: the argument follows
            start = match.end() + expr[match.end() :].index("(")
            yield labels, _balanced(expr, start, +1)
        else:  # postfix form: the argument precedes
            end = expr[: match.start()].rstrip()
            yield labels, _balanced(expr, len(end) - 1, -1)


def _balanced(text: str, at: int, step: int) -> str:
    """The text between the parenthesis at `at` and its match, walking in direction `step`."""
    depth, i = 0, at
    while 0 <= i < len(text):
        depth += {"(": 1, ")": -1}.get(text[i], 0) * step
        if depth == 0:
            return text[min(at, i) : max(at, i) + 1]
        i += step
    raise ValueError(f"unbalanced parentheses in {text!r}")


def problems(expressions: Iterable[str], emitted: Emitted) -> list[str]:
    """What in `expressions` the code does not emit: unknown metrics, unknown labels."""
    known = {**emitted, **FOREIGN}
    found: list[str] = []
    for expr in expressions:
        for name in set(_METRIC.findall(expr)):
            if name not in known:
                found.append(f"{name}: not emitted by the code (in {expr!r})")
        for name, matchers in _SELECTOR.findall(expr):
            for label in _MATCHER.findall(matchers):
                if name in known and label not in known[name] | TARGET_LABELS:
                    found.append(f"{name} has no label {label!r} (in {expr!r})")
        for labels, argument in _aggregations(expr):
            metrics = [m for m in set(_METRIC.findall(argument)) if m in known]
            for metric in metrics:
                missing = labels - known[metric] - TARGET_LABELS
                if missing:
                    found.append(f"grouping by {sorted(missing)}, which {metric} lacks (in {expr!r})")
        for name, label in _LABEL_VALUES.findall(expr):
            if name in known and label not in known[name]:
                found.append(f"label_values: {name} has no label {label!r}")
    return found


def dashboard_expressions() -> list[str]:
    exprs = []
    for path in DASHBOARDS:
        board = json.loads(path.read_text())
        panels = [*board["panels"], *(p for row in board["panels"] for p in row.get("panels", []))]
        exprs += [target["expr"] for panel in panels for target in panel.get("targets", [])]
        for variable in board.get("templating", {}).get("list", []):
            query = variable.get("query")
            exprs.append(query["query"] if isinstance(query, dict) else str(query or ""))
    return [e for e in exprs if e]


def alert_expressions() -> list[str]:
    groups = yaml.safe_load(ALERTS.read_text())["groups"]
    return [rule["expr"] for group in groups for rule in group["rules"]]


def runbook_expressions() -> list[str]:
    return _PROMQL_BLOCK.findall(OPERATIONS.read_text()) if OPERATIONS.exists() else []


@pytest.fixture(scope="module")
def emitted() -> Emitted:
    return emitted_metrics()


def test_the_registry_holds_the_metrics_of_every_service_module(emitted: Emitted) -> None:
    assert "services.journey.webhooks" in metric_modules()
    assert "services.scoring.jobs" in metric_modules()
    for name in (
        "flywheel_consumer_consumed_total",
        "flywheel_consumer_batch_seconds_bucket",
        "flywheel_consumer_lag",
        "flywheel_journey_webhook_attempts_total",
        "flywheel_journey_actions_total",
        "flywheel_scoring_refits_total",
    ):
        assert name in emitted
    assert emitted["flywheel_http_request_seconds_bucket"] == {"service", "method", "route", "le"}
    assert "flywheel_consumer_consumed" not in emitted  # the bare counter name is never exposed


def test_every_dashboard_query_uses_emitted_metrics_and_labels(emitted: Emitted) -> None:
    exprs = dashboard_expressions()
    assert len(exprs) > 30
    assert problems(exprs, emitted) == []


def test_every_alert_uses_emitted_metrics_and_labels(emitted: Emitted) -> None:
    exprs = alert_expressions()
    assert len(exprs) >= 8
    assert problems(exprs, emitted) == []


def test_every_runbook_query_uses_emitted_metrics_and_labels(emitted: Emitted) -> None:
    assert problems(runbook_expressions(), emitted) == []


def test_the_check_catches_a_made_up_metric_and_a_made_up_label(emitted: Emitted) -> None:
    found = problems(
        [
            "sum(rate(flywheel_consumer_eaten_total[5m]))",
            'rate(flywheel_consumer_consumed_total{colour="red"}[5m])',
            "sum by (service, colour) (rate(flywheel_consumer_consumed_total[5m]))",
            "sum(rate(flywheel_consumer_consumed_total[5m])) by (flavour)",
            "histogram_quantile(0.99, sum by (le) (rate(flywheel_http_requests_total[5m])))",
            "label_values(flywheel_consumer_lag, colour)",
            "flywheel_consumer_consumed",
        ],
        emitted,
    )
    joined = "\n".join(found)
    assert "flywheel_consumer_eaten_total: not emitted" in joined
    assert "no label 'colour'" in joined
    assert "grouping by ['colour']" in joined
    assert "grouping by ['flavour']" in joined
    assert "grouping by ['le'], which flywheel_http_requests_total lacks" in joined
    assert "label_values: flywheel_consumer_lag has no label 'colour'" in joined
    assert "flywheel_consumer_consumed: not emitted" in joined


def test_the_check_accepts_target_labels_and_up(emitted: Emitted) -> None:
    exprs = ['up{service="profile", job=~".+"} == 0', "sum by (instance) (rate(flywheel_consumer_consumed_total[5m]))"]
    assert problems(exprs, emitted) == []


def test_journey_actions_are_counted_by_kind_and_outcome() -> None:
    from services.journey.service import count_actions

    def value(kind: str, outcome: str) -> float:
        sample = REGISTRY.get_sample_value("flywheel_journey_actions_total", {"kind": kind, "outcome": outcome})
        return sample or 0.0

    before = value("coupon", "performed"), value("coupon", "duplicate"), value("tag", "performed")
    count_actions([("coupon", True), ("coupon", False), ("coupon", True), ("tag", True)])
    after = value("coupon", "performed"), value("coupon", "duplicate"), value("tag", "performed")
    assert [b - a for a, b in zip(before, after, strict=True)] == [2, 1, 1]
