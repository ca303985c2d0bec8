"""`flywheel deadletter` against the session's broker and a real profile service: events dead-lettered
for a reason an operator can fix, the fix, then a selective replay.

The story: profile runs without FLYWHEEL_DEFAULT_PHONE_REGION, so customers given by a national phone
number ("030 1234567") are rejected and dead-lettered. The operator sets the region (DE), restarts
profile and replays only the purchases of one workspace: exactly those are processed; the other
letters stay where they are; replaying them again changes nothing (profile de-duplicates on event id).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition
from typer.testing import CliRunner, Result

from cli.main import app
from contracts.topics import DEADLETTER, INBOUND, TOPICS
from devstack.ports import free_port
from devstack.postgres import LocalPostgres
from runtime.telemetry import DUPLICATES
from services.profile.settings import ProfileServiceSettings
from services.profile.wiring import create_app as create_profile_app
from tests.helpers import event, kafka_options, publish, read_topic, wait_for
from tests.integration.conftest import fresh_database, service_settings, start_at_end, token_auth
from tests.integration.served import served

INBOUND_PARTITIONS = [TopicPartition(INBOUND, p) for t in TOPICS if t.name == INBOUND for p in range(t.partitions)]


@asynccontextmanager
async def running(settings: ProfileServiceSettings) -> AsyncIterator[httpx.AsyncClient]:
    """Profile with exactly these settings: a restart with the same group resumes where it stopped. Served on a
    port: a replay asks it which letters are of erased customers (its client's base URL)."""
    service = create_profile_app(settings)
    async with (
        service.router.lifespan_context(service),
        served(service) as url,
        httpx.AsyncClient(base_url=url, auth=token_auth(settings)) as client,
    ):
        yield client


async def invoke(
    bootstrap: str, broker_kind: str, *args: str, answer: str | None = None, profile: httpx.AsyncClient | None = None
) -> Result:
    env = {
        "FLYWHEEL_KAFKA_BOOTSTRAP": bootstrap,
        # The in-memory broker does not implement InitProducerId (the command would fall back, with a note).
        "FLYWHEEL_KAFKA_IDEMPOTENT_PRODUCER": str(broker_kind == "kafka").lower(),
        **({"FLYWHEEL_PROFILE_URL": str(profile.base_url)} if profile else {}),
    }
    # The command runs its own event loop (asyncio.run), so it runs in a thread, off the test's loop.
    return await asyncio.to_thread(lambda: CliRunner().invoke(app, ["deadletter", *args], input=answer, env=env))


async def end_offsets(bootstrap: str) -> dict[TopicPartition, int]:
    consumer = AIOKafkaConsumer(**kafka_options(bootstrap), group_id=None)
    await consumer.start()
    try:
        return dict(await consumer.end_offsets(INBOUND_PARTITIONS))
    finally:
        await consumer.stop()


async def replayed_to(bootstrap: str, workspace: str) -> list[Any]:
    """Every record on the inbound topic that a replay published for `workspace`, read up to the end
    each partition's fetch reports (the in-memory broker's listed end offsets lag behind)."""
    consumer = AIOKafkaConsumer(**kafka_options(bootstrap), group_id=None, fetch_max_wait_ms=100)
    await consumer.start()
    found: list[Any] = []
    try:
        consumer.assign(INBOUND_PARTITIONS)
        await consumer.seek_to_beginning(*INBOUND_PARTITIONS)

        async def caught_up() -> bool:
            ends = [consumer.highwater(tp) for tp in INBOUND_PARTITIONS]
            positions = [await consumer.position(tp) for tp in INBOUND_PARTITIONS]
            return all(end is not None and p >= end for p, end in zip(positions, ends, strict=True))

        while not await caught_up():
            batch = await consumer.getmany(timeout_ms=200, max_records=10_000)
            for records in batch.values():
                found.extend(
                    r
                    for r in records
                    if (r.key or b"").startswith(f"{workspace}:".encode()) and "flywheel-replay-of" in dict(r.headers)
                )
    finally:
        await consumer.stop()
    return found


async def customer(client: httpx.AsyncClient, workspace: str, phone: str) -> dict[str, Any] | None:
    response = await client.get(f"/internal/v1/workspaces/{workspace}/customers", params={"phone": phone})
    return response.json() if response.status_code == 200 else None


async def test_selected_dead_letters_are_replayed_after_the_fix_and_processed_once(
    postgres: LocalPostgres, topics: str, bootstrap: str, broker_kind: str
) -> None:
    started = dt.datetime.now(dt.UTC).isoformat()
    ws, other = f"dlq-{uuid.uuid4().hex[:8]}", f"dlq-{uuid.uuid4().hex[:8]}"
    purchases = [
        event("purchase", ws, {"phone": "030 1234567"}, {"order_id": "o-1", "amount": "10.00"}),
        event("purchase", ws, {"phone": "030 2345678"}, {"order_id": "o-2", "amount": "20.00"}),
    ]
    left = [
        event("visit", ws, {"phone": "030 3456789"}, {"channel": "web"}),
        event("purchase", other, {"phone": "030 1234567"}, {"order_id": "o-3", "amount": "30.00"}),
    ]
    # Without a phone region (the default), a national number is no identifier: the event is rejected.
    settings = service_settings(
        ProfileServiceSettings,
        "profile",
        fresh_database(postgres, "profile"),
        topics,
        broker_kind,
        consumer_concurrency=1,
    )
    assert settings.default_phone_region is None
    await start_at_end(bootstrap, settings.group_id)

    async with running(settings):
        await publish(bootstrap, INBOUND, [*purchases, *left])
        ours = (ws.encode(), other.encode())
        dead = await read_topic(bootstrap, DEADLETTER, expect=4, match=lambda r: (r.key or b"").startswith(ours))
        assert {dict(r.headers)["flywheel-dlq-service"] for r in dead} == {b"profile"}

    # The fix: profile learns the region of national numbers, and restarts (same consumer group).
    async with running(settings.model_copy(update={"default_phone_region": "DE"})) as profile:
        selection = ["--workspace", ws, "--type", "purchase", "--reason-contains", "PHONE", "--since", started]

        listed = await invoke(bootstrap, broker_kind, "list", "--json", "--service", "profile", "--workspace", ws)
        assert listed.exit_code == 0, listed.output
        rows = [orjson.loads(line) for line in listed.stdout.splitlines()]
        assert sorted(row["type"] for row in rows) == ["purchase", "purchase", "visit"]
        assert {row["topic"] for row in rows} == {INBOUND}

        before = await end_offsets(bootstrap)
        dry = await invoke(bootstrap, broker_kind, "replay", *selection, "--dry-run", profile=profile)
        assert dry.exit_code == 0, dry.output
        assert "2 dead letter(s) would be replayed" in dry.output and "nothing was published" in dry.output
        assert await end_offsets(bootstrap) == before
        declined = await invoke(bootstrap, broker_kind, "replay", *selection, answer="n\n", profile=profile)
        assert declined.exit_code == 1 and "Replay them?" in declined.output, declined.output
        assert await end_offsets(bootstrap) == before
        # Profile out of reach: which letters are of erased customers is unknown, so none is replayed.
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{free_port()}") as nowhere:
            blind = await invoke(bootstrap, broker_kind, "replay", *selection, "--yes", profile=nowhere)
        assert blind.exit_code == 1 and "cannot ask profile" in blind.output and "Traceback" not in blind.output
        assert await end_offsets(bootstrap) == before

        done = await invoke(bootstrap, broker_kind, "replay", *selection, "--yes", profile=profile)
        assert done.exit_code == 0, done.output
        assert "re-published" in done.output

        replayed = await replayed_to(bootstrap, ws)  # the command returns once every send is acknowledged
        assert sorted(orjson.loads(r.value)["id"] for r in replayed) == sorted(p["id"] for p in purchases)
        positions = {f"{r.partition}:{r.offset}".encode() for r in dead}
        for record in replayed:
            headers = dict(record.headers)
            assert headers["flywheel-replay-of"] in positions
            assert not any(k.startswith("flywheel-dlq-") for k in headers)
            assert record.key == next(d.key for d in dead if d.value == record.value)

        async def both_bought() -> bool:
            found = [await customer(profile, ws, phone) for phone in ("+49301234567", "+49302345678")]
            return all(c is not None and c["stats"]["orders"] == 1 for c in found)

        await wait_for(both_bought, what="the replayed purchases processed")
        assert await customer(profile, ws, "+49303456789") is None  # the visit was not replayed
        assert await customer(profile, other, "+49301234567") is None  # nor the other workspace's purchase

        # Again: the same two events arrive once more and are recognised as duplicates.
        duplicates = DUPLICATES.labels("profile", INBOUND)._value.get()
        again = await invoke(bootstrap, broker_kind, "replay", *selection, "--yes", profile=profile)
        assert again.exit_code == 0, again.output

        async def deduplicated() -> bool:
            return bool(DUPLICATES.labels("profile", INBOUND)._value.get() >= duplicates + 2)

        await wait_for(deduplicated, what="the second replay de-duplicated")
        assert len(await replayed_to(bootstrap, ws)) == 4  # neither the dry run nor the declined one published
        first = await customer(profile, ws, "+49301234567")
        assert first is not None and first["stats"]["orders"] == 1 and first["stats"]["revenue"] == "10.00"


async def test_nothing_matched_is_not_an_error(topics: str, broker_kind: str) -> None:
    result = await invoke(topics, broker_kind, "replay", "--workspace", f"none-{uuid.uuid4().hex[:8]}", "--yes")
    assert result.exit_code == 0, result.output
    assert "No dead letters" in result.output


async def test_an_unreachable_broker_is_one_line_and_exit_1(broker_kind: str) -> None:
    result = await invoke(f"127.0.0.1:{free_port()}", broker_kind, "list")
    assert result.exit_code == 1, result.output
    assert "cannot reach Kafka" in result.output
    assert "Traceback" not in result.output
