"""The cost of a trickle: `POST /v1/events` one event per request at a steady 200 requests/s against the whole
stack, beside the same events sent in batches (`python -m bench --only trickle`, or `python -m bench.trickle`).

Most producers call the API once per event, at a rate far below what the stack can take. What matters then is
not throughput but what each event costs: every tiny request pays a produce round trip, and every tiny consumer
batch a transaction, an outbox round and an offset commit, in every service the event reaches. So this stage
reports CPU seconds per event per process (gateway, profile, scoring, journey, ..., the broker, PostgreSQL) and
the cores the stack used, read from /proc (bench/cpu.py), for:
- idle: the stack with nothing to do (heartbeats, polls, sweeps): the floor under every figure;
- trickle: `seconds` at 200 events/s, one per request (open loop: bench/http_load.py), CPU over that window;
- batched: the same number of events in batches of 500, CPU from the first request until profile has them all
  and the services are quiet again;
and, in a run of its own (its polling would count in PostgreSQL's CPU), publish-to-visible latency at 200
events/s: from each request's send to the poll that first finds the event in profile's timeline.
A stack of its own (every service), started after the others have stopped. Figures are reported, never asserted.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson
import typer

from bench import cpu
from bench.events import SENT_AT_FIELD, generate
from bench.gateway_api_load import GATEWAY_ENV, SERVICES, _quiet, load
from bench.report import latency_summary
from devstack.stack import REPO_ROOT, Stack, StackConfig

RATE = 200.0  # events/s, one per request
# Consumers micro-batch as a deployment fed by a trickle would set them: a fetch gathers 16 KiB or waits 500 ms.
MICRO_BATCHING_ENV = {"FLYWHEEL_CONSUMER_FETCH_MIN_BYTES": "16384", "FLYWHEEL_CONSUMER_FETCH_MAX_WAIT_MS": "500"}
TARGET_CORES = 0.5  # the whole stack at RATE (issue 23, target 5)
TARGET_VISIBLE_P99_MS = 1_000.0
TARGET_REQUEST_P99_MS = 100.0
STACK_GROUPS = (*SERVICES, "kafka", "postgres")  # what the stack itself uses (not the load generator, the bench)
BATCH = 500
PROBE_EVERY = 5  # every 5th event of the latency run is watched for
PROBE_POLL_S = 0.02


@dataclass(frozen=True)
class TricklePlan:
    seconds: float  # the trickle's CPU window
    idle_s: float
    latency_s: float
    warmup_s: float = 3.0
    quiet_within_s: float = 120.0  # the longest wait for the services to go idle between runs


FULL = TricklePlan(seconds=30.0, idle_s=10.0, latency_s=15.0)
QUICK = TricklePlan(seconds=5.0, idle_s=3.0, latency_s=3.0, warmup_s=1.0, quiet_within_s=15.0)


def run_stage(broker: str, plan: TricklePlan) -> dict[str, Any]:
    """Start a stack with every service, measure, stop it; the report's `trickle` section."""
    home = Path(tempfile.mkdtemp(prefix="flywheel-bench-trickle-"))
    started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    stack = Stack(StackConfig.on_free_ports(home, broker, extra_env={**GATEWAY_ENV, **MICRO_BATCHING_ENV}))
    try:
        stack.start()
        section = asyncio.run(_measure(stack, plan))
    finally:
        stack.stop()
        shutil.rmtree(home, ignore_errors=True)
    section["machine"] = {
        "started_at": started_at,
        "broker": broker,
        "cpu_count": os.cpu_count(),
        "load_average_after": os.getloadavg(),
        "consumer_settings": MICRO_BATCHING_ENV,
        "note": "the load generator, the gateway, every service, PostgreSQL and the broker share this machine; "
        "CPU seconds per process group from /proc (bench/cpu.py), 'other' is the rest of the machine",
    }
    return section


