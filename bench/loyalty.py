"""Loyalty at scale: earning on a stream of resolved purchases (against the same run's raw produce rate), and the
nightly expiry job over a million due lots.

Earning: the loyalty service runs in-process against the bench stack's PostgreSQL (a database of its own) and
broker, with a consumer group starting at the topic's end; a workspace with an EXAMPLE_PROGRAM-like program
(category and SKU multipliers, a first-purchase bonus, caps, a spend-based tier ladder) receives purchases of
members with categorised items, timed from the first publish until every order has its earn entry.
Expiry: members, their earn entries and lots are COPYed into a fresh loyalty database, every lot already due,
then the service's own job (LoyaltyJobs.expire) runs until nothing is due, and the result is checked.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import httpx
import orjson
from aiokafka import AIOKafkaProducer
from prometheus_client import REGISTRY

from bench.journey import _start_at_end
from bench.raw import produce_all, producer
from bench.report import Measurement, rate
from contracts.http.loyalty import EXAMPLE_PROGRAM
from contracts.topics import JOURNEY_ACTIONS, PROFILE_LIFECYCLE, REFERRAL_EVENTS, RESOLVED
from runtime.context import PoolRuntime
from runtime.db import create_pool, migrate
from runtime.service_tokens import ServiceTokenAuth
from services.loyalty.jobs import LoyaltyJobs
from services.loyalty.service import LoyaltyContext
from services.loyalty.settings import LoyaltyServiceSettings
from services.loyalty.wiring import create_app

MIGRATIONS = Path(__file__).resolve().parents[1] / "services" / "loyalty" / "migrations"
POLL_S = 0.2
LOTS_PER_MEMBER = 10
PURCHASES_PER_MEMBER = 10
SEED_CHUNK = 10_000  # members per COPY
ENTRY_COLUMNS = [
    "workspace", "entry_id", "customer_id", "kind", "points", "reason", "order_id", "program_version", "at",
    "recorded_at",
]  # fmt: skip
T = TypeVar("T")
# EXAMPLE_PROGRAM's rules with the categories the generated items carry: so each purchase does the realistic
# work (multipliers per line, the first-purchase bonus, the caps, the member's qualifying spend for the tiers).
PROGRAM: dict[str, Any] = copy.deepcopy(EXAMPLE_PROGRAM) | {"name": "Bench tea club"}
_ITEMS = (
    ("TEA-GREEN", "tea"),
    ("TEA-BLACK", "tea"),
    ("CUP-1", "cups"),
    ("POT-1", "pots"),
    ("GIFTBOX-1", "gifts"),
    ("BOOK-1", "books"),
)


def purchase(workspace: str, customer_id: str, order_id: str, at: dt.datetime, rng: random.Random) -> dict[str, Any]:
    """A resolved purchase (as profile republishes it: `customerid` set) of one to three categorised lines."""
    items = []
    total = 0
    for sku, category in rng.sample(_ITEMS, rng.randint(1, 3)):
        quantity, unit_cents = rng.randint(1, 3), rng.randint(300, 5_000)
        total += quantity * unit_cents
        items.append(
            {
                "sku": sku,
                "category": category,
                "quantity": quantity,
                "unit_price": f"{unit_cents // 100}.{unit_cents % 100:02d}",
            }
        )
    return {
        "specversion": "1.0",
        "id": f"p-{order_id}",
        "source": "bench",
        "type": "purchase",
        "time": at.isoformat(),
        "workspace": workspace,
        "customerid": customer_id,
        "data": {
            "customer": {"external_id": customer_id},
            "order_id": order_id,
            "amount": f"{total // 100}.{total % 100:02d}",
            "currency": "EUR",
            "channel": "web",
            "items": items,
        },
    }


def purchases(workspace: str, n: int, members: int, start: dt.datetime, seed: int = 11) -> list[tuple[bytes, bytes]]:
    """`n` purchases of `members` members (order ids `o-<i>`), spread over the 30 days before `start`, keyed
    `<workspace>:<customer_id>` as profile publishes them."""
    rng = random.Random(seed)
    step = dt.timedelta(days=30) / max(n, 1)
    out = []
    for i in range(n):
        customer_id = f"m{rng.randrange(members)}"
        doc = purchase(workspace, customer_id, f"o-{i}", start - dt.timedelta(days=30) + i * step, rng)
        out.append((f"{workspace}:{customer_id}".encode(), orjson.dumps(doc)))
    return out


def _published(service: str) -> float:
    """Outbox messages the in-process service's relay has published so far (every topic)."""
    total = 0.0
    for metric in REGISTRY.collect():
        if metric.name == "flywheel_outbox_published":
            total += sum(
                s.value for s in metric.samples if s.name.endswith("_total") and s.labels.get("service") == service
            )
    return total


