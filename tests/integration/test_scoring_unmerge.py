"""Scoring honours `profile.unmerged`: both customers' history, scores and segment memberships are what they
were before the merge (field by field, rows and scores API), the memberships that change are announced, a
redelivered undo changes nothing, and an undo in one workspace leaves another's merge alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import asyncpg
import orjson

from contracts.topics import RESOLVED, SCORING_CHANGES
from services.scoring.merge_store import FOLDED
from tests.helpers import publish, read_topic, wait_for
from tests.integration.conftest import SCORING_NOW, RunningService, new_workspace
from tests.integration.test_scoring_service import (
    changes,
    orders_scored,
    publish_lifecycle,
    purchase,
    resolved,
    scores_of,
)
from tests.integration.unmerge_state import has_snapshot, marker, merged, rows_of, unmerged


async def _state(service: RunningService, ws: str) -> dict[str, Any]:
    """Every row, but when each customer was last scored (the wall clock's time of the latest re-scoring)."""
    return await rows_of(service.settings.database_url, ws, FOLDED, ignore=["customers.scored_at"])


async def _scores(service: RunningService, ws: str) -> dict[str, Any]:
    """Both customers' scores as the API answers, but when they were computed (`as_of`)."""
    found = {c: await scores_of(service, ws, c) or {} for c in ("sv", "ms")}
    return {c: {k: v for k, v in body.items() if k != "as_of"} for c, body in found.items()}


async def _segment(service: RunningService, ws: str, name: str, field: str, value: Any) -> str:
    condition = {"all": [{"field": field, "op": "gte", "value": value}]}
    created = await service.client.post(
        f"/internal/v1/workspaces/{ws}/segments", json={"name": name, "condition": condition}
    )
    assert created.status_code == 201, created.text
    return str(created.json()["segment_id"])


async def _two_customers(scoring: RunningService, topics: str) -> tuple[str, str, str]:
    """A workspace where `ms` (one order of 25) is a big spender and `sv` (one order of 10) is not; neither is
    a repeat buyer (once merged, sv is both). Returns it and the two segments' ids (repeat buyers, big spenders)."""
    ws = new_workspace()
    repeat = await _segment(scoring, ws, "Repeat buyers", "stats.orders", 2)
    big = await _segment(scoring, ws, "Big spenders", "stats.revenue", 20)
    await publish(topics, RESOLVED, [purchase(ws, "sv", "10.00", 30, "o-sv"), purchase(ws, "ms", "25.00", 3, "o-ms")])
    await wait_for(lambda: orders_scored(scoring, ws, 2), what="both purchases scored")
    await read_topic(topics, SCORING_CHANGES, expect=1, match=changes(ws, "segment.entered", "ms"))
    return ws, repeat, big


async def test_an_undone_merge_gives_both_customers_their_history_scores_and_segments_back(
    scoring: RunningService, topics: str
) -> None:
    ws, repeat, big = await _two_customers(scoring, topics)
    before = await _state(scoring, ws)
    assert {r["customer_id"] for r in before["event_counts"]} == {"sv", "ms"}  # folded, and given back
    scores = await _scores(scoring, ws)
    await publish_lifecycle(topics, ws, "sv", merged(ws, "sv", "ms", "m_1", SCORING_NOW))
    await read_topic(topics, SCORING_CHANGES, expect=2, match=changes(ws, "segment.entered", "sv"))  # both
    undo = unmerged(ws, "sv", "ms", "m_1", SCORING_NOW + dt.timedelta(minutes=1))
    await publish_lifecycle(topics, ws, "sv", undo)

    async def restored() -> dict[str, Any] | None:
        state = await _state(scoring, ws)
        return state if not state["flywheel_merged_customers"] else None

    assert await wait_for(restored, what="the merge undone") == before
    assert await _scores(scoring, ws) == scores
    exits = await read_topic(topics, SCORING_CHANGES, expect=3, match=changes(ws, "segment.exited"))
    assert sorted((d["customer_id"], d["segment_id"]) for d in (orjson.loads(r.value)["data"] for r in exits)) == [
        ("ms", big),  # by the merge
        *sorted([("sv", big), ("sv", repeat)]),  # by the undo: sv was in them only through ms's order
    ]
    entries = await read_topic(topics, SCORING_CHANGES, expect=2, match=changes(ws, "segment.entered", "ms"))
    assert [orjson.loads(r.value)["data"]["segment_id"] for r in entries] == [big, big]  # again by the undo

    # Redelivered, or a second undo event of the merge: nothing changes.
    again = unmerged(ws, "sv", "ms", "m_1", SCORING_NOW + dt.timedelta(minutes=2))
    for doc in (undo, again, marker(ws, SCORING_NOW)):
        await publish_lifecycle(topics, ws, "sv", doc)
    await wait_for(lambda: has_snapshot(scoring.settings.database_url, ws, "m_probe"), what="the marker merge")
    assert await _state(scoring, ws) == before
    assert await _scores(scoring, ws) == scores


async def test_an_undo_naming_another_workspaces_merge_changes_nothing_there(
    scoring: RunningService, topics: str
) -> None:
    victim, _, _ = await _two_customers(scoring, topics)
    await publish_lifecycle(topics, victim, "sv", merged(victim, "sv", "ms", "m_v", SCORING_NOW))
    await wait_for(lambda: has_snapshot(scoring.settings.database_url, victim, "m_v"), what="the victim's merge")
    folded = await _state(scoring, victim)
    attacker = new_workspace()
    for doc in (unmerged(attacker, "sv", "ms", "m_v", SCORING_NOW), marker(attacker, SCORING_NOW)):
        await publish_lifecycle(topics, attacker, "sv", doc)
    await wait_for(lambda: has_snapshot(scoring.settings.database_url, attacker, "m_probe"), what="attacker's events")
    assert await _state(scoring, victim) == folded


async def _answers(service: RunningService, ws: str) -> dict[str, Any]:
    conn = await asyncpg.connect(service.settings.database_url)
    try:
        answers = await conn.fetch("SELECT event_id, customer_id FROM nps_answers WHERE workspace = $1", ws)
        last = await conn.fetch("SELECT customer_id, last_nps FROM customers WHERE workspace = $1", ws)
    finally:
        await conn.close()
    return {
        "answers": {r["event_id"]: r["customer_id"] for r in answers},
        "last_nps": {r["customer_id"]: r["last_nps"] for r in last},
    }


async def test_an_answer_the_restored_customer_gave_after_the_merge_goes_back_to_it(
    scoring: RunningService, topics: str
) -> None:
    ws, _, _ = await _two_customers(scoring, topics)
    await publish_lifecycle(topics, ws, "sv", merged(ws, "sv", "ms", "m_1", SCORING_NOW))
    await wait_for(lambda: has_snapshot(scoring.settings.database_url, ws, "m_1"), what="the merge")
    theirs = resolved("survey", ws, "ms", {"nps": 2}, 1, event_id="survey-of-ms")  # resolved to sv since
    own = resolved("survey", ws, "sv", {"nps": 9}, 0.5, event_id="survey-of-sv")
    await publish(topics, RESOLVED, [theirs, own])

    async def answered() -> dict[str, Any] | None:
        found = await _answers(scoring, ws)
        return found if len(found["answers"]) == 2 else None

    assert (await wait_for(answered, what="both answers"))["answers"] == {"survey-of-ms": "sv", "survey-of-sv": "sv"}
    undo = unmerged(ws, "sv", "ms", "m_1", SCORING_NOW, event_ids=["survey-of-ms"])
    await publish_lifecycle(topics, ws, "sv", undo)

    async def restored() -> dict[str, Any] | None:
        found = await _answers(scoring, ws)
        return found if found["answers"]["survey-of-ms"] == "ms" else None

    found = await wait_for(restored, what="the answer back with ms")
    assert found == {
        "answers": {"survey-of-ms": "ms", "survey-of-sv": "sv"},
        "last_nps": {"ms": 2, "sv": 9},  # each one's latest answer
    }
