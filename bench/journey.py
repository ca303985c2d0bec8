"""The journey engine at scale: many customers enter one journey (wait a day, a webhook, exit), then the
clock moves a day and every timer comes due at once.

The journey service runs in-process against the bench stack's PostgreSQL and broker, on a clock the
bench moves, delivering to a local receiver in a process of its own (bench/webhook_receiver.py), whose raw
ceiling (requests/s from a plain aiohttp client) is measured in the same run: the webhook rate is reported
beside it. CPU seconds per delivery and per timer are this process's (the service and the bench's polling),
the receiver's and, given the stack's home, PostgreSQL's and the broker's, over the phase where the timers
run and the webhooks go.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import asyncpg
import httpx
import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from bench import cpu, webhook_receiver
from bench.raw import produce_all, producer
from bench.report import Measurement, rate
from contracts.topics import PROFILE_LIFECYCLE, RESOLVED, SCORING_CHANGES
from runtime.clock import MovableClock
from runtime.kafka import client_options
from runtime.service_tokens import ServiceTokenAuth
from runtime.settings import RuntimeSettings
from services.journey.settings import JourneyServiceSettings
from services.journey.wiring import create_app

TICK_S = 0.05
RECEIVER_ADDRESS = "127.0.0.1"
POLL_S = 0.2
WAIT = dt.timedelta(days=1)
T = TypeVar("T")
DOCUMENT: dict[str, Any] = {
    "name": "Bench: a day after the first visit, hello",
    "trigger": {"type": "event", "event": "visit"},
    "entry_step": "wait",
    "steps": {
        "wait": {"type": "wait", "duration": "1d", "next": "hello"},
        "hello": {
            "type": "action",
            "action": {"kind": "webhook", "channel": "email", "template": "Hi"},
            "next": "done",
        },
        "done": {"type": "exit"},
    },
    "settings": {"reentry": "never", "timezone": "UTC"},
}
# The timer rounds alone: the same wait, then the exit, so no delivery runs beside them.
TIMERS_ONLY: dict[str, Any] = {
    **DOCUMENT,
    "name": "Bench: a day after the first visit, nothing",
    "steps": {"wait": {"type": "wait", "duration": "1d", "next": "done"}, "done": {"type": "exit"}},
}


def visit(workspace: str, customer_id: str, at: dt.datetime, run: str) -> tuple[bytes, bytes]:
    """A resolved `visit` event, keyed `<workspace>:<customer_id>` as profile publishes it."""
    doc = {
        "specversion": "1.0",
        "id": f"v-{run}-{customer_id}",
        "source": "bench",
        "type": "visit",
        "time": at.isoformat(),
        "workspace": workspace,
        "customerid": customer_id,
        "data": {"customer": {"external_id": customer_id}, "channel": "web"},
    }
    return f"{workspace}:{customer_id}".encode(), orjson.dumps(doc)


async def journey_bench(
    stack_postgres_dsn: str, bootstrap: str, kafka: bool, customers: int, home: str | None = None
) -> list[Measurement]:
    """Enrolments entered per second, steps executed per second once the timers come due, the timers' lag (due
    to executed), webhooks delivered per second beside the receiver's ceiling, and CPU per timer and delivery
    (`home`: the stack's, to count PostgreSQL's and the broker's too)."""
    with webhook_receiver.running(webhook_receiver.free_port()) as url:
        return await _journey_bench(stack_postgres_dsn, bootstrap, kafka, customers, home, url)


async def _journey_bench(
    stack_postgres_dsn: str, bootstrap: str, kafka: bool, customers: int, home: str | None, receiver_url: str
) -> list[Measurement]:
    run = uuid.uuid4().hex[:8]
    workspace = f"bench-journey-{run}"
    group = f"bench-journey-{run}"
    settings = JourneyServiceSettings(
        service_name="journey",
        database_url=stack_postgres_dsn,
        kafka_bootstrap=bootstrap,
        kafka_idempotent_producer=kafka,
        consumer_group=group,
        consumer_concurrency=2,
        consumer_poll_ms=50,
        outbox_poll_s=0.2,
        journey_tick_s=TICK_S,
        webhook_allowed_hosts=RECEIVER_ADDRESS,  # the egress policy refuses loopback unless allowed
    )
    start = dt.datetime.now(dt.UTC).replace(microsecond=0)
    clock = MovableClock(start)
    app = create_app(settings, clock=clock)
    # The receiver's limit with a plain client, measured before anything else runs (a delivery's body size).
    ceiling = await webhook_receiver.ceiling(receiver_url, b"x" * 900)
    within = max(120.0, customers / 200)
    kafka_producer = producer(bootstrap, kafka)
    await kafka_producer.start()
    db = await asyncpg.connect(stack_postgres_dsn)
    try:
        # The resolved topic already holds the other stages' events: this group starts at its end.
        await _start_at_end(bootstrap, kafka_producer, group, (RESOLVED, SCORING_CHANGES, PROFILE_LIFECYCLE))
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app),
                base_url="http://journey",
                timeout=60,
                auth=ServiceTokenAuth.for_settings(settings, "bench"),  # the internal API takes service tokens
            ) as client,
        ):
            base = f"/internal/v1/workspaces/{workspace}"
            journey_id = await _journey(client, base, receiver_url)
            await _consuming(kafka_producer, db, run, start)

            async def stats() -> dict[str, Any]:
                answer = await client.get(f"{base}/journeys/{journey_id}/stats")
                answer.raise_for_status()
                body: dict[str, Any] = answer.json()
                return body

            # 1. Enrolments: every customer visits once; each enters and runs to its wait.
            messages = [visit(workspace, f"c{i}", start, run) for i in range(customers)]
            published_at = dt.datetime.now(dt.UTC)
            started = time.perf_counter()
            await produce_all(kafka_producer, RESOLVED, messages)
            publish_s = time.perf_counter() - started
            await _until(stats, lambda s: s["waiting"] >= customers, within, "every customer waiting")
            enrol_s = time.perf_counter() - started
            # Rows of one consumer batch share its transaction's now(): the steady rate is that of the
            # batches after the first, over the time from the first batch's start to the last one's.
            entered = await db.fetchrow(
                """SELECT count(*) AS n, sum(seq)::bigint AS seq, min(updated_at) AS first, max(updated_at) AS last,
                          count(*) FILTER (WHERE updated_at > (SELECT min(updated_at) FROM enrolments
                                                                 WHERE workspace = $1)) AS after_first,
                          count(DISTINCT updated_at) AS batches
                     FROM enrolments WHERE workspace = $1""",
                workspace,
            )
            assert entered is not None
            batches_s = (entered["last"] - entered["first"]).total_seconds()
            steady = round(entered["after_first"] / batches_s) if entered["batches"] >= 3 and batches_s > 0 else None
            enrol_data_s = (entered["last"] - published_at).total_seconds()

            # 2. A day passes: every timer is due at once; each enrolment runs wait -> webhook -> exit.
            cpu_before = _cpu(home, receiver_url)
            clock.advance(WAIT + dt.timedelta(minutes=1))
            due_at = dt.datetime.now(dt.UTC)
            started = time.perf_counter()
            # Counted directly: with the planner's statistics as stale as they are here (the tables grew from
            # empty in seconds), the stats endpoint's deliveries join runs as a nested loop, quadratic.
            # Each poll notes how many enrolments are visibly completed (committed): the lag as others see it.
            visible: list[tuple[float, int]] = []

            async def finished() -> tuple[int, int]:
                counts = await _finished(db, workspace)
                visible.append((time.perf_counter() - started, counts[0]))
                return counts

            await _until(
                finished,
                lambda n: n[0] >= customers and n[1] >= customers,
                within,
                "every enrolment completed and its webhook delivered",
            )
            steps_s = time.perf_counter() - started
            cpu_used = cpu.used(cpu_before, _cpu(home, receiver_url))
            done = await db.fetchrow(
                """SELECT count(*) AS n, sum(seq)::bigint AS seq, max(updated_at) AS last,
                          percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP
                              (ORDER BY extract(epoch FROM updated_at - $2)::float8 * 1000) AS q,
                          extract(epoch FROM max(updated_at) - $2)::float8 * 1000 AS max_ms
                     FROM enrolments WHERE workspace = $1 AND status = 'completed'""",
                workspace,
                due_at,
            )
            delivered = await db.fetchrow(
                """SELECT count(*) AS n, percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP
                              (ORDER BY extract(epoch FROM finished_at - $2)::float8 * 1000) AS q,
                          percentile_cont(ARRAY[0.1, 0.9]) WITHIN GROUP
                              (ORDER BY extract(epoch FROM finished_at - $2)::float8) AS steady,
                          extract(epoch FROM max(finished_at) - $2)::float8 * 1000 AS max_ms
                     FROM webhook_deliveries WHERE workspace = $1 AND status = 'delivered'""",
                workspace,
                due_at,
            )
            assert done is not None and delivered is not None
            alone = await _timers_alone(client, db, kafka_producer, clock, customers, run, home, receiver_url)
    finally:
        await db.close()
        await kafka_producer.stop()

    steps = int(done["seq"] - entered["seq"])
    timers_s = (done["last"] - due_at).total_seconds()
    lag_p50, lag_p99 = done["q"]
    delivery_p50, delivery_p99 = delivered["q"]
    steady_from, steady_to = delivered["steady"]
    steady_rate = rate(int(0.8 * delivered["n"]), steady_to - steady_from)
    common = {"customers": customers, "journey_tick_s": TICK_S, "consumer_concurrency": 2}
    per_item = {group: round(seconds / customers * 1e6, 1) for group, seconds in cpu_used.items() if group != "other"}
    return [
        Measurement(
            "journey_enrolments",
            rate(customers, enrol_s),
            "enrolments/s",
            customers,
            {
                **common,
                "what": "one visit per customer on the resolved topic; from the first publish until stats show "
                "every customer waiting",
                "seconds": round(enrol_s, 2),
                "publish_seconds": round(publish_s, 2),
                "seconds_to_last_enrolment_written": round(enrol_data_s, 2),
                "steady_enrolments_per_second": steady,
                "steady_note": "enrolments after the first consumer batch, over the time from its start to the last's",
                "consumer_batches": entered["batches"],
                "steps_run_on_entry": int(entered["seq"]),
            },
        ),
        Measurement(
            "journey_steps",
            rate(steps, steps_s),
            "steps/s",
            steps,
            {
                **common,
                "what": "every timer due at once (clock moved a day): wait -> webhook -> exit, until all completed "
                "and every webhook delivered (instant receiver)",
                "steps_counted": "from the data: enrolments' seq after minus before (the webhook and the exit; "
                "the wait step ran on entry)",
                "seconds": round(steps_s, 2),
                "seconds_to_last_timer_run": round(timers_s, 2),
                "steps_per_second_timers_only": round(rate(steps, timers_s)),
                "enrolments_completed": done["n"],
                "webhooks_delivered": delivered["n"],
                "deliveries_seconds": round(delivered["max_ms"] / 1000, 2),
                "deliveries_per_second": round(rate(delivered["n"], delivered["max_ms"] / 1000)),
                "delivery_ms_p50": round(delivery_p50, 1),
                "delivery_ms_p99": round(delivery_p99, 1),
                "cpu_seconds": cpu_used,
                "cpu_us_per_timer_and_delivery": per_item,
                "cpu_note": "bench: this process (the journey service in-process and the bench's polling); receiver: "
                "the webhook receiver; other: the rest of the machine (other work)",
            },
        ),
        Measurement(
            "journey_webhooks",
            steady_rate,
            "webhooks/s",
            delivered["n"],
            {
                **common,
                "what": "webhooks delivered per second to a local receiver in a process of its own, between the 10th "
                "and the 90th percentile of their finish times (the timers feed them meanwhile)",
                "receiver_ceiling": ceiling,
                "ratio_to_receiver_ceiling": round(steady_rate / ceiling["requests_per_second"], 3),
                "delivery_limits": {
                    "concurrency": settings.delivery_concurrency,
                    "per_workspace": settings.delivery_per_workspace,
                    "per_receiver": settings.delivery_per_receiver,
                },
            },
        ),
        Measurement(
            "journey_timer_lag",
            lag_p99,
            "ms p99",
            done["n"],
            {
                **common,
                "what": "per enrolment: its row's last update (PostgreSQL now(): when the timer round's transaction "
                "began) minus the moment its timer came due (the clock moved)",
                "p50_ms": round(lag_p50, 1),
                "p99_ms": round(lag_p99, 1),
                "max_ms": round(done["max_ms"], 1),
                "visible_p50_ms": _visible_at(visible, 0.5 * customers),
                "visible_p99_ms": _visible_at(visible, 0.99 * customers),
                "visible_note": f"when the bench's polls (every {POLL_S} s) first saw that many completed (committed)",
            },
        ),
        alone,
    ]