async def _measure(stack: Stack, plan: TricklePlan) -> dict[str, Any]:
    assert stack.api_key is not None
    home = str(stack.config.home)
    gateway = {"host": "127.0.0.1", "port": stack.config.gateway_port, "key": stack.api_key}
    workspace = stack.config.workspace

    def one_per_request(prefix: str, seconds: float) -> dict[str, Any]:
        return {
            **gateway,
            "method": "POST",
            "paths": ["/v1/events"],
            "body": _event_template(workspace, prefix),
            "customers": 100_000,  # new customers, as a trickle of real traffic mostly brings
            "mode": "open",
            "rate": RATE,
            "seconds": seconds,
        }

    pool = await asyncpg.create_pool(stack.postgres.dsn("profile"), min_size=1, max_size=2)
    try:
        await load(one_per_request("warm", plan.warmup_s))  # connections, caches, the first customers
        await _quiet(home, plan.quiet_within_s)
        idle = await _idle(home, plan.idle_s)

        batches_before = await _consumer_batches(stack)
        before = cpu.snapshot(home)
        posted = await load(one_per_request("trickle", plan.seconds))
        spent = cpu.used(before, cpu.snapshot(home))
        events = posted["statuses"].get("202", 0)
        trickle = _costs(spent, events, posted["seconds"], idle)
        trickle["consumer_batches"] = _batches_between(batches_before, await _consumer_batches(stack))
        trickle["requests"] = {k: posted[k] for k in ("rate", "requests", "statuses", "latency_ms", "errors")}
        await _wait_visible(pool, workspace, "trickle-", events)
        trickle["quiet_after_s"] = await _quiet(home, plan.quiet_within_s)

        batched = await _batched(stack, pool, home, events, idle, plan.quiet_within_s)
        latency = await _latency(pool, one_per_request("latency", plan.latency_s), workspace)
    finally:
        await pool.close()
    cores = trickle["stack_cores"]
    visible_p99 = latency["visible_ms"].get("p99")
    request_p99 = trickle["requests"]["latency_ms"].get("p99")
    return {
        "rate_events_per_s": RATE,
        "idle": idle,
        "trickle": trickle,
        "batched": batched,
        "latency": latency,
        "targets": {
            "stack_cores_at_200_events_per_s": _target(cores, "<=", TARGET_CORES, "cores"),
            "publish_to_visible_p99": _target(visible_p99, "<=", TARGET_VISIBLE_P99_MS, "ms"),
            "request_p99_at_200_per_s": _target(request_p99, "<=", TARGET_REQUEST_P99_MS, "ms"),
        },
    }


async def _idle(home: str, seconds: float) -> dict[str, Any]:
    """Cores per group with nothing to do: heartbeats, fetch polls, relay sweeps."""
    before = cpu.snapshot(home)
    await asyncio.sleep(seconds)
    spent = cpu.used(before, cpu.snapshot(home))
    cores = {group: round(spent.get(group, 0.0) / seconds, 3) for group in STACK_GROUPS}
    return {"seconds": seconds, "cores": cores, "stack_cores": round(sum(cores.values()), 3)}


def _costs(spent: dict[str, float], events: int, seconds: float, idle: dict[str, Any] | None) -> dict[str, Any]:
    """CPU of each group over a window: seconds, cores, and milliseconds per event (with and without the idle
    floor's share)."""
    stack_s = sum(spent.get(group, 0.0) for group in STACK_GROUPS)
    idle_s = idle["stack_cores"] * seconds if idle else 0.0

    def per_event(cpu_s: float) -> float | None:
        return round(cpu_s * 1000 / events, 3) if events else None

    return {
        "events": events,
        "seconds": round(seconds, 2),
        "cpu_s": {group: spent.get(group, 0.0) for group in STACK_GROUPS},
        "cores": {group: round(spent.get(group, 0.0) / seconds, 3) for group in STACK_GROUPS},
        "cpu_ms_per_event": {group: per_event(spent.get(group, 0.0)) for group in STACK_GROUPS},
        "stack_cores": round(stack_s / seconds, 3),
        "stack_cpu_ms_per_event": per_event(stack_s),
        "stack_cpu_ms_per_event_above_idle": per_event(max(0.0, stack_s - idle_s)),
        "outside_stack_cpu_s": {k: v for k, v in spent.items() if k not in STACK_GROUPS},
    }


async def _batched(
    stack: Stack, pool: asyncpg.Pool, home: str, events: int, idle: dict[str, Any], quiet_within_s: float
) -> dict[str, Any]:
    """The same number of events in batches of BATCH (bench/gateway_load.py's worker, 4 connections): CPU from
    the first request until profile has them all and the services are quiet again."""
    workspace = stack.config.workspace
    job = {"url": stack.url("gateway"), "key": stack.api_key, "workspace": workspace, "events": events}
    job |= {"batch": BATCH, "concurrency": 4, "prefix": "batched"}
    before, started = cpu.snapshot(home), time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.gateway_load", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        cwd=REPO_ROOT,
    )  # fmt: skip
    out, _ = await process.communicate(orjson.dumps(job))
    if process.returncode != 0:
        raise RuntimeError(f"the batch poster exited with {process.returncode}")
    posted = orjson.loads(out)
    await _wait_visible(pool, workspace, "batched-", posted["accepted"])
    await _quiet(home, quiet_within_s)
    seconds = time.perf_counter() - started
    costs = _costs(cpu.used(before, cpu.snapshot(home)), posted["accepted"], seconds, idle)
    return costs | {"batch": BATCH, "post_seconds": round(posted["seconds"], 2), "statuses": posted["statuses"]}


