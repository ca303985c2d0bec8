"""Journey honours `profile.unmerged`: both customers' facts, messages sent and enrolments are what they were
before the merge (field by field): the enrolment the merge ended ("merged into") is waiting again at its step
with its timer, and the journey's numbers are what they were; a redelivered undo changes nothing, and an undo
in one workspace leaves another's merge alone."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from contracts.topics import PROFILE_LIFECYCLE, RESOLVED, SCORING_CHANGES
from services.journey.store import FOLDED
from tests.helpers import publish, wait_for
from tests.integration.conftest import RunningService
from tests.integration.journey_context import START, clock, clock_at_start, journey, publish_keyed
from tests.integration.test_consent_delivery import consent
from tests.integration.test_journey_service import dormant
from tests.integration.unmerge_state import has_snapshot, marker, merged, rows_of, unmerged

__all__ = ["clock", "clock_at_start", "journey"]  # the module's clock and running service (fixtures)

# When an enrolment row was last written: the fold's move stamps it (what it holds goes back, not the stamp).
IGNORED = ["enrolments.updated_at"]


async def _state(service: RunningService, ws: str) -> dict[str, Any]:
    return await rows_of(service.settings.database_url, ws, FOLDED, ignore=IGNORED)


async def _both_enrolled(journey: RunningService, topics: str) -> tuple[str, str]:
    """A workspace where s1 and m1 are both waiting in the dormant reactivation journey; returns it and the
    journey's id."""
    ws = f"ws-{uuid.uuid4().hex[:10]}"
    base = f"/internal/v1/workspaces/{ws}"
    created = await journey.client.post(f"{base}/journey-templates/dormant_reactivation", json={})
    journey_id = str(created.json()["journey_id"])
    await journey.client.post(f"{base}/journeys/{journey_id}/activate")
    await publish_keyed(topics, SCORING_CHANGES, [dormant(ws, "s1", START), dormant(ws, "m1", START)])

    async def enrolled() -> bool:
        state = await _state(journey, ws)
        return len([e for e in state["enrolments"] if e["status"] == "waiting"]) == 2

    await wait_for(enrolled, what="both enrolled")
    return ws, journey_id


async def _stats(journey: RunningService, ws: str, journey_id: str) -> dict[str, Any]:
    body: dict[str, Any] = (
        await journey.client.get(f"/internal/v1/workspaces/{ws}/journeys/{journey_id}/stats")
    ).json()
    return body


async def test_an_undone_merge_revives_the_enrolment_it_ended_at_its_step_with_its_timer(
    journey: RunningService, topics: str
) -> None:
    ws, journey_id = await _both_enrolled(journey, topics)
    before = await _state(journey, ws)
    stats = await _stats(journey, ws, journey_id)
    await publish_keyed(topics, PROFILE_LIFECYCLE, [merged(ws, "s1", "m1", "m_1", START)], customer_id="s1")

    async def ended() -> bool:
        state = await _state(journey, ws)
        return any(e["end_reason"] == "merged into s1" for e in state["enrolments"])

    await wait_for(ended, what="m1's enrolment ended by the merge")
    undo = unmerged(ws, "s1", "m1", "m_1", START)
    await publish_keyed(topics, PROFILE_LIFECYCLE, [undo], customer_id="s1")

    async def restored() -> dict[str, Any] | None:
        state = await _state(journey, ws)
        return state if not state["flywheel_merged_customers"] else None

    assert await wait_for(restored, what="the merge undone") == before
    assert await _stats(journey, ws, journey_id) == stats
    page = await journey.client.get(f"/internal/v1/workspaces/{ws}/customers/m1/enrolments")
    assert [(e["journey_id"], e["status"]) for e in page.json()] == [(journey_id, "waiting")]

    again = unmerged(ws, "s1", "m1", "m_1", START)
    await publish_keyed(topics, PROFILE_LIFECYCLE, [undo, again, marker(ws, START)], customer_id="s1")
    await wait_for(lambda: has_snapshot(journey.settings.database_url, ws, "m_probe"), what="the marker merge")
    assert await _state(journey, ws) == before


async def test_an_undo_naming_another_workspaces_merge_changes_nothing_there(
    journey: RunningService, topics: str
) -> None:
    victim, _ = await _both_enrolled(journey, topics)
    await publish_keyed(topics, PROFILE_LIFECYCLE, [merged(victim, "s1", "m1", "m_v", START)], customer_id="s1")
    await wait_for(lambda: has_snapshot(journey.settings.database_url, victim, "m_v"), what="the victim's merge")
    folded = await _state(journey, victim)
    attacker = f"ws-{uuid.uuid4().hex[:10]}"
    hostile = [unmerged(attacker, "s1", "m1", "m_v", START), marker(attacker, START)]
    await publish_keyed(topics, PROFILE_LIFECYCLE, hostile, customer_id="s1")
    await wait_for(lambda: has_snapshot(journey.settings.database_url, attacker, "m_probe"), what="attacker's events")
    assert await _state(journey, victim) == folded