async def loyalty_earn(dsn: str, bootstrap: str, kafka: bool, n: int, within: float | None = None) -> Measurement:
    """Purchases earned per second: from the first publish until every order has its `earn:order:` entry."""
    run = uuid.uuid4().hex[:8]
    workspace, warm = f"bench-loyalty-{run}", f"bench-loyalty-warm-{run}"
    group = f"bench-loyalty-{run}"
    members = max(n // PURCHASES_PER_MEMBER, 1)
    within = within or max(180.0, n / 200)
    settings = LoyaltyServiceSettings(
        service_name="loyalty",
        database_url=dsn,
        kafka_bootstrap=bootstrap,
        kafka_idempotent_producer=kafka,
        consumer_group=group,
        consumer_concurrency=2,
        consumer_poll_ms=50,
        outbox_poll_s=0.2,
        loyalty_job_interval_seconds=10**6,  # the jobs are measured apart (loyalty_expiry)
    )
    start = dt.datetime.now(dt.UTC).replace(microsecond=0)
    messages = purchases(workspace, n, members, start)
    app = create_app(settings)
    kafka_producer = producer(bootstrap, kafka)
    await kafka_producer.start()
    db = await asyncpg.connect(dsn)  # the service's lifespan migrates the database
    try:
        # The resolved topic already holds the other stages' events: this group starts at its end.
        topics = (RESOLVED, REFERRAL_EVENTS, JOURNEY_ACTIONS, PROFILE_LIFECYCLE)
        await _start_at_end(bootstrap, kafka_producer, group, topics)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app),
                base_url="http://loyalty",
                timeout=60,
                auth=ServiceTokenAuth.for_settings(settings, "bench"),  # the internal API takes service tokens
            ) as client,
        ):
            for ws in (workspace, warm):
                answer = await client.put(f"/internal/v1/workspaces/{ws}/program", json=PROGRAM)
                answer.raise_for_status()
            await _consuming(kafka_producer, db, warm, start)
            sent_before = _published(settings.service_name)

            started = time.perf_counter()
            await produce_all(kafka_producer, RESOLVED, messages)
            publish_s = time.perf_counter() - started
            await _until(lambda: _earned(db, workspace), lambda e: e >= n, within, "every order earning")
            earn_s = time.perf_counter() - started
            # Entries of one consumer batch share its recorded_at (the clock read once per batch): the steady rate
            # is that of the batches after the first, over the time from the first batch's to the last one's.
            stats = await db.fetchrow(
                """SELECT count(*) AS n, min(recorded_at) AS first, max(recorded_at) AS last,
                          count(DISTINCT recorded_at) AS batches,
                          count(*) FILTER (WHERE recorded_at > (SELECT min(recorded_at) FROM entries
                                                                 WHERE workspace = $1)) AS after_first
                     FROM entries WHERE workspace = $1 AND entry_id LIKE 'earn:order:%'""",
                workspace,
            )
            assert stats is not None
            batches_s = (stats["last"] - stats["first"]).total_seconds()
            steady = round(stats["after_first"] / batches_s) if stats["batches"] >= 3 and batches_s > 0 else None
            drained_started = time.perf_counter()
            drained = await _drained(db, within)
            drain_s = time.perf_counter() - drained_started
            sent = _published(settings.service_name) - sent_before
            ledger = await db.fetchrow(
                """SELECT (SELECT count(*) FROM entries WHERE workspace = $1) AS entries,
                          (SELECT count(*) FROM orders WHERE workspace = $1) AS orders,
                          (SELECT count(*) FROM members WHERE workspace = $1) AS members,
                          (SELECT count(*) FROM members WHERE workspace = $1 AND tier IS NOT NULL
                                                          AND tier <> 'member') AS upgraded,
                          (SELECT coalesce(sum(balance), 0) FROM members WHERE workspace = $1) AS balance,
                          (SELECT coalesce(sum(remaining), 0) FROM lots WHERE workspace = $1) AS lots""",
                workspace,
            )
            assert ledger is not None
    finally:
        await db.close()
        await kafka_producer.stop()
    return Measurement(
        "loyalty_earn",
        rate(n, earn_s),
        "purchases/s",
        n,
        {
            "what": f"{n:,} resolved purchases of {members:,} members (1 to 3 categorised lines each) on the resolved "
            "topic, EXAMPLE_PROGRAM's rules (multipliers, first-purchase bonus, caps, spend tiers); from the first "
            "publish until every order has its earn entry",
            "seconds": round(earn_s, 2),
            "publish_seconds": round(publish_s, 2),
            "steady_purchases_per_second": steady,
            "steady_note": "earn entries after the first consumer batch, over the time from its start to the last's",
            "consumer_batches": stats["batches"],
            "consumer_concurrency": 2,
            "outbox_drained": drained,
            "outbox_drain_seconds_after_last_earn": round(drain_s, 2),
            "events_sent_by_relay": int(sent),
            "entries": ledger["entries"],
            "orders": ledger["orders"],
            "members": ledger["members"],
            "members_above_base_tier": ledger["upgraded"],
            "balances_equal_lots": ledger["balance"] == ledger["lots"],
        },
    )


