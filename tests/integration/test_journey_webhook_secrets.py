"""Webhook signing secrets at rest and their rotation, on the real journey service (PostgreSQL, a broker, a real
webhook receiver over HTTP) on a clock the test moves: a rotation signs deliveries with both secrets during the
overlap and with the new one only after it; the database never holds a secret in plain text; secrets from
before are sealed at start-up, and re-sealed under a new first key of FLYWHEEL_SECRETS_KEYS."""

from __future__ import annotations

import base64
import datetime as dt
import os
import uuid

import asyncpg

from contracts.topics import RESOLVED
from devstack.postgres import LocalPostgres
from runtime.db import migrate
from runtime.secrets_at_rest import Keyring
from services.journey.channel_secrets import context_of
from services.journey.webhooks import SECRET_ROTATION_OVERLAP, verify
from services.journey.wiring import MIGRATIONS
from services.journey.wiring import create_app as create_journey_app
from tests.helpers import publish, wait_for
from tests.integration.conftest import MovableClock, fresh_database, running_app, running_journey
from tests.integration.journey_context import START, visit
from tests.samples.journeys import HELLO
from tests.webhook_receiver import LOOPBACK_RECEIVERS, ReceivedRequest, Receiver, running_receiver


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


async def delivered_to(receiver: Receiver, topics: str, ws: str, customer_id: str, at: dt.datetime) -> ReceivedRequest:
    """The request the journey makes for a visit of a new customer."""
    await publish(topics, RESOLVED, [visit(ws, customer_id, at)])
    count = len(receiver.accepted_keys) + 1
    await receiver.wait_for_count(count, within=30)
    return next(r for r in reversed(receiver.received) if r.body and r.body.get("customer_id") == customer_id)


def signatures(request: ReceivedRequest) -> list[str]:
    return [part for part in request.headers["flywheel-signature"].split(",") if part.startswith("v1=")]


async def test_a_rotation_signs_with_both_secrets_during_the_overlap_then_with_the_new_one(
    postgres: LocalPostgres, topics: str, broker_kind: str
) -> None:
    clock = MovableClock(START)
    keys = f"k1:{new_key()}"
    async with running_journey(postgres, topics, broker_kind, clock, secrets_keys=keys) as journey:
        ws = f"ws-{uuid.uuid4().hex[:10]}"
        base = f"/internal/v1/workspaces/{ws}"
        first = (await journey.client.put(f"{base}/channel", json={"webhook_url": "http://127.0.0.1:9/"})).json()
        old = first["secret"]
        async with running_receiver(old) as receiver:
            receiver.tolerance_s = 365 * 86400  # signatures carry the moved clock's time
            await journey.client.put(f"{base}/channel", json={"webhook_url": receiver.url})
            journey_id = (await journey.client.post(f"{base}/journeys", json=HELLO)).json()["journey_id"]
            assert (await journey.client.post(f"{base}/journeys/{journey_id}/activate")).status_code == 200

            before = await delivered_to(receiver, topics, ws, "c-before", clock.now)
            assert len(signatures(before)) == 1 and before.signature_ok

            rotated = await journey.client.put(
                f"{base}/channel", json={"webhook_url": receiver.url, "rotate_secret": True}
            )
            new = rotated.json()["secret"]
            assert new and new != old
            # A receiver not switched yet, then one switched: both accept every delivery of the overlap.
            during = await delivered_to(receiver, topics, ws, "c-during", clock.now)
            assert len(signatures(during)) == 2 and during.signature_ok
            now = clock.now
            assert verify(old, during.headers["flywheel-signature"], during.raw_body, now)
            assert verify(new, during.headers["flywheel-signature"], during.raw_body, now)
            receiver.secret = new
            clock.advance(SECRET_ROTATION_OVERLAP - dt.timedelta(minutes=1))
            late = await delivered_to(receiver, topics, ws, "c-late", clock.now)
            assert len(signatures(late)) == 2 and late.signature_ok

            clock.advance(dt.timedelta(minutes=2))  # the overlap is over
            after = await delivered_to(receiver, topics, ws, "c-after", clock.now)
            assert len(signatures(after)) == 1 and after.signature_ok
            assert not verify(old, after.headers["flywheel-signature"], after.raw_body, clock.now)
            assert receiver.bad_signatures == 0

        connection = await asyncpg.connect(journey.settings.database_url)
        try:
            stored = await connection.fetchrow("SELECT * FROM workspace_channels WHERE workspace = $1", ws)
            dump = str(await connection.fetch("SELECT * FROM workspace_channels"))
        finally:
            await connection.close()
        assert stored is not None and stored["webhook_secret"] is None
        assert stored["secret_sealed"].startswith("fwsealed1.k1.")
        assert old not in dump and new not in dump, "no secret in plain text in the database"
        assert Keyring.parse(keys).unseal(stored["secret_sealed"], context_of(ws)) == new.encode()


async def test_plain_secrets_from_before_are_sealed_and_a_new_first_key_reseals_them(
    postgres: LocalPostgres, topics: str, broker_kind: str
) -> None:
    old_key, new_key_ = new_key(), new_key()
    dsn = fresh_database(postgres, "journey")
    await migrate(dsn, "journey", MIGRATIONS)
    sealed_with_old = Keyring.parse(f"old:{old_key}").seal("sealed-long-ago", context_of("oldkey"))
    connection = await asyncpg.connect(dsn)
    try:
        # As the service wrote them before this change (plain), and with the key now second in the list.
        await connection.execute(
            """INSERT INTO workspace_channels (workspace, webhook_url, webhook_secret) VALUES
                   ('legacy', 'https://hooks.example.com/a', 'plain-from-before')"""
        )
        await connection.execute(
            "INSERT INTO workspace_channels (workspace, webhook_url, secret_sealed) VALUES ('oldkey', $1, $2)",
            "https://hooks.example.com/b",
            sealed_with_old,
        )
        keys = f"new:{new_key_},old:{old_key}"
        async with running_app(
            "journey", create_journey_app, postgres, topics, broker_kind, dsn=dsn, secrets_keys=keys,
            webhook_allowed_hosts=LOOPBACK_RECEIVERS,
        ):  # fmt: skip

            async def all_sealed_with_the_new_key() -> list[asyncpg.Record] | None:
                rows = await connection.fetch("SELECT * FROM workspace_channels ORDER BY workspace")
                done = all(
                    r["webhook_secret"] is None and r["secret_sealed"].startswith("fwsealed1.new.") for r in rows
                )
                return rows if done else None

            rows = await wait_for(all_sealed_with_the_new_key, within=30, what="secrets sealed at start-up")
    finally:
        await connection.close()
    only_new = Keyring.parse(f"new:{new_key_}")  # the old key can go now
    opened = {r["workspace"]: only_new.unseal(r["secret_sealed"], context_of(r["workspace"])) for r in rows}
    assert opened == {"legacy": b"plain-from-before", "oldkey": b"sealed-long-ago"}
    assert "plain-from-before" not in str(rows)