async def _latency(pool: asyncpg.Pool, job: dict[str, Any], workspace: str) -> dict[str, Any]:
    """Publish-to-visible at RATE: each request's body carries its send time (`@T@`, wall clock); every
    PROBE_EVERY-th event is polled for in profile's timeline, its latency the poll (query start) that finds it."""
    job = {**job, "body": job["body"].replace('"@SENT@"', "@T@")}
    probes = [f"latency-{n}" for n in range(0, int(job["rate"] * job["seconds"]), PROBE_EVERY)]
    observed: list[float] = []
    posting = asyncio.create_task(load(job))
    outstanding = set(probes)
    deadline = time.monotonic() + job["seconds"] + 60
    while outstanding and time.monotonic() < deadline:
        asked_ns = time.time_ns()
        rows = await pool.fetch(
            "SELECT event_id, (event->'data'->>$3)::bigint AS sent FROM timeline "
            "WHERE workspace = $1 AND event_id = ANY($2::text[])",
            workspace,
            list(outstanding),
            SENT_AT_FIELD,
        )
        for row in rows:
            outstanding.discard(row["event_id"])
            observed.append((asked_ns - row["sent"]) / 1e6)
        if posting.done() and not rows and not outstanding:
            break
        await asyncio.sleep(PROBE_POLL_S)
    posted = await posting
    return {
        "visible_ms": latency_summary(observed),
        "probes_not_seen": len(outstanding),
        "poll_interval_ms": PROBE_POLL_S * 1000,
        "request_latency_ms": posted["latency_ms"],
        "statuses": posted["statuses"],
    }


async def _consumer_batches(stack: Stack) -> dict[str, tuple[float, float]]:
    """Each service's consumer batches so far, over every topic: (batches, messages), from its /metrics."""
    out: dict[str, tuple[float, float]] = {}
    async with httpx.AsyncClient(timeout=10) as client:
        for service in SERVICES:
            if service == "gateway":
                continue
            text = (await client.get(f"{stack.metrics_url(service)}/metrics")).text
            batches = messages = 0.0
            for line in text.splitlines():
                if line.startswith("flywheel_consumer_batch_size_count{"):
                    batches += float(line.rsplit(" ", 1)[1])
                elif line.startswith("flywheel_consumer_batch_size_sum{"):
                    messages += float(line.rsplit(" ", 1)[1])
            out[service] = (batches, messages)
    return out


def _batches_between(
    before: dict[str, tuple[float, float]], after: dict[str, tuple[float, float]]
) -> dict[str, dict[str, float | None]]:
    """Batches each service handled meanwhile (each a transaction, an outbox round and an offset commit), and
    messages per batch: what micro-batching changes at a trickle."""
    out: dict[str, dict[str, float | None]] = {}
    for service, (batches, messages) in after.items():
        done, carried = batches - before[service][0], messages - before[service][1]
        out[service] = {"batches": done, "messages_per_batch": round(carried / done, 2) if done else None}
    return out


async def _wait_visible(pool: asyncpg.Pool, workspace: str, prefix: str, n: int, within: float = 120.0) -> int:
    """Wait until profile's timeline holds `n` events whose id starts with `prefix`; how many it holds."""
    deadline = time.monotonic() + within
    while True:
        found: int = await pool.fetchval(
            "SELECT count(*) FROM timeline WHERE workspace = $1 AND starts_with(event_id, $2)", workspace, prefix
        )
        if found >= n or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.2)


def _event_template(workspace: str, prefix: str) -> str:
    """One purchase; the load generator makes each request's event new (`@N@`), its customer `@C@`."""
    doc = generate(workspace, 1)[0]
    doc["id"], doc["data"]["order_id"] = f"{prefix}-@N@", f"{prefix}-o-@N@"
    doc["data"]["customer"] = {"external_id": f"{prefix}-u@C@", "email": f"{prefix}-user@C@@example.com"}
    doc["data"][SENT_AT_FIELD] = "@SENT@"  # the latency run sends a number here (`@T@`)
    return orjson.dumps(doc).decode()


def _target(value: float | None, op: str, goal: float, unit: str) -> dict[str, Any]:
    met = None if value is None else (value >= goal if op == ">=" else value <= goal)
    return {"target": f"{op} {goal:g} {unit}", "value": value, "met": met}


def summary_line(section: dict[str, Any]) -> str:
    trickle, batched, latency = section["trickle"], section["batched"], section["latency"]
    busiest = sorted(trickle["cores"].items(), key=lambda item: -item[1])[:4]
    return (
        f"trickle at {RATE:g} events/s one per request: {trickle['stack_cores']} cores "
        f"({', '.join(f'{g} {c}' for g, c in busiest)}; idle {section['idle']['stack_cores']}), "
        f"{trickle['stack_cpu_ms_per_event']} ms CPU/event against {batched['stack_cpu_ms_per_event']} batched; "
        f"request p99 {trickle['requests']['latency_ms'].get('p99')} ms, "
        f"publish-to-visible p99 {latency['visible_ms'].get('p99')} ms"
    )


def main(
    broker: str = typer.Option("kafka", help="kafka or embedded"),
    quick: bool = typer.Option(False, help="a smoke run of a few seconds each"),
    out: Path | None = typer.Option(None, help="write the section as JSON here"),
) -> None:
    """The trickle stage alone (`python -m bench --only trickle` runs it too and writes bench/results.json)."""
    section = run_stage(broker, QUICK if quick else FULL)
    if out is not None:
        out.write_bytes(orjson.dumps(section, option=orjson.OPT_INDENT_2) + b"\n")
    print(summary_line(section))


if __name__ == "__main__":
    typer.run(main)
