"""The Kafka broker SIGKILLed while 20,000 events flow through the gateway, and started again: the gateway answers
503 with Retry-After while it cannot publish (never accepting an event it then loses) and turns unready, the
producers retry, profile's consumers resume, and every event is counted exactly once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from functools import partial

import pytest

from devstack.stack import Stack
from tests.chaos.conftest import Recoveries, chaos_stack
from tests.chaos.flow import Senders, new_workspace, profile_totals, ready, revenue_of, unready
from tests.helpers import purchases, wait_for

pytestmark = pytest.mark.kafka

TOTAL, CUSTOMERS, BATCH = 20_000, 1_000, 100
OUTAGE_S = 15.0


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    yield from chaos_stack(tmp_path_factory.mktemp("chaos-broker"), "gateway", "profile")


async def test_the_broker_killed_mid_stream_loses_and_doubles_nothing(stack: Stack, recoveries: Recoveries) -> None:
    workspace, key = await new_workspace(stack)
    events = purchases(workspace, TOTAL, CUSTOMERS)
    senders = Senders(stack.url("gateway"), key, [events[i : i + BATCH] for i in range(0, TOTAL, BATCH)])
    senders.start()
    try:
        await senders.until_accepted(TOTAL // 4, within=120)
        killed_at = time.monotonic()
        stack.broker.kill()

        gateway_unready = partial(unready, stack, "gateway")
        await wait_for(gateway_unready, within=OUTAGE_S, interval=0.2, what="the gateway unready without its broker")
        unready_after = time.monotonic() - killed_at
        await asyncio.sleep(max(0.0, OUTAGE_S - unready_after))
        await asyncio.to_thread(stack.broker.start)
        restarted_at = time.monotonic()
        await wait_for(partial(ready, stack, "gateway"), within=120, interval=0.2, what="the gateway ready again")
        ready_after = time.monotonic() - restarted_at
    finally:
        await senders.finish(within=600)
    orders, revenue, timeline = await profile_totals(stack, workspace, TOTAL, within=300)
    counted_after = time.monotonic() - restarted_at

    assert senders.unexpected == []
    assert senders.refused_at, "the gateway never answered 503 while the broker was away"
    assert senders.refusals_without_retry_after == 0
    assert min(senders.refused_at) > killed_at
    assert senders.accepted_ids == {e["id"] for e in events}
    assert (orders, revenue, timeline) == (TOTAL, revenue_of(events), TOTAL)
    recoveries.record(
        f"Kafka broker SIGKILLed, started {OUTAGE_S:.0f} s later (20,000 events through the gateway)",
        gateway_first_503_after_kill=min(senders.refused_at) - killed_at,
        gateway_unready_after_kill=unready_after,
        gateway_ready_after_restart=ready_after,
        accepting_again_after_restart=min(t for t in senders.accepted_at if t > restarted_at) - restarted_at,
        all_counted_after_restart=counted_after,
    )
