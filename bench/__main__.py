"""`make bench`: start a private stack, measure the raw limits and Flywheel against them, write the report."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import asyncpg
import orjson
import typer
from rich.console import Console

from bench import cpu, freshness, gateway_api_load, pipeline, scoring, trickle
from bench.events import distinct_customers, encoded, generate, timeline_record
from bench.flywheel import Target, fixed_rate_latency, profile_ingest, wait_outbox_empty
from bench.gateway_load import gateway_throughput
from bench.journey import journey_bench
from bench.loyalty import loyalty_earn, loyalty_expiry
from bench.raw import raw_copy, raw_kafka
from bench.report import TARGET_LATENCY_RATE, Measurement, build_report, render_table
from bench.reports import reports_bench
from bench.scoring_db import bulk_rescore
from bench.segments import segment_bench
from devstack.stack import Stack, StackConfig

app = typer.Typer(add_completion=False)
console = Console()
log = logging.getLogger("bench")

ALONE = {  # the stages `--only` runs alone, and what each includes
    "ingest": "raw kafka, raw copy, profile ingest",
    "gateway-load": "a second stack with every service",
    "reports": "the growth reports",
    "loyalty": "with raw kafka",
    "segments": "save and maintenance",
    "journey": "timers and webhooks to a local receiver",
    "pipeline": "CPU per event of every service",
    "trickle": "200 events/s one per request, then batched",
    "freshness": "purchase to enrolment, ingest to 360, memory",
}


@app.command()
def main(
    broker: Annotated[str, typer.Option(help="kafka (Apache Kafka, KRaft) or embedded")] = "kafka",
    events: Annotated[int, typer.Option(min=100, help="Events per throughput measurement")] = 100_000,
    out: Annotated[Path, typer.Option(help="Where the JSON report goes")] = Path("bench/results.json"),
    quick: Annotated[bool, typer.Option(help="A small smoke run (2,000 events, 2 s of latency)")] = False,
    latency_seconds: Annotated[float, typer.Option(help="How long the fixed-rate latency run lasts")] = 15.0,
    py_spy: Annotated[
        str | None,
        typer.Option(help="py-spy binary: sample profile during ingest, the gateway under 360 load (disturbs both)"),
    ] = None,
    scoring_customers: Annotated[
        int, typer.Option(min=0, help="Customers for the LTV-model fit and re-score (0: skip; see bench/scoring.py)")
    ] = scoring.TARGET_CUSTOMERS,
    scoring_db_customers: Annotated[
        int, typer.Option(min=0, help="Customers for the bulk re-score through PostgreSQL (0: skip)")
    ] = 200_000,
    journey_customers: Annotated[
        int, typer.Option(min=0, help="Customers entering one journey (0: skip; see bench/journey.py)")
    ] = 100_000,
    gateway_load: Annotated[
        bool, typer.Option(help="The gateway under HTTP load beside a minimal FastAPI app (a second stack)")
    ] = True,
    reports_customers: Annotated[
        int, typer.Option(min=0, help="Customers (5 events each) for the growth reports (0: skip)")
    ] = 1_000_000,
    loyalty_purchases: Annotated[
        int, typer.Option(min=0, help="Resolved purchases loyalty earns on (0: skip; see bench/loyalty.py)")
    ] = 100_000,
    loyalty_lots: Annotated[int, typer.Option(min=0, help="Due lots for loyalty's expiry job (0: skip)")] = 1_000_000,
    segment_customers: Annotated[
        int, typer.Option(min=0, help="Customers of the segment save and maintenance (0: skip; bench/segments.py)")
    ] = 1_000_000,
    pipeline_events: Annotated[
        int, typer.Option(min=0, help="Events through a stack of every service, CPU per event each (0: skip)")
    ] = 20_000,
    freshness_stage: Annotated[
        bool,
        typer.Option(
            "--freshness/--no-freshness",
            help="Purchase to segment to journey enrolment, ingest to 360 and memory at 2,000 events/s (a stack)",
        ),
    ] = True,
    only: Annotated[
        str | None,
        typer.Option(help="Run one stage alone: " + ", ".join(f"{name} ({what})" for name, what in ALONE.items())),
    ] = None,
) -> None:
    """Throughput and latency of Flywheel against this machine's raw Kafka and PostgreSQL limits."""
    if broker not in {"kafka", "embedded"}:
        raise typer.BadParameter("use kafka or embedded", param_hint="--broker")
    if only not in {None, *ALONE}:
        raise typer.BadParameter(f"the stages that run alone are {', '.join(ALONE)}", param_hint="--only")
    if quick:
        events, latency_seconds = 2_000, 2.0
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    home = Path(tempfile.mkdtemp(prefix="flywheel-bench-"))
    # Profile's ingest is measured against the raw limits with nothing else consuming its output.
    config = StackConfig.on_free_ports(home, broker, only=("profile", "gateway"))
    stack = Stack(config)
    machine: dict[str, object] = {
        "cpu_count": os.cpu_count(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "broker": broker,
        "events": events,
        "quick": quick,
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "note": "bench client, broker, PostgreSQL and the services all share this machine's CPUs",
    }
    measurements: dict[str, Measurement] = {}
    errors: dict[str, str] = {}
    if only in (None, "ingest", "reports", "loyalty", "segments", "journey"):
        try:
            with console.status(f"starting PostgreSQL, {broker} and the services in {home}…"):
                started = time.perf_counter()
                stack.start()
                machine["stack_start_s"] = round(time.perf_counter() - started, 1)
            db_customers = min(scoring_db_customers, 20_000) if quick else scoring_db_customers
            journeys = min(journey_customers, 5_000) if quick else journey_customers
            reports = min(reports_customers, 20_000) if quick else reports_customers
            loyalty = Loyalty(
                min(loyalty_purchases, 2_000) if quick else loyalty_purchases,
                min(loyalty_lots, 20_000) if quick else loyalty_lots,
            )
            segments = min(segment_customers, 20_000) if quick else segment_customers
            if only == "reports":
                measurements, errors = asyncio.run(_reports_only(stack, reports))
            elif only == "segments":
                measurements, errors = asyncio.run(_segments_only(stack, segments))
            elif only == "loyalty":
                measurements, errors = asyncio.run(_loyalty_only(stack, events, loyalty))
            elif only == "ingest":
                measurements, errors = asyncio.run(_ingest_only(stack, events, py_spy, out))
            elif only == "journey":
                measurements, errors = asyncio.run(_journey_only(stack, journeys))
            else:
                measurements, errors = asyncio.run(
                    _measure(
                        stack, events, latency_seconds, py_spy, out, db_customers, journeys, reports, loyalty, segments
                    )
                )
        finally:
            with console.status("stopping the stack…"):
                stack.stop()
            shutil.rmtree(home, ignore_errors=True)
    else:
        shutil.rmtree(home, ignore_errors=True)
    if (freshness_stage and only is None) or only == "freshness":
        _freshness(broker, quick, measurements, errors)
    report = build_report(machine, measurements)
    if (gateway_load and only is None) or only == "gateway-load":
        with console.status("gateway load: a second stack with every service, the ceiling app, the load generator…"):
            try:
                plan = gateway_api_load.QUICK if quick else gateway_api_load.FULL
                spy_output = out.with_name("gateway-360.txt")
                report["gateway_load"] = gateway_api_load.run_stage(broker, plan, py_spy, spy_output)
                console.print(gateway_api_load.summary_line(report["gateway_load"]))
            except Exception as exc:
                log.exception("gateway load failed")
                errors["gateway_load"] = repr(exc)
    if (pipeline_events and only is None) or only == "pipeline":  # a stack of its own, every service in it
        with console.status("pipeline: CPU per event of every service, on a stack of its own…"):
            try:
                report["results"][pipeline.NAME] = pipeline.run_stage(
                    broker, min(pipeline_events, 2_000) if quick else pipeline_events or 20_000
                ).to_json()
            except Exception as exc:
                log.exception("pipeline failed")
                errors["pipeline"] = repr(exc)
    if only in (None, "trickle"):  # one event per request at 200/s: CPU per event per process (a stack of its own)
        with console.status("trickle: a stack with every service, 200 events/s one per request, then batched…"):
            try:
                report["trickle"] = trickle.run_stage(broker, trickle.QUICK if quick else trickle.FULL)
                console.print(trickle.summary_line(report["trickle"]))
            except Exception as exc:
                log.exception("trickle failed")
                errors["trickle"] = repr(exc)
    if scoring_customers and only is None:  # CPU-bound: measured once the stacks have stopped
        with console.status(f"measuring the LTV models on {scoring_customers:,} customers, and lifetimes…"):
            try:
                report["scoring"] = scoring.run(min(scoring_customers, 100_000) if quick else scoring_customers)
                console.print(scoring.summary_line(report["scoring"]))
            except Exception as exc:
                log.exception("scoring failed")
                errors["scoring"] = repr(exc)
    if errors:
        report["errors"] = errors
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2) + b"\n")
    console.print(render_table(report))
    console.print(f"written to {out}")


