"""The consumer loop under failure: database connections cut mid-stream, a message that breaks the handler
in a way no validation foresaw, and a workspace whose events keep timing out or cannot be bound."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import asyncpg
import orjson
import pytest

from contracts.codec import decode_inbound
from contracts.envelope import Envelope
from contracts.topics import DEADLETTER, INBOUND
from devstack.postgres import LocalPostgres
from runtime.consumer import Delivery, HandlerResult, Record
from runtime.db import Connection
from runtime.handlers import events_by_workspace
from runtime.service import ConsumerSpec, ServiceRuntime
from runtime.settings import RuntimeSettings
from runtime.telemetry import RETRIES, WORKSPACE_FAILURES
from tests.helpers import event, publish, read_topic, wait_for
from tests.integration.conftest import RunningService, fresh_database, service_settings, start_at_end


async def test_cut_database_connections_are_retried_and_nothing_is_lost_or_doubled(
    profile: RunningService, bootstrap: str
) -> None:
    ws = f"cut-{uuid.uuid4().hex[:8]}"
    total = 3000
    events = [
        event("purchase", ws, {"external_id": f"c{i % 100}"}, {"order_id": f"o{i}", "amount": "2.00"})
        for i in range(total)
    ]
    admin = await asyncpg.connect(profile.settings.database_url)
    try:

        async def processed() -> int:
            return int(await admin.fetchval("SELECT coalesce(sum(orders), 0) FROM customers WHERE workspace = $1", ws))

        retries_before = RETRIES.labels("profile", INBOUND)._value.get()
        await publish(bootstrap, INBOUND, events)
        for _ in range(200):  # cut every connection of the service, again and again, while it works
            if await processed() >= total:
                break
            await admin.execute(
                """SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid()"""
            )
            await asyncio.sleep(0.02)

        async def all_processed() -> bool:
            return await processed() >= total

        await wait_for(all_processed, within=60, what="every purchase counted")
        assert await processed() == total
        assert await admin.fetchval("SELECT sum(revenue) FROM customers WHERE workspace = $1", ws) == 2 * total
        assert RETRIES.labels("profile", INBOUND)._value.get() > retries_before, "no batch was ever cut"
    finally:
        await admin.close()


async def test_a_message_that_breaks_the_handler_is_isolated_and_dead_lettered(
    profile: RunningService, bootstrap: str
) -> None:
    ws = f"nul-{uuid.uuid4().hex[:8]}"
    # PostgreSQL's jsonb cannot hold U+0000: valid by the contract, but it fails when stored.
    breaking = event("identify", ws, {"external_id": "n1"}, {"traits": {"name": "a\u0000b"}})
    fine = [event("visit", ws, {"external_id": f"n{i}"}, {"channel": "web"}) for i in range(2, 6)]
    await publish(bootstrap, INBOUND, [fine[0], fine[1], breaking, fine[2], fine[3]])

    (dead,) = await read_topic(bootstrap, DEADLETTER, expect=1, match=lambda r: breaking["id"].encode() in r.value)
    assert dict(dead.headers)["flywheel-dlq-reason"].decode().startswith("handler error:")
    for i in range(2, 6):

        async def visited(n: int = i) -> bool:
            response = await profile.client.get(
                f"/internal/v1/workspaces/{ws}/customers", params={"external_id": f"n{n}"}
            )
            return response.status_code == 200 and response.json()["stats"]["visits"] == 1

        await wait_for(visited, what=f"customer n{i}")


# --- a workspace whose own statements fail ----------------------------------------------------------------

RETRIES_BEFORE_ISOLATING = 2


class WorkspaceProbe:
    """Records each event; a workspace named slow-* first runs a statement past its statement_timeout, one named
    wide-* a query with more arguments than asyncpg can bind: what a workspace's own definitions can cause."""

    def decode(self, record: Record) -> Envelope:
        return decode_inbound(record.value)

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        for workspace, events in events_by_workspace(deliveries):
            if workspace.startswith("slow"):
                await conn.execute("SET LOCAL statement_timeout = 50")
                await conn.execute("SELECT pg_sleep(2)")
            if workspace.startswith("wide"):
                arguments = 40_000
                placeholders = ", ".join(f"${n}::int" for n in range(1, arguments + 1))
                await conn.fetchval(f"SELECT 1 WHERE 1 IN ({placeholders})", *range(arguments))
            await conn.executemany(
                "INSERT INTO probe_events (workspace, event_id) VALUES ($1, $2)", [(e.workspace, e.id) for e in events]
            )
        return HandlerResult()


