"""Scoring reads loyalty on a real PostgreSQL and a real broker: loyalty events set each member's
`loyalty.balance` and `loyalty.tier` (the latest by event time), segments on them gain and lose members (announced
as segment.entered / exited), merges keep the later of the two, an erasure lasts, and another workspace's loyalty
events never touch this one's."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import orjson
from aiokafka import AIOKafkaProducer

from contracts.topics import LOYALTY_EVENTS, PROFILE_LIFECYCLE, SCORING_CHANGES
from tests.helpers import kafka_options, merged_event, read_topic, wait_for
from tests.integration.conftest import SCORING_NOW, RunningService, new_workspace


def loyalty(ws: str, customer_id: str, event_type: str, hours_ago: float, **data: Any) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"{event_type}:{uuid.uuid4().hex[:8]}",
        "source": "flywheel.loyalty",
        "type": event_type,
        "time": (SCORING_NOW - dt.timedelta(hours=hours_ago)).isoformat(),
        "workspace": ws,
        "data": {"customer_id": customer_id, "program_version": 1, **data},
    }


def tier_changed(ws: str, customer_id: str, current: str | None, balance: int, hours_ago: float) -> dict[str, Any]:
    return loyalty(
        ws, customer_id, "loyalty.tier_changed", hours_ago, balance=balance, previous=None, current=current,
        direction="up" if current else "down", qualifying_value="1500.00", reason=f"reached {current}",
    )  # fmt: skip


def earned(ws: str, customer_id: str, balance: int, hours_ago: float) -> dict[str, Any]:
    return loyalty(
        ws, customer_id, "loyalty.points_earned", hours_ago, balance=balance,
        entry_id=f"earn:order:{uuid.uuid4().hex[:6]}", points=10, reason="purchase",
    )  # fmt: skip


async def publish_in_order(bootstrap: str, topic: str, docs: list[dict[str, Any]], key_id: str | None = None) -> None:
    """Keyed `<workspace>:<customer_id>` as loyalty keys them, all in partition 0 in the order given (a later one
    shows the earlier ones were handled)."""
    producer = AIOKafkaProducer(**kafka_options(bootstrap), acks="all")
    await producer.start()
    try:
        for doc in docs:
            key = f"{doc['workspace']}:{key_id or doc['data']['customer_id']}".encode()
            await producer.send_and_wait(topic, orjson.dumps(doc), key=key, partition=0)
    finally:
        await producer.stop()


async def loyalty_of(scoring: RunningService, ws: str, customer_id: str) -> tuple[int | None, str | None] | None:
    """(balance, tier) as scoring holds them; None: no row for the customer."""
    async with scoring.app.state.runtime.pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT loyalty_balance, loyalty_tier FROM customers WHERE workspace = $1 AND customer_id = $2",
            ws,
            customer_id,
        )
    return None if row is None else (row["loyalty_balance"], row["loyalty_tier"])


async def members(scoring: RunningService, ws: str, segment_id: str) -> list[str]:
    page = (await scoring.client.get(f"/internal/v1/workspaces/{ws}/segments/{segment_id}/members")).json()
    return sorted(m["customer_id"] for m in page["items"])


async def segment(scoring: RunningService, ws: str, name: str, condition: dict[str, Any]) -> str:
    created = await scoring.client.post(
        f"/internal/v1/workspaces/{ws}/segments", json={"name": name, "condition": condition}
    )
    assert created.status_code == 201, created.text
    segment_id: str = created.json()["segment_id"]
    return segment_id


def change(ws: str, event_type: str, customer_id: str, segment_id: str) -> Any:
    def match(record: Any) -> bool:
        doc = orjson.loads(record.value)
        return bool(
            doc["workspace"] == ws
            and doc["type"] == event_type
            and doc["data"]["customer_id"] == customer_id
            and doc["data"]["segment_id"] == segment_id
        )

    return match


async def until(scoring: RunningService, ws: str, customer_id: str, expected: Any) -> Any:
    async def probe() -> Any:
        found = await loyalty_of(scoring, ws, customer_id)
        return found if found == expected else None

    return await wait_for(probe, what=f"{customer_id}'s loyalty to be {expected}")


async def test_loyalty_events_set_balance_and_tier_and_move_segment_members(
    scoring: RunningService, topics: str
) -> None:
    ws, other = new_workspace(), new_workspace()
    gold = await segment(scoring, ws, "Gold members", {"field": "loyalty.tier", "op": "eq", "value": "gold"})
    rich = await segment(scoring, ws, "1000 points", {"field": "loyalty.balance", "op": "gte", "value": 1000})
    assert await members(scoring, ws, gold) == []

    # A member scoring never saw reaches gold with 1200 points: both segments gain them.
    await publish_in_order(topics, LOYALTY_EVENTS, [tier_changed(ws, "m1", "gold", 1200, 5)])
    await read_topic(topics, SCORING_CHANGES, expect=1, match=change(ws, "segment.entered", "m1", gold))
    await read_topic(topics, SCORING_CHANGES, expect=1, match=change(ws, "segment.entered", "m1", rich))
    assert await loyalty_of(scoring, ws, "m1") == (1200, "gold")

    # An older event arriving late changes nothing; another workspace's event of the same id touches only its own;
    # a later event for someone else, behind them in the partition, shows both were handled.
    await publish_in_order(
        topics,
        LOYALTY_EVENTS,
        [
            earned(ws, "m1", 40, 48),
            tier_changed(other, "m1", "bronze", 3, 1),
            earned(ws, "marker", 1, 1),
        ],
    )
    await until(scoring, ws, "marker", (1, None))
    assert await loyalty_of(scoring, ws, "m1") == (1200, "gold")
    assert await loyalty_of(scoring, other, "m1") == (3, "bronze")
    assert await members(scoring, ws, gold) == ["m1"]
    theirs = await scoring.client.get(f"/internal/v1/workspaces/{other}/segments/{gold}/members")
    assert theirs.status_code == 404  # another workspace neither sees this one's segment nor lands in it

    # Points redeemed later: below 1000, the member leaves that segment and stays gold.
    redeemed = loyalty(
        ws, "m1", "loyalty.points_redeemed", 2, balance=700, entry_id="redeem:rd_1", redemption_id="rd_1",
        points=500, order_id="o-9", value="5.00", currency="EUR",
    )  # fmt: skip
    await publish_in_order(topics, LOYALTY_EVENTS, [redeemed])
    await read_topic(topics, SCORING_CHANGES, expect=1, match=change(ws, "segment.exited", "m1", rich))
    assert await loyalty_of(scoring, ws, "m1") == (700, "gold")
    assert await members(scoring, ws, gold) == ["m1"] and await members(scoring, ws, rich) == []

    # No tier reached any more after grace (current null): the tier is cleared and the member leaves gold; an
    # older tier change arriving late does not bring it back.
    await publish_in_order(topics, LOYALTY_EVENTS, [tier_changed(ws, "m1", None, 700, 1.5)])
    await read_topic(topics, SCORING_CHANGES, expect=1, match=change(ws, "segment.exited", "m1", gold))
    assert await loyalty_of(scoring, ws, "m1") == (700, None)
    await publish_in_order(topics, LOYALTY_EVENTS, [tier_changed(ws, "m1", "gold", 700, 4), earned(ws, "marker", 2, 1)])
    await until(scoring, ws, "marker", (2, None))
    assert await loyalty_of(scoring, ws, "m1") == (700, None) and await members(scoring, ws, gold) == []


async def test_a_merge_keeps_the_later_loyalty_and_an_erasure_lasts(scoring: RunningService, topics: str) -> None:
    ws = new_workspace()
    gold = await segment(scoring, ws, "Gold members", {"field": "loyalty.tier", "op": "eq", "value": "gold"})
    await publish_in_order(
        topics,
        LOYALTY_EVENTS,
        [tier_changed(ws, "s1", "silver", 300, 10), tier_changed(ws, "d1", "gold", 900, 3)],
    )
    await until(scoring, ws, "d1", (900, "gold"))
    await until(scoring, ws, "s1", (300, "silver"))

    await publish_in_order(topics, PROFILE_LIFECYCLE, [merged_event(ws, "s1", "d1", SCORING_NOW)], key_id="s1")
    await until(scoring, ws, "s1", (900, "gold"))  # the merged customer's tier and balance were the later ones
    assert await loyalty_of(scoring, ws, "d1") is None
    await read_topic(topics, SCORING_CHANGES, expect=1, match=change(ws, "segment.entered", "s1", gold))
    # A late event of the merged id follows the merge to the survivor (the latest by time still wins).
    await publish_in_order(topics, LOYALTY_EVENTS, [earned(ws, "d1", 950, 1)])
    await until(scoring, ws, "s1", (950, "gold"))

    erased = {
        "specversion": "1.0",
        "id": f"profile.erased:{uuid.uuid4().hex[:8]}",
        "source": "flywheel.profile",
        "type": "profile.erased",
        "time": SCORING_NOW.isoformat(),
        "workspace": ws,
        "data": {"customer_id": "s1", "erased_ids": ["s1", "d1"]},
    }
    await publish_in_order(topics, PROFILE_LIFECYCLE, [erased], key_id="s1")

    async def gone() -> bool:
        return await loyalty_of(scoring, ws, "s1") is None

    await wait_for(gone, what="the erased member forgotten")
    assert await members(scoring, ws, gold) == []
    # A loyalty event of the erased member arriving later does not bring them back.
    await publish_in_order(topics, LOYALTY_EVENTS, [earned(ws, "s1", 5, 0.5), earned(ws, "marker2", 1, 0.5)])
    await until(scoring, ws, "marker2", (1, None))
    assert await loyalty_of(scoring, ws, "s1") is None
