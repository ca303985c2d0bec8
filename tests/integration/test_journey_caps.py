"""One frequency cap across journeys, with priority, on real PostgreSQL and a real broker: journeys competing for
the last slot of a window (the higher priority sends; the others are deferred or skipped, and their stats say
why), the per-customer lock that keeps two units of work from both taking the last slot, and tenants apart."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import orjson

from contracts.codec import Decoder
from contracts.internal import RESOLVED_EVENT_TYPES
from contracts.topics import RESOLVED
from devstack.postgres import LocalPostgres
from runtime.db import create_pool, migrate
from runtime.settings import RuntimeSettings
from runtime.unit_of_work import Work
from services.journey import cap_store, store
from services.journey import journey_store as js
from services.journey.domain.document import parse_journey
from services.journey.domain.model import journey_json
from services.journey.service import JourneyBook, apply_customer_events
from services.journey.wiring import MIGRATIONS
from tests.helpers import publish, wait_for
from tests.integration.conftest import MovableClock, RunningService, fresh_database, new_workspace
from tests.integration.journey_context import START, active_journey, clock, clock_at_start, journey, visit
from tests.samples.journeys import hello
from tests.webhook_receiver import running_receiver

__all__ = ["clock", "clock_at_start", "journey"]  # the module's clock and running service (fixtures)

EMAIL_1_PER_DAY = {"caps": {"email": {"messages": 1, "per": "1d"}}}


async def stats(journey: RunningService, ws: str, journey_id: str) -> dict[str, Any]:
    answer = await journey.client.get(f"/internal/v1/workspaces/{ws}/journeys/{journey_id}/stats")
    assert answer.status_code == 200, answer.text
    doc: dict[str, Any] = answer.json()
    return doc


async def test_competing_journeys_the_higher_priority_sends_and_stats_say_why(
    journey: RunningService, clock: MovableClock, topics: str
) -> None:
    ws = new_workspace()
    base = f"/internal/v1/workspaces/{ws}"
    secret = (await journey.client.put(f"{base}/channel", json={"webhook_url": "http://127.0.0.1:9/"})).json()["secret"]
    put = await journey.client.put(f"{base}/messaging-settings", json=EMAIL_1_PER_DAY)
    assert put.status_code == 200, put.text
    assert put.json()["version"] == 1 and put.json()["caps"] == {"email": {"messages": 1, "per": "1d"}}
    async with running_receiver(secret) as receiver:
        receiver.tolerance_s = 365 * 86400
        await journey.client.put(f"{base}/channel", json={"webhook_url": receiver.url})
        low_skip = await active_journey(journey, ws, hello("Low, skips", priority=10, when_capped="skip"))
        high = await active_journey(journey, ws, hello("High", priority=90))
        low_defer = await active_journey(journey, ws, hello("Low, defers", priority=20))

        # One visit triggers all three: only the high-priority journey's email goes.
        await publish(topics, RESOLVED, [visit(ws, "c1", START)])
        await receiver.wait_for_count(1, within=30)
        skipped = await wait_for(
            lambda: _when(stats(journey, ws, low_skip), lambda s: s["skipped_by_caps"] == 1), what="low skipped"
        )
        lost = f"priority: lost to journey {high}"
        assert skipped["held_back"] == [{"outcome": "skipped", "reason": lost, "messages": 1}]
        deferred = await stats(journey, ws, low_defer)
        assert deferred["held_back"] == [{"outcome": "deferred", "reason": lost, "messages": 1}]
        assert deferred["deferred_by_caps"] == 1 and deferred["waiting"] == 1
        sent = await stats(journey, ws, high)
        assert sent["held_back"] == [] and sent["completed"] == 1
        assert [r.body["journey"]["id"] for r in receiver.received] == [high]

        # A day later the window frees: the deferred message goes (the skipped one never does).
        clock.advance(dt.timedelta(days=1, minutes=1))
        await receiver.wait_for_count(2, within=30)
        assert [r.body["journey"]["id"] for r in receiver.received] == [high, low_defer]
        await wait_for(lambda: _when(stats(journey, ws, low_defer), lambda s: s["completed"] == 1), what="sent")

        # A later visit within the new window: the slot is taken by what was sent, whatever the priority.
        await publish(topics, RESOLVED, [visit(ws, "c1", START + dt.timedelta(days=1, minutes=2))])
        held = await wait_for(
            lambda: _when(stats(journey, ws, high), lambda s: s["deferred_by_caps"] == 1), what="high deferred"
        )
        assert held["held_back"] == [{"outcome": "deferred", "reason": "workspace_cap:email", "messages": 1}]
        assert len(receiver.received) == 2


async def test_timers_due_together_go_in_priority_order(
    journey: RunningService, clock: MovableClock, topics: str
) -> None:
    ws = new_workspace()
    base = f"/internal/v1/workspaces/{ws}"
    secret = (await journey.client.put(f"{base}/channel", json={"webhook_url": "http://127.0.0.1:9/"})).json()["secret"]
    await journey.client.put(f"{base}/messaging-settings", json=EMAIL_1_PER_DAY)
    async with running_receiver(secret) as receiver:
        receiver.tolerance_s = 365 * 86400
        await journey.client.put(f"{base}/channel", json={"webhook_url": receiver.url})
        ids = {}
        for name, priority in (("a-low", 30), ("z-high", 70)):  # the lower id has the lower priority
            doc = hello(name, priority=priority, when_capped="skip")
            doc["entry_step"] = "wait"
            doc["steps"]["wait"] = {"type": "wait", "duration": "1h", "next": "hello"}
            ids[name] = await active_journey(journey, ws, doc)
        await publish(topics, RESOLVED, [visit(ws, "c1", START)])
        await wait_for(
            lambda: _when(stats(journey, ws, ids["a-low"]), lambda s: s["waiting"] == 1), what="both waiting"
        )
        await wait_for(lambda: _when(stats(journey, ws, ids["z-high"]), lambda s: s["waiting"] == 1), what="waiting")
        clock.advance(dt.timedelta(hours=1, minutes=1))
        await receiver.wait_for_count(1, within=30)
        low = await wait_for(
            lambda: _when(stats(journey, ws, ids["a-low"]), lambda s: s["skipped_by_caps"] == 1), what="low skipped"
        )
        assert low["held_back"][0]["reason"] == f"priority: lost to journey {ids['z-high']}"
        assert [r.body["journey"]["id"] for r in receiver.received] == [ids["z-high"]]


async def _when(answer: Any, ready: Any) -> dict[str, Any] | None:
    doc: dict[str, Any] = await answer
    return doc if ready(doc) else None


async def test_messaging_settings_are_versioned_validated_and_per_workspace(journey: RunningService) -> None:
    ws_a, ws_b = new_workspace(), new_workspace()
    a, b = f"/internal/v1/workspaces/{ws_a}", f"/internal/v1/workspaces/{ws_b}"
    empty = (await journey.client.get(f"{a}/messaging-settings")).json()
    assert empty == {"caps": {}, "version": 0, "updated_at": None}
    assert (await journey.client.put(f"{a}/messaging-settings", json=EMAIL_1_PER_DAY)).status_code == 200
    again = await journey.client.put(f"{a}/messaging-settings", json={"caps": {"sms": {"messages": 2, "per": "7d"}}})
    assert again.json()["version"] == 2 and set(again.json()["caps"]) == {"sms"}
    # B never sees (nor gets) A's caps.
    assert (await journey.client.get(f"{b}/messaging-settings")).json()["version"] == 0
    # Budgets: a window past 31 days, too many messages, an unknown channel, a field too many: 422 naming it.
    for body, field in [
        ({"caps": {"email": {"messages": 1, "per": "32d"}}}, "caps.email.per"),
        ({"caps": {"email": {"messages": 1001, "per": "1d"}}}, "messages"),
        ({"caps": {"fax": {"messages": 1, "per": "1d"}}}, "fax"),
        ({"caps": {}, "extra": 1}, "extra"),
    ]:
        refused = await journey.client.put(f"{b}/messaging-settings", json=body)
        assert refused.status_code == 422 and field in refused.text, (body, refused.text)
    assert (await journey.client.get(f"{b}/messaging-settings")).json()["version"] == 0


async def test_a_workspace_cap_never_holds_back_another_workspaces_messages(
    journey: RunningService, topics: str
) -> None:
    capped, free = new_workspace(), new_workspace()
    await journey.client.put(f"/internal/v1/workspaces/{capped}/messaging-settings", json=EMAIL_1_PER_DAY)
    ids = {}
    for ws in (capped, free):
        await journey.client.put(f"/internal/v1/workspaces/{ws}/channel", json={"webhook_url": "http://127.0.0.1:9/"})
        ids[ws] = [await active_journey(journey, ws, hello(f"J{n}", when_capped="skip")) for n in range(2)]
    await publish(topics, RESOLVED, [visit(capped, "c1", START), visit(free, "c1", START)])
    for ws, skipped in ((capped, 1), (free, 0)):

        async def done(ws: str = ws) -> list[dict[str, Any]] | None:
            all_ = [await stats(journey, ws, j) for j in ids[ws]]
            return all_ if sum(s["completed"] for s in all_) == 2 else None

        counts = await wait_for(done, what=f"{ws} done")
        assert sum(s["skipped_by_caps"] for s in counts) == skipped


# --- the per-customer lock -----------------------------------------------------------------------------


@asynccontextmanager
async def journey_pool(postgres: LocalPostgres, name: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool on a journey database of the test's own, migrated."""
    dsn = fresh_database(postgres, name)
    await migrate(dsn, "journey", MIGRATIONS)
    pool = await create_pool(RuntimeSettings(database_url=dsn))
    try:
        yield pool
    finally:
        await pool.close()


