"""Referral honours `profile.unmerged`: codes, touches, purchases, attributions and rewards of both customers
are what they were before the merge (field by field), rewards the fold reversed are announced granted again,
a redelivered undo changes nothing, and an undo in one workspace leaves another's merge alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from contracts.topics import PROFILE_LIFECYCLE
from runtime.merge_undo import merge_id_of
from services.referral.lifecycle_store import FOLDED
from tests.helpers import publish, wait_for
from tests.integration.conftest import RunningService
from tests.integration.test_referral_service import (
    T0,
    _when,
    bob_buys_with_adas_code,
    referral,
    referral_events,
    referrals,
    statuses,
)
from tests.integration.unmerge_state import has_snapshot, marker, merged, rows_of, unmerged

__all__ = ["referral"]  # the module's running service (a fixture)


async def _state(service: RunningService, ws: str) -> dict[str, Any]:
    return await rows_of(service.settings.database_url, ws, FOLDED)


async def test_an_undone_merge_gives_referrer_and_friend_back_their_rewards_field_by_field(
    referral: RunningService, topics: str
) -> None:
    ws = await bob_buys_with_adas_code(referral, topics)
    await wait_for(lambda: _when(referrals(referral, ws, "ada"), lambda b: statuses(b) == ["granted"]), what="reward")
    await wait_for(lambda: _when(referrals(referral, ws, "bob"), lambda b: statuses(b) == ["granted"]), what="bob's")
    before = await _state(referral, ws)
    views = {c: await referrals(referral, ws, c) for c in ("ada", "bob")}

    await publish(topics, PROFILE_LIFECYCLE, [merged(ws, "ada", "bob", "m_1", T0 + dt.timedelta(days=2))])
    await wait_for(
        lambda: _when(referrals(referral, ws, "ada"), lambda b: statuses(b) == ["reversed", "reversed"]),
        what="rewards reversed by the merge",
    )
    undo = unmerged(ws, "ada", "bob", "m_1", T0 + dt.timedelta(days=3))
    await publish(topics, PROFILE_LIFECYCLE, [undo])

    async def restored() -> bool:
        return await _state(referral, ws) == before

    await wait_for(restored, what="both customers' rows as before the merge")
    assert {c: await referrals(referral, ws, c) for c in ("ada", "bob")} == views
    granted = await referral_events(topics, ws, "referral.reward_granted", expect=4)
    assert sum(e["id"].endswith(":unmerged:m_1") for e in granted) == 2

    # The same undo again (redelivered, or a second event for the merge) changes nothing.
    again = unmerged(ws, "ada", "bob", "m_1", T0 + dt.timedelta(days=3))
    await publish(topics, PROFILE_LIFECYCLE, [undo, again])
    await publish(topics, PROFILE_LIFECYCLE, [marker(ws, T0)])  # a marker behind them
    await wait_for(lambda: _has_snapshot(referral, ws, "m_probe"), what="the marker merge applied")
    assert await _state(referral, ws) == before


async def _has_snapshot(service: RunningService, ws: str, merge_id: str) -> bool:
    return await has_snapshot(service.settings.database_url, ws, merge_id)


async def test_an_undo_naming_another_workspaces_merge_changes_nothing_there(
    referral: RunningService, topics: str
) -> None:
    victim = await bob_buys_with_adas_code(referral, topics)
    await wait_for(lambda: _when(referrals(referral, victim, "ada"), lambda b: statuses(b) == ["granted"]), what="rw")
    await publish(topics, PROFILE_LIFECYCLE, [merged(victim, "ada", "bob", "m_victim", T0 + dt.timedelta(days=2))])
    await wait_for(
        lambda: _when(referrals(referral, victim, "ada"), lambda b: statuses(b) == ["reversed", "reversed"]),
        what="the victim's merge",
    )
    merged_state = await _state(referral, victim)
    attacker = await bob_buys_with_adas_code(referral, topics)
    hostile = unmerged(attacker, "ada", "bob", "m_victim", T0 + dt.timedelta(days=3))
    await publish(topics, PROFILE_LIFECYCLE, [hostile, marker(attacker, T0)])
    await wait_for(lambda: _has_snapshot(referral, attacker, "m_probe"), what="the attacker's events applied")
    assert await _state(referral, victim) == merged_state


async def test_a_merge_without_merge_id_is_undone_by_the_pair(referral: RunningService, topics: str) -> None:
    ws = await bob_buys_with_adas_code(referral, topics)
    await wait_for(lambda: _when(referrals(referral, ws, "ada"), lambda b: statuses(b) == ["granted"]), what="reward")
    await wait_for(lambda: _when(referrals(referral, ws, "bob"), lambda b: statuses(b) == ["granted"]), what="bob's")
    before = await _state(referral, ws)
    legacy = merged(ws, "ada", "bob", "unused", T0 + dt.timedelta(days=2))
    del legacy["data"]["merge_id"]
    await publish(topics, PROFILE_LIFECYCLE, [legacy])
    await wait_for(lambda: _has_snapshot(referral, ws, merge_id_of("ada", "bob", None)), what="the legacy merge")
    await publish(topics, PROFILE_LIFECYCLE, [unmerged(ws, "ada", "bob", "m_given_later", T0 + dt.timedelta(days=3))])

    async def restored() -> bool:
        return await _state(referral, ws) == before

    await wait_for(restored, what="the legacy merge undone")
