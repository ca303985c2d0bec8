"""CPU per event of every part of the stack, on the whole event path: the figures docs/capacity.md sizes from.

A stack of its own with every service (optionally several processes of some: `--replicas profile=3`).
After a warm-up batch (consumer groups joined, pools filled), profile is paused (SIGSTOP: its group keeps its
members, the session timeout being long), N purchases are published to the inbound topic, and profile is
resumed: from then the stage waits until every consumer group has committed everything (profile's,
scoring's, journey's...) and every outbox is empty, the whole cascade the events set off (resolved events,
customer changes, scores). So the window holds the services' work at full speed, not the publisher's nor a
trickle's. The CPU each process group used in it (bench/cpu.py), less what it uses idle over as long,
divided by N, is its CPU per event; PostgreSQL's WAL over N its write volume per event.

`python -m bench.pipeline` runs it alone (its report on stdout); `make bench` adds it as `pipeline`.
The workspace configures nothing (no journeys, loyalty programme or segments): a floor for those services.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import tempfile
import time
import uuid
from pathlib import Path
from typing import Annotated, Any

import asyncpg
import orjson
import typer
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from bench import cpu
from bench.events import encoded, generate
from bench.raw import produce_all, producer
from bench.report import Measurement, rate
from contracts.topics import INBOUND
from devstack.stack import Stack, StackConfig
from runtime.kafka import client_options
from runtime.settings import RuntimeSettings

log = logging.getLogger(__name__)

NAME = "pipeline"
WARMUP_EVENTS = 1_000
IDLE_SECONDS = 5.0  # how long each group's idle CPU is measured, before the run
POLL_S = 0.5
SERVICES = ("gateway", "profile", "scoring", "journey", "referral", "sales", "loyalty")
# CPU seconds a second the services may use and count as idle (their periodic jobs and polls: about 0.15).
QUIET_CPU_S = 0.3
# Profile is paused while the events are published: its consumers stay members of the group meanwhile.
PIPELINE_ENV = {"FLYWHEEL_CONSUMER_SESSION_TIMEOUT_MS": "300000"}


def run_stage(broker: str, events: int, replicas: dict[str, int] | None = None) -> Measurement:
    """Start the stack, measure, stop it: the `pipeline` measurement."""
    home = Path(tempfile.mkdtemp(prefix="flywheel-bench-pipeline-"))
    stack = Stack(StackConfig.on_free_ports(home, broker, replicas=replicas or {}, extra_env=PIPELINE_ENV))
    try:
        started = time.perf_counter()
        stack.start()
        start_s = time.perf_counter() - started
        measurement = asyncio.run(measure(stack, events))
    finally:
        stack.stop()
        shutil.rmtree(home, ignore_errors=True)
    measurement.details["stack_start_s"] = round(start_s, 1)
    return measurement


async def measure(stack: Stack, n: int) -> Measurement:
    bootstrap, home = stack.broker.bootstrap, str(stack.config.home)
    kafka = stack.config.broker == "kafka"
    run = uuid.uuid4().hex[:6]
    databases = [spec.database for spec in stack.config.services]
    postgres = await asyncpg.connect(stack.postgres.dsn("postgres"))
    try:
        await _publish(bootstrap, kafka, generate(f"bench-pipeline-warmup-{run}", WARMUP_EVENTS, prefix="w"))
        await _settled(stack, bootstrap, databases, home)
        idle_before = cpu.snapshot(home)
        await asyncio.sleep(IDLE_SECONDS)
        idle = cpu.used(idle_before, cpu.snapshot(home))

        docs = generate(f"bench-pipeline-{run}", n, prefix="p")
        profile = [process.pid() for name, process in stack.processes.items() if name.split("-")[0] == "profile"]
        _signal(profile, signal.SIGSTOP)
        try:
            published = time.perf_counter()
            await _publish(bootstrap, kafka, docs)
            published_s = time.perf_counter() - published
            wal_before = await postgres.fetchval("SELECT pg_current_wal_lsn()")
            before = cpu.snapshot(home)
            started = time.perf_counter()
        finally:
            _signal(profile, signal.SIGCONT)
        await _settled(stack, bootstrap, databases, home, quiet=False)
        seconds = time.perf_counter() - started
        spent = cpu.used(before, cpu.snapshot(home))
        wal_bytes = await postgres.fetchval("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)", wal_before)
    finally:
        await postgres.close()
    return Measurement(
        NAME,
        rate(n, seconds),
        "events/s",
        n,
        pipeline_details(spent, idle, IDLE_SECONDS, seconds, n)
        | {
            "published_s": round(published_s, 2),
            "postgres_wal_bytes_per_event": round(float(wal_bytes) / n, 1),
            "replicas": {spec.instance: spec.port for spec in stack.config.instances if spec.replica > 1},
            "processes": {name: sum(1 for s in stack.config.instances if s.name == name) for name in SERVICES},
            "workload": "purchases of new (90%) and returning customers, to a workspace with nothing configured",
        },
    )


def pipeline_details(
    spent: dict[str, float], idle: dict[str, float], idle_seconds: float, seconds: float, n: int
) -> dict[str, Any]:
    """CPU per event per process group: what each used during the run less its idle use over as long."""
    per_event_us, gross_us = {}, {}
    for group, used in spent.items():
        if group == "other":
            continue
        baseline = idle.get(group, 0.0) / idle_seconds * seconds if idle_seconds else 0.0
        per_event_us[group] = round(max(used - baseline, 0.0) / n * 1e6, 1)
        gross_us[group] = round(used / n * 1e6, 1)
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds_during_stage": spent,
        "cpu_us_per_event_with_idle": gross_us,
        "idle_cpu_seconds_per_s": {g: round(v / idle_seconds, 3) for g, v in idle.items() if g != "other"},
        "cpu_us_per_event": per_event_us,
    }


def _signal(pids: list[int | None], signum: signal.Signals) -> None:
    for pid in pids:
        if pid is not None:
            os.kill(pid, signum)


async def _publish(bootstrap: str, kafka: bool, docs: list[dict[str, Any]]) -> None:
    client = producer(bootstrap, kafka)
    await client.start()
    try:
        await produce_all(client, INBOUND, encoded(docs))
    finally:
        await client.stop()


async def _settled(stack: Stack, bootstrap: str, databases: list[str], home: str, quiet: bool = True) -> None:
    """Every Flywheel consumer group committed every partition to its end and every outbox is empty, twice in a
    row (an outbox row may be on its way to a topic between the two checks); with `quiet`, the services idle too.
    The clients are opened once: a connection a poll would cost PostgreSQL and Kafka CPU counted as theirs."""
    options = client_options(RuntimeSettings(kafka_bootstrap=bootstrap))
    admin = AIOKafkaAdminClient(**options)
    consumer = AIOKafkaConsumer(**options, enable_auto_commit=False, group_id=None)
    connections = [await asyncpg.connect(stack.postgres.dsn(database)) for database in databases]
    await admin.start()
    await consumer.start()
    try:
        deadline = time.monotonic() + 900
        settled_once = False
        while time.monotonic() < deadline:
            done = await _groups_caught_up(admin, consumer) and await _outboxes_empty(connections)
            if done and settled_once:
                break
            settled_once = done
            await asyncio.sleep(POLL_S)
        else:
            raise TimeoutError("the stack did not catch up within 900 s")
    finally:
        await consumer.stop()
        await admin.close()
        for conn in connections:
            await conn.close()
    if quiet:
        before = cpu.snapshot(home)
        for _ in range(60):
            await asyncio.sleep(1.0)
            now = cpu.snapshot(home)
            if sum(now.get(g, 0.0) - before.get(g, 0.0) for g in SERVICES) < QUIET_CPU_S:
                return
            before = now


async def _groups_caught_up(admin: AIOKafkaAdminClient, consumer: AIOKafkaConsumer) -> bool:
    """Every partition of every topic a Flywheel group has committed on is committed to its end (a partition
    the group never committed on counts from 0)."""
    groups = [group for group, *_ in await admin.list_consumer_groups()]
    for group in (g for g in groups if g.startswith("flywheel-")):
        committed = await admin.list_consumer_group_offsets(group)
        topics = sorted({tp.topic for tp in committed})
        if not topics:
            continue
        partitions = [
            TopicPartition(topic["topic"], partition["partition"])
            for topic in await admin.describe_topics(topics)
            for partition in topic["partitions"]
        ]
        ends = await consumer.end_offsets(partitions)
        if any((committed[tp].offset if tp in committed else 0) < ends[tp] for tp in partitions):
            return False
    return True


async def _outboxes_empty(connections: list[asyncpg.Connection]) -> bool:
    for conn in connections:
        if await conn.fetchval("SELECT EXISTS (SELECT 1 FROM flywheel_outbox)"):
            return False
    return True


app = typer.Typer(add_completion=False)


@app.command()
def main(
    broker: Annotated[str, typer.Option(help="kafka or embedded")] = "kafka",
    events: Annotated[int, typer.Option(min=100)] = 20_000,
    replicas: Annotated[list[str] | None, typer.Option(help="SERVICE=N, e.g. profile=3")] = None,
) -> None:
    """The pipeline stage alone: its measurement as JSON on stdout."""
    logging.basicConfig(level=logging.WARNING)
    counts = {name: int(count) for name, _, count in (item.partition("=") for item in replicas or [])}
    measurement = run_stage(broker, events, counts)
    print(orjson.dumps({NAME: measurement.to_json()}, option=orjson.OPT_INDENT_2).decode())


if __name__ == "__main__":
    app()
