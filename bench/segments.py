"""A dynamic segment over many customers through scoring's own code on PostgreSQL: saving it (its full evaluation
against every customer), then keeping its membership current while purchases change customers' stats at a
target rate of events, beside a raw COPY of the same customer rows (this machine's limit for writing them).

- *raw COPY*: the customers' rows (the scoring service's `customers` columns the segment reads) written with
  COPY into the table, as the seed; its rows per second is the limit.
- *save*: `service.save_segment` in one unit of work, as `PUT /v1/segments/{id}` does: the condition evaluated
  page by page over every customer within the workspace's statement budget, members inserted, entries announced.
- *maintenance*: batches of resolved purchases (BATCH_EVENTS each, as a consumer batch) applied by
  `service.apply_customer_events` in one unit of work each, as scoring's consumer does: folded into the inputs,
  the batch's customers re-scored, and their memberships brought up to date (entries and exits announced). The
  segment part alone (`Rescoring.segments` for the batch's customers) is timed too. At the target rate a batch of
  BATCH_EVENTS events arrives every BATCH_EVENTS / rate seconds: membership keeps up when a batch is applied in
  less (`keeps_up`; `sustainable_events_per_s` = events per second of batch time at the median).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from bench.report import Measurement, latency_summary
from contracts.codec import Decoder
from contracts.internal import RESOLVED_EVENT_TYPES
from runtime.context import PoolRuntime
from runtime.db import create_pool, migrate
from services.scoring import service
from services.scoring.events import ScoreChanges
from services.scoring.service import Rescoring, ScoringContext
from services.scoring.settings import ScoringServiceSettings

MIGRATIONS = Path(__file__).resolve().parents[1] / "services" / "scoring" / "migrations"
WORKSPACE = "bench-segments"
TARGET_EVENTS_PER_S = 5_000
BATCH_EVENTS = 500  # a consumer batch: a tenth of a second of events at the target rate
# Repeat buyers who spent more than 150 and still buy: a few percent of the simulated customers.
CONDITION: dict[str, Any] = {
    "all": [
        {"field": "stats.orders", "op": "gte", "value": 3},
        {"field": "stats.revenue", "op": "gt", "value": 150},
        {"field": "scores.p_alive", "op": "gte", "value": 0.2},
    ]
}
COLUMNS = [
    "workspace", "customer_id", "first_seen_at", "orders", "purchase_days", "revenue", "repeat_revenue",
    "first_purchase_at", "last_purchase_at", "p_alive",
]  # fmt: skip
DAY_COLUMNS = ["workspace", "customer_id", "day", "amount", "purchases"]
_DECODE = Decoder(RESOLVED_EVENT_TYPES)


def customer_rows(customers: int, now: dt.datetime, seed: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Simulated customers (and their purchase day, as scoring keeps it): 1-8 orders on one day up to two years
    ago, around 40 an order."""
    rng = np.random.default_rng(seed)
    orders = rng.integers(1, 9, customers)
    revenue = np.round(rng.gamma(2.0, 20.0, customers) * orders, 2)
    first_ago = rng.integers(1, 730, customers)
    p_alive = rng.beta(2.0, 2.0, customers)
    rows, days = [], []
    for i in range(customers):
        at = now - dt.timedelta(days=int(first_ago[i]))
        amount = Decimal(f"{revenue[i]:.2f}")
        rows.append((WORKSPACE, f"c{i}", at, int(orders[i]), 1, amount, Decimal(0), at, at, float(p_alive[i])))
        days.append((WORKSPACE, f"c{i}", at.date(), amount, int(orders[i])))
    return rows, days


def purchases(customers: int, count: int, now: dt.datetime, rng: np.random.Generator) -> list[Any]:
    """`count` resolved purchases of random customers, as scoring's consumer decodes them."""
    picked = rng.integers(0, customers, count)
    amounts = np.round(rng.gamma(2.0, 40.0, count) + 1, 2)
    return [
        _DECODE(
            orjson.dumps(
                {
                    "specversion": "1.0",
                    "id": f"p-{uuid.uuid4().hex}",
                    "source": "bench",
                    "type": "purchase",
                    "time": now.isoformat(),
                    "workspace": WORKSPACE,
                    "customerid": f"c{picked[k]}",
                    "data": {
                        "customer": {"external_id": f"c{picked[k]}"},
                        "order_id": uuid.uuid4().hex,
                        "amount": f"{amounts[k]:.2f}",
                        "currency": "EUR",
                    },
                }
            )
        )
        for k in range(count)
    ]