async def one_email_a_day(pool: asyncpg.Pool, ws: str, documents: dict[str, dict[str, Any]]) -> dict[str, str]:
    """These journeys active in `ws` (their ids by name, created in this order) under a cap of one email a day."""
    ids = {}
    async with pool.acquire() as conn, conn.transaction():
        for name, document in documents.items():
            row = await js.create_journey(conn, ws, name, journey_json(parse_journey(document)), quota=10)
            await js.activate(conn, ws, row.journey_id, quota=10)
            ids[name] = row.journey_id
        await cap_store.put_settings(conn, ws, EMAIL_1_PER_DAY["caps"], START)
    return ids


async def test_two_units_of_work_never_both_take_the_last_slot(postgres: LocalPostgres) -> None:
    async with journey_pool(postgres, "journey_caps") as pool:
        first, second = await pool.acquire(), await pool.acquire()
        try:
            one = first.transaction()
            await one.start()
            assert await cap_store.lock_and_count(first, "ws", ["c1"], START - dt.timedelta(days=1)) == {}
            await store.record_messages(first, "ws", [("c1", "a1", "email", "j_high")], START)

            async def other() -> int:
                async with second.transaction():
                    counted = await cap_store.lock_and_count(second, "ws", ["c1"], START - dt.timedelta(days=1))
                    return len(counted.get("c1", []))

            waiting = asyncio.create_task(other())
            await wait_for(lambda: _lock_waiters(pool), what="the second unit waiting for the customer's lock")
            assert not waiting.done()
            await one.commit()
            assert await waiting == 1  # it reads the message the first one recorded: no slot left for it
            # Another customer, or the same customer id in another workspace, is never held up.
            async with first.transaction(), second.transaction():
                await cap_store.lock_and_count(first, "ws", ["c1"], START)
                others = (
                    cap_store.lock_and_count(second, "ws", ["c2"], START),
                    cap_store.lock_and_count(second, "ws-other", ["c1"], START),
                )
                for unheld in others:
                    assert await asyncio.wait_for(unheld, 30) == {}
        finally:
            await pool.release(first)
            await pool.release(second)


