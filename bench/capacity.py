"""docs/capacity.md's tables, derived from a bench run's measured CPU costs: `python -m bench.capacity
bench/results.json` prints them; `--doc docs/capacity.md` rewrites the doc's generated part in place.

The costs (pure reading of results.json): CPU µs per event of each process group on the whole event path
(`pipeline`, bench/pipeline.py), per 360 view assembled and served from the cache (`gateway_load`), per
event the gateway takes in batches (`gateway`), PostgreSQL's WAL bytes per event, and one producer's rate
(`raw_produce`), which bounds each database's single outbox relay. The sizing (pure): for a deployment (cores
for the services, PostgreSQL and Kafka; partitions; processes per service), each limit as events/s or
views/s, and the lowest, which is what the deployment takes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

SERVICES = ("profile", "scoring", "journey", "referral", "sales", "loyalty", "gateway")
CONSUMERS = ("profile", "scoring", "journey", "referral", "sales", "loyalty")  # consumer groups of the events
VIEW_SERVICES = CONSUMERS  # what an assembled 360 view calls (services/gateway/api_customers.py)
INFRASTRUCTURE = ("postgres", "kafka")
# An assembled view: the gateway, the services it calls and their databases (no Kafka on the way); a cached view
# is the gateway's alone.
ASSEMBLED_PATH = ("gateway", *VIEW_SERVICES, "postgres")
BEGIN, END = (
    "<!-- capacity:begin (python -m bench.capacity bench/results.json --doc docs/capacity.md) -->",
    ("<!-- capacity:end -->"),
)


@dataclass(frozen=True)
class Costs:
    """Measured CPU µs per unit of work, by process group (SERVICES and INFRASTRUCTURE)."""

    event_us: dict[str, float]  # one inbound event through every consumer (not the gateway's intake)
    view_us: dict[str, float] = field(default_factory=dict)  # one 360 view assembled from the services
    cached_view_us: dict[str, float] = field(default_factory=dict)  # one 360 view from the gateway's cache
    gateway_intake_us: float | None = None  # the gateway's CPU per event posted in batches of 500
    wal_bytes_per_event: float | None = None
    relay_events_per_s: float | None = None  # one aiokafka producer's rate: one relay per database at most
    measured: str = ""  # when and where


@dataclass(frozen=True)
class Deployment:
    name: str
    service_cores: float  # for every Flywheel process; with `shared`, PostgreSQL and Kafka's too
    postgres_cores: float
    kafka_cores: float
    partitions: int
    processes: dict[str, int]  # per service; 1 when not named
    shared: bool = False  # everything on the same cores (the development VM)
    consumer_concurrency: int = 2  # FLYWHEEL_CONSUMER_CONCURRENCY: consumer loops (group members) per process

    def count(self, service: str) -> int:
        return self.processes.get(service, 1)

    def busy_consumers(self, service: str) -> int:
        """The processes of a consumer that hold partitions: a partition has one member of the group at a time,
        so beyond partitions ÷ loops per process, more replicas are standbys (docs/operations.md, Scale)."""
        return min(self.count(service), max(1, self.partitions // self.consumer_concurrency))


@dataclass(frozen=True)
class Limit:
    rate: float
    bound_by: str


def costs_from_results(report: Mapping[str, Any]) -> Costs:
    """The costs in a results.json (`make bench`), from whichever stages it holds."""
    results = report.get("results", {})
    pipeline = results.get("pipeline")
    if pipeline is not None:
        event_us = {g: float(v) for g, v in pipeline["cpu_us_per_event"].items() if g in (*SERVICES, *INFRASTRUCTURE)}
        wal = pipeline.get("postgres_wal_bytes_per_event")
    elif (ingest := results.get("profile_ingest")) is not None:  # profile alone: the other consumers unknown
        spent = ingest.get("cpu_seconds_during_stage", {})
        event_us = {g: spent[g] / ingest["n"] * 1e6 for g in ("profile", *INFRASTRUCTURE) if g in spent}
        wal = None
    else:
        raise ValueError("results.json holds neither the pipeline stage nor profile_ingest: nothing to size from")
    gateway = results.get("gateway")
    intake = None
    if gateway is not None and "gateway" in gateway.get("cpu_seconds_during_stage", {}):
        intake = gateway["cpu_seconds_during_stage"]["gateway"] / gateway["n"] * 1e6
    load = report.get("gateway_load", {})
    warmup = load.get("machine", {}).get("closed_loop", {}).get("warmup_s", 0.0)
    raw = results.get("raw_produce")
    return Costs(
        event_us=event_us,
        view_us=_per_request(load.get("customer_360_uncached", {}).get("gateway", {}), warmup, ASSEMBLED_PATH),
        cached_view_us=_per_request(load.get("customer_360", {}).get("gateway", {}), warmup, ("gateway",)),
        gateway_intake_us=intake,
        wal_bytes_per_event=None if wal is None else float(wal),
        relay_events_per_s=None if raw is None else float(raw["value"]),
        measured=str(report.get("machine", {}).get("started_at", "")),
    )


def _per_request(run: Mapping[str, Any], warmup_s: float, groups: tuple[str, ...]) -> dict[str, float]:
    """CPU µs per answered request of the groups on the request's path (what the others used meanwhile is their
    own background work). The CPU counts the run's warm-up too (not its requests): it is scaled by
    seconds / (seconds + warm-up), as if the warm-up ran at the same rate."""
    spent, requests, seconds = run.get("cpu_seconds_during_run"), run.get("requests"), run.get("seconds")
    if not spent or not requests or not seconds:
        return {}
    share = seconds / (seconds + warmup_s)
    return {g: spent[g] * share / requests * 1e6 for g in groups if g in spent}


def events_per_s(costs: Costs, deployment: Deployment) -> Limit:
    """Events/s the deployment sustains (through the gateway in batches when that cost is known)."""
    event_us = dict(costs.event_us)
    if costs.gateway_intake_us is not None:
        event_us["gateway"] = event_us.get("gateway", 0.0) + costs.gateway_intake_us
    limits = [_cores_limit(event_us, deployment)]
    for service in CONSUMERS:
        if event_us.get(service):
            used = deployment.busy_consumers(service)
            label = f"{service}: {used} process{'es' if used > 1 else ''} of one core"
            if deployment.count(service) > used:
                label += f" ({deployment.partitions} partitions)"
            limits.append(Limit(used * 1e6 / event_us[service], label))
    if event_us.get("gateway") and costs.gateway_intake_us is not None:
        limits.append(_processes_limit("gateway", event_us["gateway"], deployment.count("gateway")))
    if costs.relay_events_per_s:
        limits.append(Limit(costs.relay_events_per_s, "profile's outbox relay (one per database)"))
    return min(limits, key=lambda limit: limit.rate)


def views_per_s(view_us: Mapping[str, float], deployment: Deployment) -> Limit | None:
    """360 views/s (assembled, or from the cache), each service answering through its processes."""
    if not view_us:
        return None
    limits = [_cores_limit(view_us, deployment)]
    for service in (*VIEW_SERVICES, "gateway"):
        if view_us.get(service):
            limits.append(_processes_limit(service, view_us[service], deployment.count(service)))
    return min(limits, key=lambda limit: limit.rate)


def _processes_limit(service: str, us: float, processes: int) -> Limit:
    return Limit(processes * 1e6 / us, f"{service}: {processes} process{'es' if processes > 1 else ''} of one core")


def _cores_limit(us: Mapping[str, float], deployment: Deployment) -> Limit:
    services = sum(v for g, v in us.items() if g in SERVICES)
    if deployment.shared:
        total = services + sum(us.get(g, 0.0) for g in INFRASTRUCTURE)
        return Limit(deployment.service_cores * 1e6 / total, f"{deployment.service_cores:g} shared cores")
    limits = [Limit(deployment.service_cores * 1e6 / services, f"{deployment.service_cores:g} service cores")]
    if us.get("postgres"):
        limits.append(Limit(deployment.postgres_cores * 1e6 / us["postgres"], "PostgreSQL's cores"))
    if us.get("kafka"):
        limits.append(Limit(deployment.kafka_cores * 1e6 / us["kafka"], "Kafka's cores"))
    return min(limits, key=lambda limit: limit.rate)


DEPLOYMENTS = (
    Deployment("development VM (everything on 2 cores)", 2, 2, 2, 6, {}, shared=True),
    Deployment("small", 4, 2, 2, 6, {"profile": 2, "scoring": 2, "gateway": 2}),
    Deployment("medium", 8, 4, 3, 12, {"profile": 4, "scoring": 3, "gateway": 2, "journey": 2, "loyalty": 2}),
    Deployment("medium, 6 partitions", 8, 4, 3, 6, {"profile": 4, "scoring": 3, "gateway": 2, "journey": 2}),
    Deployment(
        "large", 16, 8, 6, 24, {"profile": 8, "scoring": 6, "gateway": 4, "journey": 3, "loyalty": 3, "referral": 2}
    ),
    Deployment("large, PostgreSQL of 4 cores", 16, 4, 6, 24, {"profile": 8, "scoring": 6, "gateway": 4, "journey": 3}),
    Deployment("x-large", 32, 16, 12, 48, {name: 12 for name in SERVICES}),
)


def render(costs: Costs, deployments: tuple[Deployment, ...] = DEPLOYMENTS) -> str:
    """The doc's generated part: the measured costs, then the sizing table."""
    lines = [f"Measured: {costs.measured or 'unknown date'} (`bench/results.json`).", ""]
    lines += ["| CPU µs per | " + " | ".join(SERVICES) + " | PostgreSQL | Kafka | all |"]
    lines += ["|---" * (len(SERVICES) + 4) + "|"]
    rows = [("event, every consumer", costs.event_us), ("360 view, assembled", costs.view_us)]
    rows += [("360 view, from the cache", costs.cached_view_us)]
    if costs.gateway_intake_us is not None:
        rows.append(("event taken in by the gateway (batches of 500)", {"gateway": costs.gateway_intake_us}))
    for name, us in rows:
        cells = [_us(us.get(g)) for g in (*SERVICES, *INFRASTRUCTURE)]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {_us(sum(us.values()) if us else None)} |")
    lines.append("")
    if costs.wal_bytes_per_event is not None:
        lines.append(f"PostgreSQL writes {costs.wal_bytes_per_event:,.0f} bytes of WAL per event (every database).")
    if costs.relay_events_per_s is not None:
        lines.append(f"One producer process publishes at most {costs.relay_events_per_s:,.0f} events/s (raw produce).")
    lines += ["", "| deployment | cores: services / PostgreSQL / Kafka | partitions | processes (others: 1) |"]
    lines[-1] += " events/s | bound by | assembled views/s | bound by | cached views/s |"
    lines.append("|---" * 9 + "|")
    for d in deployments:
        events = events_per_s(costs, d)
        views, cached = views_per_s(costs.view_us, d), views_per_s(costs.cached_view_us, d)
        cores = (
            f"{d.service_cores:g} shared"
            if d.shared
            else f"{d.service_cores:g} / {d.postgres_cores:g} / {d.kafka_cores:g}"
        )
        processes = ", ".join(f"{name} {n}" for name, n in d.processes.items()) or "1 each"
        lines.append(
            f"| {d.name} | {cores} | {d.partitions} | {processes} | {_rate(events.rate)} | {events.bound_by} | "
            f"{_rate(views.rate if views else None)} | {views.bound_by if views else '-'} | "
            f"{_rate(cached.rate if cached else None)} |"
        )
    return "\n".join(lines) + "\n"


def _us(value: float | None) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def _rate(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if value < 10_000 else f"{round(value, -2):,.0f}"


def replace_generated(doc: str, generated: str) -> str:
    """The doc with the part between the markers replaced."""
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(doc):
        raise ValueError("the doc has no generated part (its begin and end markers)")
    return pattern.sub(lambda _: f"{BEGIN}\n{generated}{END}", doc)


app = typer.Typer(add_completion=False)


@app.command()
def main(
    results: Annotated[Path, typer.Argument(help="A results.json written by make bench")] = Path("bench/results.json"),
    doc: Annotated[Path | None, typer.Option(help="Rewrite this doc's generated part (docs/capacity.md)")] = None,
) -> None:
    generated = render(costs_from_results(orjson.loads(results.read_bytes())))
    if doc is None:
        print(generated, end="")
    else:
        doc.write_text(replace_generated(doc.read_text(), generated))


if __name__ == "__main__":
    app()
