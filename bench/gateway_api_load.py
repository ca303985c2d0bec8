"""Gateway under HTTP load: `GET /v1/customers/{id}` (the 360 view, as clients get it: from the gateway's
cache once assembled), the same with `Cache-Control: no-cache` (every view fanned out to all five services),
and `POST /v1/events` (one event per request), each beside the same load on the framework's ceiling.

A second stack, with every service, after the first has stopped: the first measures profile alone, and
services that join a stack late would first replay everything earlier stages published. The load comes
from a separate process (bench/http_load.py); the ceiling is bench/ceiling_app.py, answering the gateway's
own captured answers. On a small machine the load generator, the gateway, the services, PostgreSQL and
Kafka share the CPUs: the CPU seconds of each during every run are in the report.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import os
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
from prometheus_client.parser import text_string_to_metric_families

from bench import cpu
from bench.events import generate
from bench.gateway_seed import Seeded, seed
from devstack.ports import free_port
from devstack.stack import REPO_ROOT, Stack, StackConfig

# Targets: reported, never asserted.
TARGET_RATIO_TO_CEILING = 0.30
TARGET_P99_MS = 100.0
FIXED_RATE = 200.0
# Events/s changing the viewed customers in the views-beside-events runs: with 300 customers, each one changes
# every 15 s, then every 3 s.
EVENTS_BESIDE_VIEWS = (20.0, 100.0)


def beside_events(rate: float) -> str:
    """The report's name of the views run beside `rate` events/s."""
    return f"customer_360_beside_{rate:g}_events_per_s"


# The gateway's per-key rate limit (1,000 requests/s by default) must not shape the measurement: the whole
# load comes from one key.
GATEWAY_ENV = {"FLYWHEEL_RATE_LIMIT_PER_S": "1000000", "FLYWHEEL_RATE_LIMIT_BURST": "1000000"}
SERVICES = ("gateway", "profile", "scoring", "journey", "referral", "sales", "loyalty")
QUIET_CPU_S = 0.3  # CPU seconds the six services may use in a second and count as idle (idle: about 0.15)
COMPLETE_VIEW = '"degraded":[]'  # a 360 answer with every section (none timed out or failed)


@dataclass(frozen=True)
class LoadPlan:
    seconds: float  # each closed-loop (throughput) run
    warmup_s: float
    fixed_rate_s: float  # each open-loop run at FIXED_RATE
    customers: int
    drain_s: float = 10.0  # an open-loop run gives up on requests unanswered this long after the last was due
    concurrency: int = 32


FULL = LoadPlan(seconds=15.0, warmup_s=2.0, fixed_rate_s=20.0, customers=300)
QUICK = LoadPlan(seconds=2.0, warmup_s=0.5, fixed_rate_s=2.0, customers=10, drain_s=2.0)


def run_stage(broker: str, plan: LoadPlan, py_spy: str | None = None, spy_output: Path | None = None) -> dict[str, Any]:
    """Start the second stack, seed it, measure; the report's `gateway_load` section. With `py_spy` (a binary),
    the gateway is sampled during the 360 throughput run into `spy_output` (collapsed stacks)."""
    home = Path(tempfile.mkdtemp(prefix="flywheel-bench-gw-"))
    started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    config = StackConfig.on_free_ports(home, broker, extra_env=GATEWAY_ENV)
    stack = Stack(config)
    try:
        started = time.perf_counter()
        stack.start()
        start_s = time.perf_counter() - started
        runs, seeded = asyncio.run(_measure(stack, plan, _spy(py_spy, stack, spy_output)))
    finally:
        stack.stop()
        shutil.rmtree(home, ignore_errors=True)
    facts = {
        "started_at": started_at,
        "broker": broker,
        "services": [spec.name for spec in stack.config.services],
        "stack_start_s": round(start_s, 1),
        "cpu_count": os.cpu_count(),
        "load_generator": "python -m bench.http_load: one asyncio process (uvloop, raw HTTP/1.1 keep-alive)",
        "load_average_after": os.getloadavg(),
        "closed_loop": {"seconds": plan.seconds, "warmup_s": plan.warmup_s, "concurrency": plan.concurrency},
        "open_loop": {"rate": FIXED_RATE, "seconds": plan.fixed_rate_s, "gives_up_after_s": plan.drain_s},
        "note": "the load generator, the gateway, every service, PostgreSQL and Kafka share this machine's "
        f"{os.cpu_count()} CPUs: at saturation the generator takes about one of them (generator_cpu_s), so "
        "both the gateway and the ceiling are measured with that much less CPU than the machine has",
        "seed": seeded.facts(),
    }
    return section(facts, runs)


