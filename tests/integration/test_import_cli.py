"""`flywheel import` against the session's real broker: what lands on the topic, keys, reports, exit codes.

Each test imports into a topic of its own (the hidden `--topic` option), so counts are exact and the
profile consumers of other tests never see these events.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.structs import ConsumerRecord
from typer.testing import CliRunner, Result

from cli.importer import app
from contracts.codec import decode_inbound
from contracts.envelope import CONTENT_TYPE
from devstack.topics import TopicSpec, ensure_topics

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
async def topic(bootstrap: str) -> str:
    name = f"test.import.{uuid.uuid4().hex[:8]}"
    await ensure_topics(bootstrap, [TopicSpec(name, partitions=3)])
    return name


async def invoke(*args: str) -> Result:
    # The command runs its own event loop (asyncio.run), so it runs in a thread, off the test's loop.
    return await asyncio.to_thread(CliRunner().invoke, app, list(args))


async def read_topic(bootstrap: str, topic: str, expected: int) -> list[ConsumerRecord[bytes, bytes]]:
    """Everything on `topic`: waits for `expected` messages, then a little longer to catch any extra."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None)
    await consumer.start()
    records: list[ConsumerRecord[bytes, bytes]] = []
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=200, max_records=10_000)
            fetched = [r for batch in batches.values() for r in batch]
            records += fetched
            if len(records) >= expected and not fetched:
                break
    finally:
        await consumer.stop()
    return records


async def test_csv_import_publishes_valid_rows_and_reports_rejected_lines(
    bootstrap: str, topic: str, tmp_path: Path
) -> None:
    rejects = tmp_path / "rejects.jsonl"
    file = str(DATA / "import_purchases.csv")
    result = await invoke(
        "csv", file, "-w", "acme", "--bootstrap", bootstrap, "--topic", topic, "--rejects", str(rejects)
    )
    assert result.exit_code == 1, result.output  # some rows rejected, the rest published

    records = await read_topic(bootstrap, topic, 4)
    assert len(records) == 4
    assert sorted(r.key for r in records if r.key) == [b"acme:bob@example.com", b"acme:c-1", b"acme:c-2", b"acme:c-9"]
    for record in records:
        assert dict(record.headers)["content-type"] == CONTENT_TYPE.encode()
        event = decode_inbound(record.value)
        assert event.type == "purchase" and event.source == "import" and event.workspace == "acme"
    assert {decode_inbound(r.value).data.order_id for r in records} == {"o-1", "o-2", "o-3", "o-9"}

    rejected = [orjson.loads(line) for line in rejects.read_bytes().splitlines()]
    assert [r["line"] for r in rejected] == [5, 6, 7, 8, 9]
    assert "data.amount" in rejected[0]["reason"] and "columns" in rejected[4]["reason"]
    for line in ("5", "6", "7", "8", "9"):
        assert f"│    {line} │" in result.output  # the report table names each rejected line


async def test_jsonl_import_keeps_ids_and_keys_and_rejects_bad_lines(bootstrap: str, topic: str) -> None:
    file = str(DATA / "import_events.jsonl")
    result = await invoke("jsonl", file, "--workspace", "acme", "--bootstrap", bootstrap, "--topic", topic)
    assert result.exit_code == 1, result.output

    records = await read_topic(bootstrap, topic, 5)
    by_id = {decode_inbound(r.value).id: r.key for r in records}
    assert by_id == {
        "ev-1": b"acme:u-1",
        "ev-2": b"acme:ann@example.com",
        "ev-3": b"acme:+4915112345678",
        "ev-4": b"acme:anon-9",
        "ev-9": b"acme:u-1",
    }
    assert "rows read" in result.output and "published" in result.output
    for reason in ("order_id", "malformed JSON", "differs from --workspace", "unknown event type"):
        assert reason in result.output


async def test_reimport_publishes_the_same_ids_so_it_has_effect_once(bootstrap: str, topic: str) -> None:
    file = str(DATA / "cdnow_sample_transactions.csv")
    args = ("csv", file, "-w", "cdnow", "--bootstrap", bootstrap, "--topic", topic)
    started = time.perf_counter()
    first = await invoke(*args)
    elapsed = time.perf_counter() - started
    assert first.exit_code == 0, first.output
    second = await invoke(*args)
    assert second.exit_code == 0, second.output
    print(f"\ncdnow import: 6,919 rows in {elapsed:.2f} s ({6919 / elapsed:,.0f} rows/s, including connecting)")

    records = await read_topic(bootstrap, topic, 2 * 6919)
    assert len(records) == 2 * 6919
    ids = [decode_inbound(r.value).id for r in records]
    assert len(set(ids)) == 6919  # consumers de-duplicate on id: the second run has no effect
    # One customer's purchases share a key, so they stay in order on one partition.
    partitions = {r.key: r.partition for r in records}
    assert all(partitions[r.key] == r.partition for r in records)


async def test_clean_file_exits_0_and_missing_file_or_broker_exit_2(bootstrap: str, topic: str, tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_bytes(b"".join((DATA / "import_events.jsonl").read_bytes().splitlines(True)[:2]))
    result = await invoke("jsonl", str(good), "--bootstrap", bootstrap, "--topic", topic)
    assert result.exit_code == 0, result.output
    assert len(await read_topic(bootstrap, topic, 2)) == 2

    missing = await invoke("jsonl", str(tmp_path / "nope.jsonl"), "--bootstrap", bootstrap, "--topic", topic)
    assert missing.exit_code == 2 and "no such file" in missing.output
    down = await invoke("jsonl", str(good), "--bootstrap", "127.0.0.1:1", "--topic", topic)
    assert down.exit_code == 2 and "cannot reach Kafka" in down.output and "Traceback" not in down.output
