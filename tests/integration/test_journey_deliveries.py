"""Journey's delivery loop on a real PostgreSQL, to real receivers (uvicorn on loopback): leases survive a
crash, a tarpit workspace holds only its share, a receiver only its limit, and every attempt vets the URL
again (DNS changes, the allowlist)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import asyncpg
import pytest
from prometheus_client import REGISTRY

from devstack.postgres import LocalPostgres
from runtime.db import create_pool, migrate
from runtime.egress import EgressPolicy
from services.journey.deliveries import DeliveryDispatcher, DeliveryLimits
from services.journey.service import JourneyContext
from services.journey.settings import JourneyServiceSettings
from services.journey.webhooks import create_webhook_client
from tests.contexts import context_of
from tests.helpers import wait_for
from tests.integration.conftest import fresh_database
from tests.webhook_receiver import LOOPBACK_RECEIVERS, running_receiver

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "journey" / "migrations"
NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
SECRET = "whsec-deliveries"  # noqa: S105 - a test secret
LOOPBACK = EgressPolicy.from_settings(JourneyServiceSettings(webhook_allowed_hosts=LOOPBACK_RECEIVERS))


@pytest.fixture
async def pool(postgres: LocalPostgres) -> AsyncIterator[asyncpg.Pool]:
    dsn = fresh_database(postgres, "journey_deliveries")
    await migrate(dsn, "journey", MIGRATIONS)
    pool = await create_pool(JourneyServiceSettings(database_url=dsn))
    try:
        yield pool
    finally:
        await pool.close()


async def add_deliveries(pool: asyncpg.Pool, workspace: str, count: int, url: str | None) -> list[str]:
    ids = [f"{workspace}:{uuid.uuid4().hex[:8]}:{i}" for i in range(count)]
    async with pool.acquire() as conn:
        if url is not None:
            await conn.execute(
                """INSERT INTO workspace_channels (workspace, webhook_url, webhook_secret) VALUES ($1, $2, $3)
                   ON CONFLICT (workspace) DO UPDATE SET webhook_url = excluded.webhook_url""",
                workspace,
                url,
                SECRET,
            )
        await conn.executemany(
            """INSERT INTO webhook_deliveries (workspace, delivery_id, enrolment_id, journey_id, customer_id, body,
                                               next_attempt_at)
               VALUES ($1, $2, 'e', 'j', $3, $4, $5)""",
            [
                (workspace, d, f"c{i}", {"message": f"hello {i}"}, NOW - dt.timedelta(seconds=count - i))
                for i, d in enumerate(ids)
            ],
        )
    return ids


async def statuses(pool: asyncpg.Pool, workspace: str) -> dict[str, tuple[str, int, str | None]]:
    rows = await pool.fetch(
        "SELECT delivery_id, status, attempts, last_error FROM webhook_deliveries WHERE workspace = $1", workspace
    )
    return {r["delivery_id"]: (r["status"], r["attempts"], r["last_error"]) for r in rows}


def journey(pool: asyncpg.Pool, policy: EgressPolicy = LOOPBACK) -> JourneyContext:
    """Journey's context over the test's pool, at the fixed time, with `policy` vetting webhook URLs."""
    return context_of(JourneyContext, pool, lambda: NOW, webhook_egress=policy)


@contextlib.asynccontextmanager
async def dispatching(
    pool: asyncpg.Pool, limits: DeliveryLimits, policy: EgressPolicy = LOOPBACK
) -> AsyncIterator[DeliveryDispatcher]:
    """A replica's delivery loop running until the block ends (then drained)."""
    async with create_webhook_client(policy, timeout_s=60) as http:
        dispatcher = DeliveryDispatcher(journey(pool, policy), http, limits, idle_s=0.05)
        loop = asyncio.create_task(dispatcher.run())
        try:
            yield dispatcher
        finally:
            await dispatcher.drain(timeout_s=5)
            loop.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await loop


async def test_a_delivery_whose_sender_died_is_sent_again_once_after_its_lease(pool: asyncpg.Pool) -> None:
    async with running_receiver(SECRET, hold_s=60) as receiver:
        receiver.tolerance_s = 365 * 86400  # signed with the fixed clock's time
        (delivery_id,) = await add_deliveries(pool, "crash", 1, receiver.url)
        async with create_webhook_client(LOOPBACK, timeout_s=60) as http:
            crashing = DeliveryDispatcher(journey(pool), http, DeliveryLimits(), lease_s=600)
            assert await crashing.dispatch_due() == 1
            await receiver.wait_until(lambda: receiver.arrived == 1, within=10, what="the first attempt")
            await crashing.drain(timeout_s=0)  # dies mid-attempt: nothing recorded, the lease stays

            other = DeliveryDispatcher(journey(pool), http, DeliveryLimits())
            assert await other.dispatch_due() == 0, "the lease holds while it runs"
            assert (await statuses(pool, "crash"))[delivery_id] == ("pending", 1, None)

            async with pool.acquire() as conn:  # the lease runs out
                await conn.execute("UPDATE webhook_deliveries SET claimed_until = now() - interval '1 second'")
            receiver.release()
            assert await other.dispatch_due() == 1
            await receiver.wait_for_count(1, within=10)
            await wait_for(
                lambda: _status_is(pool, "crash", delivery_id, "delivered"), within=10, what="the re-send recorded"
            )
            assert await other.dispatch_due() == 0
            await other.drain()
    keys = [r.idempotency_key for r in receiver.received]
    assert keys == [delivery_id, delivery_id], "sent again once, under the same Idempotency-Key"
    assert sorted(r.attempt or 0 for r in receiver.received) == [1, 2]
    assert receiver.accepted_keys == [delivery_id]
    assert (await statuses(pool, "crash"))[delivery_id] == ("delivered", 2, None)