async def _lock_waiters(pool: asyncpg.Pool) -> bool:
    async with pool.acquire() as conn:
        waiting: int = await conn.fetchval("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
    return waiting > 0


async def test_two_consumers_of_one_customer_never_both_take_the_last_slot(postgres: LocalPostgres) -> None:
    """Two units of work, each with a visit of the same customer that triggers both journeys, run at once (as two
    consumers or replicas would): under a cap of one email a day, one email in all."""
    ws = "ws-race"
    async with journey_pool(postgres, "journey_caps_race") as pool:
        ids = await one_email_a_day(
            pool, ws, {name: hello(name, priority=p) for name, p in (("High", 80), ("Low", 20))}
        )
        decode = Decoder(RESOLVED_EVENT_TYPES)

        async def consume(at: dt.datetime) -> None:
            event = decode(orjson.dumps(visit(ws, "c1", at)))
            async with pool.acquire() as conn, conn.transaction():
                await apply_customer_events(Work(conn), JourneyBook(), ws, [event], START)

        await asyncio.gather(consume(START), consume(START + dt.timedelta(seconds=1)))
        async with pool.acquire() as conn:
            sent = await conn.fetch("SELECT journey_id, channel FROM messages_sent WHERE workspace = $1", ws)
            assert [(r["journey_id"], r["channel"]) for r in sent] == [(ids["High"], "email")]
            enrolments = await conn.fetchval("SELECT count(*) FROM enrolments WHERE workspace = $1", ws)
            held = {name: await cap_store.held_back(conn, ws, ids[name]) for name in ids}
        # The customer's lock serialises the two: the first sent the high-priority email and held back the low
        # one (lost the pass: deferred, still unfinished); the second, reading what the first committed, enrolled
        # the customer in High again (held back: the window is full) but not in Low, where the customer is still
        # enrolled: never twice in one journey at once.
        assert enrolments == 3
        lost = f"priority: lost to journey {ids['High']}"
        assert {name: [(reason, n) for _, reason, n in entries] for name, entries in held.items()} == {
            "High": [("workspace_cap:email", 1)],
            "Low": [(lost, 1)],
        }


async def test_a_message_sent_for_an_earlier_event_of_the_batch_is_no_lost_priority(postgres: LocalPostgres) -> None:
    """One batch, two events of one customer: an app visit triggers the low-priority journey, which sends; a web
    visit a minute later triggers the high-priority one, which finds the slot taken earlier (each event is its own
    pass): `workspace_cap:email`, not a priority it did not lose."""
    ws = "ws-batch"
    async with journey_pool(postgres, "journey_caps_batch") as pool:
        documents = {}
        for name, priority, channel in (("Low", 10, "app"), ("High", 90, "web")):
            documents[name] = hello(name, priority=priority)
            documents[name]["trigger"]["conditions"] = {"field": "data.channel", "op": "eq", "value": channel}
        ids = await one_email_a_day(pool, ws, documents)
        decode = Decoder(RESOLVED_EVENT_TYPES)
        events = [
            decode(orjson.dumps(visit(ws, "c1", START, "app"))),
            decode(orjson.dumps(visit(ws, "c1", START + dt.timedelta(minutes=1), "web"))),
        ]
        async with pool.acquire() as conn, conn.transaction():
            await apply_customer_events(Work(conn), JourneyBook(), ws, events, START + dt.timedelta(minutes=2))
        async with pool.acquire() as conn:
            assert await cap_store.held_back(conn, ws, ids["High"]) == [("deferred", "workspace_cap:email", 1)]
            assert await cap_store.held_back(conn, ws, ids["Low"]) == []