async def test_an_undone_merge_gives_both_customers_their_consent_back(journey: RunningService, topics: str) -> None:
    """Consent (state, history, identifier hashes) is folded by a merge (the later change wins) and comes back on
    the undo: s1 subscribed, m1 unsubscribed later; merged, s1 is unsubscribed; undone, each has their own again."""
    ws = f"ws-{uuid.uuid4().hex[:10]}"
    base = f"/internal/v1/workspaces/{ws}"
    group = {"name": "Newsletter", "channel": "email", "default": "opt_in"}
    assert (await journey.client.put(f"{base}/subscription-groups/newsletter", json=group)).status_code == 200
    changes = [
        consent(ws, "s1", "newsletter", "subscribed", START - dt.timedelta(hours=2)),
        consent(ws, "m1", "newsletter", "unsubscribed", START - dt.timedelta(hours=1)),
    ]
    await publish(topics, RESOLVED, changes)

    async def both_known() -> dict[str, Any] | None:
        state = await _state(journey, ws)
        ready = len(state["consent_state"]) == 2 and len(state["customer_identifier_hashes"]) == 2
        return state if ready else None

    before = await wait_for(both_known, what="both customers' consent")
    views = {c: (await journey.client.get(f"{base}/customers/{c}/consent")).json() for c in ("s1", "m1")}
    await publish_keyed(topics, PROFILE_LIFECYCLE, [merged(ws, "s1", "m1", "m_c", START)], customer_id="s1")

    async def folded() -> dict[str, Any] | None:
        state = await _state(journey, ws)
        return state if {r["customer_id"] for r in state["consent_state"]} == {"s1"} else None

    state = await wait_for(folded, what="the consent folded into s1")
    assert [(r["customer_id"], r["status"]) for r in state["consent_state"]] == [("s1", "unsubscribed")]
    undo = unmerged(ws, "s1", "m1", "m_c", START)
    await publish_keyed(topics, PROFILE_LIFECYCLE, [undo], customer_id="s1")

    async def restored() -> dict[str, Any] | None:
        state = await _state(journey, ws)
        return state if not state["flywheel_merged_customers"] else None

    assert await wait_for(restored, what="the merge undone") == before
    assert {c: (await journey.client.get(f"{base}/customers/{c}/consent")).json() for c in ("s1", "m1")} == views


async def test_consent_changes_taken_in_since_the_merge_go_back_with_their_events(
    journey: RunningService, topics: str
) -> None:
    """m1 re-subscribes after the merge (its event resolved to s1, the survivor); the undo names that event among
    the restored ones: the change goes back to m1, whose state is subscribed again, and s1 keeps its own."""
    ws = f"ws-{uuid.uuid4().hex[:10]}"
    base = f"/internal/v1/workspaces/{ws}"
    group = {"name": "Newsletter", "channel": "email", "default": "opt_in"}
    assert (await journey.client.put(f"{base}/subscription-groups/newsletter", json=group)).status_code == 200
    await publish(
        topics,
        RESOLVED,
        [
            consent(ws, "s1", "newsletter", "unsubscribed", START - dt.timedelta(hours=2)),
            consent(ws, "m1", "newsletter", "unsubscribed", START - dt.timedelta(hours=1)),
        ],
    )

    async def states() -> dict[str, list[tuple[str, str]]]:
        state = await _state(journey, ws)
        history = sorted((r["customer_id"], r["event_id"]) for r in state["consent_history"])
        return {"state": sorted((r["customer_id"], r["status"]) for r in state["consent_state"]), "history": history}

    await wait_for(lambda: _when(states, lambda s: len(s["state"]) == 2), what="both customers' consent")
    await publish_keyed(topics, PROFILE_LIFECYCLE, [merged(ws, "s1", "m1", "m_c", START)], customer_id="s1")
    await wait_for(lambda: _when(states, lambda s: len(s["state"]) == 1), what="the consent folded into s1")
    since = consent(ws, "s1", "newsletter", "subscribed", START + dt.timedelta(minutes=5))  # m1's, resolved to s1
    await publish(topics, RESOLVED, [since])
    await wait_for(lambda: _when(states, lambda s: s["state"] == [("s1", "subscribed")]), what="the change since")

    undo = unmerged(ws, "s1", "m1", "m_c", START + dt.timedelta(minutes=10), [since["id"]])
    await publish_keyed(topics, PROFILE_LIFECYCLE, [undo], customer_id="s1")
    found = await wait_for(
        lambda: _when(states, lambda s: len(s["state"]) == 2), what="both customers' consent given back"
    )
    assert found["state"] == [("m1", "subscribed"), ("s1", "unsubscribed")]
    assert [c for c, e in found["history"] if e == since["id"]] == ["m1"]
    assert sorted(c for c, _ in found["history"]) == ["m1", "m1", "s1"]


async def _when(probe: Any, ready: Any) -> Any:
    found = await probe()
    return found if ready(found) else None