def _freshness(broker: str, quick: bool, measurements: dict[str, Measurement], errors: dict[str, str]) -> None:
    """Freshness, ingest to 360 and memory per service, on a stack with every service (bench/freshness.py)."""
    with console.status("freshness: a stack with every service, purchases at 2,000 events/s…"):
        try:
            for m in freshness.run_stage(broker, freshness.QUICK if quick else freshness.FULL):
                measurements[m.name] = m
            console.print(freshness.summary_line(measurements))
        except Exception as exc:
            log.exception("freshness failed")
            errors["freshness"] = repr(exc)


async def _measure(
    stack: Stack,
    n: int,
    latency_seconds: float,
    py_spy: str | None,
    out: Path,
    scoring_db_customers: int,
    journey_customers: int = 0,
    reports_customers: int = 0,
    loyalty: Loyalty | None = None,
    segment_customers: int = 0,
) -> tuple[dict[str, Measurement], dict[str, str]]:
    run = uuid.uuid4().hex[:6]
    target = _profile_target(stack)
    measurements: dict[str, Measurement] = {}
    errors: dict[str, str] = {}
    stage = _stager(stack, measurements, errors)
    pool = await asyncpg.create_pool(target.profile_dsn, min_size=1, max_size=4)
    try:
        await _ingest_stages(stack, stage, target, pool, n, py_spy, out)
        await wait_outbox_empty(pool)
        latency_docs = generate(f"bench-latency-{run}", int(TARGET_LATENCY_RATE * latency_seconds), prefix="lat")
        await stage("latency", lambda: _single(fixed_rate_latency(target, pool, latency_docs, TARGET_LATENCY_RATE)))
        await wait_outbox_empty(pool)
        await stage("gateway", lambda: _single(_gateway(stack, pool, f"bench-gw-{run}", n)))
    finally:
        await pool.close()
    if scoring_db_customers:
        stack.postgres.ensure_databases(["scoring_bench"])
        dsn = stack.postgres.dsn("scoring_bench")
        await stage("scoring bulk re-score", lambda: _single(bulk_rescore(dsn, scoring_db_customers)))
    if journey_customers:
        await stage("journey", lambda: _journey(stack, journey_customers))
    if reports_customers:
        await stage("growth reports", lambda: _reports(stack, reports_customers))
    if loyalty is not None:
        await _loyalty(stack, stage, loyalty)
    if segment_customers:
        await stage("segments", lambda: _segments(stack, segment_customers))
    return measurements, errors


