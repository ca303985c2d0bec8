"""Journeys read loyalty on a real PostgreSQL, a real broker and a real webhook receiver: a published
`loyalty.tier_changed` to gold starts a journey with that trigger, whose webhook reads the member's loyalty facts
and whose `points` action publishes `loyalty.points_requested` once per action id; the facts keep the latest tier
and balance by event time, honour erasure, and another workspace's loyalty events never touch them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import orjson
import pytest

from contracts.topics import JOURNEY_ACTIONS, LOYALTY_EVENTS, PROFILE_LIFECYCLE
from tests.helpers import read_topic, wait_for
from tests.integration.conftest import MovableClock, RunningService, new_workspace
from tests.integration.journey_context import START, active_journey, clock, clock_at_start, journey, publish_keyed
from tests.webhook_receiver import running_receiver

__all__ = ["clock", "clock_at_start", "journey"]  # the module's clock and running service (fixtures)


def loyalty(
    ws: str, customer_id: str, event_type: str, at: dt.datetime, event_id: str | None = None, **data: Any
) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id or f"{event_type}:{uuid.uuid4().hex[:8]}",
        "source": "flywheel.loyalty",
        "type": event_type,
        "time": at.isoformat(),
        "workspace": ws,
        "data": {"customer_id": customer_id, "program_version": 1, **data},
    }


def tier_changed(
    ws: str, customer_id: str, current: str, balance: int, at: dt.datetime = START, event_id: str | None = None
) -> dict[str, Any]:
    doc: dict[str, Any] = loyalty(
        ws, customer_id, "loyalty.tier_changed", at, event_id, balance=balance, previous="silver", current=current,
        direction="up", qualifying_value="1520.00", reason=f"qualifying spend reached {current}",
    )  # fmt: skip
    return doc


def earned(ws: str, customer_id: str, balance: int, at: dt.datetime) -> dict[str, Any]:
    doc: dict[str, Any] = loyalty(
        ws, customer_id, "loyalty.points_earned", at, balance=balance, entry_id=f"earn:order:{uuid.uuid4().hex[:6]}",
        points=10, reason="purchase",
    )  # fmt: skip
    return doc


GOLD_JOURNEY: dict[str, Any] = {
    "name": "Welcome to gold",
    "trigger": {
        "type": "event",
        "event": "loyalty.tier_changed",
        "conditions": {"field": "data.current", "op": "eq", "value": "gold"},
    },
    "entry_step": "welcome",
    "steps": {
        "welcome": {
            "type": "action",
            "action": {
                "kind": "webhook",
                "channel": "email",
                "template": "Welcome to {{loyalty.tier}}: you hold {{loyalty.balance}} points.",
            },
            "next": "bonus",
        },
        "bonus": {
            "type": "action",
            "action": {"kind": "points", "points": 500, "reason": "gold welcome bonus"},
            "next": "done",
        },
        "done": {"type": "exit"},
    },
    "settings": {"reentry": "always", "timezone": "UTC"},
}


def points_request_of(record: Any, ws: str, customer_id: str) -> bool:
    if record.key != f"{ws}:{customer_id}".encode():
        return False
    return bool(orjson.loads(record.value)["type"] == "loyalty.points_requested")


async def loyalty_facts(journey: RunningService, ws: str, customer_id: str) -> dict[str, Any] | None:
    async with journey.app.state.runtime.pool.acquire() as conn:
        found: dict[str, Any] | None = await conn.fetchval(
            "SELECT loyalty FROM customer_facts WHERE workspace = $1 AND customer_id = $2", ws, customer_id
        )
    return found


async def test_a_tier_change_to_gold_starts_the_journey_whose_points_are_requested_once(
    journey: RunningService, topics: str
) -> None:
    ws = new_workspace()
    base = f"/internal/v1/workspaces/{ws}"
    channel = await journey.client.put(f"{base}/channel", json={"webhook_url": "http://127.0.0.1:9/none"})
    assert channel.status_code == 200, channel.text
    async with running_receiver(channel.json()["secret"]) as receiver:
        receiver.tolerance_s = 365 * 86400
        assert (await journey.client.put(f"{base}/channel", json={"webhook_url": receiver.url})).status_code == 200
        journey_id = await active_journey(journey, ws, GOLD_JOURNEY)

        # Silver does not start it; gold does, and the message reads the member's loyalty facts.
        await publish_keyed(topics, LOYALTY_EVENTS, [tier_changed(ws, "g1", "silver", 300)])
        gold = tier_changed(ws, "g1", "gold", 1200, START + dt.timedelta(minutes=1), event_id=f"tier:{uuid.uuid4()}")
        await publish_keyed(topics, LOYALTY_EVENTS, [gold])
        await receiver.wait_for_count(1, within=30)
        (welcome,) = receiver.received
        assert welcome.body["customer_id"] == "g1" and welcome.body["journey"]["id"] == journey_id
        assert welcome.body["message"] == "Welcome to gold: you hold 1200 points."

        requests = await read_topic(
            topics,
            JOURNEY_ACTIONS,
            expect=1,
            match=lambda r: (
                r.key == f"{ws}:g1".encode() and orjson.loads(r.value)["type"] == "loyalty.points_requested"
            ),
        )
        request = orjson.loads(requests[0].value)
        assert request["data"]["points"] == 500 and request["data"]["reason"] == "gold welcome bonus"
        assert request["data"]["journey_id"] == journey_id and request["data"]["step_id"] == "bonus"
        assert request["id"].endswith(":bonus:points-1")

        # The same tier change delivered again (same id): the same enrolment, nothing performed twice. A later
        # event of the member, behind it in the partition, shows the redelivery was handled.
        marker = earned(ws, "g1", 1210, START + dt.timedelta(minutes=2))
        await publish_keyed(topics, LOYALTY_EVENTS, [gold, marker])

        async def marker_seen() -> dict[str, Any] | None:
            facts = await loyalty_facts(journey, ws, "g1")
            return facts if facts and facts.get("balance") == 1210 else None

        await wait_for(marker_seen, what="the marker folded into the facts")

        async def relayed() -> bool:
            async with journey.app.state.runtime.pool.acquire() as conn:
                left = await conn.fetchval("SELECT count(*) FROM flywheel_outbox WHERE topic = $1", JOURNEY_ACTIONS)
            return bool(left == 0)

        await wait_for(relayed, what="the outbox relayed")
        with pytest.raises(AssertionError, match=r"found 1$"):
            await read_topic(
                topics,
                JOURNEY_ACTIONS,
                expect=2,
                within=3,
                match=lambda r: (
                    r.key == f"{ws}:g1".encode() and orjson.loads(r.value)["type"] == "loyalty.points_requested"
                ),
            )
        assert len(receiver.received) == 1 and receiver.duplicates == 0
        stats = (await journey.client.get(f"{base}/journeys/{journey_id}/stats")).json()
        assert stats["entered"] == 1


async def test_facts_keep_the_latest_loyalty_by_event_time_per_workspace_and_forget_an_erased_member(
    journey: RunningService, topics: str
) -> None:
    ws, other = new_workspace(), new_workspace()
    await publish_keyed(
        topics,
        LOYALTY_EVENTS,
        [
            tier_changed(ws, "f1", "gold", 900, START + dt.timedelta(hours=1)),
            earned(ws, "f1", 100, START),  # older, arriving late: the balance stays 900
            tier_changed(other, "f1", "bronze", 5, START + dt.timedelta(hours=2)),  # another tenant, same id
        ],
    )

    async def both() -> tuple[dict[str, Any], dict[str, Any]] | None:
        mine, theirs = await loyalty_facts(journey, ws, "f1"), await loyalty_facts(journey, other, "f1")
        return (mine, theirs) if mine and theirs and mine.get("balance") is not None else None

    async def settled() -> tuple[dict[str, Any], dict[str, Any]] | None:
        found = await both()
        events = await journey_counts(journey, ws, "f1")
        return found if found and events.get("loyalty.points_earned") == 1 else None

    mine, theirs = await wait_for(settled, what="both workspaces' facts")
    assert (mine["tier"], mine["balance"]) == ("gold", 900)
    assert (theirs["tier"], theirs["balance"]) == ("bronze", 5)

    erased = {
        "specversion": "1.0",
        "id": f"profile.erased:{uuid.uuid4().hex[:8]}",
        "source": "flywheel.profile",
        "type": "profile.erased",
        "time": START.isoformat(),
        "workspace": ws,
        "data": {"customer_id": "f1", "erased_ids": ["f1"]},
    }
    await publish_keyed(topics, PROFILE_LIFECYCLE, [erased], customer_id="f1")

    async def gone() -> bool:
        return await loyalty_facts(journey, ws, "f1") is None

    await wait_for(gone, what="the erased member's facts gone")
    # A loyalty event of the erased member arriving later does not bring the facts back; the other tenant's stay.
    late = earned(ws, "f1", 950, START + dt.timedelta(hours=3))
    theirs_later = earned(other, "f1", 7, START + dt.timedelta(hours=3))
    await publish_keyed(topics, LOYALTY_EVENTS, [late, theirs_later], partition=0)  # in this order

    async def theirs_moved() -> dict[str, Any] | None:
        facts = await loyalty_facts(journey, other, "f1")
        return facts if facts and facts.get("balance") == 7 else None

    await wait_for(theirs_moved, what="the other tenant's later event")
    assert await loyalty_facts(journey, ws, "f1") is None


async def journey_counts(journey: RunningService, ws: str, customer_id: str) -> dict[str, int]:
    async with journey.app.state.runtime.pool.acquire() as conn:
        counts: dict[str, int] | None = await conn.fetchval(
            "SELECT event_counts FROM customer_facts WHERE workspace = $1 AND customer_id = $2", ws, customer_id
        )
    return counts or {}


def expiring(ws: str, customer_id: str, points: int, balance: int, at: dt.datetime = START) -> dict[str, Any]:
    doc: dict[str, Any] = loyalty(
        ws, customer_id, "loyalty.points_expiring", at, f"expiring:{customer_id}:{uuid.uuid4().hex[:6]}",
        balance=balance, lot_id=f"earn:order:{customer_id}-1", points=points, expires_at="2026-06-30T21:59:59+00:00",
    )  # fmt: skip
    return doc


async def test_the_points_expiring_reminder_tells_when_and_reminds_only_who_did_not_redeem(
    journey: RunningService, clock: MovableClock, topics: str
) -> None:
    ws = new_workspace()
    base = f"/internal/v1/workspaces/{ws}"
    channel = await journey.client.put(f"{base}/channel", json={"webhook_url": "http://127.0.0.1:9/none"})
    async with running_receiver(channel.json()["secret"]) as receiver:
        receiver.tolerance_s = 365 * 86400
        assert (await journey.client.put(f"{base}/channel", json={"webhook_url": receiver.url})).status_code == 200
        created = await journey.client.post(f"{base}/journey-templates/points_expiring_reminder", json={})
        assert created.status_code == 201, created.text
        journey_id = created.json()["journey_id"]
        assert (await journey.client.post(f"{base}/journeys/{journey_id}/activate")).status_code == 200

        await publish_keyed(topics, LOYALTY_EVENTS, [expiring(ws, "x1", 120, 400), expiring(ws, "x2", 80, 80)])
        await receiver.wait_for_count(2, within=30)
        notices = {r.body["customer_id"]: r.body["message"] for r in receiver.received}
        assert notices["x1"] == (
            "Hi there, 120 of your points expire on 2026-06-30T21:59:59+00:00: use them on your next order."
        )
        assert notices["x2"].startswith("Hi there, 80 of your points expire on")

        # x2 redeems: the goal. Three days on, only x1 is reminded.
        redeemed = loyalty(
            ws, "x2", "loyalty.points_redeemed", START + dt.timedelta(hours=2), balance=0, entry_id="redeem:rd_x2",
            redemption_id="rd_x2", points=80, order_id="o-x2", value="0.80", currency="EUR",
        )  # fmt: skip
        await publish_keyed(topics, LOYALTY_EVENTS, [redeemed])

        async def converted() -> dict[str, Any] | None:
            stats: dict[str, Any] = (await journey.client.get(f"{base}/journeys/{journey_id}/stats")).json()
            return stats if stats["converted"] == 1 else None

        await wait_for(converted, what="x2 converted")
        clock.advance(dt.timedelta(days=3, minutes=1))
        await receiver.wait_for_count(3, within=30)
        reminder = receiver.received[-1].body
        assert reminder["customer_id"] == "x1" and reminder["step"] == "reminder"
        assert "Your balance: 400 points." in reminder["message"]