async def _timers_alone(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    kafka_producer: AIOKafkaProducer,
    clock: MovableClock,
    customers: int,
    run: str,
    home: str | None,
    receiver_url: str,
) -> Measurement:
    """The timer rounds' own cost and lag: as many customers enter a journey whose wait ends in its exit (no
    delivery runs beside the rounds), then a day passes and every timer comes due at once."""
    workspace = f"bench-journey-alone-{run}"
    base = f"/internal/v1/workspaces/{workspace}"
    created = await client.post(f"{base}/journeys", json=TIMERS_ONLY)
    created.raise_for_status()
    journey_id = created.json()["journey_id"]
    (await client.post(f"{base}/journeys/{journey_id}/activate")).raise_for_status()
    within = max(120.0, customers / 200)
    entered_at = clock.now
    await produce_all(kafka_producer, RESOLVED, [visit(workspace, f"t{i}", entered_at, run) for i in range(customers)])

    async def waiting() -> int:
        count: int = await db.fetchval(
            "SELECT count(*) FROM enrolments WHERE workspace = $1 AND status = 'waiting'", workspace
        )
        return count

    await _until(waiting, lambda n: n >= customers, within, "every customer waiting (timers alone)")
    cpu_before = _cpu(home, receiver_url)
    clock.advance(WAIT + dt.timedelta(minutes=1))
    due_at = dt.datetime.now(dt.UTC)
    started = time.perf_counter()

    async def completed() -> int:
        count: int = await db.fetchval(
            "SELECT count(*) FROM enrolments WHERE workspace = $1 AND status = 'completed'", workspace
        )
        return count

    await _until(completed, lambda n: n >= customers, within, "every timer run (timers alone)")
    seconds = time.perf_counter() - started
    cpu_used = cpu.used(cpu_before, _cpu(home, receiver_url))
    done = await db.fetchrow(
        """SELECT percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP
                      (ORDER BY extract(epoch FROM updated_at - $2)::float8 * 1000) AS q,
                  extract(epoch FROM max(updated_at) - $2)::float8 AS last_s
             FROM enrolments WHERE workspace = $1 AND status = 'completed'""",
        workspace,
        due_at,
    )
    assert done is not None
    lag_p50, lag_p99 = done["q"]
    per_timer = {group: round(s / customers * 1e6, 1) for group, s in cpu_used.items() if group != "other"}
    return Measurement(
        "journey_timers_alone",
        rate(customers, done["last_s"]),
        "timers/s",
        customers,
        {
            "customers": customers,
            "journey_tick_s": TICK_S,
            "what": "every timer due at once, each running wait -> exit (no webhook, so no delivery beside the "
            "rounds): timers per second from the moment they came due to the last round's transaction",
            "lag_p50_ms": round(lag_p50, 1),
            "lag_p99_ms": round(lag_p99, 1),
            "seconds_until_seen_completed": round(seconds, 2),
            "cpu_seconds": cpu_used,
            "cpu_us_per_timer": per_timer,
            "timers_per_second_for_p99_5s_at_100000": 20_000,
        },
    )


