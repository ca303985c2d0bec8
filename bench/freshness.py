"""Freshness on the whole stack at 2,000 events/s (issue 23, targets 7 and 8; `python -m bench --only freshness`).

A stack of its own with every service. The workspace has a segment ("orders >= 2") and an active journey its
entry triggers. Known customers bought once, 40 days ago (set up before the run). Then purchases of new customers
go to flywheel.events.inbound at a fixed 2,000 events/s; at known moments among them, a known customer's second
purchase (they cross into the segment: profile resolves it, scoring counts the order and publishes
`segment.entered`, journey enrols them and publishes `journey.entered`), and a purchase of one of a sample of
customers whose 360 view (the gateway's `GET /v1/customers/{id}`) is polled until it shows the new order.

Freshness is each crossing purchase's send time to the Kafka timestamp of its `journey.entered` (the journey's
outbox relay stamps it as it publishes, after the enrolment committed; one wall clock, this machine's); the
timestamps of the purchase's resolved event and of `segment.entered` split it into profile's, scoring's and
journey's parts. Beside it: each service's resident memory idle and at its peak during the run, and the CPU each
part of the stack used per event.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any

import httpx
import orjson
import typer

from bench import cpu, memory
from bench.events import encode, generate, key_of
from bench.freshness_watch import SEGMENT, Watcher, freshness_measurement, wait_drained
from bench.raw import producer
from bench.report import Measurement, latency_summary, rate
from contracts.topics import INBOUND
from devstack.stack import Stack, StackConfig

PUBLISH_TICK_S = 0.01  # events go out in small batches, one every 10 ms, as fixed_rate_latency sends them
VIEW_POLL_S = 0.05  # each waiting 360 probe is asked again this often
SETUP_WAIT_S = 180.0
IDLE_S = 5.0
PARALLEL = 8
FIRST_PURCHASE_DAYS_AGO = 40


@dataclass(frozen=True)
class Plan:
    rate: float  # events per second, every one a purchase
    seconds: float
    crossings: int  # known customers whose second purchase comes during the run
    view_customers: int  # customers whose 360 view is polled
    probes: int  # purchases of those customers during the run (each polled until its view shows it)
    drain_s: float = 60.0  # how long to wait after the last send for the last enrolment and view
    settle_s: float = 600.0  # then how long for every service to have consumed every event (CPU per event)
    services: tuple[str, ...] | None = None  # None: every service (referral, sales and loyalty read purchases too)

    @property
    def events(self) -> int:
        return int(self.rate * self.seconds)


FULL = Plan(rate=2_000.0, seconds=20.0, crossings=400, view_customers=40, probes=120)
QUICK = Plan(rate=500.0, seconds=4.0, crossings=40, view_customers=10, probes=20, drain_s=45.0, settle_s=120.0)


def run_stage(broker: str, plan: Plan) -> list[Measurement]:
    """Start a stack with every service, measure, stop it."""
    home = Path(tempfile.mkdtemp(prefix="flywheel-bench-fresh-"))
    stack = Stack(StackConfig.on_free_ports(home, broker, only=plan.services))
    try:
        started = time.perf_counter()
        stack.start()
        start_s = time.perf_counter() - started
        measurements = asyncio.run(_measure(stack, plan))
        for m in measurements:
            m.details["stack_start_s"] = round(start_s, 1)
        return measurements
    finally:
        stack.stop()
        shutil.rmtree(home, ignore_errors=True)


@dataclass
class Known:
    """The customers set up before the run: external id -> customer id."""

    crossing: dict[str, str]
    viewed: dict[str, str]


@dataclass
class Sent:
    """Send times (ns, wall clock) of the purchases that are watched."""

    crossing: dict[str, int] = field(default_factory=dict)  # customer id -> its crossing purchase's send time
    probes: list[tuple[str, int, int]] = field(default_factory=list)  # (customer id, orders to show, sent ns)


async def _measure(stack: Stack, plan: Plan) -> list[Measurement]:
    assert stack.api_key is not None
    workspace, home = stack.config.workspace, str(stack.config.home)
    headers = {"Authorization": f"Bearer {stack.api_key}"}
    async with httpx.AsyncClient(base_url=stack.url("gateway"), headers=headers, timeout=30) as gateway:
        set_up = time.perf_counter()
        segment_id, journey_id = await _segment_and_journey(gateway)
        known = await _set_up_customers(stack, gateway, workspace, plan)
        set_up_s = time.perf_counter() - set_up
        groups = [f"flywheel-{spec.name}" for spec in stack.config.services]
        await wait_drained(stack.broker.bootstrap, groups, SETUP_WAIT_S)  # idle is idle
        idle = memory.snapshot(home)
        idle_started, idle_cpu_before = time.perf_counter(), cpu.snapshot(home)
        await asyncio.sleep(IDLE_S)  # what the idle stack costs a second (polls, periodic jobs, the broker)
        idle_cpu = cpu.used(idle_cpu_before, cpu.snapshot(home))
        idle_s = time.perf_counter() - idle_started
        watcher = Watcher(stack.broker.bootstrap, workspace, set(known.crossing.values()))
        await watcher.start()
        sampler = memory.PeakSampler(home)
        stopping = asyncio.Event()
        sampling = asyncio.create_task(sampler.run(stopping))
        views: list[float] = []
        cpu_before, run_started = cpu.snapshot(home), time.perf_counter()
        sent = Sent()
        probes: asyncio.Queue[tuple[str, int, int] | None] = asyncio.Queue()
        polling = asyncio.create_task(_poll_views(gateway, probes, views, plan.drain_s))
        try:
            publish_s = await _publish(stack, workspace, plan, known, sent, probes)
            sent_all = time.perf_counter()
            await probes.put(None)
            await watcher.wait_for(len(sent.crossing), plan.drain_s)
            await polling
            # Every event through every service: the CPU they took, and the rate the whole stack kept.
            _, left = await wait_drained(stack.broker.bootstrap, groups, plan.settle_s)
            drained_s = time.perf_counter() - sent_all
        finally:
            stopping.set()
            await sampling
            await watcher.stop()
        cpu_used = cpu.used(cpu_before, cpu.snapshot(home))
        run_s = time.perf_counter() - run_started
    facts = {
        "rate_events_per_s": plan.rate,
        "achieved_publish_events_per_s": round(rate(plan.events, publish_s), 1),
        "seconds": round(publish_s, 3),
        "services": [spec.name for spec in stack.config.services],
        "broker": stack.config.broker,
        "set_up_s": round(set_up_s, 1),
        "drained": not any(left.values()),
        "drained_after_last_send_s": round(drained_s, 1),
        "not_yet_consumed": {group: count for group, count in left.items() if count},
        # What the whole stack sustained: every event through every service, from the first send.
        "stack_events_per_s": round(rate(plan.events, publish_s + drained_s), 1),
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    freshness = freshness_measurement(sent.crossing, watcher.seen, segment_id, journey_id)
    freshness.details |= facts
    freshness.details["cpu_seconds_during_run"] = cpu_used
    freshness.details["cpu_ms_per_event"] = {
        group: round(seconds * 1000 / plan.events, 3) for group, seconds in cpu_used.items()
    }
    stack_cpu_s = sum(seconds for group, seconds in cpu_used.items() if group not in {"bench", "other"})
    freshness.details["stack_cpu_ms_per_event"] = round(stack_cpu_s * 1000 / plan.events, 3)
    freshness.details["idle_cores"] = {group: round(seconds / idle_s, 3) for group, seconds in idle_cpu.items()}
    beyond = above_idle(cpu_used, idle_cpu, idle_s, run_s)
    freshness.details["cpu_ms_per_event_above_idle"] = {
        group: round(seconds * 1000 / plan.events, 3) for group, seconds in beyond.items()
    }
    freshness.details["cpu_note"] = (
        "from the first send until every service consumed every event (or settle_s): the services, PostgreSQL and "
        "Kafka, the 360 probes' reads included; bench is this process (publishing, reading the topics, probing), "
        "other is the rest of the machine"
    )
    summary = latency_summary(views)
    ingest_to_360 = Measurement(
        "ingest_to_360",
        summary.get("p99", math.nan),
        "ms p99",
        len(sent.probes),
        {
            "latency_ms": summary,
            "seen": len(views),
            "not_seen_within_drain": len(sent.probes) - len(views),
            "customers": plan.view_customers,
            "poll_interval_ms": VIEW_POLL_S * 1000,
            "note": "a purchase's send time to the first GET /v1/customers/{id} (as clients ask, cache and all) "
            "whose stats.orders shows it; each waiting probe asked every poll interval",
            **facts,
        },
    )
    resident = memory.idle_and_load(idle, sampler.peak)
    peak_services = sum(g["load_peak_rss_mib"] for name, g in resident.items() if name in _SERVICES)
    memory_m = Measurement(
        "memory",
        peak_services,
        "MiB RSS (services, peak under load)",
        sampler.samples,
        {"by_group": resident, "note": memory.NOTE, **facts},
    )
    return [freshness, ingest_to_360, memory_m]


_SERVICES = ("gateway", "profile", "scoring", "journey", "referral", "sales", "loyalty")


async def _segment_and_journey(gateway: httpx.AsyncClient) -> tuple[str, str]:
    """The segment and an active journey its entry triggers (the enrolment waits 30 days: nothing is sent)."""
    segment = (await gateway.post("/v1/segments", json=SEGMENT)).raise_for_status().json()
    journey = {
        "name": "Welcome to repeat buyers",
        "trigger": {"type": "segment_entered", "segment_id": segment["segment_id"]},
        "entry_step": "wait",
        "steps": {"wait": {"type": "wait", "duration": "30d", "next": "done"}, "done": {"type": "exit"}},
    }
    created = (await gateway.post("/v1/journeys", json=journey)).raise_for_status().json()
    (await gateway.post(f"/v1/journeys/{created['journey_id']}/activate")).raise_for_status()
    return str(segment["segment_id"]), str(created["journey_id"])


def _purchase(workspace: str, external_id: str, event_id: str, when: dt.datetime) -> dict[str, Any]:
    doc = generate(workspace, 1, prefix=event_id)[0]
    doc["id"], doc["time"] = event_id, when.isoformat()
    doc["data"]["customer"] = {"external_id": external_id, "email": f"{external_id}@example.com"}
    doc["data"]["order_id"] = f"o-{event_id}"
    return doc


async def _set_up_customers(stack: Stack, gateway: httpx.AsyncClient, workspace: str, plan: Plan) -> Known:
    """Each known customer's first purchase, 40 days ago; their customer ids once profile resolved them."""
    first = dt.datetime.now(dt.UTC) - dt.timedelta(days=FIRST_PURCHASE_DAYS_AGO)
    crossing = [f"cross-{i}" for i in range(plan.crossings)]
    viewed = [f"viewed-{i}" for i in range(plan.view_customers)]
    docs = [_purchase(workspace, external, f"first-{external}", first) for external in crossing + viewed]
    kafka = producer(stack.broker.bootstrap, stack.config.broker == "kafka")
    await kafka.start()
    try:
        acks = [await kafka.send(INBOUND, encode(doc), key=key_of(doc)) for doc in docs]
        await asyncio.gather(*acks)
    finally:
        await kafka.stop()
    limit = asyncio.Semaphore(PARALLEL)
    ids = await asyncio.gather(*(_customer_id(gateway, limit, external) for external in crossing + viewed))
    by_external = dict(zip(crossing + viewed, ids, strict=True))
    known = Known({e: by_external[e] for e in crossing}, {e: by_external[e] for e in viewed})
    await asyncio.gather(*(_orders_shown(gateway, limit, cid, 1) for cid in known.viewed.values()))
    return known