def _profile_target(stack: Stack) -> Target:
    kafka = stack.config.broker == "kafka"
    return Target(stack.broker.bootstrap, kafka, stack.postgres.dsn("profile"), stack.metrics_url("profile"))


async def _ingest_stages(
    stack: Stack, stage: Stage, target: Target, pool: asyncpg.Pool, n: int, py_spy: str | None, out: Path
) -> None:
    """Raw produce and raw COPY of n events (the limits), then profile's ingest of n others."""
    run = uuid.uuid4().hex[:6]
    raw_docs = generate(f"bench-raw-{run}", n)
    console.print(f"{n} events, {distinct_customers(raw_docs)} customers")
    await stage("raw kafka", lambda: raw_kafka(target.bootstrap, target.idempotent, encoded(raw_docs)))
    await stage("raw copy", lambda: _single(raw_copy(target.profile_dsn, [timeline_record(d) for d in raw_docs])))
    ingest_docs = generate(f"bench-ingest-{run}", n)
    spy = _start_py_spy(py_spy, stack, out.with_name("profile-ingest.txt"))
    await stage("profile ingest", lambda: _single(profile_ingest(target, pool, ingest_docs)))
    _stop_py_spy(spy)


async def _ingest_only(
    stack: Stack, n: int, py_spy: str | None, out: Path
) -> tuple[dict[str, Measurement], dict[str, str]]:
    """Profile ingest beside its raw limits (produce and COPY) measured in the same run, and nothing else."""
    target = _profile_target(stack)
    measurements: dict[str, Measurement] = {}
    errors: dict[str, str] = {}
    pool = await asyncpg.create_pool(target.profile_dsn, min_size=1, max_size=4)
    try:
        await _ingest_stages(stack, _stager(stack, measurements, errors), target, pool, n, py_spy, out)
    finally:
        await pool.close()
    return measurements, errors