async def _measure(stack: Stack, plan: LoadPlan, spy: list[str] | None) -> tuple[dict[str, dict[str, Any]], Seeded]:
    assert stack.api_key is not None
    gateway, key, workspace = stack.url("gateway"), stack.api_key, stack.config.workspace
    seeded = await seed(gateway, key, workspace, plan.customers)
    answers = stack.config.home / "ceiling-answers.json"
    answers.write_bytes(
        orjson.dumps({"customer": seeded.sample_360.decode(), "events": seeded.sample_events_answer.decode()})
    )
    ceiling_port = free_port()
    ceiling = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.ceiling_app", str(ceiling_port), str(answers), cwd=REPO_ROOT
    )
    try:
        await _wait_ready(f"http://127.0.0.1:{ceiling_port}/healthz")
        targets = {"gateway": stack.config.gateway_port, "ceiling": ceiling_port}
        views: dict[str, Any] = {"method": "GET", "paths": [f"/v1/customers/{cid}" for cid in seeded.customer_ids]}
        views["expect"] = COMPLETE_VIEW
        events: dict[str, Any] = {"method": "POST", "paths": ["/v1/events"], "body": _event_template(workspace)}
        events["customers"] = len(seeded.customer_ids)
        # The same views with `Cache-Control: no-cache`: each one assembled from the five services, as a view
        # that was not cached (or whose customer just changed) is.
        uncached = {**views, "headers": ["Cache-Control: no-cache"]}
        plans: list[tuple[str, dict[str, Any], dict[str, int]]] = [
            ("customer_360", views, targets),
            ("customer_360_uncached", uncached, {"gateway": targets["gateway"]}),
            ("events", events, targets),
        ]
        runs: dict[str, dict[str, Any]] = {}
        home = str(stack.config.home)
        for kind, job, ports in plans:
            for target, port in ports.items():
                common = {**job, "host": "127.0.0.1", "port": port, "key": key, "warmup_s": plan.warmup_s}
                closed = {**common, "mode": "closed", "concurrency": plan.concurrency, "seconds": plan.seconds}
                sampled = spy if (kind, target) == ("customer_360", "gateway") else None
                runs[f"{kind}.{target}"] = await _timed_load(closed, home, sampled, _gateway_metrics(stack, target))
                runs[f"{kind}.{target}"]["quiet_after_s"] = await _quiet(home)
                opened = {
                    **common,
                    "mode": "open",
                    "rate": FIXED_RATE,
                    "seconds": plan.fixed_rate_s,
                    "drain_s": plan.drain_s,
                }
                runs[f"{kind}.{target}.fixed_rate"] = await _timed_load(
                    opened, home, None, _gateway_metrics(stack, target)
                )
                runs[f"{kind}.{target}.fixed_rate"]["quiet_after_s"] = await _quiet(home)
        gateway_at = {"host": "127.0.0.1", "port": targets["gateway"], "key": key}
        for rate in EVENTS_BESIDE_VIEWS:
            # New event ids: the events run before used `load-0`, `load-1`, ..., and profile ignores a repeat.
            posting = {**events, **gateway_at, "body": events["body"].replace("load-", f"beside-{rate:g}-")}
            runs[f"{beside_events(rate)}.gateway"] = await _views_beside_events(
                {**views, **gateway_at, "mode": "closed", "concurrency": plan.concurrency, "seconds": plan.seconds},
                {**posting, "mode": "open", "rate": rate, "seconds": plan.seconds},
                home,
                _gateway_metrics(stack, "gateway"),
            )
            runs[f"{beside_events(rate)}.gateway"]["quiet_after_s"] = await _quiet(home)
    finally:
        ceiling.terminate()
        await asyncio.wait_for(ceiling.wait(), 30)
    return runs, seeded


