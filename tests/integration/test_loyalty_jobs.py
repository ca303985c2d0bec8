"""Loyalty's jobs on the real service and PostgreSQL, on a moved clock: lots expire with the exact ledger (and
once), the expiry notice goes out once per lot, a tier is lowered after its anniversary and grace period, and a
workspace whose part of a round fails does not stop another's."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import orjson
import pytest
from prometheus_client import REGISTRY

from contracts.topics import LOYALTY_EVENTS
from devstack.postgres import LocalPostgres
from services.loyalty import due_store
from services.loyalty.expiry_store import Due
from services.loyalty.jobs import LoyaltyJobs
from tests.helpers import read_topic
from tests.integration.loyalty_points import (
    PROGRAM,
    START,
    Loyalty,
    SeedLot,
    base,
    ledger,
    new_workspace,
    put_program,
    running_loyalty,
    seed_member,
)

DAY = dt.timedelta(days=1)


@pytest.fixture(scope="module")
async def loyalty(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[Loyalty]:
    async with running_loyalty(postgres, topics, broker_kind, loyalty_job_interval_seconds=10**6) as running:
        yield running


@pytest.fixture(autouse=True)
def clock_back(loyalty: Loyalty) -> None:
    loyalty.clock.now = START


def _records_of(workspace: str, customer: str) -> bytes:
    return f"{workspace}:{customer}".encode()


async def test_due_lots_expire_once_with_the_exact_ledger(loyalty: Loyalty, topics: str) -> None:
    workspace, customer = new_workspace(), "c-1"
    await put_program(loyalty.pool, workspace)
    await seed_member(
        loyalty.pool,
        workspace,
        customer,
        [
            SeedLot("earn:order:old", 100, START - 360 * DAY, START + DAY),
            SeedLot("earn:order:new", 50, START - 300 * DAY, START + 40 * DAY),
            SeedLot("journey:j1", 30, START - 400 * DAY, None),
        ],
    )
    jobs = LoyaltyJobs(loyalty.context, batch=1)  # one lot a round: the rounds go on until nothing is due
    before = await ledger(loyalty.pool, workspace)
    await jobs.expire()
    assert await ledger(loyalty.pool, workspace) == before

    expired_before = REGISTRY.get_sample_value("flywheel_loyalty_points_total", {"kind": "expired"}) or 0.0
    loyalty.clock.advance(2 * DAY)
    assert await jobs.expire() >= 1
    expired_after = REGISTRY.get_sample_value("flywheel_loyalty_points_total", {"kind": "expired"}) or 0.0
    assert expired_after - expired_before == 100
    after = await ledger(loyalty.pool, workspace)
    assert after["members"][customer]["balance"] == 80
    assert {k: v["remaining"] for k, v in after["lots"].items()} == {
        "earn:order:old": 0,
        "earn:order:new": 50,
        "journey:j1": 30,
    }
    assert after["entries"]["expire:earn:order:old"] == {
        "entry_id": "expire:earn:order:old",
        "customer_id": customer,
        "kind": "expire",
        "points": -100,
        "reason": "expiry",
        "order_id": None,
    }
    assert after["totals"] == [{"day": (START + DAY).date(), "earned": 0, "redeemed": 0, "expired": 100}]
    await jobs.expire()
    assert await ledger(loyalty.pool, workspace) == after  # once

    (record,) = await read_topic(
        topics,
        LOYALTY_EVENTS,
        expect=1,
        match=lambda r: r.key == _records_of(workspace, customer) and b"points_expired" in r.value,
    )
    expired = orjson.loads(record.value)
    assert expired["id"] == "loyalty.points_expired:expire:earn:order:old"
    assert expired["data"] == {
        "customer_id": customer,
        "balance": 80,
        "program_version": 1,
        "entry_id": "expire:earn:order:old",
        "lot_id": "earn:order:old",
        "points": 100,
    }
    view = (await loyalty.client.get(f"{base(workspace)}/customers/{customer}/points")).json()
    assert (view["balance"], [lot["lot_id"] for lot in view["lots"]]) == (80, ["earn:order:new", "journey:j1"])


async def test_the_expiry_notice_goes_out_once_per_lot(loyalty: Loyalty, topics: str) -> None:
    workspace, customer = new_workspace(), "c-2"
    await put_program(loyalty.pool, workspace)  # notice 30 days before
    await seed_member(
        loyalty.pool,
        workspace,
        customer,
        [
            SeedLot("earn:order:soon", 70, START - 300 * DAY, START + 40 * DAY),
            SeedLot("earn:order:later", 20, START - 200 * DAY, START + 90 * DAY),
        ],
    )
    jobs = LoyaltyJobs(loyalty.context)
    await jobs.notify()
    assert not [lot for lot in (await _notified(loyalty, workspace)).values() if lot]

    loyalty.clock.advance(12 * DAY)  # 28 days before the first lot expires
    assert await jobs.notify() >= 1
    notified = await _notified(loyalty, workspace)
    assert notified == {"earn:order:soon": START + 12 * DAY, "earn:order:later": None}
    loyalty.clock.advance(DAY)
    await jobs.notify()
    assert await _notified(loyalty, workspace) == notified  # once per lot

    (record,) = await read_topic(
        topics,
        LOYALTY_EVENTS,
        expect=1,
        match=lambda r: r.key == _records_of(workspace, customer) and b"points_expiring" in r.value,
    )
    expiring = orjson.loads(record.value)
    assert expiring["id"] == "loyalty.points_expiring:earn:order:soon"
    assert expiring["data"]["points"] == 70 and expiring["data"]["balance"] == 90
    assert dt.datetime.fromisoformat(expiring["data"]["expires_at"]) == START + 40 * DAY


async def _notified(loyalty: Loyalty, workspace: str) -> dict[str, dt.datetime | None]:
    rows = await loyalty.pool.fetch("SELECT lot_id, notified_at FROM lots WHERE workspace = $1", workspace)
    return {r["lot_id"]: r["notified_at"] for r in rows}


async def test_a_tier_is_lowered_after_its_anniversary_and_grace(loyalty: Loyalty, topics: str) -> None:
    workspace, customer = new_workspace(), "c-gold"
    await put_program(loyalty.pool, workspace)  # spend basis: silver 500, gold 1500; 30 days of grace
    await seed_member(
        loyalty.pool,
        workspace,
        customer,
        [SeedLot("earn:order:t", 10, START - 100 * DAY, None)],
        tier="gold",
        tier_since=START - 366 * DAY,
        tier_anniversary=START - DAY,
    )
    await loyalty.pool.execute(
        """INSERT INTO orders (workspace, order_id, customer_id, amount, currency, points, refunded, at)
           VALUES ($1, 'o-1', $2, 700, 'EUR', 700, 100, $3), ($1, 'o-old', $2, 5000, 'EUR', 0, 0, $4)""",
        workspace,
        customer,
        START - 100 * DAY,
        START - 400 * DAY,  # outside the 12 months' window
    )
    jobs = LoyaltyJobs(loyalty.context)
    await jobs.review()
    member = await _tier(loyalty, workspace, customer)
    assert member == ("gold", START - DAY, START - DAY + 30 * DAY)  # below gold: the grace period starts

    loyalty.clock.advance(10 * DAY)
    await jobs.review()
    assert await _tier(loyalty, workspace, customer) == member  # still in grace

    loyalty.clock.advance(25 * DAY)
    await jobs.review()
    tier, _, grace = await _tier(loyalty, workspace, customer)
    assert (tier, grace) == ("silver", None)
    view = (await loyalty.client.get(f"{base(workspace)}/customers/{customer}/points")).json()
    assert view["tier"]["current"] == "silver" and Decimal(view["tier"]["qualifying_value"]) == 600
    assert view["tier"]["next_tier"] == "gold" and Decimal(view["tier"]["to_next_tier"]) == 900

    (record,) = await read_topic(
        topics,
        LOYALTY_EVENTS,
        expect=1,
        match=lambda r: r.key == _records_of(workspace, customer) and b"tier_changed" in r.value,
    )
    changed = orjson.loads(record.value)["data"]
    assert (changed["previous"], changed["current"], changed["direction"]) == ("gold", "silver", "down")
    assert Decimal(changed["qualifying_value"]) == 600 and changed["balance"] == 10


async def test_a_member_reaching_no_tier_after_grace_loses_it_with_an_event(loyalty: Loyalty, topics: str) -> None:
    workspace, customer = new_workspace(), "c-lost"
    tiers = PROGRAM["tiers"] | {"ladder": [t for t in PROGRAM["tiers"]["ladder"] if t["name"] != "member"]}
    await put_program(loyalty.pool, workspace, PROGRAM | {"tiers": tiers})  # silver 500, gold 1500: none at 0
    await seed_member(
        loyalty.pool,
        workspace,
        customer,
        [SeedLot("earn:order:t", 10, START - 100 * DAY, None)],
        tier="silver",
        tier_since=START - 406 * DAY,
        tier_anniversary=START - 41 * DAY,  # grace (30 days) over too
    )
    await LoyaltyJobs(loyalty.context).review()
    assert await _tier(loyalty, workspace, customer) == (None, None, None)
    view = (await loyalty.client.get(f"{base(workspace)}/customers/{customer}/points")).json()
    assert view["tier"]["current"] is None and view["tier"]["next_tier"] == "silver"

    (record,) = await read_topic(
        topics,
        LOYALTY_EVENTS,
        expect=1,
        match=lambda r: r.key == _records_of(workspace, customer) and b"tier_changed" in r.value,
    )
    changed = orjson.loads(record.value)["data"]
    assert (changed["previous"], changed.get("current"), changed["direction"]) == ("silver", None, "down")
    assert changed["reason"].endswith("no tier") and changed["balance"] == 10


async def _tier(
    loyalty: Loyalty, workspace: str, customer: str
) -> tuple[str | None, dt.datetime | None, dt.datetime | None]:
    row = await loyalty.pool.fetchrow(
        "SELECT tier, tier_anniversary, tier_grace_until FROM members WHERE workspace = $1 AND customer_id = $2",
        workspace,
        customer,
    )
    assert row is not None
    return row["tier"], row["tier_anniversary"], row["tier_grace_until"]


def _failures(job: str) -> float:
    return REGISTRY.get_sample_value("flywheel_loyalty_job_failures_total", {"job": job}) or 0.0


async def test_a_failing_workspace_does_not_stop_another_workspaces_jobs(loyalty: Loyalty) -> None:
    broken, healthy = new_workspace(), new_workspace()
    await put_program(loyalty.pool, broken, {"name": "not a program the rules accept"})
    await put_program(loyalty.pool, healthy)
    for workspace in (broken, healthy):
        await seed_member(loyalty.pool, workspace, "c-1", [SeedLot("earn:order:x", 40, START - 400 * DAY, START - DAY)])
    failures = _failures("expiry")

    jobs = LoyaltyJobs(loyalty.context, batch=1)
    await jobs.expire()
    assert (await ledger(loyalty.pool, healthy))["members"]["c-1"]["balance"] == 0
    assert (await ledger(loyalty.pool, broken))["members"]["c-1"]["balance"] == 40  # left for the next run
    assert _failures("expiry") > failures

    await put_program(loyalty.pool, broken)  # repaired: the next run expires its lot too
    await jobs.expire()
    assert (await ledger(loyalty.pool, broken))["members"]["c-1"]["balance"] == 0


async def test_holds_of_every_workspace_are_released_in_rounds(loyalty: Loyalty) -> None:
    workspaces = [new_workspace() for _ in range(3)]
    for workspace in workspaces:
        await put_program(loyalty.pool, workspace)
        await seed_member(loyalty.pool, workspace, "c-1", [SeedLot("earn:order:h", 500, START - DAY, None)])
        for order in ("a", "b"):
            body = {"points": 100, "order_id": order}
            answer = await loyalty.client.post(f"{base(workspace)}/customers/c-1/points/redemptions", json=body)
            assert answer.status_code == 201
    loyalty.clock.advance(dt.timedelta(hours=1))
    await LoyaltyJobs(loyalty.context, batch=2).release()
    for workspace in workspaces:
        state = await ledger(loyalty.pool, workspace)
        assert state["members"]["c-1"]["held"] == 0 and state["members"]["c-1"]["balance"] == 500
        assert {r["status"] for r in state["redemptions"].values()} == {"released"}


async def test_a_workspace_with_much_due_does_not_hold_another_back(loyalty: Loyalty) -> None:
    """Rule 4: `slow` has more due lots, holds, expiry notices and tier reviews than several rounds take, all older
    than `quick`'s and its ids first; `quick`'s one of each is done in the first round of each job all the same."""
    suffix = new_workspace()
    slow, quick = f"ws-0{suffix}", f"ws-z{suffix}"
    for workspace in (slow, quick):
        await put_program(loyalty.pool, workspace)
    await seed_member(
        loyalty.pool,
        slow,
        "c-0",
        [SeedLot(f"earn:order:{n:03}", 10, START - 500 * DAY, START - 100 * DAY + n * DAY) for n in range(40)]
        + [SeedLot("earn:order:h", 10_000, START - DAY, None)],
    )
    await seed_member(
        loyalty.pool,
        quick,
        "c-9",
        [SeedLot("earn:order:zz", 30, START - 370 * DAY, START - DAY), SeedLot("earn:order:h", 500, START, None)],
    )
    soon = [SeedLot(f"earn:order:n{n:02}", 1, START - 300 * DAY, START + 10 * DAY + n * DAY) for n in range(12)]
    await seed_member(loyalty.pool, slow, "c-n", soon)  # 12 notices due
    await seed_member(loyalty.pool, quick, "c-n", soon[-1:])
    for workspace, members in ((slow, 12), (quick, 1)):  # tiers reviewed at their anniversary
        for n in range(members):
            await seed_member(
                loyalty.pool, workspace, f"t-{n:02}", [], tier="gold", tier_since=START - 400 * DAY,
                tier_anniversary=START - DAY - dt.timedelta(hours=n if workspace == slow else 0),
            )  # fmt: skip
    for n in range(12):  # older holds than quick's
        answer = await loyalty.client.post(
            f"{base(slow)}/customers/c-0/points/redemptions", json={"points": 10, "order_id": f"o-{n:03}"}
        )
        assert answer.status_code == 201
    loyalty.clock.advance(dt.timedelta(minutes=5))
    answer = await loyalty.client.post(
        f"{base(quick)}/customers/c-9/points/redemptions", json={"points": 100, "order_id": "o-1"}
    )
    assert answer.status_code == 201
    loyalty.clock.advance(dt.timedelta(hours=1))

    jobs = LoyaltyJobs(loyalty.context, batch=8, max_rounds=1)  # 40 due lots and 12 due holds: several rounds
    await jobs.release()
    await jobs.expire()
    await jobs.notify()
    await jobs.review()
    assert (await _notified(loyalty, quick))["earn:order:n11"] is not None
    assert 0 < sum(1 for at in (await _notified(loyalty, slow)).values() if at is not None) < 12
    assert (await _tier(loyalty, quick, "t-00"))[2] is not None  # below gold: its grace started
    graced = [(await _tier(loyalty, slow, f"t-{n:02}"))[2] for n in range(12)]
    assert 0 < sum(1 for grace in graced if grace is not None) < 12
    done = await ledger(loyalty.pool, quick)
    assert done["members"]["c-9"] == {"customer_id": "c-9", "balance": 500, "debt": 0, "held": 0, "tier": None}
    assert {r["status"] for r in done["redemptions"].values()} == {"released"}
    assert done["lots"]["earn:order:zz"]["remaining"] == 0
    behind = await ledger(loyalty.pool, slow)
    assert 0 < sum(1 for r in behind["redemptions"].values() if r["status"] == "released") < 12
    assert 0 < sum(1 for lot in behind["lots"].values() if lot["remaining"] == 0) < 40

    unbounded = LoyaltyJobs(loyalty.context, batch=8)  # the rounds go on until nothing is due
    await unbounded.release()
    await unbounded.expire()
    behind = await ledger(loyalty.pool, slow)
    assert {r["status"] for r in behind["redemptions"].values()} == {"released"}
    assert behind["members"]["c-0"]["balance"] == 10_000 and behind["members"]["c-0"]["held"] == 0


async def test_a_run_expires_past_its_cursor_and_rechecks_lots_changed_after_their_claim(
    loyalty: Loyalty, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run keeps a cursor per workspace on (expires_at, lot_id), so each round's claim starts after the last lot
    it claimed: lots sharing one expiry (the end of one local day) are all taken in turn, none twice. A lot spent
    after its claim (by a redemption, between the claim and the workspace's part) is re-checked when locked: one
    spent in full does not expire, one spent in part expires what is left."""
    workspace = new_workspace()
    await put_program(loyalty.pool, workspace)
    due_at = START - DAY
    for m in range(3):
        lots = [SeedLot(f"earn:order:{m}-{k}", 10 + k, START - 400 * DAY, due_at) for k in range(4)]
        await seed_member(loyalty.pool, workspace, f"c-{m}", lots)
    claimed: list[list[str]] = []
    original = due_store.due_lots

    async def due_lots(*args: Any, **kwargs: Any) -> list[Due]:
        due = await original(*args, **kwargs)
        claimed.append([d.key for d in due if d.workspace == workspace])
        if len(claimed) == 1:  # spent after the claim, before the part locks them
            await loyalty.pool.execute(
                "UPDATE lots SET remaining = CASE lot_id WHEN $2 THEN 0 ELSE 4 END WHERE workspace = $1"
                " AND lot_id = ANY(ARRAY[$2, $3])",
                workspace,
                claimed[0][0],
                claimed[0][1],
            )
        return due

    monkeypatch.setattr(due_store, "due_lots", due_lots)
    jobs = LoyaltyJobs(loyalty.context, batch=2)
    expired = await jobs.expire()
    taken = [key for keys in claimed for key in keys]
    assert sorted(taken) == sorted(f"earn:order:{m}-{k}" for m in range(3) for k in range(4))  # each once
    assert expired == 11
    after = await ledger(loyalty.pool, workspace)
    assert all(lot["remaining"] == 0 for lot in after["lots"].values())
    assert f"expire:{claimed[0][0]}" not in after["entries"]
    assert after["entries"][f"expire:{claimed[0][1]}"]["points"] == -4