async def _journey(stack: Stack, customers: int) -> list[Measurement]:
    """The journey engine at scale, on a journey database of its own (bench/journey.py)."""
    stack.postgres.ensure_databases(["journey_bench"])
    kafka = stack.config.broker == "kafka"
    home = str(stack.config.home)
    return await journey_bench(stack.postgres.dsn("journey_bench"), stack.broker.bootstrap, kafka, customers, home)


async def _journey_only(stack: Stack, customers: int) -> tuple[dict[str, Measurement], dict[str, str]]:
    measurements: dict[str, Measurement] = {}
    errors: dict[str, str] = {}
    await _stager(stack, measurements, errors)("journey", lambda: _journey(stack, customers))
    return measurements, errors


async def _segments(stack: Stack, customers: int) -> list[Measurement]:
    """A segment's save and maintenance beside raw COPY, on a scoring database of its own."""
    stack.postgres.ensure_databases(["scoring_segments_bench"])
    return await segment_bench(stack.postgres.dsn("scoring_segments_bench"), customers)


async def _segments_only(stack: Stack, customers: int) -> tuple[dict[str, Measurement], dict[str, str]]:
    measurements: dict[str, Measurement] = {}
    errors: dict[str, str] = {}
    await _stager(stack, measurements, errors)("segments", lambda: _segments(stack, customers))
    return measurements, errors


Stage = Callable[[str, Callable[[], Awaitable[list[Measurement]]]], Awaitable[None]]


def _stager(stack: Stack, measurements: dict[str, Measurement], errors: dict[str, str]) -> Stage:
    """Runs a named stage: its measurements (with the CPU seconds spent meanwhile) or its error."""

    async def stage(name: str, step: Callable[[], Awaitable[list[Measurement]]]) -> None:
        with console.status(f"measuring {name}…"):
            try:
                before = cpu.snapshot(str(stack.config.home))
                done = await step()
                spent = cpu.used(before, cpu.snapshot(str(stack.config.home)))
                for m in done:
                    m.details["cpu_seconds_during_stage"] = spent
                    measurements[m.name] = m
            except Exception as exc:
                log.exception("%s failed", name)
                errors[name] = repr(exc)
        console.print(f"{name}: done")

    return stage


