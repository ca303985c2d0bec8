"""The partition key as Kafka holds it (issue 17): one customer, spelt differently by `flywheel import jsonl`,
`flywheel import csv` and a producer using the contract function, lands under one key, on one partition, and
that key is the one the gateway gives the same event (tests/unit/test_partition_key.py covers each path's
code, the gateway's and the demo's included)."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import orjson
from typer.testing import CliRunner

from cli.importer import app
from contracts.codec import decode_inbound
from devstack.topics import TopicSpec, ensure_topics
from services.gateway.domain import plan_batch
from tests.helpers import event, publish, read_topic

WORKSPACE = "acme"
PHONES = ["+1 (555) 010-0000", "+15550100000", " +1 555.010.0000 "]
EMAILS = ["Ann@Example.com", "ann@example.com", " ANN@example.COM"]


def purchase(customer: dict[str, str], order_id: str) -> dict[str, Any]:
    doc: dict[str, Any] = event(
        "purchase", WORKSPACE, customer, {"order_id": order_id, "amount": "9.50"}, time="2026-01-01T00:00:00Z"
    )
    return doc


async def invoke(*args: str) -> None:
    result = await asyncio.to_thread(CliRunner().invoke, app, list(args))
    assert result.exit_code == 0, result.output


async def test_one_customer_has_one_key_and_partition_whichever_way_it_arrives(bootstrap: str, tmp_path: Path) -> None:
    topic = f"test.partition-key.{uuid.uuid4().hex[:8]}"
    await ensure_topics(bootstrap, [TopicSpec(topic, partitions=6)])
    customers = [{"phone": phone} for phone in PHONES] + [{"email": email} for email in EMAILS]

    jsonl = tmp_path / "events.jsonl"
    jsonl.write_bytes(b"".join(orjson.dumps(purchase(c, f"j-{i}")) + b"\n" for i, c in enumerate(customers)))
    csv = tmp_path / "orders.csv"
    rows = [f"{c.get('phone', '')},{c.get('email', '')},2026-01-01,c-{i},9.50" for i, c in enumerate(customers)]
    csv.write_text("\n".join(["phone,email,date,order_id,amount", *rows]) + "\n")

    await invoke("jsonl", str(jsonl), "--bootstrap", bootstrap, "--topic", topic)
    await invoke("csv", str(csv), "-w", WORKSPACE, "--type", "purchase", "--bootstrap", bootstrap, "--topic", topic)
    await publish(bootstrap, topic, [purchase(c, f"p-{i}") for i, c in enumerate(customers)])

    records = await read_topic(bootstrap, topic, expect=3 * len(customers))
    by_customer: dict[str, set[tuple[bytes, int]]] = {"phone": set(), "email": set()}
    for record in records:
        ref = decode_inbound(record.value).data.customer
        by_customer["phone" if ref.phone else "email"].add((record.key, record.partition))
    gateway = {
        kind: plan_batch([purchase(customers[0 if kind == "phone" else 3], "g-1")], WORKSPACE).publish[0].key
        for kind in by_customer
    }
    assert by_customer["phone"] == {(b"acme:+15550100000", next(iter(by_customer["phone"]))[1])}
    assert by_customer["email"] == {(b"acme:ann@example.com", next(iter(by_customer["email"]))[1])}
    assert gateway == {"phone": b"acme:+15550100000", "email": b"acme:ann@example.com"}