async def _earned(db: asyncpg.Connection, workspace: str) -> int:
    count: int = await db.fetchval(
        "SELECT count(*) FROM entries WHERE workspace = $1 AND entry_id LIKE 'earn:order:%'", workspace
    )
    return count


async def _drained(db: asyncpg.Connection, within: float) -> bool:
    deadline = time.perf_counter() + within
    while time.perf_counter() < deadline:
        if not await db.fetchval("SELECT EXISTS (SELECT 1 FROM flywheel_outbox)"):
            return True
        await asyncio.sleep(POLL_S)
    return False


async def _consuming(kafka: AIOKafkaProducer, db: asyncpg.Connection, warm: str, at: dt.datetime) -> None:
    """Wait until the service consumes every partition of the resolved topic: one purchase per partition, in a
    workspace of its own, each earning."""
    partitions = sorted(await kafka.partitions_for(RESOLVED))
    rng = random.Random(0)
    futures = []
    for p in partitions:
        doc = purchase(warm, f"w{p}", f"w-{p}", at, rng)
        futures.append(await kafka.send(RESOLVED, orjson.dumps(doc), key=f"{warm}:w{p}".encode(), partition=p))
    await asyncio.gather(*futures)
    await _until(lambda: _earned(db, warm), lambda n: n >= len(partitions), 120.0, "the loyalty service consuming")