async def _customer_id(gateway: httpx.AsyncClient, limit: asyncio.Semaphore, external_id: str) -> str:
    deadline = time.monotonic() + SETUP_WAIT_S
    async with limit:
        while (found := await gateway.get("/v1/customers", params={"external_id": external_id})).status_code != 200:
            if time.monotonic() > deadline:
                raise TimeoutError(f"profile did not resolve {external_id} within {SETUP_WAIT_S} s")
            await asyncio.sleep(0.2)
    return str(found.json()["customer_id"])


async def _orders_shown(gateway: httpx.AsyncClient, limit: asyncio.Semaphore, customer_id: str, orders: int) -> None:
    deadline = time.monotonic() + SETUP_WAIT_S
    async with limit:
        while not await _shows(gateway, customer_id, orders):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the 360 view of {customer_id} did not show {orders} orders")
            await asyncio.sleep(0.2)


async def _shows(gateway: httpx.AsyncClient, customer_id: str, orders: int) -> bool:
    return await _orders(gateway, customer_id) >= orders


async def _orders(gateway: httpx.AsyncClient, customer_id: str) -> int:
    """The orders the customer's 360 view shows; 0 when the gateway did not answer it (a busy machine: a kept-alive
    connection the server closed, a service's timeout), so the probe is asked again."""
    try:
        answer = await gateway.get(f"/v1/customers/{customer_id}")
    except httpx.HTTPError:
        return 0
    return int(answer.json()["stats"]["orders"]) if answer.status_code == 200 else 0