def _visible_at(samples: list[tuple[float, int]], count: float) -> float | None:
    """Milliseconds from the timers coming due until the polls first saw `count` enrolments completed."""
    return next((round(seconds * 1000, 1) for seconds, seen in samples if seen >= count), None)


def _cpu(home: str | None, receiver_url: str) -> dict[str, float]:
    """CPU seconds so far by group: with the stack's `home`, cpu.snapshot's (this process is "bench", the receiver,
    a child, "receiver"); without, this process and the receiver alone."""
    if home is not None:
        return cpu.snapshot(home)
    times = os.times()
    port = receiver_url.split(":")[2].split("/", maxsplit=1)[0]
    receiver = (p for _, cmdline, p in cpu.processes().values() if f"bench.webhook_receiver {port}" in cmdline)
    return {"bench": times.user + times.system, "receiver": sum(receiver)}


async def _finished(db: asyncpg.Connection, workspace: str) -> tuple[int, int]:
    """(enrolments completed, webhooks delivered), as the stats endpoint counts them."""
    row = await db.fetchrow(
        """SELECT (SELECT count(*) FROM enrolments WHERE workspace = $1 AND status = 'completed'),
                  (SELECT count(*) FROM webhook_deliveries WHERE workspace = $1 AND status = 'delivered')""",
        workspace,
    )
    assert row is not None
    return int(row[0]), int(row[1])