async def _views_beside_events(
    views: dict[str, Any], events: dict[str, Any], home: str, metrics_url: str | None
) -> dict[str, Any]:
    """The views while events change the same customers at a steady rate: every event drops the views of
    its customer (and scoring's, journey's... answers to it drop them again), so some views are assembled.
    The views' result, with the events' beside it."""
    viewed, posted = await asyncio.gather(_timed_load(views, home, None, metrics_url), load(events))
    viewed["events_beside"] = {
        name: posted.get(name) for name in ("rate", "requests", "requests_per_s", "statuses", "latency_ms")
    }
    return viewed


def _event_template(workspace: str) -> str:
    """One purchase; the generator makes each request's event new (`@N@`) and repeats the customers (`@C@`)."""
    doc = generate(workspace, 1)[0]
    doc["id"], doc["data"]["order_id"] = "load-@N@", "load-o-@N@"
    doc["data"]["customer"] = {"external_id": "u@C@", "email": "user@C@@example.com"}
    return orjson.dumps(doc).decode()


def _spy(binary: str | None, stack: Stack, output: Path | None) -> list[str] | None:
    """py-spy's command line to sample the gateway (it disturbs the numbers: a diagnosis, not a measurement)."""
    pid = stack.processes["gateway"].pid()
    if binary is None or output is None or pid is None:
        return None
    return [binary, "record", "--pid", str(pid), "--rate", "100", "--nonblocking", "--format", "raw", "-o", str(output)]


def _gateway_metrics(stack: Stack, target: str) -> str | None:
    return f"{stack.metrics_url('gateway')}/metrics" if target == "gateway" else None


async def _timed_load(
    job: dict[str, Any], home: str, spy: list[str] | None = None, metrics_url: str | None = None
) -> dict[str, Any]:
    """The load generator's result, with the CPU each process used and (given the gateway's metrics URL) how
    the gateway answered its 360 views: from the cache (hit) or assembled (miss, bypass)."""
    sampler = await asyncio.create_subprocess_exec(*spy, stdout=asyncio.subprocess.DEVNULL) if spy else None
    reads_before = await _view_reads(metrics_url) if metrics_url else {}
    before = cpu.snapshot(home)
    result = await load(job)
    result["cpu_seconds_during_run"] = cpu.used(before, cpu.snapshot(home))
    if metrics_url and job["method"] == "GET":
        reads = await _view_reads(metrics_url)
        result["view_reads"] = {name: round(reads.get(name, 0.0) - reads_before.get(name, 0.0)) for name in reads}
    if sampler is not None:
        sampler.send_signal(signal.SIGINT)
        await asyncio.wait_for(sampler.wait(), 60)
        result["sampled_by_py_spy"] = True
    return result


async def _view_reads(metrics_url: str) -> dict[str, float]:
    """The gateway's `flywheel_gateway_view_reads_total` by result (warm-up requests included)."""
    async with httpx.AsyncClient(timeout=10) as client:
        text = (await client.get(metrics_url)).text
    reads = {"hit": 0.0, "miss": 0.0, "bypass": 0.0}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "flywheel_gateway_view_reads_total":
                reads[sample.labels["result"]] = sample.value
    return reads


