"""Acceptance of the event path on the running stack (Apache Kafka, every service a process)."""

from __future__ import annotations

import os
import signal
import uuid
from decimal import Decimal
from typing import Any

import asyncpg
import httpx
import orjson
import pytest

from contracts.topics import INBOUND, RESOLVED
from services.gateway.store import ensure_workspace_with_key
from tests.e2e.conftest import RunningStack
from tests.helpers import event, publish, purchases, read_topic, wait_for

pytestmark = pytest.mark.kafka


async def customer_when(stack: RunningStack, check: Any, key: str | None = None, **identifier: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=stack.gateway, headers=stack.headers(key)) as client:

        async def probe() -> dict[str, Any] | None:
            response = await client.get("/v1/customers", params=identifier)
            if response.status_code != 200:
                return None
            found = await client.get(f"/v1/customers/{response.json()['customer_id']}")
            return found.json() if found.status_code == 200 and check(found.json()) else None

        return await wait_for(probe, within=60, what=f"customer {identifier}")


async def test_an_event_posted_to_the_gateway_shows_up_in_the_360_view_and_timeline(stack: RunningStack) -> None:
    email = f"ada-{uuid.uuid4().hex[:6]}@example.com"
    purchase = event("purchase", "demo", {"email": email}, {"order_id": uuid.uuid4().hex, "amount": "42.50"})
    async with httpx.AsyncClient(base_url=stack.gateway, headers=stack.headers()) as client:
        posted = await client.post("/v1/events", json=purchase)
        assert posted.status_code == 202, posted.text
        assert posted.json()["accepted"] == [purchase["id"]]

        view = await customer_when(stack, lambda v: v["stats"]["orders"] == 1, email=email)
        assert view["stats"]["revenue"] == "42.50"
        assert view["identifiers"]["email"] == [email]
        timeline = await client.get(f"/v1/customers/{view['customer_id']}/timeline")
        assert timeline.status_code == 200
        assert [item["event_id"] for item in timeline.json()["items"]] == [purchase["id"]]


async def test_an_event_from_an_ordinary_kafka_client_is_resolved(stack: RunningStack) -> None:
    external_id = f"kcat-{uuid.uuid4().hex[:6]}"
    await publish(
        stack.bootstrap, INBOUND, [event("visit", "demo", {"external_id": external_id}, {"channel": "store"})]
    )
    view = await customer_when(stack, lambda v: v["stats"]["visits"] == 1, external_id=external_id)
    assert view["identifiers"]["external_id"] == [external_id]


async def test_profiles_known_by_email_and_by_external_id_merge(stack: RunningStack) -> None:
    suffix = uuid.uuid4().hex[:6]
    email, external_id = f"bo-{suffix}@example.com", f"bo-{suffix}"
    async with httpx.AsyncClient(base_url=stack.gateway, headers=stack.headers()) as client:
        await client.post("/v1/events", json=event("visit", "demo", {"email": email}, {"channel": "web"}))
        first = await customer_when(stack, lambda v: v["stats"]["visits"] == 1, email=email)
        await client.post(
            "/v1/events",
            json=event(
                "purchase", "demo", {"external_id": external_id}, {"order_id": uuid.uuid4().hex, "amount": "10"}
            ),
        )
        second = await customer_when(stack, lambda v: v["stats"]["orders"] == 1, external_id=external_id)
        assert first["customer_id"] != second["customer_id"]
        both = {"email": email, "external_id": external_id}
        await client.post("/v1/events", json=event("identify", "demo", both, {"traits": {"name": "Bo"}}))

        merged = await customer_when(stack, lambda v: v["merged_ids"], email=email)
        assert merged["customer_id"] == first["customer_id"]
        assert merged["stats"]["orders"] == 1 and merged["stats"]["visits"] == 1
        old = await client.get(f"/v1/customers/{second['customer_id']}")
        assert old.json()["customer_id"] == first["customer_id"]
        timeline = await client.get(f"/v1/customers/{second['customer_id']}/timeline")
        assert len(timeline.json()["items"]) == 3


