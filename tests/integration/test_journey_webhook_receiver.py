"""Webhook delivery over real HTTP to the test receiver (uvicorn on a free local port).

The retry loops drive `send` by the outcome's status alone: they never wait out the retry delays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest

from runtime.egress import EgressPolicy
from services.journey.settings import JourneyServiceSettings
from services.journey.webhooks import (
    MAX_ATTEMPTS,
    WebhookDelivery,
    WebhookResult,
    create_webhook_client,
    send,
    serialise,
    sign,
)
from tests.webhook_receiver import LOOPBACK_RECEIVERS, running_receiver

SECRET = "whsec-integration"  # noqa: S105 - a test secret
POLICY = EgressPolicy.from_settings(JourneyServiceSettings(webhook_allowed_hosts=LOOPBACK_RECEIVERS))


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def delivery(url: str, delivery_id: str = "enr-7:step-1", secret: str = SECRET) -> WebhookDelivery:
    return WebhookDelivery(
        delivery_id=delivery_id,
        workspace="acme",
        url=url,
        secret=secret,
        body={
            "customer": {"id": "c-7", "phone": "+4915112345678"},
            "journey": "welcome",
            "step": "step-1",
            "channel": "sms",
            "message": "Welcome, Grace! Here is 10% off: WELCOME10",
            "data": {"coupon": "WELCOME10"},
        },
        attempt=1,
        created_at=now(),
    )


async def deliver(client: httpx.AsyncClient, d: WebhookDelivery) -> list[WebhookResult]:
    """Attempts until the outcome is no longer "retry", as the poller would (without its waits)."""
    outcomes = [await send(client, d, now(), policy=POLICY)]
    while outcomes[-1].status == "retry":
        d = replace(d, attempt=d.attempt + 1)
        outcomes.append(await send(client, d, now(), policy=POLICY))
    return outcomes


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with create_webhook_client(POLICY, timeout_s=5) as http:
        yield http


async def test_failing_three_times_then_succeeding_delivers_exactly_once(client: httpx.AsyncClient) -> None:
    async with running_receiver(SECRET, fail_first=3) as receiver:
        d = delivery(receiver.url)
        outcomes = await deliver(client, d)
        assert [o.status for o in outcomes] == ["retry", "retry", "retry", "delivered"]
        assert all(o.http_status == 503 and o.retry_at is not None for o in outcomes[:3])
        assert outcomes[-1] == WebhookResult("delivered", 200)

        await receiver.wait_for_count(1, within=5)
        assert receiver.accepted_keys == [d.delivery_id]
        assert receiver.duplicates == 0 and receiver.bad_signatures == 0
        assert [r.idempotency_key for r in receiver.received] == [d.delivery_id] * 4
        assert [r.attempt for r in receiver.received] == [1, 2, 3, 4]
        assert [r.answered for r in receiver.received] == [503, 503, 503, 200]
        assert all(r.signature_ok for r in receiver.received)
        assert receiver.received[-1].body == d.body
        assert receiver.received[-1].raw_body == serialise(d.body)

        # The poller crashed before recording "delivered" and sends again: acknowledged, not doubled.
        again = await send(client, replace(d, attempt=5), now(), policy=POLICY)
        assert again.status == "delivered"
        await receiver.wait_for_requests(5, within=5)
        assert receiver.accepted_keys == [d.delivery_id] and receiver.duplicates == 1
        assert receiver.deliveries[d.delivery_id] == 2


async def test_always_failing_receiver_ends_failed_after_max_attempts(client: httpx.AsyncClient) -> None:
    async with running_receiver(SECRET, always_fail=True, status_on_fail=502) as receiver:
        d = delivery(receiver.url, "enr-8:step-2")
        outcomes = await deliver(client, d)
        assert len(outcomes) == MAX_ATTEMPTS
        assert {o.status for o in outcomes[:-1]} == {"retry"}
        final = outcomes[-1]
        assert final.status == "failed" and final.http_status == 502 and final.retry_at is None
        assert final.error is not None
        assert final.error.startswith(f"gave up after {MAX_ATTEMPTS} attempts: HTTP 502 Bad Gateway")
        await receiver.wait_for_requests(MAX_ATTEMPTS, within=5)
        assert receiver.accepted_keys == [] and receiver.failures_injected == MAX_ATTEMPTS
        assert {r.idempotency_key for r in receiver.received} == {d.delivery_id}


async def test_permanent_refusal_fails_at_once(client: httpx.AsyncClient) -> None:
    async with running_receiver(SECRET, always_fail=True, status_on_fail=410) as receiver:
        outcomes = await deliver(client, delivery(receiver.url, "enr-9:step-1"))
        assert [o.status for o in outcomes] == ["failed"]
        assert outcomes[0].error is not None and "HTTP 410 Gone" in outcomes[0].error
        assert len(receiver.received) == 1


async def test_bad_signatures_are_detected(client: httpx.AsyncClient) -> None:
    async with running_receiver(SECRET) as receiver:
        wrong_secret = await send(client, delivery(receiver.url, "enr-1:s", secret=SECRET[::-1]), now(), policy=POLICY)
        assert wrong_secret.status == "failed" and wrong_secret.http_status == 401

        raw = serialise({"message": "hi"})
        ts = int(now().timestamp())
        headers = {"Idempotency-Key": "enr-2:s", "Content-Type": "application/json"}
        tampered = await client.post(
            receiver.url,
            content=raw.replace(b"hi", b"ho"),
            headers={**headers, "Flywheel-Signature": sign(SECRET, ts, raw)},
        )
        stale = await client.post(
            receiver.url, content=raw, headers={**headers, "Flywheel-Signature": sign(SECRET, ts - 3600, raw)}
        )
        unsigned = await client.post(receiver.url, content=raw, headers=headers)
        assert [r.status_code for r in (tampered, stale, unsigned)] == [401, 401, 401]

        good = await send(client, delivery(receiver.url, "enr-3:s"), now(), policy=POLICY)
        assert good.status == "delivered"
        await receiver.wait_for_requests(5, within=5)
        assert receiver.bad_signatures == 4
        assert receiver.accepted_keys == ["enr-3:s"]
        assert [r.signature_ok for r in receiver.received] == [False, False, False, False, True]


async def test_unreachable_endpoint_is_retried(client: httpx.AsyncClient) -> None:
    async with running_receiver(SECRET) as receiver:
        url = receiver.url
    outcome = await send(client, delivery(url), now(), policy=POLICY)  # the receiver has stopped: nothing listens
    assert outcome.status == "retry" and outcome.http_status is None
    assert outcome.error is not None and outcome.error.startswith("could not connect")


async def test_without_the_loopback_allowlist_nothing_reaches_a_local_receiver() -> None:
    strict = EgressPolicy.from_settings(JourneyServiceSettings())  # the default: only public addresses
    async with running_receiver(SECRET) as receiver, create_webhook_client(strict, timeout_s=5) as client:
        port = receiver.url.split(":")[2].split("/")[0]
        for url in (receiver.url, f"http://localhost:{port}/hooks", f"http://[::ffff:127.0.0.1]:{port}/hooks"):
            outcome = await send(client, delivery(url), now(), policy=strict)
            assert outcome.status == "failed" and outcome.error is not None, url
            assert outcome.error.startswith("the webhook URL is refused: "), outcome.error
        # the client itself refuses too, whoever calls it
        with pytest.raises(httpx.ConnectError, match="refused by the egress policy"):
            await client.post(receiver.url, content=b"{}")
    assert receiver.received == [] and receiver.arrived == 0


async def test_a_name_rebound_after_the_check_is_not_dialled() -> None:
    """DNS answers the receiver's address when the attempt vets the name, then 169.254.169.254: the
    request still goes to the address vetted, and the name is looked up once."""
    lookups: list[str] = []

    async def rebinding(host: str, port: int) -> list[str]:
        lookups.append(host)
        return ["127.0.0.1"] if len(lookups) == 1 else ["169.254.169.254"]

    async with running_receiver(SECRET) as receiver:
        port = receiver.url.split(":")[2].split("/")[0]
        url = f"http://hooks.rebind.example:{port}/hooks"
        settings = JourneyServiceSettings(webhook_allowed_hosts="127.0.0.1", webhook_allowed_ports=port)
        policy = EgressPolicy.from_settings(settings, resolver=rebinding)
        async with create_webhook_client(policy, timeout_s=5) as client:
            outcome = await send(client, delivery(url), now(), policy=policy)
            assert outcome == WebhookResult("delivered", 200)
            assert lookups == ["hooks.rebind.example"]
            assert receiver.received[0].headers["host"] == f"hooks.rebind.example:{port}"
            # the next attempt looks again, and refuses what the name points at now
            again = await send(client, delivery(url, "enr-8:s"), now(), policy=policy)
        assert again.status == "failed" and again.error is not None
        assert "resolves to 169.254.169.254, a link-local address" in again.error
    assert len(receiver.received) == 1
