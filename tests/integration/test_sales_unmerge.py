"""Sales honours `profile.unmerged`: both customers' signals, categories, owner, deals and tasks are what they
were before the merge (field by field), a deal moved after the merge goes back with its new stage, a
redelivered undo changes nothing, and an undo in one workspace leaves another's merge alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import asyncpg

from contracts.topics import PROFILE_LIFECYCLE, RESOLVED
from services.sales.signal_store import FOLDED
from tests.helpers import wait_for
from tests.integration.conftest import MovableClock, RunningService
from tests.integration.test_sales_service import clock, move, resolved, sales, send, workspace
from tests.integration.unmerge_state import has_snapshot, marker, merged, rows_of, unmerged

__all__ = ["clock", "sales"]  # the module's clock and running service (fixtures)


async def _state(service: RunningService, ws: str) -> dict[str, Any]:
    return await rows_of(service.settings.database_url, ws, FOLDED)


async def _has_snapshot(service: RunningService, ws: str, merge_id: str) -> bool:
    return await has_snapshot(service.settings.database_url, ws, merge_id)


async def _two_customers(sales: RunningService, topics: str, clock: MovableClock) -> tuple[str, str]:
    """A workspace where m1 has a deal (with its SOP tasks), a visit, a purchase and an owner, and s9 a visit
    and another owner; returns it and m1's deal."""
    ws = workspace()
    base = f"/internal/v1/workspaces/{ws}"
    body = {"customer_id": "m1", "title": "Espresso upgrade", "amount": "300", "currency": "EUR"}
    deal_id = str((await sales.client.post(f"{base}/deals", json=body)).json()["deal_id"])
    assert (await move(sales, ws, deal_id, "contacted", override="called")).status_code == 200
    for customer, owner in (("m1", "olga"), ("s9", "ana")):
        assert (await sales.client.put(f"{base}/customers/{customer}/owner", json={"owner": owner})).status_code < 300
    items = [{"sku": "b1", "category": "coffee", "quantity": 1, "unit_price": "30"}]
    events = [
        ("m1", resolved(ws, "m1", "visit", {"channel": "web"}, clock.now)),
        ("m1", resolved(ws, "m1", "purchase", {"order_id": "o-1", "amount": "30", "items": items}, clock.now)),
        ("s9", resolved(ws, "s9", "visit", {"channel": "app"}, clock.now)),
    ]
    await send(topics, RESOLVED, ws, events)

    async def signals() -> bool:
        conn = await asyncpg.connect(sales.settings.database_url)
        try:
            count = await conn.fetchval("SELECT count(*) FROM customer_categories WHERE workspace = $1", ws)
            visits = await conn.fetchval("SELECT count(*) FROM customer_signals WHERE workspace = $1", ws)
        finally:
            await conn.close()
        return bool(count == 1 and visits == 2)

    await wait_for(signals, what="both customers' signals")
    return ws, deal_id


async def test_an_undone_merge_gives_both_customers_their_deals_tasks_and_signals_back(
    sales: RunningService, topics: str, clock: MovableClock
) -> None:
    ws, deal_id = await _two_customers(sales, topics, clock)
    before = await _state(sales, ws)
    await send(topics, PROFILE_LIFECYCLE, ws, [("s9", merged(ws, "s9", "m1", "m_1", clock.now))])
    base = f"/internal/v1/workspaces/{ws}"

    async def folded() -> bool:
        items = (await sales.client.get(f"{base}/customers/s9/deals")).json()["items"]
        return bool(items)

    await wait_for(folded, what="m1's deal folded into s9")
    lost = await sales.client.post(f"{base}/deals/{deal_id}/lost", json={"reason": "budget"})
    assert lost.status_code == 200, lost.text  # after the merge: stays
    moved = await _state(sales, ws)
    undo = unmerged(ws, "s9", "m1", "m_1", clock.now + dt.timedelta(hours=1))
    await send(topics, PROFILE_LIFECYCLE, ws, [("s9", undo)])

    def deal_rows(state: dict[str, Any]) -> dict[str, Any]:
        return {d["deal_id"]: d for d in state["deals"]}

    async def restored() -> dict[str, Any] | None:
        state = await _state(sales, ws)
        return state if state["flywheel_merged_customers"] == [] else None

    after = await wait_for(restored, what="the merge undone")
    assert {k: v for k, v in after.items() if k != "deals"} == {k: v for k, v in before.items() if k != "deals"}
    assert deal_rows(after)[deal_id] == {**deal_rows(moved)[deal_id], "customer_id": "m1"}
    assert deal_rows(after)[deal_id]["status"] == "lost" != deal_rows(before)[deal_id]["status"]
    deals = (await sales.client.get(f"{base}/customers/m1/deals")).json()["items"]
    assert [d["deal_id"] for d in deals] == [deal_id]

    # Redelivered, or a second undo event of the merge: nothing changes.
    again = unmerged(ws, "s9", "m1", "m_1", clock.now + dt.timedelta(hours=2))
    await send(
        topics,
        PROFILE_LIFECYCLE,
        ws,
        [("s9", undo), ("s9", again), ("s9", marker(ws, clock.now))],
    )
    await wait_for(lambda: _has_snapshot(sales, ws, "m_probe"), what="the marker merge behind them")
    assert await _state(sales, ws) == after


async def test_an_undo_naming_another_workspaces_merge_changes_nothing_there(
    sales: RunningService, topics: str, clock: MovableClock
) -> None:
    victim, _ = await _two_customers(sales, topics, clock)
    await send(topics, PROFILE_LIFECYCLE, victim, [("s9", merged(victim, "s9", "m1", "m_v", clock.now))])
    await wait_for(lambda: _has_snapshot(sales, victim, "m_v"), what="the victim's merge")
    folded = await _state(sales, victim)
    attacker = workspace()
    hostile = [
        ("s9", unmerged(attacker, "s9", "m1", "m_v", clock.now)),
        ("s9", marker(attacker, clock.now)),
    ]
    await send(topics, PROFILE_LIFECYCLE, attacker, hostile)
    await wait_for(lambda: _has_snapshot(sales, attacker, "m_probe"), what="the attacker's events applied")
    assert await _state(sales, victim) == folded
