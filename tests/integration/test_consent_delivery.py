"""Consent on the journey service with real PostgreSQL, a real broker and a real webhook receiver, on a clock the
test moves: consent from `identify` traits and `consent` events, checked right before every message is sent (a
message that waited while the customer unsubscribed is not sent), journey stats saying why, the suppression list
and transactional messages, and workspaces kept apart."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from contracts.topics import PROFILE_LIFECYCLE, RESOLVED
from devstack.postgres import LocalPostgres
from tests.helpers import publish, wait_for
from tests.integration.conftest import MovableClock, RunningService, running_journey
from tests.webhook_receiver import Receiver, running_receiver

START = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
NOWHERE = "http://127.0.0.1:9/none"


@pytest.fixture(scope="module")
def clock() -> MovableClock:
    return MovableClock(START)


@pytest.fixture(scope="module")
async def journey(
    postgres: LocalPostgres, topics: str, broker_kind: str, clock: MovableClock
) -> AsyncIterator[RunningService]:
    async with running_journey(postgres, topics, broker_kind, clock) as service:
        yield service


@pytest.fixture(autouse=True)
def clock_at_start(clock: MovableClock) -> None:
    clock.now = START


def event(ws: str, customer: str, type_: str, data: dict[str, Any], at: dt.datetime) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"{type_}-{uuid.uuid4().hex[:10]}",
        "source": "tests",
        "type": type_,
        "time": at.isoformat(),
        "workspace": ws,
        "customerid": customer,
        "data": {"customer": {"external_id": customer, "email": f"{customer}@example.com"}, **data},
    }


def purchase(ws: str, customer: str, at: dt.datetime = START) -> dict[str, Any]:
    return event(ws, customer, "purchase", {"order_id": uuid.uuid4().hex, "amount": "30.00"}, at)


def consent(ws: str, customer: str, group: str, status: str, at: dt.datetime) -> dict[str, Any]:
    return event(ws, customer, "consent", {"group": group, "status": status, "source": "preference_center"}, at)


def message(name: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "webhook", "channel": "email", "template": name, **extra}


def two_messages(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """On a purchase: `first` at once, `second` a day later."""
    return {
        "name": "Two messages",
        "trigger": {"type": "event", "event": "purchase"},
        "entry_step": "first",
        "steps": {
            "first": {"type": "action", "action": first, "next": "wait"},
            "wait": {"type": "wait", "duration": "1d", "next": "second"},
            "second": {"type": "action", "action": second, "next": "done"},
            "done": {"type": "exit"},
        },
    }


async def new_workspace(journey: RunningService) -> tuple[str, str]:
    """A new workspace and its webhook secret (its channel's URL set once the receiver runs)."""
    ws = f"ws-{uuid.uuid4().hex[:10]}"
    channel = await journey.client.put(f"/internal/v1/workspaces/{ws}/channel", json={"webhook_url": NOWHERE})
    assert channel.status_code == 200, channel.text
    return ws, channel.json()["secret"]


async def activate(journey: RunningService, ws: str, receiver: Receiver, document: dict[str, Any]) -> str:
    base = f"/internal/v1/workspaces/{ws}"
    receiver.tolerance_s = 365 * 86400  # signatures carry the moved clock's time
    assert (await journey.client.put(f"{base}/channel", json={"webhook_url": receiver.url})).status_code == 200
    created = await journey.client.post(f"{base}/journeys", json=document)
    assert created.status_code == 201, created.text
    journey_id: str = created.json()["journey_id"]
    assert (await journey.client.post(f"{base}/journeys/{journey_id}/activate")).status_code == 200
    return journey_id


async def deliveries_when(journey: RunningService, ws: str, journey_id: str, ready: Any) -> dict[str, Any] | None:
    stats = (await journey.client.get(f"/internal/v1/workspaces/{ws}/journeys/{journey_id}/stats")).json()
    counts: dict[str, Any] = stats["deliveries"]
    return counts if ready(counts) else None


def sent_to(receiver: Receiver, ws: str) -> list[tuple[str, str]]:
    return sorted((r.body["customer_id"], r.body["message"]) for r in receiver.received if r.body["workspace"] == ws)


async def test_consent_is_checked_when_sending_and_stats_say_why(
    journey: RunningService, clock: MovableClock, topics: str
) -> None:
    ws, secret = await new_workspace(journey)
    async with running_receiver(secret) as receiver:
        document = two_messages(
            message("hello", subscription_group="newsletter"), message("again", subscription_group="newsletter")
        )
        journey_id = await activate(journey, ws, receiver, document)
        base = f"/internal/v1/workspaces/{ws}"
        group = {"name": "Newsletter", "channel": "email", "default": "opt_in"}
        put = await journey.client.put(f"{base}/subscription-groups/newsletter", json=group)
        assert put.status_code == 200, put.text
        assert [g["group_id"] for g in (await journey.client.get(f"{base}/subscription-groups")).json()] == [
            "newsletter"
        ]

        earlier = START - dt.timedelta(hours=1)
        await publish(
            topics,
            RESOLVED,
            [
                # ann subscribes through identify, bob never does (opt-in: nothing), cat through a consent event
                event(ws, "ann", "identify", {"traits": {"subscriptions": {"newsletter": "subscribed"}}}, earlier),
                consent(ws, "cat", "newsletter", "subscribed", earlier),
                purchase(ws, "ann"),
                purchase(ws, "bob"),
                purchase(ws, "cat"),
            ],
        )
        await receiver.wait_for_count(2, within=30)
        await wait_for(
            lambda: deliveries_when(journey, ws, journey_id, lambda d: d["suppressed"] == 1), what="bob suppressed"
        )
        assert sent_to(receiver, ws) == [("ann", "hello"), ("cat", "hello")]
        body = receiver.received[0].body
        assert body["subscription_group"] == "newsletter" and body["transactional"] is False
        assert body["unsubscribe"]["group"] == "newsletter"
        assert body["unsubscribe"]["url"].startswith("http://127.0.0.1:8080/v1/unsubscribe?token=fwunsub1.")

        # While the second message waits, ann unsubscribes (an older event arriving late changes nothing).
        await publish(
            topics,
            RESOLVED,
            [
                consent(ws, "ann", "newsletter", "unsubscribed", START + dt.timedelta(hours=2)),
                consent(ws, "ann", "newsletter", "subscribed", START + dt.timedelta(hours=1)),
            ],
        )

        async def ann_unsubscribed() -> dict[str, Any] | None:
            view = (await journey.client.get(f"{base}/customers/ann/consent")).json()
            return view if len(view["history"]) == 3 else None

        view = await wait_for(ann_unsubscribed, what="ann's consent recorded")
        assert [(c["group_id"], c["status"]) for c in view["current"]] == [("newsletter", "unsubscribed")]
        assert [h["source"] for h in view["history"]] == ["identify", "preference_center", "preference_center"]

        clock.advance(dt.timedelta(days=1, minutes=1))
        counts = await wait_for(
            lambda: deliveries_when(journey, ws, journey_id, lambda d: d["suppressed"] == 3 and d["delivered"] == 3),
            what="the second messages sent or suppressed",
        )
        assert counts["suppressed_reasons"] == {"no_consent:newsletter": 2, "unsubscribed:newsletter": 1}
        assert sent_to(receiver, ws) == [("ann", "hello"), ("cat", "again"), ("cat", "hello")]


async def test_suppression_list_stops_everything_and_transactional_skips_consent_only(
    journey: RunningService, clock: MovableClock, topics: str
) -> None:
    ws, secret = await new_workspace(journey)
    async with running_receiver(secret) as receiver:
        document = two_messages(message("receipt", transactional=True), message("promo"))
        document["steps"]["wait"]["duration"] = "1m"
        journey_id = await activate(journey, ws, receiver, document)
        base = f"/internal/v1/workspaces/{ws}"
        listed = hashlib.sha256(b"sue@example.com").hexdigest()
        added = await journey.client.post(f"{base}/suppressions", json={"hashes": [listed, listed]})
        assert added.status_code == 200 and added.json() == {"changed": 1, "total": 1}, added.text
        # Another workspace's list holds dan's hash: it does not suppress dan here.
        other = f"/internal/v1/workspaces/ws-{uuid.uuid4().hex[:10]}"
        dan = hashlib.sha256(b"dan@example.com").hexdigest()
        assert (await journey.client.post(f"{other}/suppressions", json={"hashes": [dan]})).status_code == 200

        earlier = START - dt.timedelta(hours=1)
        await publish(
            topics,
            RESOLVED,
            [
                # uma unsubscribed from every email: the receipt still goes, the promotion does not
                event(ws, "uma", "identify", {"traits": {"subscriptions": {"email": "unsubscribed"}}}, earlier),
                purchase(ws, "uma"),
                purchase(ws, "sue"),  # on the suppression list: nothing, not even the receipt
                purchase(ws, "dan"),
            ],
        )
        await wait_for(
            lambda: deliveries_when(journey, ws, journey_id, lambda d: d["delivered"] == 2 and d["suppressed"] == 1),
            what="the receipts sent or suppressed",
        )
        clock.advance(dt.timedelta(minutes=2))
        counts = await wait_for(
            lambda: deliveries_when(
                journey, ws, journey_id, lambda d: d["delivered"] == 3 and d["suppressed"] == 3 and not d["pending"]
            ),
            within=60,
            what="every message sent or suppressed",
        )
        assert counts["suppressed_reasons"] == {"suppressed": 2, "unsubscribed:email": 1}
        assert sent_to(receiver, ws) == [("dan", "promo"), ("dan", "receipt"), ("uma", "receipt")]

        # Taken off the list: sue's next messages go again.
        removed = await journey.client.delete(f"{base}/suppressions/{listed}")
        assert removed.json() == {"changed": 1, "total": 0}


async def test_groups_and_suppressions_are_the_workspaces_own_with_quotas_and_budgets(
    journey: RunningService,
) -> None:
    ws, other = f"ws-{uuid.uuid4().hex[:10]}", f"ws-{uuid.uuid4().hex[:10]}"
    base, other_base = f"/internal/v1/workspaces/{ws}", f"/internal/v1/workspaces/{other}"
    group = {"name": "Promotions", "channel": "sms", "default": "opt_out"}
    assert (await journey.client.put(f"{base}/subscription-groups/promos", json=group)).status_code == 200
    assert (await journey.client.get(f"{other_base}/subscription-groups")).json() == []
    assert (await journey.client.get(f"{other_base}/customers/ann/consent")).json()["current"] == []

    bad = await journey.client.put(f"{base}/subscription-groups/bad%20id", json=group)
    assert bad.status_code == 422
    for wrong in ({**group, "channel": "fax"}, {**group, "default": "maybe"}, {**group, "extra": 1}, {"name": "x"}):
        assert (await journey.client.put(f"{base}/subscription-groups/g", json=wrong)).status_code == 422
    too_many = {"hashes": [hashlib.sha256(str(i).encode()).hexdigest() for i in range(1001)]}
    assert (await journey.client.post(f"{base}/suppressions", json=too_many)).status_code == 422
    assert (await journey.client.post(f"{base}/suppressions", json={"hashes": ["ADA@EXAMPLE.COM"]})).status_code == 422

    quotas = {q["name"]: q for q in (await journey.client.get(f"{base}/quotas")).json()}
    assert quotas["subscription_groups"]["used"] == 1 and quotas["suppressions"]["used"] == 0


async def test_a_merge_keeps_the_latest_consent_and_an_erasure_forgets_it(journey: RunningService, topics: str) -> None:
    from tests.integration.test_journey_service import keyed_publish, lifecycle

    ws = f"ws-{uuid.uuid4().hex[:10]}"
    base = f"/internal/v1/workspaces/{ws}"
    await publish(
        topics,
        RESOLVED,
        [
            consent(ws, "s1", "newsletter", "subscribed", START - dt.timedelta(days=2)),
            consent(ws, "m1", "newsletter", "unsubscribed", START - dt.timedelta(days=1)),  # the later choice
            consent(ws, "s1", "sms", "unsubscribed", START - dt.timedelta(days=3)),
        ],
    )

    async def consent_of(customer: str, changes: int) -> dict[str, Any] | None:
        view: dict[str, Any] = (await journey.client.get(f"{base}/customers/{customer}/consent")).json()
        return view if len(view["history"]) == changes else None

    await wait_for(lambda: consent_of("m1", 1), what="m1's consent")
    await wait_for(lambda: consent_of("s1", 2), what="s1's consent")
    merged = lifecycle(ws, "profile.merged", {"survivor_id": "s1", "merged_id": "m1", "reason": "same email"})
    await keyed_publish(topics, PROFILE_LIFECYCLE, ws, [merged], customer_id="s1")
    view = await wait_for(lambda: consent_of("s1", 3), what="the merge folded")
    assert [(c["group_id"], c["status"]) for c in view["current"]] == [
        ("newsletter", "unsubscribed"),
        ("sms", "unsubscribed"),
    ]
    assert (await journey.client.get(f"{base}/customers/m1/consent")).json()["customer_id"] == "s1"

    erased = lifecycle(ws, "profile.erased", {"customer_id": "s1", "erased_ids": ["s1", "m1"]})
    await keyed_publish(topics, PROFILE_LIFECYCLE, ws, [erased], customer_id="s1")
    await wait_for(lambda: consent_of("s1", 0), what="s1's consent forgotten")