async def load(job: dict[str, Any]) -> dict[str, Any]:
    """Run the load generator process on `job`; its result."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.http_load", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate(orjson.dumps(job))
    if process.returncode != 0:
        raise RuntimeError(f"the load generator exited with {process.returncode}")
    result: dict[str, Any] = orjson.loads(out)
    return result


async def _quiet(home: str, within: float = 120.0) -> float:
    """Wait until the stack's services are idle; seconds waited. The client's end of a run does not end the
    work it started: a gateway left with an open-loop run's queue answers it for a while, and the services
    ingest the events posted; the next run would pay for that."""
    started = time.monotonic()
    before = cpu.snapshot(home)
    while time.monotonic() - started < within:
        await asyncio.sleep(1.0)
        now = cpu.snapshot(home)
        busy = sum(now.get(group, 0.0) - before.get(group, 0.0) for group in SERVICES)
        if busy < QUIET_CPU_S:
            break
        before = now
    return round(time.monotonic() - started, 1)


async def _wait_ready(url: str, within: float = 120.0) -> None:
    """Poll `url` until it answers 200; a second stack starting beside a busy machine may take a while."""
    deadline = time.monotonic() + within
    async with httpx.AsyncClient(timeout=2) as client:
        while True:
            try:
                answer = (await client.get(url)).status_code
            except httpx.HTTPError as exc:
                answer = None
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{url} did not answer within {within:.0f} s") from exc
            if answer == 200:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} answered {answer} for {within:.0f} s, never 200")
            await asyncio.sleep(0.1)


def section(facts: dict[str, Any], runs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The report's section: each kind's runs, the gateway's throughput as a share of the ceiling's, and
    the targets (reported, never asserted)."""
    out: dict[str, Any] = {"machine": facts}
    for kind in ("customer_360", "customer_360_uncached", *map(beside_events, EVENTS_BESIDE_VIEWS), "events"):
        ceiling_kind = "customer_360" if kind.startswith("customer_360") else kind  # the same answer, once
        gateway, ceiling = runs.get(f"{kind}.gateway", {}), runs.get(f"{ceiling_kind}.ceiling", {})
        out[kind] = {
            "gateway": gateway,
            "ceiling": ceiling,
            "ratio_to_ceiling": _ratio(gateway.get("requests_per_s"), ceiling.get("requests_per_s")),
            "gateway_fixed_rate": runs.get(f"{kind}.gateway.fixed_rate", {}),
            "ceiling_fixed_rate": runs.get(f"{ceiling_kind}.ceiling.fixed_rate", {}),
        }
    view = out["customer_360"]
    p99 = view["gateway_fixed_rate"].get("latency_ms", {}).get("p99")
    events_p99 = out["events"]["gateway_fixed_rate"].get("latency_ms", {}).get("p99")
    out["targets"] = {
        "customer_360_ratio_to_ceiling": _target(view["ratio_to_ceiling"], ">=", TARGET_RATIO_TO_CEILING, ""),
        "customer_360_p99_at_200_rps": _target(p99, "<=", TARGET_P99_MS, "ms"),
        "events_p99_at_200_rps": _target(events_p99, "<=", TARGET_P99_MS, "ms"),
    }
    return out


def _ratio(value: float | None, ceiling: float | None) -> float | None:
    if not value or not ceiling or math.isnan(value) or math.isnan(ceiling):
        return None
    return round(value / ceiling, 3)


def _target(value: float | None, op: str, goal: float, unit: str) -> dict[str, Any]:
    met = None if value is None else (value >= goal if op == ">=" else value <= goal)
    return {"target": f"{op} {goal:g}{' ' + unit if unit else ''}", "value": value, "met": met}


def summary_line(report: dict[str, Any]) -> str:
    """One line, like the other stages print."""
    parts = []
    kinds = (
        ("customer_360", "GET /v1/customers/{id}"),
        ("customer_360_uncached", "the same with Cache-Control: no-cache"),
        *(
            (beside_events(rate), f"the same beside {rate:g} events/s to those customers")
            for rate in EVENTS_BESIDE_VIEWS
        ),
        ("events", "POST /v1/events"),
    )
    for kind, name in kinds:
        result = report.get(kind)
        if result is None:
            continue
        gateway, fixed = result["gateway"], result["gateway_fixed_rate"]
        ceiling = result["ceiling"].get("requests_per_s")
        part = (
            f"{name}: {_number(gateway.get('requests_per_s'))} req/s "
            f"(ceiling {_number(ceiling)}, ratio {_number(result['ratio_to_ceiling'])}), "
            f"p50/p99 {_number(gateway.get('latency_ms', {}).get('p50'))}/"
            f"{_number(gateway.get('latency_ms', {}).get('p99'))} ms at {gateway.get('concurrency')} connections"
        )
        if fixed:
            part += f", p99 {_number(fixed.get('latency_ms', {}).get('p99'))} ms at {_number(fixed.get('rate'))} req/s"
        if hits := hit_share(gateway.get("view_reads")):
            part += f", {hits:.0%} from the cache"
        parts.append(part)
    return "gateway load: " + "; ".join(parts)


def hit_share(reads: dict[str, float] | None) -> float | None:
    """The share of 360 views the gateway answered from its cache (None: none answered or not counted)."""
    total = sum((reads or {}).values())
    return (reads or {}).get("hit", 0.0) / total if total else None


def _number(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if isinstance(value, int | float) and abs(value) >= 100 else f"{value:g}"