async def test_a_crash_mid_flight_re_sends_only_what_was_in_flight_under_the_same_keys(pool: asyncpg.Pool) -> None:
    """Fifteen due, five in flight when the replica dies (their outcomes never written): after the leases run
    out the five go again, once each and under their own Idempotency-Keys; the ten never sent go once."""
    async with running_receiver(SECRET, hold_s=60) as receiver:
        receiver.tolerance_s = 365 * 86400  # signed with the fixed clock's time
        ids = await add_deliveries(pool, "crash-many", 15, receiver.url)
        async with create_webhook_client(LOOPBACK, timeout_s=60) as http:
            crashing = DeliveryDispatcher(journey(pool), http, DeliveryLimits(concurrency=5), lease_s=600)
            assert await crashing.dispatch_due() == 5
            await receiver.wait_until(lambda: receiver.arrived == 5, within=10, what="five attempts in flight")
            await crashing.drain(timeout_s=0)  # dies mid-attempt: nothing recorded, the leases stay
        claimed = await statuses(pool, "crash-many")
        in_flight = {d for d, (status, attempts, _) in claimed.items() if (status, attempts) == ("pending", 1)}
        assert len(in_flight) == 5
        async with pool.acquire() as conn:  # the leases run out
            await conn.execute("UPDATE webhook_deliveries SET claimed_until = now() - interval '1 second'")
        receiver.release()
        async with dispatching(pool, DeliveryLimits()):
            await wait_for(lambda: _all(pool, "crash-many", "delivered"), within=30, what="every delivery recorded")
    sent = Counter(r.idempotency_key for r in receiver.received)
    assert sent == {key: 2 if key in in_flight else 1 for key in ids}, "only what was in flight went twice"
    assert sorted(receiver.accepted_keys) == sorted(ids)
    attempts = {d: a for d, (_, a, _) in (await statuses(pool, "crash-many")).items()}
    assert attempts == {key: 2 if key in in_flight else 1 for key in ids}


async def _status_is(pool: asyncpg.Pool, workspace: str, delivery_id: str, status: str) -> bool:
    return (await statuses(pool, workspace))[delivery_id][0] == status


async def test_a_tarpit_workspace_holds_only_its_share_and_the_others_flow_on(pool: asyncpg.Pool) -> None:
    limits = DeliveryLimits(concurrency=10, per_workspace=4, per_receiver=8)
    async with (
        running_receiver(SECRET, hold_s=120) as tarpit,
        running_receiver(SECRET) as fast,
    ):
        for receiver in (tarpit, fast):
            receiver.tolerance_s = 365 * 86400
        await add_deliveries(pool, "tarpit", 40, tarpit.url)
        flowing = await add_deliveries(pool, "flowing", 60, fast.url)
        async with dispatching(pool, limits) as dispatcher:
            await fast.wait_for_count(60, within=30)
            await wait_for(
                lambda: _all(pool, "flowing", "delivered"), within=10, what="the flowing workspace's outcomes recorded"
            )
            assert tarpit.arrived == 4, "the tarpit holds its share, no more"
            assert dispatcher.in_flight == 4
    assert sorted(fast.accepted_keys) == sorted(flowing) and fast.duplicates == 0


async def _all(pool: asyncpg.Pool, workspace: str, status: str) -> bool:
    return {s for s, _, _ in (await statuses(pool, workspace)).values()} == {status}


async def test_a_receiver_shared_by_workspaces_gets_no_more_than_its_limit(pool: asyncpg.Pool) -> None:
    limits = DeliveryLimits(concurrency=20, per_workspace=5, per_receiver=3)
    async with running_receiver(SECRET, hold_s=120) as shared, running_receiver(SECRET) as own:
        for receiver in (shared, own):
            receiver.tolerance_s = 365 * 86400
        for workspace in ("one", "two", "three"):
            await add_deliveries(pool, workspace, 10, shared.url)
        mine = await add_deliveries(pool, "own", 20, own.url)
        holds = receiver_holds()
        async with dispatching(pool, limits):
            await own.wait_for_count(20, within=30)
            await shared.wait_until(lambda: shared.arrived >= 3, within=10, what="the shared receiver's limit")
            # claims go on meanwhile, and leave the shared receiver's deliveries waiting
            await wait_for(
                lambda: _above(receiver_holds, holds + 2), within=10, what="claims held back by the receiver"
            )
            assert shared.arrived == 3
    assert sorted(own.accepted_keys) == sorted(mine)


