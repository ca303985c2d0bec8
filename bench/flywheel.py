"""Flywheel itself: profile's ingest throughput and publish-to-visible latency at a fixed rate."""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import time
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx

from bench import metrics
from bench.events import SENT_AT_FIELD, encode, encoded, key_of, stamped
from bench.raw import produce_all, producer
from bench.report import Measurement, latency_summary, rate, steady_rate
from contracts.topics import INBOUND

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
POLL_S = 0.2
PROBE_EVERY = 10  # every 10th latency event is watched for visibility by polling
PROBE_POLL_S = 0.02
RECEIVED_AT_NOTE = (
    "received_at is timeline's DEFAULT now(), i.e. the START time of profile's batch transaction (PostgreSQL "
    "now() is transaction_timestamp()), not the commit: rows become visible later, by the rest of that batch's "
    "transaction (see consumer_batches.batch_seconds); observed_visible_latency_ms measures visibility by polling"
)


@dataclass(frozen=True)
class Target:
    bootstrap: str
    idempotent: bool
    profile_dsn: str
    profile_metrics_url: str  # profile's metrics port (/metrics), not its API


async def timeline_count(pool: asyncpg.Pool, workspace: str) -> int:
    count: int = await pool.fetchval("SELECT count(*) FROM timeline WHERE workspace = $1", workspace)
    return count


async def wait_visible(
    pool: asyncpg.Pool, workspace: str, n: int, started: float, within: float
) -> list[tuple[float, int]]:
    """Poll the timeline count until `n` rows (or `within` s); (seconds since `started`, count) samples."""
    samples: list[tuple[float, int]] = []
    while True:
        count = await timeline_count(pool, workspace)
        now = time.perf_counter() - started
        samples.append((now, count))
        if count >= n or now > within:
            return samples
        await asyncio.sleep(POLL_S)


async def wait_outbox_empty(pool: asyncpg.Pool, within: float = 300.0) -> float:
    """Seconds until profile's outbox is drained (everything republished to flywheel.events.resolved)."""
    started = time.perf_counter()
    while time.perf_counter() - started < within:
        if not await pool.fetchval(
            "SELECT EXISTS (SELECT 1 FROM flywheel_outbox) OR EXISTS (SELECT 1 FROM flywheel_outbox_packed)"
        ):
            break
        await asyncio.sleep(POLL_S)
    return time.perf_counter() - started


async def scrape(url: str) -> metrics.Snapshot:
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(f"{url}/metrics")
        return metrics.parse(response.text, INBOUND)


def deadline_for(n: int) -> float:
    return max(120.0, n / 500)


async def profile_ingest(target: Target, pool: asyncpg.Pool, docs: list[dict[str, Any]]) -> Measurement:
    """Publish every event as fast as possible; time until profile has committed the last one."""
    workspace, n = docs[0]["workspace"], len(docs)
    messages = encoded(docs)
    before = await scrape(target.profile_metrics_url)
    kafka = producer(target.bootstrap, target.idempotent)
    await kafka.start()
    try:
        started = time.perf_counter()

        async def timed_publish() -> float:
            await produce_all(kafka, INBOUND, messages)
            return time.perf_counter() - started

        publish = asyncio.create_task(timed_publish())
        samples = await wait_visible(pool, workspace, n, started, deadline_for(n))
        publish_s = await publish
    finally:
        await kafka.stop()
    seconds, visible = samples[-1]
    drained_s = await wait_outbox_empty(pool)
    first = next((t for t, c in samples if c > 0), math.nan)
    steady = steady_rate(samples, n)
    return Measurement(
        "profile_ingest",
        rate(visible, seconds),
        "events/s",
        n,
        {
            "seconds": round(seconds, 3),
            "committed": visible,
            "complete": visible >= n,
            "publish_seconds": round(publish_s, 3),
            "publish_events_per_s": round(rate(n, publish_s), 1),
            "first_commit_visible_s": round(first, 3),
            "sustained_10_90_events_per_s": None if steady is None else round(steady, 1),
            "outbox_drained_after_s": round(drained_s, 3),
            "consumer_batches": metrics.delta(before, await scrape(target.profile_metrics_url)),
            "workspace": workspace,
        },
    )


async def fixed_rate_latency(
    target: Target, pool: asyncpg.Pool, docs: list[dict[str, Any]], per_second: float, batch: int = 20
) -> Measurement:
    """Publish at `per_second` in batches of `batch`, each event stamped with its send time; latency per event
    from timeline.received_at, and for every 10th event also from polling until it is visible."""
    workspace, n = docs[0]["workspace"], len(docs)
    before = await scrape(target.profile_metrics_url)
    outstanding: dict[str, int] = {}
    observed: list[float] = []
    sending = asyncio.Event()
    sending.set()
    poller = asyncio.create_task(_watch(pool, workspace, outstanding, observed, sending))
    kafka = producer(target.bootstrap, target.idempotent)
    await kafka.start()
    try:
        futures: list[asyncio.Future[Any]] = []
        interval = batch / per_second
        started = time.perf_counter()
        for index in range(0, n, batch):
            delay = started + (index // batch) * interval - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            for i, doc in enumerate(docs[index : index + batch], start=index):
                sent_ns = time.time_ns()
                futures.append(await kafka.send(INBOUND, encode(stamped(doc, sent_ns)), key=key_of(doc)))
                if i % PROBE_EVERY == 0:
                    outstanding[doc["id"]] = sent_ns
        publish_s = time.perf_counter() - started
        await asyncio.gather(*futures)
    finally:
        await kafka.stop()
    sending.clear()
    samples = await wait_visible(pool, workspace, n, time.perf_counter(), deadline_for(n))
    await poller
    rows = await pool.fetch(
        "SELECT (event->'data'->>$2)::bigint AS sent, received_at FROM timeline WHERE workspace = $1",
        workspace,
        SENT_AT_FIELD,
    )
    received = [((r["received_at"] - EPOCH) // dt.timedelta(microseconds=1) * 1000 - r["sent"]) / 1e6 for r in rows]
    summary = latency_summary(received)
    return Measurement(
        "latency",
        summary.get("p99", math.nan),
        "ms p99",
        n,
        {
            "rate_events_per_s": per_second,
            "achieved_publish_events_per_s": round(rate(n, publish_s), 1),
            "publish_batch": batch,
            "seconds": round(publish_s, 3),
            "received_at_latency_ms": summary,
            "observed_visible_latency_ms": {**latency_summary(observed), "poll_interval_ms": PROBE_POLL_S * 1000},
            "committed": samples[-1][1],
            "note": RECEIVED_AT_NOTE,
            "consumer_batches": metrics.delta(before, await scrape(target.profile_metrics_url)),
            "workspace": workspace,
        },
    )


async def _watch(
    pool: asyncpg.Pool, workspace: str, outstanding: dict[str, int], observed: list[float], sending: asyncio.Event
) -> None:
    """Poll for the probe events; a probe's latency is the poll (query start) that first sees it."""
    deadline = time.monotonic() + 600
    while (sending.is_set() or outstanding) and time.monotonic() < deadline:
        if outstanding:
            asked_ns = time.time_ns()
            rows = await pool.fetch(
                "SELECT event_id FROM timeline WHERE workspace = $1 AND event_id = ANY($2::text[])",
                workspace,
                list(outstanding),
            )
            for row in rows:
                observed.append((asked_ns - outstanding.pop(row["event_id"])) / 1e6)
        await asyncio.sleep(PROBE_POLL_S)