async def segment_bench(dsn: str, customers: int, batches: int = 20, seed: int = 11) -> list[Measurement]:
    """Raw COPY of the customers, the segment's save (full evaluation) and its per-batch maintenance."""
    await migrate(dsn, "scoring", MIGRATIONS)
    settings = ScoringServiceSettings(database_url=dsn)
    pool = await create_pool(settings)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    context = ScoringContext(PoolRuntime(pool, settings), lambda: now)
    try:
        rows, days = customer_rows(customers, now, seed)
        async with pool.acquire() as conn:
            for table in ("segment_members", "segments", "purchase_days", "orders", "customers"):
                await conn.execute(f"DELETE FROM {table} WHERE workspace = $1", WORKSPACE)  # noqa: S608 (constants)
            started = time.perf_counter()
            await conn.copy_records_to_table("customers", records=rows, columns=COLUMNS)
            copy_s = time.perf_counter() - started
            await conn.copy_records_to_table("purchase_days", records=days, columns=DAY_COLUMNS)
            await conn.execute("ANALYZE customers")
            await conn.execute("ANALYZE purchase_days")
        del rows, days

        started = time.perf_counter()
        async with context.unit_of_work() as work:
            segment, members = await service.save_segment(
                work, WORKSPACE, "seg_bench", "Loyal, still buying", None, CONDITION, now, context.budget_ms
            )
        save_s = time.perf_counter() - started

        rng = np.random.default_rng(seed + 1)
        batch_s: list[float] = []
        segments_s: list[float] = []
        for _ in range(batches):
            events = purchases(customers, BATCH_EVENTS, now, rng)
            started = time.perf_counter()
            async with context.unit_of_work() as work:
                await service.apply_customer_events(work, WORKSPACE, events, now, context.budget_ms)
            batch_s.append(time.perf_counter() - started)
            ids = sorted({str(getattr(e, "customerid", "")) for e in events})
            started = time.perf_counter()
            async with context.unit_of_work() as work:
                await Rescoring(work.conn, ScoreChanges(WORKSPACE, now), now, context.budget_ms).segments(ids)
            segments_s.append(time.perf_counter() - started)
        async with pool.acquire() as conn:
            members_after = await conn.fetchval(
                "SELECT count(*) FROM segment_members WHERE workspace = $1 AND segment_id = 'seg_bench'", WORKSPACE
            )
    finally:
        await pool.close()
    median = statistics.median(batch_s)
    sustainable = BATCH_EVENTS / median
    arrival_s = BATCH_EVENTS / TARGET_EVENTS_PER_S
    return [
        Measurement(
            "segment_raw_copy",
            customers / copy_s,
            "rows/s",
            customers,
            {"what": "COPY of the customers' rows the segment reads (the raw limit)", "seconds": round(copy_s, 2)},
        ),
        Measurement(
            "segment_save",
            save_s,
            "s",
            customers,
            {
                "what": "save a segment: its full evaluation over every customer (one unit of work, as the API)",
                "members": members,
                "failing": segment.status != "active",
                "customers_per_second": round(customers / save_s),
                "ratio_to_raw_copy": round(copy_s / save_s, 3),
                "condition": CONDITION,
            },
        ),
        Measurement(
            "segment_maintenance",
            sustainable,
            "events/s",
            BATCH_EVENTS * batches,
            {
                "what": f"batches of {BATCH_EVENTS} purchases applied as scoring's consumer does (fold, re-score, "
                "memberships); the value is events per second of batch time at the median batch",
                "target_events_per_s": TARGET_EVENTS_PER_S,
                "batch_arrives_every_ms": round(arrival_s * 1000, 1),
                "batch_ms": latency_summary([s * 1000 for s in batch_s]),
                "segments_only_ms": latency_summary([s * 1000 for s in segments_s]),
                "keeps_up": median < arrival_s,
                "segments_only_keep_up": statistics.median(segments_s) < arrival_s,
                "members_after": members_after,
            },
        ),
    ]
