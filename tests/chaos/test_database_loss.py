"""The database goes away under load and comes back: first the network between profile and its database is made
slow (200 ms each way), then cut, then healed (toxiproxy between them); then PostgreSQL itself is stopped for
30 s and started again. Services turn unready while they cannot reach it, recover without a restart, and every
event is counted exactly once."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from functools import partial

import asyncpg
import pytest

from devstack.postgres import LocalPostgres, service_role
from devstack.stack import Stack, StackConfig
from tests.chaos.conftest import Recoveries
from tests.chaos.flow import Senders, new_workspace, profile_totals, ready, revenue_of, unready
from tests.chaos.toxiproxy import Toxiproxy, ensure_toxiproxy
from tests.helpers import purchases, wait_for

pytestmark = pytest.mark.kafka

TOTAL, CUSTOMERS, BATCH = 10_000, 500, 100
PROXY = "profile-database"
SLOW_S, CUT_S, STOPPED_S = 20.0, 20.0, 30.0


@pytest.fixture(scope="module")
def toxiproxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Toxiproxy]:
    binary = ensure_toxiproxy()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("Go is missing: the network chaos tests build toxiproxy with it (CI has Go)")
        pytest.skip("Go is missing: the network chaos tests build toxiproxy with it")
    proxy = Toxiproxy(binary, tmp_path_factory.mktemp("toxiproxy"))
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, toxiproxy: Toxiproxy) -> Iterator[Stack]:
    """Gateway and profile on Apache Kafka; profile reaches its database through the proxy."""
    home = tmp_path_factory.mktemp("chaos-database")
    config = StackConfig.on_free_ports(home, "kafka", only=("gateway", "profile"))
    direct = f"{config.host}:{config.postgres_port}"
    listen = toxiproxy.proxy(PROXY, direct)
    postgres = LocalPostgres(config.home / "postgres", config.postgres_port, host=config.host)  # its passwords
    proxied = postgres.role_dsn(service_role("profile"), "profile").replace(f"@{direct}/", f"@{listen}/")
    config.service_env = {"profile": {"FLYWHEEL_DATABASE_URL": proxied}}
    stack = Stack(config)
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()


async def _timeline(stack: Stack, workspace: str) -> int:
    conn = await asyncpg.connect(stack.postgres.dsn("profile"))
    try:
        return int(await conn.fetchval("SELECT count(*) FROM timeline WHERE workspace = $1", workspace))
    finally:
        await conn.close()


async def test_a_slow_then_cut_network_to_the_database_heals_with_nothing_lost(
    stack: Stack, toxiproxy: Toxiproxy, recoveries: Recoveries
) -> None:
    workspace, key = await new_workspace(stack)
    events = purchases(workspace, TOTAL, CUSTOMERS)
    pid = stack.processes["profile"].pid()
    senders = Senders(stack.url("gateway"), key, [events[i : i + BATCH] for i in range(0, TOTAL, BATCH)])
    senders.start()
    try:
        await senders.until_accepted(TOTAL // 4, within=120)
        toxiproxy.slow(PROXY, latency_ms=200)
        before = await _timeline(stack, workspace)
        await asyncio.sleep(SLOW_S)
        slow_progress = await _timeline(stack, workspace) - before
        cut_at = time.monotonic()
        toxiproxy.cut(PROXY)
        await wait_for(partial(unready, stack, "profile"), within=CUT_S, interval=0.2, what="profile unready")
        unready_after = time.monotonic() - cut_at
        await asyncio.sleep(max(0.0, CUT_S - unready_after))
        assert await ready(stack, "gateway"), "the gateway's own database is reachable: it stays ready"
        toxiproxy.heal(PROXY)
        healed_at = time.monotonic()
        await wait_for(partial(ready, stack, "profile"), within=120, interval=0.2, what="profile ready again")
        ready_after = time.monotonic() - healed_at
    finally:
        await senders.finish(within=600)
    orders, revenue, timeline = await profile_totals(stack, workspace, TOTAL, within=300)
    counted_after = time.monotonic() - healed_at

    assert senders.unexpected == []
    assert slow_progress > 0, "with 200 ms of latency profile still moves on"
    assert stack.processes["profile"].pid() == pid, "profile recovered without a restart"
    assert (orders, revenue, timeline) == (TOTAL, revenue_of(events), TOTAL)
    recoveries.record(
        f"profile's database 200 ms away for {SLOW_S:.0f} s, then cut for {CUT_S:.0f} s (10,000 events)",
        events_counted_while_slow=float(slow_progress),
        profile_unready_after_cut=unready_after,
        profile_ready_after_heal=ready_after,
        all_counted_after_heal=counted_after,
    )


async def test_postgresql_stopped_for_30_s_under_load_recovers_without_a_restart(
    stack: Stack, recoveries: Recoveries
) -> None:
    workspace, key = await new_workspace(stack)
    events = purchases(workspace, TOTAL, CUSTOMERS)
    pids = {name: stack.processes[name].pid() for name in ("gateway", "profile")}
    senders = Senders(stack.url("gateway"), key, [events[i : i + BATCH] for i in range(0, TOTAL, BATCH)])
    senders.start()
    try:
        await senders.until_accepted(TOTAL // 4, within=120)
        stopped_at = time.monotonic()
        await asyncio.to_thread(stack.postgres.stop)
        for service in ("gateway", "profile"):
            await wait_for(partial(unready, stack, service), within=STOPPED_S, interval=0.2, what=f"{service} unready")
        unready_after = time.monotonic() - stopped_at
        await asyncio.sleep(max(0.0, STOPPED_S - unready_after))
        await asyncio.to_thread(stack.postgres.start)
        started_at = time.monotonic()
        ready_after: dict[str, float] = {}
        for service in ("gateway", "profile"):
            await wait_for(partial(ready, stack, service), within=120, interval=0.2, what=f"{service} ready")
            ready_after[service] = time.monotonic() - started_at
    finally:
        await senders.finish(within=600)
    orders, revenue, timeline = await profile_totals(stack, workspace, TOTAL, within=300)
    counted_after = time.monotonic() - started_at

    assert senders.unexpected == []
    assert senders.refusals_without_retry_after == 0
    assert {name: stack.processes[name].pid() for name in pids} == pids, "recovered without a restart"
    assert (orders, revenue, timeline) == (TOTAL, revenue_of(events), TOTAL)
    recoveries.record(
        f"PostgreSQL stopped for {STOPPED_S:.0f} s under load (10,000 events)",
        both_unready_after_stop=unready_after,
        gateway_ready_after_start=ready_after["gateway"],
        profile_ready_after_start=ready_after["profile"],
        all_counted_after_start=counted_after,
    )