async def _journey(client: httpx.AsyncClient, base: str, receiver_url: str) -> str:
    """Configure the workspace's channel, create the journey and activate it."""
    channel = await client.put(f"{base}/channel", json={"webhook_url": receiver_url})
    channel.raise_for_status()
    created = await client.post(f"{base}/journeys", json=DOCUMENT)
    created.raise_for_status()
    journey_id: str = created.json()["journey_id"]
    (await client.post(f"{base}/journeys/{journey_id}/activate")).raise_for_status()
    return journey_id


async def _start_at_end(bootstrap: str, kafka: AIOKafkaProducer, group: str, topics: tuple[str, ...]) -> None:
    """Commit the group's offsets at the end of `topics`, so it does not read what earlier stages published."""
    partitions = [TopicPartition(topic, p) for topic in topics for p in sorted(await kafka.partitions_for(topic))]
    consumer = AIOKafkaConsumer(
        **client_options(RuntimeSettings(kafka_bootstrap=bootstrap)), group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        await consumer.commit(dict(ends))
    finally:
        await consumer.stop()


async def _consuming(
    kafka: AIOKafkaProducer, db: asyncpg.Connection, run: str, at: dt.datetime, within: float = 120.0
) -> None:
    """Wait until the service consumes every partition of the resolved topic: one event per partition, from a
    workspace of its own, each folded into customer facts."""
    workspace = f"bench-journey-warm-{run}"
    partitions = sorted(await kafka.partitions_for(RESOLVED))
    futures = []
    for p in partitions:
        key, value = visit(workspace, f"w{p}", at, run)
        futures.append(await kafka.send(RESOLVED, value, key=key, partition=p))
    await asyncio.gather(*futures)

    async def folded() -> int:
        count: int = await db.fetchval("SELECT count(*) FROM customer_facts WHERE workspace = $1", workspace)
        return count

    await _until(folded, lambda n: n >= len(partitions), within, "the journey service consuming")


async def _until(probe: Callable[[], Awaitable[T]], ready: Callable[[T], bool], within: float, what: str) -> T:
    deadline = time.perf_counter() + within
    while True:
        value = await probe()
        if ready(value):
            return value
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{what}: not within {within:.0f} s (last: {value})")
        await asyncio.sleep(POLL_S)