def above_idle(used: dict[str, float], idle: dict[str, float], idle_s: float, run_s: float) -> dict[str, float]:
    """CPU seconds each group used over `run_s` beyond what it uses idle (`idle`: over `idle_s`): a run that
    drains for minutes would otherwise charge its events with the idle stack's polls and periodic jobs."""
    return {group: max(seconds - idle.get(group, 0.0) / idle_s * run_s, 0.0) for group, seconds in used.items()}


def schedule(plan: Plan) -> list[str | None]:
    """For each slot of the run: None (a new customer's purchase), "cross" or "view" (a watched purchase), the
    watched ones spread evenly over the run."""
    slots: list[str | None] = [None] * plan.events
    for kind, count, offset in (("cross", plan.crossings, 0.25), ("view", plan.probes, 0.75)):
        step = plan.events / max(count, 1)
        for i in range(count):
            slot = int((i + offset) * step)
            while slots[slot] is not None:
                slot += 1
            slots[slot] = kind
    return slots


async def _publish(
    stack: Stack,
    workspace: str,
    plan: Plan,
    known: Known,
    sent: Sent,
    probes: asyncio.Queue[tuple[str, int, int] | None],
) -> float:
    """Send the run's purchases at the plan's rate; returns the seconds it took."""
    background = iter(generate(workspace, plan.events, repeat_share=0.0, prefix="fresh"))
    crossing = iter(known.crossing.items())
    viewed = list(known.viewed.items())
    orders = {customer_id: 1 for _, customer_id in viewed}
    probe = 0
    now = dt.datetime.now(dt.UTC)
    per_tick = max(1, round(plan.rate * PUBLISH_TICK_S))
    kafka = producer(stack.broker.bootstrap, stack.config.broker == "kafka")
    await kafka.start()
    try:
        acks = []
        slots = schedule(plan)
        started = time.perf_counter()
        for tick, index in enumerate(range(0, len(slots), per_tick)):
            delay = started + tick * per_tick / plan.rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            for kind in slots[index : index + per_tick]:
                doc = next(background)
                watched: tuple[str, int] | None = None
                if kind == "cross":
                    external, customer_id = next(crossing)
                    doc = _purchase(workspace, external, f"second-{external}", now)
                    watched = customer_id, 0
                elif kind == "view":
                    external, customer_id = viewed[probe % len(viewed)]
                    probe += 1
                    orders[customer_id] += 1
                    doc = _purchase(workspace, external, f"probe-{probe}", now)
                    watched = customer_id, orders[customer_id]
                sent_ns = time.time_ns()
                acks.append(await kafka.send(INBOUND, encode(doc), key=key_of(doc)))
                if watched is not None and watched[1] == 0:
                    sent.crossing[watched[0]] = sent_ns
                elif watched is not None:
                    sent.probes.append((watched[0], watched[1], sent_ns))
                    probes.put_nowait((watched[0], watched[1], sent_ns))
        publish_s = time.perf_counter() - started
        await asyncio.gather(*acks)
    finally:
        await kafka.stop()
    return publish_s