@dataclass(frozen=True)
class Loyalty:
    """What the loyalty stages measure: purchases earned on, due lots expired (0: skip either)."""

    purchases: int
    lots: int


async def _loyalty(stack: Stack, stage: Stage, loyalty: Loyalty) -> None:
    """Earning (its ratio to raw produce is the report's) and the expiry job, each on a loyalty database of its own."""
    kafka = stack.config.broker == "kafka"
    if loyalty.purchases:
        stack.postgres.ensure_databases(["loyalty_bench"])
        dsn = stack.postgres.dsn("loyalty_bench")
        await stage(
            "loyalty earn", lambda: _single(loyalty_earn(dsn, stack.broker.bootstrap, kafka, loyalty.purchases))
        )
    if loyalty.lots:
        stack.postgres.ensure_databases(["loyalty_expiry_bench"])
        expiry_dsn = stack.postgres.dsn("loyalty_expiry_bench")
        await stage("loyalty expiry", lambda: _single(loyalty_expiry(expiry_dsn, loyalty.lots)))


async def _loyalty_only(stack: Stack, n: int, loyalty: Loyalty) -> tuple[dict[str, Measurement], dict[str, str]]:
    """Raw produce (the earn rate's limit, measured in the same run) and the loyalty stages."""
    measurements: dict[str, Measurement] = {}
    errors: dict[str, str] = {}
    stage = _stager(stack, measurements, errors)
    kafka = stack.config.broker == "kafka"
    raw_docs = generate(f"bench-raw-{uuid.uuid4().hex[:6]}", n)
    await stage("raw kafka", lambda: raw_kafka(stack.broker.bootstrap, kafka, encoded(raw_docs)))
    await _loyalty(stack, stage, loyalty)
    return measurements, errors


async def _reports(stack: Stack, customers: int) -> list[Measurement]:
    """The growth reports on databases of their own (profile's, scoring's, referral's and the gateway's)."""
    names = {service: f"{service}_reports_bench" for service in ("profile", "scoring", "referral", "gateway")}
    stack.postgres.ensure_databases(names.values())
    kafka = stack.config.broker == "kafka"
    dsn_of = lambda service: stack.postgres.dsn(names[service])  # noqa: E731
    return await reports_bench(dsn_of, stack.broker.bootstrap, kafka, customers)


async def _reports_only(stack: Stack, customers: int) -> tuple[dict[str, Measurement], dict[str, str]]:
    try:
        return {m.name: m for m in await _reports(stack, customers)}, {}
    except Exception as exc:
        log.exception("growth reports failed")
        return {}, {"growth reports": repr(exc)}


async def _single(measurement: Awaitable[Measurement]) -> list[Measurement]:
    return [await measurement]


async def _gateway(stack: Stack, pool: asyncpg.Pool, workspace: str, n: int) -> Measurement:
    from services.gateway.store import ensure_workspace_with_key

    key_file = stack.config.home / f"{workspace}-key"
    key = await ensure_workspace_with_key(stack.postgres.dsn("gateway"), workspace, key_file)
    return await gateway_throughput(stack.url("gateway"), key, workspace, n, pool)


def _start_py_spy(binary: str | None, stack: Stack, output: Path) -> subprocess.Popen[bytes] | None:
    """Sample the profile process (collapsed stacks, py-spy's raw format, in `output`) while it ingests."""
    pid = stack.processes["profile"].pid()
    if binary is None or pid is None:
        return None
    argv = [binary, "record", "--pid", str(pid), "--rate", "100", "--nonblocking", "--format", "raw"]
    spy = subprocess.Popen([*argv, "--output", str(output)], stdout=subprocess.DEVNULL)
    time.sleep(1.0)  # attached before the first event is published
    return spy


def _stop_py_spy(spy: subprocess.Popen[bytes] | None) -> None:
    if spy is not None:
        spy.send_signal(signal.SIGINT)
        spy.wait(timeout=60)


if __name__ == "__main__":
    app()