async def test_a_key_never_sees_another_workspace(stack: RunningStack) -> None:
    other_key = await ensure_workspace_with_key(stack.dsn("gateway"), "other", stack.home / "other-key")
    email = f"shared-{uuid.uuid4().hex[:6]}@example.com"
    async with httpx.AsyncClient(base_url=stack.gateway) as client:
        for key, workspace in ((stack.key, "demo"), (other_key, "other")):
            posted = await client.post(
                "/v1/events",
                headers=stack.headers(key),
                json=event("visit", workspace, {"email": email}, {"channel": "web"}),
            )
            assert posted.status_code == 202, posted.text
    demo = await customer_when(stack, lambda v: True, email=email)
    other = await customer_when(stack, lambda v: True, key=other_key, email=email)
    assert demo["customer_id"] != other["customer_id"]
    async with httpx.AsyncClient(base_url=stack.gateway, headers=stack.headers(other_key)) as client:
        foreign = await client.get(f"/v1/customers/{demo['customer_id']}")
        assert foreign.status_code == 404
        assert foreign.headers["content-type"].startswith("application/problem+json")


async def test_erase_leaves_nothing_personal_in_profile(stack: RunningStack) -> None:
    email, phone = f"gone-{uuid.uuid4().hex[:6]}@example.com", "+447911123456"
    async with httpx.AsyncClient(base_url=stack.gateway, headers=stack.headers()) as client:
        await client.post(
            "/v1/events", json=event("identify", "demo", {"email": email, "phone": phone}, {"traits": {"name": "Gone"}})
        )
        view = await customer_when(stack, lambda v: v["traits"], email=email)
        path = f"/v1/customers/{view['customer_id']}"
        assert (await client.get(f"{path}/export")).status_code == 200
        assert (await client.delete(path)).status_code == 202
        assert (await client.get(f"{path}/export")).status_code == 404

    conn = await asyncpg.connect(stack.dsn("profile"))
    try:

        async def nothing_left() -> bool:
            tables = [
                r["tablename"] for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname='public'")
            ]
            for table in tables:
                hits = await conn.fetchval(
                    f"SELECT count(*) FROM {table} t WHERE t::text ILIKE $1 OR t::text LIKE $2",  # noqa: S608
                    f"%{email}%",
                    f"%{phone}%",
                )
                if hits:
                    return False
            return True

        await wait_for(nothing_left, what="no row holding the email or phone (outbox drained)")
    finally:
        await conn.close()


