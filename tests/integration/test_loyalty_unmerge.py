"""Loyalty honours `profile.unmerged`: both members and their ledgers are what they were before the merge
(field by field, but the two 0-point `unmerge:` entries that record it), each side's change is announced, the
survivor keeps what it earned after the merge, a redelivered undo changes nothing, and an undo in one
workspace leaves another's merge alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from contracts.topics import PROFILE_LIFECYCLE, RESOLVED
from services.loyalty.store import FOLDED
from tests.helpers import publish, wait_for
from tests.integration.conftest import RunningService, new_workspace
from tests.integration.test_loyalty_ledger import (
    T0,
    ada_and_bob,
    entry_recorded,
    loyalty,
    loyalty_events,
    order_recorded,
    purchase,
)
from tests.integration.unmerge_state import has_snapshot, marker, merged, rows_of, unmerged

__all__ = ["loyalty"]  # the module's running service (a fixture)

LATER = T0 + dt.timedelta(minutes=10)


async def _state(service: RunningService, ws: str) -> dict[str, Any]:
    """The workspace's members and ledger rows, but the entries that record an undo."""
    found = await rows_of(service.settings.database_url, ws, FOLDED, ignore=["entries.recorded_at"])
    found["entries"] = [e for e in found["entries"] if not e["entry_id"].startswith("unmerge:")]
    return found


async def _two_members(loyalty: RunningService, topics: str) -> str:
    ws = await ada_and_bob(loyalty, topics)

    async def birthday() -> bool:
        return any(m["birthday_month"] == 3 for m in (await _state(loyalty, ws))["members"])

    await wait_for(birthday, what="bob's birthday")
    return ws


async def _merge_and_undo(loyalty: RunningService, topics: str, ws: str, after_merge: list[Any]) -> dict[str, Any]:
    await publish(topics, PROFILE_LIFECYCLE, [merged(ws, "ada", "bob", "m_1", LATER)])
    await wait_for(lambda: entry_recorded(loyalty, ws, "merge:bob"), what="the merge")
    if after_merge:
        await publish(topics, RESOLVED, after_merge)
        await wait_for(lambda: order_recorded(loyalty, ws, "o-3"), what="ada's purchase after the merge")
    await publish(topics, PROFILE_LIFECYCLE, [unmerged(ws, "ada", "bob", "m_1", LATER + dt.timedelta(minutes=5))])

    async def restored() -> dict[str, Any] | None:
        state = await _state(loyalty, ws)
        return state if not state["flywheel_merged_customers"] else None

    return await wait_for(restored, what="the merge undone")


async def test_an_undone_merge_gives_both_members_their_ledgers_back_field_by_field(
    loyalty: RunningService, topics: str
) -> None:
    ws = await _two_members(loyalty, topics)
    before = await _state(loyalty, ws)
    assert await _merge_and_undo(loyalty, topics, ws, []) == before
    adjusted = await loyalty_events(topics, ws, "loyalty.points_adjusted", expect=3)
    undone = sorted(
        (e["data"]["customer_id"], e["data"]["points"], e["data"]["balance"])
        for e in adjusted
        if e["data"]["entry_id"].startswith("unmerge:")  # the merge's own is on another partition, in any order
    )
    assert undone == [("ada", -50, 100), ("bob", 50, 50)]

    # Redelivered, or a second undo event of the merge: nothing changes.
    again = unmerged(ws, "ada", "bob", "m_1", LATER + dt.timedelta(minutes=6))
    await publish(topics, PROFILE_LIFECYCLE, [again, marker(ws, LATER)])
    await wait_for(lambda: has_snapshot(loyalty.settings.database_url, ws, "m_probe"), what="the marker merge")
    assert await _state(loyalty, ws) == before


async def test_the_survivor_keeps_what_it_earned_after_the_merge(loyalty: RunningService, topics: str) -> None:
    ws = await _two_members(loyalty, topics)
    before = await _state(loyalty, ws)
    after = await _merge_and_undo(loyalty, topics, ws, [purchase(ws, "ada", "o-3", "7.00", 20)])
    members = {m["customer_id"]: m for m in after["members"]}
    was = {m["customer_id"]: m for m in before["members"]}
    assert members["bob"] == was["bob"]
    assert (members["ada"]["balance"], members["ada"]["debt"]) == (was["ada"]["balance"] + 7, 0)
    assert {o["order_id"]: o["customer_id"] for o in after["orders"]} == {"o-1": "ada", "o-2": "bob", "o-3": "ada"}
    # A merge of the same two members after the undo is applied again (the first merge's entry went).
    await publish(topics, PROFILE_LIFECYCLE, [merged(ws, "ada", "bob", "m_2", LATER + dt.timedelta(hours=1))])
    await wait_for(lambda: entry_recorded(loyalty, ws, "merge:bob"), what="the second merge")


async def test_an_undo_naming_another_workspaces_merge_changes_nothing_there(
    loyalty: RunningService, topics: str
) -> None:
    victim = await _two_members(loyalty, topics)
    await publish(topics, PROFILE_LIFECYCLE, [merged(victim, "ada", "bob", "m_v", LATER)])
    await wait_for(lambda: entry_recorded(loyalty, victim, "merge:bob"), what="the victim's merge")
    folded = await _state(loyalty, victim)
    attacker = new_workspace()
    await publish(topics, PROFILE_LIFECYCLE, [unmerged(attacker, "ada", "bob", "m_v", LATER), marker(attacker, LATER)])
    await wait_for(lambda: has_snapshot(loyalty.settings.database_url, attacker, "m_probe"), what="attacker's events")
    assert await _state(loyalty, victim) == folded