@pytest.fixture
async def probe(postgres: LocalPostgres, topics: str, broker_kind: str, tmp_path: Path) -> AsyncIterator[str]:
    """A service of the probe handler on the inbound topic, from now on; yields its database's DSN."""
    (tmp_path / "0001_probe.sql").write_text("CREATE TABLE probe_events (workspace text, event_id text);")
    settings = service_settings(
        RuntimeSettings,
        "probe",
        fresh_database(postgres, "probe"),
        topics,
        broker_kind,
        consumer_concurrency=1,
        tenant_failure_retries=RETRIES_BEFORE_ISOLATING,
    )
    await start_at_end(topics, settings.group_id)
    runtime = ServiceRuntime(
        "probe", settings, tmp_path, consumers=lambda _: [ConsumerSpec((INBOUND,), WorkspaceProbe())]
    )
    await runtime.start()
    try:
        yield settings.database_url
    finally:
        await runtime.stop()


def visit(ws: str, customer: str) -> dict[str, Any]:
    return event("visit", ws, {"external_id": customer}, {"channel": "web"})


async def test_a_workspace_whose_events_keep_timing_out_is_dead_lettered_and_the_others_flow_on(
    probe: str, topics: str
) -> None:
    suffix = uuid.uuid4().hex[:8]
    slow, wide, fine, later = f"slow-{suffix}", f"wide-{suffix}", f"fine-{suffix}", f"later-{suffix}"
    failing = [visit(slow, "s1"), visit(slow, "s2"), visit(wide, "w1")]
    flowing = [visit(fine, f"f{n}") for n in range(3)]
    failures_before = WORKSPACE_FAILURES.labels("probe", INBOUND)._value.get()

    await publish(topics, INBOUND, [flowing[0], failing[0], flowing[1], failing[1], failing[2], flowing[2]])
    await publish(topics, INBOUND, [visit(later, "l1")])  # after them: waits for them, but not for ever

    letters = await read_topic(
        topics, DEADLETTER, expect=3, within=60, match=lambda r: any(d["id"].encode() in r.value for d in failing)
    )
    reasons = {orjson.loads(r.value)["id"]: dict(r.headers)["flywheel-dlq-reason"].decode() for r in letters}
    attempts = RETRIES_BEFORE_ISOLATING + 1
    for doc in failing[:2]:
        assert reasons[doc["id"]] == (
            f"workspace {slow}'s events timed out after {attempts} attempts: QueryCanceledError (SQLSTATE 57014)"
        )
    assert reasons[failing[2]["id"]].startswith(
        f"workspace {wide}'s events could not be bound (too many query arguments) after {attempts} attempts: "
        "InterfaceError"
    )
    assert WORKSPACE_FAILURES.labels("probe", INBOUND)._value.get() >= failures_before + RETRIES_BEFORE_ISOLATING

    admin = await asyncpg.connect(probe)
    try:

        async def recorded() -> list[tuple[str, str]] | None:
            rows = await admin.fetch(
                "SELECT workspace, event_id FROM probe_events WHERE workspace = ANY($1::text[])",
                [slow, wide, fine, later],
            )
            return [(r["workspace"], r["event_id"]) for r in rows] if len(rows) >= 4 else None

        rows = await wait_for(recorded, what="the other workspaces' events")
        assert sorted(w for w, _ in rows) == [fine, fine, fine, later]  # nothing of the failing workspaces
        assert {e for w, e in rows if w == fine} == {d["id"] for d in flowing}
    finally:
        await admin.close()
