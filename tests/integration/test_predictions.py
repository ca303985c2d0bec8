"""Acting on predictions on real PostgreSQL and a real broker: scoring announces p_alive and predicted CLV as they
move (`scores.changed`, naming the values it announced before), and a journey's `score_crossed` trigger enrols a
customer once per crossing of its threshold, only in its own workspace."""

from __future__ import annotations

import datetime as dt
import uuid
from itertools import pairwise
from typing import Any

import orjson

from contracts.topics import RESOLVED, SCORING_CHANGES
from tests.helpers import publish, read_topic, wait_for
from tests.integration.conftest import RunningService
from tests.integration.journey_context import START, clock, journey, publish_keyed
from tests.integration.test_scoring_service import changes, purchase

__all__ = ["clock", "journey"]  # the journey service fixture, shared


async def test_scoring_announces_p_alive_and_predicted_clv_with_what_it_announced_before(
    scoring: RunningService, topics: str
) -> None:
    ws = f"ws-{uuid.uuid4().hex[:10]}"
    first = purchase(ws, "c1", "40.00", 200, order_id="o1")
    # The first purchase and the same event again (a redelivery): one announcement.
    await publish(topics, RESOLVED, [first, first])
    await read_topic(topics, SCORING_CHANGES, expect=1, match=changes(ws, "scores.changed", "c1"))
    # A second purchase (a batch of its own): the next, then the first redelivered once more (nothing new).
    await publish(topics, RESOLVED, [purchase(ws, "c1", "90.00", 20, order_id="o2"), first])
    records = await read_topic(topics, SCORING_CHANGES, expect=2, match=changes(ws, "scores.changed", "c1"))
    announced = [orjson.loads(r.value)["data"] for r in records]
    assert "previous_p_alive" not in announced[0] and "previous_predicted_clv" not in announced[0]  # null: a first
    assert 0 < announced[0]["p_alive"] <= 1
    # The second names what the first announced: a journey sees every crossing between the two.
    assert (announced[1]["previous_p_alive"], announced[1]["previous_predicted_clv"]) == (
        announced[0]["p_alive"],
        announced[0]["predicted_clv"],
    )
    assert announced[1]["predicted_clv"] != announced[0]["predicted_clv"]
    scores = (await scoring.client.get(f"/internal/v1/workspaces/{ws}/customers/c1/scores")).json()
    assert scores["ltv"]["predicted_12m"] == announced[1]["predicted_clv"]


def scores_changed(ws: str, customer_id: str, previous: float | None, current: float) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"scores.changed:{uuid.uuid4().hex}",
        "source": "flywheel.scoring",
        "type": "scores.changed",
        "time": START.isoformat(),
        "workspace": ws,
        "data": {"customer_id": customer_id, "previous_p_alive": previous, "p_alive": current},
    }


CROSSED = {
    "name": "Save the fading",
    "trigger": {"type": "score_crossed", "score": "p_alive", "op": "lt", "value": 0.3},
    "entry_step": "tag",
    "steps": {"tag": {"type": "action", "action": {"kind": "tag", "tag": "fading"}, "next": "done"},
              "done": {"type": "exit"}},
    "settings": {"reentry": "always", "timezone": "UTC"},
}  # fmt: skip


async def test_a_score_crossed_trigger_enrols_once_per_crossing_in_its_own_workspace(
    journey: RunningService,
    topics: str,
) -> None:
    ws, other = (f"ws-{uuid.uuid4().hex[:10]}" for _ in range(2))
    base = f"/internal/v1/workspaces/{ws}"
    created = await journey.client.post(f"{base}/journeys", json=CROSSED)
    assert created.status_code == 201, created.text
    journey_id = created.json()["journey_id"]
    assert (await journey.client.post(f"{base}/journeys/{journey_id}/activate")).status_code == 200

    walk = [None, 0.8, 0.29, 0.25, 0.2, 0.45, 0.1]  # crosses below 0.3 twice
    steps = [scores_changed(ws, "k1", a, b) for a, b in pairwise(walk) if b is not None]
    # Another workspace's customer of the same id crosses too: nothing of it reaches this workspace's journey.
    await publish_keyed(topics, SCORING_CHANGES, [scores_changed(other, "k1", 0.5, 0.1)])
    await publish_keyed(topics, SCORING_CHANGES, steps)
    # After k1's walk (same key, in order), a sentinel customer crosses once.
    await publish_keyed(topics, SCORING_CHANGES, [scores_changed(ws, "k2", 0.9, 0.05)])

    async def entered(customer_id: str, count: int) -> list[dict[str, Any]] | None:
        page = await journey.client.get(f"{base}/customers/{customer_id}/enrolments")
        items: list[dict[str, Any]] = page.json() if page.status_code == 200 else []
        return items if len(items) == count else None

    await wait_for(lambda: entered("k2", 1), what="the sentinel enrolled")
    enrolments = await wait_for(lambda: entered("k1", 2), what="k1 enrolled once per crossing")
    assert {e["journey_id"] for e in enrolments} == {journey_id}
    stats = (await journey.client.get(f"{base}/journeys/{journey_id}/stats")).json()
    assert stats["entered"] == 3
    other_page = await journey.client.get(f"/internal/v1/workspaces/{other}/customers/k1/enrolments")
    assert other_page.status_code in (200, 404) and (other_page.json() if other_page.status_code == 200 else []) == []
    assert dt.datetime.fromisoformat(enrolments[0]["entered_at"]) >= START
