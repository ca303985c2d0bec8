"""Erasure that lasts, in profile against the real PostgreSQL and broker: once a customer is erased, events
carrying any of their identifiers are dropped (no profile comes back, nothing is dead-lettered, the drop is
counted), until an explicit re-consent of an identifier lets in what happens from then on."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import asyncpg
import orjson
from aiokafka import AIOKafkaProducer

from contracts.topics import INBOUND
from runtime.telemetry import DEADLETTERED
from services.profile.domain import Identifier
from services.profile.ledger import IdentifierHasher
from services.profile.service import ERASED_EVENTS_DROPPED
from tests.helpers import event, publish, wait_for
from tests.integration.conftest import RunningService
from tests.integration.test_profile_ingest import find, find_when, new_workspace, purchase


def dropped() -> float:
    return float(ERASED_EVENTS_DROPPED._value.get())


def rejected() -> float:
    return float(DEADLETTERED.labels("profile", INBOUND, "rejected")._value.get())


async def publish_in_order(bootstrap: str, ws: str, docs: list[dict[str, Any]]) -> str:
    """Publish `docs` and then a marker customer's purchase, all with one Kafka key (one partition, in this
    order); returns the marker's external id."""
    marker = f"marker-{uuid.uuid4().hex[:6]}"
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for doc in [*docs, purchase(ws, {"external_id": marker}, "1.00")]:
            await producer.send_and_wait(INBOUND, orjson.dumps(doc), key=f"{ws}:ordered".encode())
    finally:
        await producer.stop()
    return marker


async def processed_up_to(profile: RunningService, ws: str, marker: str) -> None:
    """Once the marker's purchase is processed, so is everything published before it."""
    await find_when(profile, ws, lambda v: v["stats"]["orders"] == 1, external_id=marker)