async def _poll_views(
    gateway: httpx.AsyncClient, probes: asyncio.Queue[tuple[str, int, int] | None], seen: list[float], drain_s: float
) -> None:
    """Ask each probe's 360 view every VIEW_POLL_S until it shows the probe's order; its latency goes to `seen`
    (a customer's later probe waits for the earlier: one view shows both)."""
    waiting: list[tuple[str, int, int]] = []
    done_sending = False
    deadline = math.inf
    while (waiting or not done_sending) and time.monotonic() < deadline:
        while not probes.empty():
            item = probes.get_nowait()
            if item is None:
                done_sending, deadline = True, time.monotonic() + drain_s
            else:
                waiting.append(item)
        if waiting:
            asked_ns = time.time_ns()
            customers = sorted({customer_id for customer_id, _, _ in waiting})
            answers = await asyncio.gather(*(_orders(gateway, cid) for cid in customers))
            shown = dict(zip(customers, answers, strict=True))
            still = []
            for customer_id, orders, sent_ns in waiting:
                if shown.get(customer_id, 0) >= orders:
                    seen.append((asked_ns - sent_ns) / 1e6)
                else:
                    still.append((customer_id, orders, sent_ns))
            waiting = still
        await asyncio.sleep(VIEW_POLL_S)


def summary_line(measurements: dict[str, Measurement]) -> str:
    parts = []
    if (fresh := measurements.get("freshness")) is not None:
        enrolment = fresh.details["purchase_to_enrolment_ms"]
        parts.append(f"purchase to enrolment p50 {enrolment.get('p50')} ms, p99 {enrolment.get('p99')} ms")
    if (view := measurements.get("ingest_to_360")) is not None:
        seen = view.details["latency_ms"]
        parts.append(f"ingest to 360 p50 {seen.get('p50')} ms, p99 {seen.get('p99')} ms")
    if (resident := measurements.get("memory")) is not None:
        parts.append(f"services' RSS under load {resident.value:,.0f} MiB")
    return "freshness: " + "; ".join(parts)


def main(
    broker: Annotated[str, typer.Option(help="kafka or embedded")] = "kafka",
    rate_per_s: Annotated[float, typer.Option("--rate", help="Purchases per second")] = FULL.rate,
    seconds: Annotated[float, typer.Option(help="How long purchases are sent")] = FULL.seconds,
    services: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated services to run (default: all; the path is profile,scoring,journey,gateway)"
        ),
    ] = None,
    out: Annotated[Path, typer.Option(help="Where the JSON goes")] = Path("bench/freshness.json"),
) -> None:
    """This stage alone, with another rate, length or set of services (`python -m bench --only freshness` runs
    it as `make bench` does)."""
    only = tuple(services.split(",")) if services else None
    plan = replace(FULL, rate=rate_per_s, seconds=seconds, services=only)
    measurements = {m.name: m for m in run_stage(broker, plan)}
    out.write_bytes(orjson.dumps({name: m.to_json() for name, m in measurements.items()}, option=orjson.OPT_INDENT_2))
    print(summary_line(measurements))


if __name__ == "__main__":
    typer.run(main)