async def test_sigkill_in_the_middle_of_20000_events_loses_and_doubles_nothing(stack: RunningStack) -> None:
    workspace = f"crash-{uuid.uuid4().hex[:6]}"
    customers, total = 1000, 20_000
    events = purchases(workspace, total, customers)
    expected_revenue = sum(Decimal(e["data"]["amount"]) for e in events)
    conn = await asyncpg.connect(stack.dsn("profile"))
    try:

        async def processed() -> int:
            return int(await conn.fetchval("SELECT count(*) FROM timeline WHERE workspace = $1", workspace))

        await publish(stack.bootstrap, INBOUND, events[: total // 2])
        await wait_for(lambda: _at_least(processed, 2000), within=60, what="profile to be under way")
        before_kill = await processed()
        os.kill(stack.pid("profile"), signal.SIGKILL)
        assert before_kill < total
        await publish(stack.bootstrap, INBOUND, events[total // 2 :])  # the supervisor restarts profile meanwhile

        await wait_for(lambda: _at_least(processed, total), within=180, interval=0.5, what="all events processed")
        totals = await conn.fetchrow("SELECT sum(orders), sum(revenue) FROM customers WHERE workspace = $1", workspace)
        assert totals is not None  # an aggregate without GROUP BY always returns one row
        orders, revenue = totals
        assert (orders, revenue) == (total, expected_revenue)
        assert await processed() == total
    finally:
        await conn.close()

    resolved = await read_topic(
        stack.bootstrap, RESOLVED, expect=total, within=120, match=lambda r: r.key.startswith(f"{workspace}:".encode())
    )
    ids = {orjson.loads(r.value)["id"] for r in resolved}
    assert ids == {e["id"] for e in events}


def _pid_or_none(stack: RunningStack) -> int | None:
    try:
        return stack.pid("profile")
    except (FileNotFoundError, ValueError):
        return None  # between a stop and the next start


async def _profile_ready(stack: RunningStack) -> bool:
    try:
        async with httpx.AsyncClient() as client:
            return (await client.get(f"{stack.metrics['profile']}/readyz")).status_code == 200
    except httpx.HTTPError:
        return False


async def _at_least(probe: Any, n: int) -> bool:
    return bool(await probe() >= n)


def test_stack_home_keeps_its_data(stack: RunningStack) -> None:
    assert (stack.home / "postgres" / "PG_VERSION").exists()
    assert any((stack.home / "kafka").rglob("meta.properties"))


async def test_trace_context_travels_from_http_through_kafka_to_the_resolved_event(stack: RunningStack) -> None:
    trace_id = uuid.uuid4().hex
    traceparent = f"00-{trace_id}-{uuid.uuid4().hex[:16]}-01"
    visit = event("visit", "demo", {"anonymous_id": f"dev-{uuid.uuid4().hex[:6]}"}, {"channel": "app"})
    async with httpx.AsyncClient(base_url=stack.gateway, headers=stack.headers()) as client:
        posted = await client.post("/v1/events", json=visit, headers={"traceparent": traceparent})
        assert posted.status_code == 202

    def carries_our_event(record: Any) -> bool:
        return visit["id"].encode() in (record.value or b"")

    for topic in (INBOUND, RESOLVED):
        (record,) = await read_topic(stack.bootstrap, topic, expect=1, match=carries_our_event)
        headers = dict(record.headers)
        assert headers["traceparent"].decode().split("-")[1] == trace_id, topic


async def test_sigterm_drains_commits_and_exits_cleanly(stack: RunningStack) -> None:
    workspace = f"term-{uuid.uuid4().hex[:6]}"
    total = 10_000
    events = [
        event("visit", workspace, {"external_id": f"v{i % 500}"}, {"channel": "web"}, event_id=f"t{i}")
        for i in range(total)
    ]
    conn = await asyncpg.connect(stack.dsn("profile"))
    try:

        async def processed() -> int:
            return int(await conn.fetchval("SELECT count(*) FROM timeline WHERE workspace = $1", workspace))

        await wait_for(lambda: _profile_ready(stack), within=120, what="profile ready before the test")
        old_pid = stack.pid("profile")
        await publish(stack.bootstrap, INBOUND, events)
        await wait_for(lambda: _at_least(processed, 1), within=60, what="profile to be under way")
        os.kill(old_pid, signal.SIGTERM)

        async def restarted() -> bool:
            return _pid_or_none(stack) not in {None, old_pid} and await _profile_ready(stack)

        await wait_for(restarted, within=120, interval=0.2, what="the supervisor to restart profile")
        await wait_for(lambda: _at_least(processed, total), within=120, interval=0.2, what="all events processed")
        assert await processed() == total
    finally:
        await conn.close()
    assert "profile exited with code 0" in (stack.home / "devstack.out").read_text()
    async with httpx.AsyncClient() as client:
        metrics = (await client.get(f"{stack.metrics['profile']}/metrics")).text
    duplicates = [line for line in metrics.splitlines() if line.startswith("flywheel_consumer_duplicates_total")]
    # Offsets of every batch finished before exit were committed: the new process re-reads nothing.
    assert all(line.endswith(" 0.0") for line in duplicates), duplicates
