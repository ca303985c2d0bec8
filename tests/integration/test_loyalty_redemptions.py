"""Loyalty's points view and redemptions on the real service and PostgreSQL: a hold confirmed by its order's
purchase (the exact ledger: lots taken expiring first, oldest first), released after hold_minutes, refused when
short (409 with `available`), answered unchanged when asked again for the same order; 100 racing requests for one
member never overspend (its row is locked per redemption); and what another workspace and oversized input get."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest
from prometheus_client import REGISTRY

from contracts.topics import LOYALTY_EVENTS, RESOLVED
from devstack.postgres import LocalPostgres
from runtime.service_tokens import TokenIssuer
from services.loyalty import service
from services.loyalty.jobs import LoyaltyJobs
from tests.helpers import event, publish, read_topic, wait_for
from tests.integration.loyalty_points import (
    PROGRAM,
    START,
    Loyalty,
    Placed,
    SeedLot,
    base,
    ledger,
    new_workspace,
    put_program,
    running_loyalty,
    seed_member,
)

HOLDS = 25
DAY = dt.timedelta(days=1)


@pytest.fixture(scope="module")
async def loyalty(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[Loyalty]:
    async with running_loyalty(
        postgres, topics, broker_kind, quota_loyalty_holds=HOLDS, loyalty_job_interval_seconds=10**6, db_pool_max=20
    ) as running:
        yield running


async def _member_with_lots(loyalty: Loyalty) -> tuple[str, str]:
    workspace, customer = new_workspace(), "c-1"
    await put_program(loyalty.pool, workspace)
    await seed_member(
        loyalty.pool,
        workspace,
        customer,
        [
            SeedLot("earn:order:a", 100, START - 40 * DAY, START + 200 * DAY),
            SeedLot("earn:order:b", 300, START - 20 * DAY, START + 100 * DAY),  # expires first: spent first
            SeedLot("referral:r1", 50, START - 60 * DAY, None),  # never expires: spent last
        ],
    )
    return workspace, customer


async def _redeem(loyalty: Loyalty, workspace: str, customer: str, body: dict[str, Any]) -> Any:
    return await loyalty.client.post(f"{base(workspace)}/customers/{customer}/points/redemptions", json=body)


async def test_a_hold_is_redeemed_by_its_orders_purchase_with_the_exact_ledger(loyalty: Loyalty, topics: str) -> None:
    workspace, customer = await _member_with_lots(loyalty)

    held = await _redeem(loyalty, workspace, customer, {"points": 350, "order_id": "o-9", "order_total": "20.00"})
    assert held.status_code == 201, held.text
    redemption = held.json()
    assert redemption["status"] == "held" and redemption["available"] == 100
    assert (redemption["points"], redemption["value"], redemption["currency"]) == (350, "3.50", "EUR")
    assert redemption["redemption_id"] == service.redemption_id(workspace, customer, "o-9")
    view = (await loyalty.client.get(f"{base(workspace)}/customers/{customer}/points")).json()
    assert (view["balance"], view["available"], view["debt"], view["value"]) == (450, 100, 0, "4.50")
    assert [h["points"] for h in view["holds"]] == [350]
    assert [lot["lot_id"] for lot in view["lots"]] == ["earn:order:b", "earn:order:a", "referral:r1"]

    async with loyalty.context.unit_of_work() as work:
        confirmed = await service.confirm_redemptions(work, workspace, [Placed(customer, "o-9", START + DAY)])
    assert confirmed == 1
    rid = redemption["redemption_id"]
    after = await ledger(loyalty.pool, workspace)
    assert after["members"][customer] | {} == {
        "customer_id": customer,
        "balance": 100,
        "debt": 0,
        "held": 0,
        "tier": None,
    }
    assert {k: v["remaining"] for k, v in after["lots"].items()} == {
        "earn:order:a": 50,
        "earn:order:b": 0,
        "referral:r1": 50,
    }
    assert after["entries"][f"redeem:{rid}"] == {
        "entry_id": f"redeem:{rid}",
        "customer_id": customer,
        "kind": "redeem",
        "points": -350,
        "reason": "redemption",
        "order_id": "o-9",
    }
    assert after["redemptions"][rid]["status"] == "redeemed"
    assert after["totals"] == [{"day": (START + DAY).date(), "earned": 0, "redeemed": 350, "expired": 0}]

    # The same purchase again (a replay, or republished under a new id) redeems nothing more.
    async with loyalty.context.unit_of_work() as work:
        again = await service.confirm_redemptions(work, workspace, [Placed(customer, "o-9", START + DAY)])
    assert again == 0 and await ledger(loyalty.pool, workspace) == after

    (record,) = await read_topic(
        topics, LOYALTY_EVENTS, expect=1, match=lambda r: r.key == f"{workspace}:{customer}".encode()
    )
    announced = orjson.loads(record.value)
    assert announced["type"] == "loyalty.points_redeemed" and announced["id"] == f"loyalty.points_redeemed:redeem:{rid}"
    assert announced["data"] | {} == {
        "customer_id": customer,
        "balance": 100,
        "program_version": 1,
        "entry_id": f"redeem:{rid}",
        "redemption_id": rid,
        "points": 350,
        "order_id": "o-9",
        "value": "3.50",
        "currency": "EUR",
    }


async def test_the_orders_purchase_on_the_broker_confirms_the_hold(loyalty: Loyalty, topics: str) -> None:
    workspace, customer = await _member_with_lots(loyalty)
    held = await _redeem(loyalty, workspace, customer, {"points": 350, "order_id": "o-live"})
    assert held.status_code == 201
    rid = held.json()["redemption_id"]
    purchase = event(
        "purchase", workspace, {"external_id": customer}, {"order_id": "o-live", "amount": "20.00"}, time=START
    )
    purchase["customerid"] = customer
    await publish(topics, RESOLVED, [purchase])

    async def redeemed() -> dict[str, Any] | None:
        state = await ledger(loyalty.pool, workspace)
        return state if state["redemptions"][rid]["status"] == "redeemed" else None

    state = await wait_for(redeemed, what="the hold redeemed by its purchase")
    earned = sum(e["points"] for e in state["entries"].values() if e["order_id"] == "o-live" and e["kind"] == "earn")
    assert state["entries"][f"redeem:{rid}"]["points"] == -350
    assert state["members"][customer]["held"] == 0
    assert state["members"][customer]["balance"] == 450 + earned - 350
    assert state["lots"]["earn:order:b"]["remaining"] == 0 and state["lots"]["earn:order:a"]["remaining"] == 50


async def test_a_hold_not_confirmed_in_time_is_released_and_its_late_purchase_redeems_nothing(
    loyalty: Loyalty,
) -> None:
    workspace, customer = await _member_with_lots(loyalty)
    held = await _redeem(loyalty, workspace, customer, {"points": 400, "order_id": "o-late"})
    assert held.status_code == 201 and held.json()["available"] == 50
    jobs = LoyaltyJobs(loyalty.context)
    assert await jobs.release() == 0  # not yet

    loyalty.clock.advance(dt.timedelta(minutes=31))
    try:
        before_job = (await loyalty.client.get(f"{base(workspace)}/customers/{customer}/points")).json()
        assert (before_job["available"], before_job["holds"]) == (450, [])  # past its time: no longer counted
        assert await jobs.release() >= 1
        view = (await loyalty.client.get(f"{base(workspace)}/customers/{customer}/points")).json()
        assert (view["balance"], view["available"], view["holds"]) == (450, 450, [])
        async with loyalty.context.unit_of_work() as work:
            placed = [Placed(customer, "o-late", loyalty.clock.now)]
            assert await service.confirm_redemptions(work, workspace, placed) == 0
        after = await ledger(loyalty.pool, workspace)
        assert after["members"][customer]["balance"] == 450 and after["members"][customer]["held"] == 0
        assert [r["status"] for r in after["redemptions"].values()] == ["released"]
        assert not [e for e in after["entries"] if e.startswith("redeem:")]
    finally:
        loyalty.clock.now = START


def _outcomes() -> dict[str, float]:
    return {
        outcome: REGISTRY.get_sample_value("flywheel_loyalty_redemptions_total", {"outcome": outcome}) or 0.0
        for outcome in ("held", "repeated", "short", "refused", "confirmed", "released")
    }


def _redeemed_points() -> float:
    return REGISTRY.get_sample_value("flywheel_loyalty_points_total", {"kind": "redeemed"}) or 0.0


class _RolledBack(Exception):
    pass


async def test_a_confirmation_counts_once_its_transaction_commits(loyalty: Loyalty) -> None:
    """A consumer batch rolled back and retried counts its confirmations once: after the commit, never before."""
    workspace, customer = await _member_with_lots(loyalty)
    assert (await _redeem(loyalty, workspace, customer, {"points": 120, "order_id": "o-7"})).status_code == 201
    counted, points = _outcomes(), _redeemed_points()
    placed = [Placed(customer, "o-7", loyalty.clock.now)]
    before = await ledger(loyalty.pool, workspace)
    with pytest.raises(_RolledBack):
        async with loyalty.context.unit_of_work() as work:
            assert await service.confirm_redemptions(work, workspace, placed) == 1
            assert (_outcomes(), _redeemed_points()) == (counted, points)  # not yet committed
            raise _RolledBack()
    assert await ledger(loyalty.pool, workspace) == before
    assert (_outcomes(), _redeemed_points()) == (counted, points)  # rolled back: nothing counted

    async with loyalty.context.unit_of_work() as work:  # the retry
        assert await service.confirm_redemptions(work, workspace, placed) == 1
    assert _outcomes()["confirmed"] - counted["confirmed"] == 1 and _redeemed_points() - points == 120


async def test_short_refused_and_repeated_redemptions(loyalty: Loyalty) -> None:
    workspace, customer = await _member_with_lots(loyalty)
    counted = _outcomes()

    short = await _redeem(loyalty, workspace, customer, {"points": 451, "order_id": "o-1"})
    assert short.status_code == 409
    problem = short.json()
    assert short.headers["content-type"].startswith("application/problem+json")
    assert (problem["type"], problem["available"]) == ("/problems/insufficient-points", 450)

    below = await _redeem(loyalty, workspace, customer, {"points": 5, "order_id": "o-1"})
    assert below.status_code == 422 and below.json()["type"] == "/problems/redemption-below-minimum"

    first = await _redeem(loyalty, workspace, customer, {"points": 200, "order_id": "o-2"})
    repeat = await _redeem(loyalty, workspace, customer, {"points": 300, "order_id": "o-2"})
    assert first.status_code == 201 and repeat.status_code == 200
    assert repeat.json() | {"available": None} == first.json() | {"available": None}
    assert repeat.json()["points"] == 200 and repeat.json()["available"] == 250
    now_short = await _redeem(loyalty, workspace, customer, {"points": 251, "order_id": "o-3"})
    assert now_short.status_code == 409 and now_short.json()["available"] == 250

    # Another member asking for an order this one holds points on is refused.
    await seed_member(loyalty.pool, workspace, "c-2", [SeedLot("earn:order:z", 500, START - DAY, None)])
    taken = await _redeem(loyalty, workspace, "c-2", {"points": 100, "order_id": "o-2"})
    assert taken.status_code == 409 and taken.json()["type"] == "/problems/order-redeemed"

    shared = {**PROGRAM, "redemption": {**PROGRAM["redemption"], "max_share_of_order": "0.5"}}
    await put_program(loyalty.pool, workspace, shared)
    needs_total = await _redeem(loyalty, workspace, customer, {"points": 100, "order_id": "o-4"})
    over_share = await _redeem(loyalty, workspace, customer, {"points": 100, "order_id": "o-4", "order_total": "1"})
    assert (needs_total.status_code, needs_total.json()["type"]) == (422, "/problems/order-total-required")
    assert (over_share.status_code, over_share.json()["type"]) == (422, "/problems/redemption-over-order-share")

    await put_program(loyalty.pool, workspace, {**PROGRAM, "active": False})
    inactive = await _redeem(loyalty, workspace, customer, {"points": 100, "order_id": "o-5"})
    assert (inactive.status_code, inactive.json()["type"]) == (409, "/problems/loyalty-program-inactive")
    after = _outcomes()
    assert {k: after[k] - counted[k] for k in after} == {
        "held": 1,
        "repeated": 1,
        "short": 2,
        "refused": 5,
        "confirmed": 0,
        "released": 0,
    }


async def test_a_customer_without_a_ledger_has_zeros_and_a_workspace_without_a_program_answers_404(
    loyalty: Loyalty,
) -> None:
    workspace = new_workspace()
    missing = await loyalty.client.get(f"{base(workspace)}/customers/c-1/points")
    assert missing.status_code == 404 and missing.json()["type"] == "/problems/loyalty-program-missing"
    refused = await _redeem(loyalty, workspace, "c-1", {"points": 100, "order_id": "o-1"})
    assert refused.status_code == 409 and refused.json()["type"] == "/problems/loyalty-program-missing"

    await put_program(loyalty.pool, workspace)
    view = (await loyalty.client.get(f"{base(workspace)}/customers/c-1/points")).json()
    assert (view["balance"], view["available"], view["debt"], view["value"], view["lots"], view["holds"]) == (
        0,
        0,
        0,
        "0.00",
        [],
        [],
    )
    assert view["tier"]["current"] is None and view["tier"]["next_tier"] == "silver"
    assert view["program_version"] == 1
    short = await _redeem(loyalty, workspace, "c-1", {"points": 100, "order_id": "o-1"})
    assert short.status_code == 409 and short.json()["available"] == 0


async def test_100_racing_requests_for_one_member_never_overspend(loyalty: Loyalty) -> None:
    workspace, customer = new_workspace(), "c-race"
    await put_program(loyalty.pool, workspace)
    await seed_member(loyalty.pool, workspace, customer, [SeedLot("earn:order:r", 1000, START - DAY, None)])

    answers = await asyncio.gather(
        *(_redeem(loyalty, workspace, customer, {"points": 70, "order_id": f"o-{n}"}) for n in range(100))
    )
    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) <= {201, 409}, [a.text for a in answers if a.status_code not in (201, 409)]
    won = [a.json() for a in answers if a.status_code == 201]
    assert len(won) == 1000 // 70  # every point that could be held was, and no more
    assert all(a.json()["type"] == "/problems/insufficient-points" for a in answers if a.status_code == 409)
    assert all(a.json()["available"] >= 0 for a in answers if a.status_code == 409)
    state = await ledger(loyalty.pool, workspace)
    assert state["members"][customer]["held"] == sum(r["points"] for r in won) <= 1000

    async with loyalty.context.unit_of_work() as work:
        placed = [Placed(customer, r["order_id"], START + DAY) for r in won]
        assert await service.confirm_redemptions(work, workspace, placed) == len(won)
    after = await ledger(loyalty.pool, workspace)
    assert after["members"][customer] | {} == {
        "customer_id": customer,
        "balance": 1000 - 70 * len(won),
        "debt": 0,
        "held": 0,
        "tier": None,
    }
    assert after["lots"]["earn:order:r"]["remaining"] == 1000 - 70 * len(won)


async def test_open_holds_of_one_member_have_a_quota(loyalty: Loyalty) -> None:
    workspace, customer = new_workspace(), "c-many"
    await put_program(loyalty.pool, workspace)
    await seed_member(loyalty.pool, workspace, customer, [SeedLot("earn:order:big", 100_000, START - DAY, None)])
    for n in range(HOLDS):
        assert (await _redeem(loyalty, workspace, customer, {"points": 10, "order_id": f"q-{n}"})).status_code == 201
    refused = await _redeem(loyalty, workspace, customer, {"points": 10, "order_id": "q-over"})
    assert refused.status_code == 409
    problem = refused.json()
    assert (problem["type"], problem["quota"], problem["limit"], problem["used"]) == (
        "/problems/quota-exceeded",
        "loyalty_holds",
        HOLDS,
        HOLDS,
    )
    quotas = (await loyalty.client.get(f"{base(workspace)}/quotas")).json()
    (usage,) = [q for q in quotas if q["name"] == "loyalty_holds"]
    assert (usage["limit"], usage["used"]) == (HOLDS, HOLDS)


async def test_another_workspace_cannot_read_or_redeem_and_oversized_input_is_refused(loyalty: Loyalty) -> None:
    workspace, customer = await _member_with_lots(loyalty)
    other = new_workspace()
    await put_program(loyalty.pool, other)

    seen = (await loyalty.client.get(f"{base(other)}/customers/{customer}/points")).json()
    assert (seen["balance"], seen["lots"]) == (0, [])  # nothing of the first workspace's member
    stolen = await _redeem(loyalty, other, customer, {"points": 100, "order_id": "o-1"})
    assert stolen.status_code == 409 and stolen.json()["available"] == 0
    other_token = TokenIssuer.for_settings(loyalty.settings, "tests").authorization(other, frozenset({"admin"}))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=loyalty.app), base_url="http://loyalty") as stranger:
        path = f"{base(workspace)}/customers/{customer}/points"
        read = await stranger.get(path, headers={"Authorization": other_token})
        spend = await stranger.post(
            f"{path}/redemptions", json={"points": 100, "order_id": "o-x"}, headers={"Authorization": other_token}
        )
    assert read.status_code == 403 and "lots" not in read.text
    assert spend.status_code == 403
    mine = await _redeem(loyalty, workspace, customer, {"points": 100, "order_id": "o-1"})
    assert mine.status_code == 201  # the same order id in another workspace is another order
    async with loyalty.context.unit_of_work() as work:  # the other workspace's purchase of "o-1" confirms nothing
        assert await service.confirm_redemptions(work, other, [Placed(customer, "o-1", START)]) == 0
    assert (await ledger(loyalty.pool, workspace))["members"][customer]["held"] == 100

    for body in (
        {"points": 10**12, "order_id": "o-2"},
        {"points": 0, "order_id": "o-2"},
        {"points": -5, "order_id": "o-2"},
        {"points": 100, "order_id": "x" * 10_000},
        {"points": 100, "order_id": "o-2", "order_total": "1e400"},
        {"points": 100, "order_id": "o-2", "extra": "field"},
    ):
        refused = await _redeem(loyalty, workspace, customer, body)
        assert refused.status_code == 422, (body, refused.text)
    huge = await loyalty.client.post(
        f"{base(workspace)}/customers/{customer}/points/redemptions",
        content=b'{"points": 100, "order_id": "' + b"x" * 5_000_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert huge.status_code in (413, 422)
    long_id = await loyalty.client.get(f"{base(workspace)}/customers/{'c' * 500}/points")
    assert long_id.status_code == 422
    assert (await ledger(loyalty.pool, workspace))["members"][customer]["held"] == 100


async def test_the_report_counts_the_liability_and_the_periods_points(loyalty: Loyalty) -> None:
    workspace, customer = await _member_with_lots(loyalty)
    await seed_member(loyalty.pool, workspace, "c-2", [SeedLot("earn:order:c2", 200, START - DAY, None)], tier="silver")
    held = await _redeem(loyalty, workspace, customer, {"points": 100, "order_id": "o-r"})
    assert held.status_code == 201
    async with loyalty.context.unit_of_work() as work:
        await service.confirm_redemptions(work, workspace, [Placed(customer, "o-r", START)])
    await loyalty.pool.execute(
        "INSERT INTO daily_totals (workspace, day, earned) VALUES ($1, $2, 650)", workspace, START.date() - DAY
    )
    period = {"from": (START - 7 * DAY).isoformat(), "to": (START + DAY).isoformat()}
    report = await loyalty.client.get(f"{base(workspace)}/report", params=period)
    assert report.status_code == 200, report.text
    assert report.json() | {"from": None, "to": None} == {
        "from": None,
        "to": None,
        "members": 2,
        "outstanding_points": 350 + 200,
        "liability_value": "5.50",
        "currency": "EUR",
        "points_earned": 650,
        "points_redeemed": 100,
        "points_expired": 0,
        "redemption_rate": 100 / 650,
        "members_by_tier": [{"tier": "silver", "members": 1}],
    }
    empty = await loyalty.client.get(f"{base(new_workspace())}/report", params=period)
    assert empty.status_code == 200 and empty.json()["members"] == 0 and empty.json()["currency"] is None
    backwards = await loyalty.client.get(
        f"{base(workspace)}/report", params={"from": period["to"], "to": period["from"]}
    )
    assert backwards.status_code == 422


async def test_racing_redemptions_and_confirmations_keep_the_ledger_whole(loyalty: Loyalty) -> None:
    """Holds, confirmations of them and the release job all at once on one member: no deadlock, no overspending,
    and the ledger adds up (balance = before - redeemed; held = the points of the holds still held)."""
    workspace, customer = new_workspace(), "c-mixed"
    await put_program(loyalty.pool, workspace)
    lots = [SeedLot(f"earn:order:m{n}", 100, START - (n + 1) * DAY, START + (n + 30) * DAY) for n in range(10)]
    await seed_member(loyalty.pool, workspace, customer, lots)

    async def confirm(orders: list[str]) -> None:
        for _ in range(3):
            async with loyalty.context.unit_of_work() as work:
                placed = [Placed(customer, order, START) for order in orders]
                await service.confirm_redemptions(work, workspace, placed)
            await asyncio.sleep(0)

    answers = await asyncio.gather(
        *(_redeem(loyalty, workspace, customer, {"points": 70, "order_id": f"m-{n}"}) for n in range(100)),
        *(confirm([f"m-{n}" for n in range(k, 100, 10)]) for k in range(10)),
        LoyaltyJobs(loyalty.context).release(),
    )
    statuses = [a.status_code for a in answers[:100]]
    assert set(statuses) <= {201, 409}
    state = await ledger(loyalty.pool, workspace)
    redemptions = list(state["redemptions"].values())
    redeemed = sum(r["points"] for r in redemptions if r["status"] == "redeemed")
    held = sum(r["points"] for r in redemptions if r["status"] == "held")
    member = state["members"][customer]
    assert redeemed + held <= 1000 and len(redemptions) == statuses.count(201)
    assert (member["balance"], member["debt"], member["held"]) == (1000 - redeemed, 0, held)
    assert sum(lot["remaining"] for lot in state["lots"].values()) == 1000 - redeemed
    assert -sum(e["points"] for e in state["entries"].values() if e["kind"] == "redeem") == redeemed