async def loyalty_expiry(dsn: str, lots: int) -> Measurement:
    """The nightly expiry job over `lots` due lots (LOTS_PER_MEMBER per member), seeded with COPY."""
    await migrate(dsn, "loyalty", MIGRATIONS)
    settings = LoyaltyServiceSettings(service_name="loyalty", database_url=dsn)
    pool = await create_pool(settings)
    workspace = f"bench-expiry-{uuid.uuid4().hex[:8]}"
    members = max(lots // LOTS_PER_MEMBER, 1)
    lots = members * LOTS_PER_MEMBER
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    today = now.replace(hour=0, minute=0, second=0)
    try:
        seed_started = time.perf_counter()
        points = await _seed_due(pool, workspace, members, today)
        seed_s = time.perf_counter() - seed_started
        jobs = LoyaltyJobs(LoyaltyContext(PoolRuntime(pool, settings), lambda: now))
        started = time.perf_counter()
        expired, runs = 0, 0
        while True:
            expired += await jobs.expire()
            runs += 1
            if (
                not await pool.fetchval(
                    "SELECT EXISTS (SELECT 1 FROM lots WHERE remaining > 0 AND expires_at <= $1)", now
                )
                or runs >= 3
            ):
                break
        job_s = time.perf_counter() - started
        check = await pool.fetchrow(
            """SELECT (SELECT count(*) FROM lots WHERE workspace = $1 AND remaining <> 0) AS lots_left,
                      (SELECT count(*) FROM members WHERE workspace = $1 AND balance <> 0) AS balances_left,
                      (SELECT count(*) FROM entries WHERE workspace = $1 AND kind = 'expire') AS expire_entries,
                      (SELECT -coalesce(sum(points), 0) FROM entries WHERE workspace = $1 AND kind = 'expire')
                          AS expire_points,
                      (SELECT coalesce(sum(expired), 0) FROM daily_totals WHERE workspace = $1) AS daily_expired,
                      (SELECT count(*) FROM flywheel_outbox WHERE topic = 'flywheel.loyalty.events') AS events""",
            workspace,
        )
        assert check is not None
    finally:
        await pool.close()
    verified = (
        check["lots_left"] == 0
        and check["balances_left"] == 0
        and check["expire_entries"] == lots
        and check["expire_points"] == points
        and check["daily_expired"] == points
        and expired == lots
    )
    if not verified:
        raise AssertionError(f"the expiry job left the ledger wrong: {dict(check)}, {expired} of {lots} expired")
    return Measurement(
        "loyalty_expiry",
        rate(lots, job_s),
        "lots/s",
        lots,
        {
            "what": f"the nightly expiry job (LoyaltyJobs.expire, rounds of {jobs.batch}) over {lots:,} due lots of "
            f"{members:,} members (due at 10 midnights), until nothing is due; then every lot and balance "
            "checked at 0 and the expire entries, daily totals and events counted",
            "seconds": round(job_s, 2),
            "job_runs": runs,
            "verified": verified,
            "points_expired": points,
            "points_expired_events_in_outbox": check["events"],
            "seed_seconds": round(seed_s, 2),
        },
    )


async def _seed_due(pool: asyncpg.Pool, workspace: str, members: int, today: dt.datetime) -> int:
    """The program, `members` members with LOTS_PER_MEMBER earn entries and lots each, lot k due at the midnight
    (UTC) k days before `today`'s, so the due lots span ten expiry moments; returns the points they hold."""
    rng = random.Random(5)
    created = today - dt.timedelta(days=800)
    total = 0
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(
            """INSERT INTO programs (workspace, version, name, active, document, created_at)
               VALUES ($1, 1, $2, true, $3::jsonb, $4)""",
            workspace,
            PROGRAM["name"],
            orjson.dumps(PROGRAM),
            created,
        )
        for first in range(0, members, SEED_CHUNK):  # COPY in chunks: a million rows at once is a lot of memory
            member_rows, entry_rows, lot_rows = [], [], []
            for m in range(first, min(first + SEED_CHUNK, members)):
                customer_id = f"m{m}"
                balance = 0
                for k in range(LOTS_PER_MEMBER):
                    expires_at = today - dt.timedelta(days=k)
                    earned_at = expires_at - dt.timedelta(days=731, hours=rng.randrange(24))
                    earned = rng.randint(5, 400)
                    order_id = f"o-{m}-{k}"
                    balance += earned
                    entry_rows.append(
                        (workspace, f"earn:order:{order_id}", customer_id, "earn", earned, "purchase", order_id, 1,
                         earned_at, earned_at)
                    )  # fmt: skip
                    lot_rows.append(
                        (workspace, f"earn:order:{order_id}", customer_id, earned, earned, earned_at, expires_at)
                    )
                total += balance
                member_rows.append((workspace, customer_id, balance, created, created))
            await conn.copy_records_to_table(
                "members",
                records=member_rows,
                columns=["workspace", "customer_id", "balance", "created_at", "updated_at"],
            )
            await conn.copy_records_to_table("entries", records=entry_rows, columns=ENTRY_COLUMNS)
            await conn.copy_records_to_table(
                "lots",
                records=lot_rows,
                columns=["workspace", "lot_id", "customer_id", "earned", "remaining", "earned_at", "expires_at"],
            )
        await conn.execute("DELETE FROM flywheel_outbox")  # the seeding's own change notices
    async with pool.acquire() as conn:
        await conn.execute("VACUUM ANALYZE members")
        await conn.execute("VACUUM ANALYZE entries")
        await conn.execute("VACUUM ANALYZE lots")
    return total


async def _until(probe: Callable[[], Awaitable[T]], ready: Callable[[T], bool], within: float, what: str) -> T:
    deadline = time.perf_counter() + within
    while True:
        value = await probe()
        if ready(value):
            return value
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{what}: not within {within:.0f} s (last: {value})")
        await asyncio.sleep(POLL_S)