async def test_an_erased_customers_later_events_are_dropped_until_a_reconsent(
    profile: RunningService, bootstrap: str
) -> None:
    ws = new_workspace()
    email, phone = f"ledger-{uuid.uuid4().hex[:6]}@example.com", "+4915112345678"
    old = [
        purchase(ws, {"email": email, "phone": phone}, "9.99"),
        event("identify", ws, {"email": email, "anonymous_id": "dev-1"}, {"traits": {"name": "Eve"}}),
    ]
    await publish(bootstrap, INBOUND, old)
    view = await find_when(profile, ws, lambda v: v["traits"] and v["stats"]["orders"] == 1, email=email)
    path = f"/internal/v1/workspaces/{ws}"
    assert (await profile.client.delete(f"{path}/customers/{view['customer_id']}")).status_code == 202

    conn = await asyncpg.connect(profile.settings.database_url)
    try:
        stored = {
            r["identifier_hash"] for r in await conn.fetch("SELECT * FROM erasure_ledger WHERE workspace = $1", ws)
        }
        hasher = IdentifierHasher(profile.settings.identifier_hash_key)
        expected: set[Identifier] = {("email", email), ("phone", phone), ("anonymous_id", "dev-1")}
        assert stored == {hasher.hash(ws, identifier) for identifier in expected}
        holding = await conn.fetchval("SELECT count(*) FROM erasure_ledger t WHERE t::text LIKE '%ledger-%'")
        assert holding == 0, "the ledger holds hashes only, never an identifier"
    finally:
        await conn.close()

    drops, rejections = dropped(), rejected()
    # The old events again (a replay), the same under new ids (a producer re-sending its history), and new
    # events carrying only one of the identifiers, one with a malformed phone and a trait of no budget's size:
    # all are dropped, none dead-lettered (a dead letter would keep the person's data).
    again = [
        *old,
        *({**doc, "id": str(uuid.uuid4())} for doc in old),
        event("visit", ws, {"anonymous_id": "dev-1"}, {"channel": "web"}),
        event("identify", ws, {"email": email.upper(), "phone": "not a phone"}, {"traits": {"x": "y" * 100_000}}),
        purchase(ws, {"phone": "+49 151 12345678"}, "5.00"),
    ]
    await processed_up_to(profile, ws, await publish_in_order(bootstrap, ws, again))

    assert dropped() - drops == len(again) - 2  # the two old events themselves are de-duplicated first
    assert rejected() == rejections
    for identifier in ({"email": email}, {"phone": phone}, {"anonymous_id": "dev-1"}):
        assert await find(profile, ws, **identifier) is None

    # Re-consent of the email: what happens from now on is accepted; history from before stays dropped.
    refused = await profile.client.post(f"{path}/reconsents", json={"email": "never-erased@example.com"})
    assert refused.status_code == 404
    assert (await profile.client.post(f"{path}/reconsents", json={"email": email, "phone": phone})).status_code == 422
    assert (await profile.client.post(f"{path}/reconsents", json={"email": "not an email"})).status_code == 422
    answer = await profile.client.post(f"{path}/reconsents", json={"email": f" {email.upper()} "})
    assert answer.status_code == 200, answer.text
    lifted = answer.json()
    assert lifted["identifier"] == "email" and lifted["status"] == "reconsented" and email not in answer.text
    reconsented_at = dt.datetime.fromisoformat(lifted["reconsented_at"])
    assert (await profile.client.post(f"{path}/reconsents", json={"email": email})).json() == lifted  # idempotent

    checks = [
        {"time": reconsented_at - dt.timedelta(days=1), "customer": {"email": email}},
        {"time": reconsented_at + dt.timedelta(seconds=1), "customer": {"email": email}},
        {"time": reconsented_at + dt.timedelta(seconds=1), "customer": {"email": email, "phone": phone}},
        {"time": reconsented_at, "customer_id": view["customer_id"]},
        {"time": reconsented_at, "customer_id": "c_unknown", "customer": {"phone": "garbage"}},
    ]
    checked = await profile.client.post(
        f"{path}/erasure-checks", json={"subjects": [{**c, "time": c["time"].isoformat()} for c in checks]}
    )
    assert checked.status_code == 200, checked.text
    assert checked.json() == {"erased": [True, False, True, True, False]}

    later = reconsented_at + dt.timedelta(seconds=1)
    before = reconsented_at - dt.timedelta(hours=1)
    fresh = [purchase(ws, {"email": email}, "3.00", time=before), purchase(ws, {"email": email}, "4.00", time=later)]
    await processed_up_to(profile, ws, await publish_in_order(bootstrap, ws, fresh))
    back = await wait_for(lambda: find(profile, ws, email=email), what="the re-consented customer")
    assert back["customer_id"] != view["customer_id"]
    assert back["stats"]["orders"] == 1 and back["stats"]["revenue"] == "4.00"
    assert back["identifiers"]["phone"] == [] and back["identifiers"]["anonymous_id"] == []

    # Erased again: the re-consent goes with it.
    assert (await profile.client.delete(f"{path}/customers/{back['customer_id']}")).status_code == 202
    checked = await profile.client.post(
        f"{path}/erasure-checks", json={"subjects": [{"time": later.isoformat(), "customer": {"email": email}}]}
    )
    assert checked.json() == {"erased": [True]}


async def test_a_workspaces_ledger_does_not_drop_another_workspaces_events(
    profile: RunningService, bootstrap: str
) -> None:
    ws, other = new_workspace(), new_workspace()
    email = f"twice-{uuid.uuid4().hex[:6]}@example.com"
    await publish(
        bootstrap, INBOUND, [purchase(ws, {"email": email}, "1.00"), purchase(other, {"email": email}, "2.00")]
    )
    view = await find_when(profile, ws, lambda v: v["stats"]["orders"] == 1, email=email)
    await find_when(profile, other, lambda v: v["stats"]["orders"] == 1, email=email)
    assert (
        await profile.client.delete(f"/internal/v1/workspaces/{ws}/customers/{view['customer_id']}")
    ).status_code == 202

    await publish(bootstrap, INBOUND, [purchase(other, {"email": email}, "3.00")])
    await find_when(profile, other, lambda v: v["stats"]["orders"] == 2, email=email)
