"""Segment conditions on event counts (`events.<type>.count`, with a `within_last` window) on the real scoring
service, PostgreSQL and broker: custom events of a workspace's tracking plan counted per customer, type and hour;
a window leaves older ones out; a merge adds the merged customer's counts to the survivor's; a replayed batch counts
nothing twice; another workspace's events never count."""

from __future__ import annotations

from typing import Any

from contracts.topics import RESOLVED
from tests.helpers import merged_event, publish, wait_for
from tests.integration.conftest import SCORING_NOW, RunningService, new_workspace
from tests.integration.test_scoring_service import publish_lifecycle, resolved

CONDITION = {"field": "events.cart_abandoned.count", "op": "gte", "value": 2, "within_last": "7d"}


def cart(ws: str, customer_id: str, days_ago: float, event_id: str | None = None) -> Any:
    return resolved("cart_abandoned", ws, customer_id, {"cart": {"total": 5}}, days_ago, event_id=event_id)


async def members(service: RunningService, ws: str, segment_id: str) -> list[str]:
    page = (await service.client.get(f"/internal/v1/workspaces/{ws}/segments/{segment_id}/members")).json()
    return sorted(m["customer_id"] for m in page["items"])


async def test_event_counts_in_a_window_make_members_and_follow_merges(scoring: RunningService, topics: str) -> None:
    ws, other = new_workspace(), new_workspace()
    created = await scoring.client.post(
        f"/internal/v1/workspaces/{ws}/segments", json={"name": "Abandoners", "condition": CONDITION}
    )
    assert created.status_code == 201, created.text
    assert created.json()["condition"] == CONDITION
    segment_id = created.json()["segment_id"]

    twice = [cart(ws, "twice", 1, "e1"), cart(ws, "twice", 2, "e2")]
    await publish(topics, RESOLVED, [*twice, *twice])  # replayed: counted once
    await publish(topics, RESOLVED, [cart(ws, "old", 9), cart(ws, "old", 10), cart(ws, "once", 1), cart(ws, "half", 1)])
    await publish(topics, RESOLVED, [cart(other, "once", 1), cart(other, "once", 2)])  # another workspace's
    await publish(topics, RESOLVED, [resolved("visit", ws, "half", {"channel": "web"}, 1)])  # another type

    async def only_twice() -> list[str] | None:
        found = await members(scoring, ws, segment_id)
        return found if found == ["twice"] else None

    await wait_for(only_twice, within=60, what="the customer with two carts in the window")

    await publish_lifecycle(topics, ws, "once", merged_event(ws, "once", "half", SCORING_NOW))

    async def merged() -> list[str] | None:
        await publish(topics, RESOLVED, [resolved("visit", ws, "once", {"channel": "web"}, 0.5)])  # re-evaluates
        found = await members(scoring, ws, segment_id)
        return found if found == ["once", "twice"] else None

    await wait_for(merged, within=60, interval=1, what="the survivor holding both customers' carts")
    fields = (await scoring.client.get(f"/internal/v1/workspaces/{ws}/segment-fields")).json()
    assert any(f["field"] == "events.<type>.count" for f in (fields["items"] if isinstance(fields, dict) else fields))