def receiver_holds() -> float:
    return REGISTRY.get_sample_value("flywheel_journey_delivery_holds_total", {"limit": "receiver"}) or 0.0


async def _above(value: Callable[[], float], floor: float) -> bool:
    return value() >= floor


async def test_every_attempt_vets_the_url_again(pool: asyncpg.Pool) -> None:
    """The URL passed when it was saved; then DNS points the name inside, or the allowlist no longer has
    it: the attempt is recorded failed with the reason, and nothing reaches the address."""
    answers = {"hooks.flywheel.test": ["127.0.0.1"]}

    async def dns(host: str, port: int) -> list[str]:
        return answers[host]

    async with running_receiver(SECRET) as receiver:
        receiver.tolerance_s = 365 * 86400
        port = receiver.url.split(":")[2].split("/")[0]
        settings = JourneyServiceSettings(webhook_allowed_hosts="127.0.0.1", webhook_allowed_ports=f"80,443,{port}")
        policy = EgressPolicy.from_settings(settings, resolver=dns)
        url = f"http://hooks.flywheel.test:{port}/hooks"
        (first,) = await add_deliveries(pool, "moved", 1, url)
        async with dispatching(pool, DeliveryLimits(), policy):
            await receiver.wait_for_count(1, within=10)
            await wait_for(lambda: _status_is(pool, "moved", first, "delivered"), within=10, what="first delivered")
            answers["hooks.flywheel.test"] = ["169.254.169.254"]  # DNS changed since
            (second,) = await add_deliveries(pool, "moved", 1, url)
            await wait_for(lambda: _status_is(pool, "moved", second, "failed"), within=10, what="refused")
        async with dispatching(
            pool, DeliveryLimits(), EgressPolicy.from_settings(JourneyServiceSettings())
        ):  # allowlist gone
            (third,) = await add_deliveries(pool, "direct", 1, receiver.url)
            await wait_for(lambda: _status_is(pool, "direct", third, "failed"), within=10, what="refused")
    assert receiver.accepted_keys == [first] and len(receiver.received) == 1
    refused = (await statuses(pool, "moved"))[second]
    assert refused == (
        "failed",
        1,
        "the webhook URL is refused: resolves to 169.254.169.254, a link-local address",
    )
    assert (await statuses(pool, "direct"))[third] == (
        "failed",
        1,
        "the webhook URL is refused: 127.0.0.1 is a loopback address",
    )


async def test_draining_lets_attempts_in_flight_finish_and_records_them(pool: asyncpg.Pool) -> None:
    async with running_receiver(SECRET, hold_s=0.5) as receiver:
        receiver.tolerance_s = 365 * 86400
        ids = await add_deliveries(pool, "draining", 3, receiver.url)
        async with create_webhook_client(LOOPBACK, timeout_s=60) as http:
            dispatcher = DeliveryDispatcher(journey(pool), http, DeliveryLimits())
            assert await dispatcher.dispatch_due() == 3
            await receiver.wait_until(lambda: receiver.arrived == 3, within=10, what="three attempts in flight")
            await dispatcher.drain(timeout_s=10)
            assert dispatcher.in_flight == 0
            assert await dispatcher.dispatch_due() == 0, "a drained loop claims nothing"
    assert {d: s for d, (s, _, _) in (await statuses(pool, "draining")).items()} == dict.fromkeys(ids, "delivered")


async def test_a_workspace_without_a_channel_waits_without_holding_anyone(pool: asyncpg.Pool) -> None:
    async with running_receiver(SECRET) as receiver:
        receiver.tolerance_s = 365 * 86400
        waiting = await add_deliveries(pool, "no-channel", 3, None)
        flowing = await add_deliveries(pool, "with-channel", 3, receiver.url)
        async with dispatching(pool, DeliveryLimits()):
            await receiver.wait_for_count(3, within=10)
            await wait_for(lambda: _all(pool, "no-channel", "pending"), within=10, what="nothing sent")
            await wait_for(lambda: _attempted(pool, "no-channel"), within=10, what="the missing channel recorded")
    assert sorted(receiver.accepted_keys) == sorted(flowing)
    for status, attempts, error in (await statuses(pool, "no-channel")).values():
        assert (status, attempts) == ("pending", 1) and error is not None and "no webhook configured" in error
    assert len(waiting) == 3


async def _attempted(pool: asyncpg.Pool, workspace: str) -> bool:
    return all(attempts == 1 for _, attempts, _ in (await statuses(pool, workspace)).values())
