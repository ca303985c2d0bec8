"""A customer's acquisition source (issue 18, acceptance 2), against a real PostgreSQL and broker: the earliest
touch by event time whatever the arrival order, the earlier touch of two merged customers, referral before utm,
`direct` without a touch, replays idempotent, another workspace's attributions never counting; and profile's
acquisition report against a plain-Python count over the same profiles."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from contracts.referral import Attributed
from contracts.topics import DEADLETTER, INBOUND, REFERRAL_EVENTS
from runtime.db import create_pool
from runtime.unit_of_work import Work
from services.profile import service, store
from services.profile.domain import Merge
from services.profile.wiring import MIGRATIONS
from tests.helpers import event, publish, read_topic, wait_for
from tests.integration.conftest import RunningService
from tests.integration.test_profile_ingest import find_when, new_workspace, purchase

T0 = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def visit(ws: str, customer: dict[str, str], when: dt.datetime, source: str | None = None, **kw: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"channel": "web"}
    if source:
        data["utm_source"] = source
    data.update(kw)
    return event("visit", ws, customer, data, time=when)


def attributed(
    ws: str, customer_id: str, program: str, first_touch: dt.datetime, status: str = "signed_up"
) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"referral.attributed:{program}:{customer_id}:{uuid.uuid4().hex[:6]}",
        "source": "flywheel.referral",
        "type": "referral.attributed",
        "time": first_touch.isoformat(),
        "workspace": ws,
        "data": {
            "customer_id": customer_id,
            "referrer_id": "c_referrer",
            "program_id": program,
            "code": "REF-1",
            "status": status,
            "first_touch_at": first_touch.isoformat(),
        },
    }


def acquisition(view: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = view["acquisition"]
    return found


async def test_a_later_touch_arriving_first_does_not_decide(profile: RunningService, bootstrap: str) -> None:
    ws, ada = new_workspace(), {"email": "ada@example.com"}
    await publish(bootstrap, INBOUND, [visit(ws, ada, at(30), "ads", utm_campaign="late")])
    first = await find_when(profile, ws, lambda v: v["stats"]["visits"] == 1, email="ada@example.com")
    assert acquisition(first)["source"] == "ads"

    # Then, late: an earlier utm visit, an earlier purchase carrying none, and a purchase's utm later still.
    await publish(
        bootstrap,
        INBOUND,
        [
            visit(ws, ada, at(10), "newsletter", utm_campaign="spring"),
            purchase(ws, ada, "20.00", time=at(5)),
            purchase(ws, ada, "5.00", time=at(40)),
        ],
    )
    view = await find_when(profile, ws, lambda v: v["stats"]["orders"] == 2, email="ada@example.com")
    found = acquisition(view)
    assert (found["source"], found["campaign"], found["program_id"]) == ("newsletter", "spring", None)
    assert dt.datetime.fromisoformat(found["at"]) == at(10)

    # A purchase's own utm_source counts as a touch: an even earlier one decides.
    earlier = event("purchase", ws, ada, {"order_id": "o-early", "amount": "1.00", "utm_source": "partner"}, time=at(1))
    await publish(bootstrap, INBOUND, [earlier])
    view = await find_when(profile, ws, lambda v: v["stats"]["orders"] == 3, email="ada@example.com")
    assert (acquisition(view)["source"], acquisition(view)["campaign"]) == ("partner", None)

    # Replaying all of it (new event ids, same facts) changes nothing.
    await publish(
        bootstrap,
        INBOUND,
        [
            visit(ws, ada, at(30), "ads", utm_campaign="late"),
            visit(ws, ada, at(10), "newsletter", utm_campaign="spring"),
            earlier,
            visit(ws, ada, at(50)),
        ],
    )
    view = await find_when(profile, ws, lambda v: v["stats"]["visits"] >= 5, email="ada@example.com")
    assert (acquisition(view)["source"], acquisition(view)["campaign"]) == ("partner", None)


async def test_channel_of_the_first_purchase_else_direct(profile: RunningService, bootstrap: str) -> None:
    ws = new_workspace()
    bo, cy = {"external_id": "bo"}, {"external_id": "cy"}
    await publish(
        bootstrap,
        INBOUND,
        [
            event("purchase", ws, bo, {"order_id": "b2", "amount": "3.00", "channel": "web"}, time=at(20)),
            event("purchase", ws, bo, {"order_id": "b1", "amount": "3.00", "channel": "store"}, time=at(10)),
            visit(ws, cy, at(0)),  # a visit without utm: no touch
        ],
    )
    view = await find_when(profile, ws, lambda v: v["stats"]["orders"] == 2, external_id="bo")
    assert (acquisition(view)["source"], acquisition(view)["at"] is not None) == ("store", True)
    direct = await find_when(profile, ws, lambda v: v["stats"]["visits"] == 1, external_id="cy")
    assert acquisition(direct) == {"source": "direct", "campaign": None, "program_id": None, "at": None}


async def test_a_merge_keeps_the_earlier_first_touch(profile: RunningService, bootstrap: str) -> None:
    ws = new_workspace()
    by_email, by_id = {"email": "di@example.com"}, {"external_id": "u-di"}
    # The survivor is the profile seen first (by_email, at 0), but the merged one's utm touch is earlier.
    await publish(bootstrap, INBOUND, [visit(ws, by_email, at(0)), visit(ws, by_email, at(20), "ads")])
    await find_when(profile, ws, lambda v: v["stats"]["visits"] == 2, email="di@example.com")
    await publish(bootstrap, INBOUND, [visit(ws, by_id, at(10), "podcast", utm_campaign="ep1")])
    await find_when(profile, ws, lambda v: v["stats"]["visits"] == 1, external_id="u-di")

    await publish(bootstrap, INBOUND, [visit(ws, by_email | by_id, at(30))])
    merged = await find_when(profile, ws, lambda v: bool(v["merged_ids"]), email="di@example.com")
    assert merged["stats"]["visits"] == 4
    assert (acquisition(merged)["source"], acquisition(merged)["campaign"]) == ("podcast", "ep1")


async def test_referral_beats_utm_goes_to_the_survivor_and_stays_in_its_workspace(
    profile: RunningService, bootstrap: str
) -> None:
    ws, other = new_workspace(), new_workspace()
    eve, fay = {"email": "eve@example.com"}, {"external_id": "u-fay"}
    await publish(bootstrap, INBOUND, [visit(ws, eve, at(0), "newsletter"), visit(ws, fay, at(1), "ads")])
    eve_view = await find_when(profile, ws, lambda v: v["stats"]["visits"] == 1, email="eve@example.com")
    fay_view = await find_when(profile, ws, lambda v: v["stats"]["visits"] == 1, external_id="u-fay")
    eve_id, fay_id = eve_view["customer_id"], fay_view["customer_id"]

    # A refused attribution is none; a later one for another program loses to the earlier one; replays repeat.
    await publish(
        bootstrap,
        REFERRAL_EVENTS,
        [
            attributed(ws, eve_id, "p_rejected", at(-5), status="rejected"),
            attributed(ws, eve_id, "p_late", at(40)),
            attributed(ws, eve_id, "p_friends", at(30), status="purchased"),
            attributed(ws, eve_id, "p_friends", at(30), status="purchased"),
        ],
    )
    eve_view = await find_when(
        profile,
        ws,
        lambda v: v["acquisition"]["source"] == "referral" and v["acquisition"]["program_id"] == "p_friends",
        email="eve@example.com",
    )
    assert acquisition(eve_view)["campaign"] is None

    # Another workspace's attribution of the same id changes nothing here (applied on the real database).
    conn = await asyncpg.connect(profile.settings.database_url)
    try:
        hostile = Attributed.model_validate(attributed(other, fay_id, "p_hostile", at(-100)))
        await service.record_referral_attributions(Work(conn), other, [hostile])
        assert await conn.fetchval("SELECT count(*) FROM customers WHERE referral_program_id = 'p_hostile'") == 0
    finally:
        await conn.close()

    # fay merges into eve (eve seen first); an attribution of fay's old id afterwards goes to eve.
    await publish(bootstrap, INBOUND, [visit(ws, eve | fay, at(50))])
    await find_when(profile, ws, lambda v: v["merged_ids"] == [fay_id], email="eve@example.com")
    await publish(bootstrap, REFERRAL_EVENTS, [attributed(ws, fay_id, "p_earliest", at(20))])
    eve_view = await find_when(
        profile, ws, lambda v: v["acquisition"]["program_id"] == "p_earliest", email="eve@example.com"
    )
    assert acquisition(eve_view)["source"] == "referral"


async def test_erasure_clears_the_touches(profile: RunningService, bootstrap: str) -> None:
    ws, gus = new_workspace(), {"email": "gus@example.com"}
    await publish(bootstrap, INBOUND, [visit(ws, gus, at(0), "newsletter"), purchase(ws, gus, "9.00", time=at(1))])
    view = await find_when(profile, ws, lambda v: v["stats"]["orders"] == 1, email="gus@example.com")
    await publish(bootstrap, REFERRAL_EVENTS, [attributed(ws, view["customer_id"], "p_friends", at(2))])
    await find_when(profile, ws, lambda v: v["acquisition"]["source"] == "referral", email="gus@example.com")
    erased = await profile.client.delete(f"/internal/v1/workspaces/{ws}/customers/{view['customer_id']}")
    assert erased.status_code == 202
    conn = await asyncpg.connect(profile.settings.database_url)
    try:
        row = await conn.fetchrow(
            """SELECT first_utm_at, first_utm_source, first_utm_campaign, first_purchase_channel,
                      referral_program_id, referral_at FROM customers WHERE workspace = $1 AND customer_id = $2""",
            ws,
            view["customer_id"],
        )
    finally:
        await conn.close()
    assert row is not None and all(value is None for value in row.values())


async def test_the_acquisition_report_counts_new_customers_by_source(profile: RunningService, bootstrap: str) -> None:
    ws, other = new_workspace(), new_workspace()
    since, until = at(0), at(60 * 24 * 30)
    # (customer, utm touch (minutes, source, campaign) or None, purchases (minutes, amount, channel))
    plan: list[tuple[str, tuple[int, str, str | None] | None, list[tuple[int, str, str | None]]]] = [
        ("a", (-60, "newsletter", "spring"), [(10, "20.00", "web"), (10 + 60 * 24 * 30, "5.00", "web")]),
        ("b", (5, "newsletter", "spring"), [(20, "30.00", None)]),
        ("c", (5, "newsletter", None), [(30, "7.50", "web"), (60 * 24 * 100, "1.00", None)]),  # repurchase > 90 d
        ("d", None, [(40, "12.00", "store"), (41, "3.00", "web")]),
        ("e", None, [(50, "8.00", None)]),
        ("f", (1, "ads", "x"), [(-10, "99.00", "web")]),  # first purchase before the period: not new
        ("g", (1, "ads", "x"), []),  # no purchase: not new
        ("h", (1, "ads", "x"), [(15, "40.00", "web")]),  # attributed by a referral program below
    ]
    docs: list[dict[str, Any]] = []
    for name, utm, purchases in plan:
        who = {"external_id": name}
        if utm:
            docs.append(visit(ws, who, at(utm[0]), utm[1], **({"utm_campaign": utm[2]} if utm[2] else {})))
        for i, (minutes, amount, channel) in enumerate(purchases):
            data = {"order_id": f"{name}-{i}", "amount": amount, **({"channel": channel} if channel else {})}
            docs.append(event("purchase", ws, who, data, time=at(minutes)))
        docs.append(visit(ws, who, at(1000)))  # marker: every event of the customer is in when visits counted
    # Another workspace's customers of the same names never count.
    docs += [event("purchase", other, {"external_id": "a"}, {"order_id": "x", "amount": "1000.00"}, time=at(10))]
    await publish(bootstrap, INBOUND, docs)
    views = {}
    for name, utm, purchases in plan:
        views[name] = await find_when(
            profile,
            ws,
            lambda v, n=len(purchases), u=1 + bool(utm): v["stats"]["orders"] == n and v["stats"]["visits"] == u,
            external_id=name,
        )

    await publish(bootstrap, REFERRAL_EVENTS, [attributed(ws, views["h"]["customer_id"], "p_friends", at(14))])
    views["h"] = await find_when(profile, ws, lambda v: v["acquisition"]["source"] == "referral", external_id="h")

    # The plain-Python count, over the sources the 360 view shows.
    expected: dict[tuple[str, str | None], list[Decimal | int]] = defaultdict(lambda: [0, Decimal(0), 0])
    for name, _utm, purchases in plan:
        ordered = sorted((at(m), a) for m, a, _ in purchases)
        if not ordered or not since <= ordered[0][0] < until:
            continue
        key = (acquisition(views[name])["source"], acquisition(views[name])["campaign"])
        first = ordered[0][0]
        row = expected[key]
        row[0] += 1
        row[1] += Decimal(ordered[0][1])
        row[2] += sum(1 for t, _ in ordered if first <= t <= first + dt.timedelta(days=90)) >= 2
    response = await profile.client.get(
        f"/internal/v1/workspaces/{ws}/acquisition-report", params={"from": since.isoformat(), "to": until.isoformat()}
    )
    assert response.status_code == 200, response.text
    report = response.json()
    got = {
        (i["source"], i["campaign"]): [i["new_customers"], Decimal(i["first_order_total"]), i["repurchasers_90d"]]
        for i in report["items"]
    }
    assert got == dict(expected)
    assert got == {
        ("newsletter", "spring"): [2, Decimal("50.00"), 1],
        ("newsletter", None): [1, Decimal("7.50"), 0],
        ("store", None): [1, Decimal("12.00"), 1],
        ("direct", None): [1, Decimal("8.00"), 0],
        ("referral", None): [1, Decimal("40.00"), 0],
    }
    spring = next(i for i in report["items"] if i["campaign"] == "spring")
    assert Decimal(spring["avg_first_order"]) == Decimal("25.00") and spring["repurchase_rate_90d"] == 0.5
    sources = {s["source"]: (s["new_customers"], s["repurchasers_90d"]) for s in report["sources"]}
    assert sources == {"newsletter": (3, 1), "store": (1, 1), "direct": (1, 0), "referral": (1, 0)}

    bad = await profile.client.get(
        f"/internal/v1/workspaces/{ws}/acquisition-report", params={"from": until.isoformat(), "to": since.isoformat()}
    )
    assert bad.status_code == 422


async def test_a_bad_referral_event_is_dead_lettered_and_the_rest_goes_on(
    profile: RunningService, bootstrap: str
) -> None:
    ws, hal = new_workspace(), {"email": "hal@example.com"}
    await publish(bootstrap, INBOUND, [visit(ws, hal, at(0), "newsletter")])
    view = await find_when(profile, ws, lambda v: v["stats"]["visits"] == 1, email="hal@example.com")
    broken = attributed(ws, view["customer_id"], "p_broken", at(1))
    broken["data"]["first_touch_at"] = "yesterday"
    await publish(bootstrap, REFERRAL_EVENTS, [broken, attributed(ws, view["customer_id"], "p_friends", at(2))])
    await find_when(profile, ws, lambda v: v["acquisition"]["program_id"] == "p_friends", email="hal@example.com")
    (dead,) = await read_topic(
        bootstrap, DEADLETTER, expect=1, match=lambda r: broken["id"].encode() in (r.value or b"")
    )
    headers = dict(dead.headers)
    assert headers["flywheel-dlq-service"] == b"profile" and headers["flywheel-dlq-topic"] == REFERRAL_EVENTS.encode()
    assert headers["flywheel-dlq-reason"]


async def test_an_attribution_racing_a_merge_starts_over(profile: RunningService, bootstrap: str) -> None:
    """An attribution of a profile a concurrent transaction is merging away waits for it, then makes its batch
    start over (ConcurrentChange: the consumer retries it and then finds the survivor) instead of landing on the
    cleared tombstone."""
    ws, ivy, jon = new_workspace(), {"email": "ivy@example.com"}, {"email": "jon@example.com"}
    await publish(bootstrap, INBOUND, [visit(ws, ivy, at(0)), visit(ws, jon, at(1))])
    survivor = (await find_when(profile, ws, lambda v: v["stats"]["visits"] == 1, email="ivy@example.com"))[
        "customer_id"
    ]
    merged = (await find_when(profile, ws, lambda v: v["stats"]["visits"] == 1, email="jon@example.com"))["customer_id"]
    pool = await create_pool(profile.settings)  # the service's own connections (its jsonb codec)
    merging, attributing = await pool.acquire(), await pool.acquire()
    try:
        merge = merging.transaction()
        await merge.start()
        await store.apply_merge(merging, ws, Merge(survivor, merged, "test"))

        async def attribute() -> None:
            async with attributing.transaction():
                await store.record_referrals(attributing, ws, [store.ReferralRow(merged, "p_friends", at(2))])

        racing = asyncio.create_task(attribute())
        pid = attributing.get_server_pid()

        async def waiting() -> bool:
            state = await merging.fetchval("SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1", pid)
            return bool(state == "Lock")

        await wait_for(waiting, what="the attribution to wait for the merge's lock")
        await merge.commit()
        with pytest.raises(store.ConcurrentChange):
            await racing
        # Its retry finds the survivor.
        async with attributing.transaction():
            await store.record_referrals(attributing, ws, [store.ReferralRow(merged, "p_friends", at(2))])
        rows = await attributing.fetch(
            "SELECT customer_id, referral_program_id FROM customers WHERE workspace = $1", ws
        )
        programs = {r["customer_id"]: r["referral_program_id"] for r in rows}
        assert programs == {survivor: "p_friends", merged: None}
    finally:
        await pool.release(merging)
        await pool.release(attributing)
        await pool.close()


async def test_the_migrations_backfill_gives_what_the_ingest_keeps(profile: RunningService, bootstrap: str) -> None:
    """Migration 0008 derives the touches of the events profile held before it from the timeline: the same values
    the ingest keeps, ties included."""
    ws = new_workspace()
    kim, lou, max_ = {"external_id": "kim"}, {"external_id": "lou"}, {"external_id": "max"}
    await publish(
        bootstrap,
        INBOUND,
        [
            visit(ws, kim, at(9), "ads", utm_campaign="b"),
            visit(ws, kim, at(3), "news", utm_campaign="z"),
            visit(ws, kim, at(3), "news"),
            event("purchase", ws, kim, {"order_id": "k1", "amount": "1.00", "channel": "web"}, time=at(5)),
            event("purchase", ws, kim, {"order_id": "k2", "amount": "1.00", "channel": "app"}, time=at(5)),
            event("purchase", ws, lou, {"order_id": "l1", "amount": "1.00", "utm_source": "partner"}, time=at(2)),
            event("purchase", ws, lou, {"order_id": "l2", "amount": "1.00", "channel": "store"}, time=at(4)),
            visit(ws, max_, at(1)),
        ],
    )
    for name, orders in (("kim", 2), ("lou", 2), ("max", 0)):
        await find_when(profile, ws, lambda v, n=orders: v["stats"]["orders"] == n, external_id=name)
    columns = "customer_id, first_utm_at, first_utm_source, first_utm_campaign, first_purchase_channel"
    query = f"SELECT {columns} FROM customers WHERE workspace = $1 ORDER BY customer_id"  # noqa: S608 (constants)
    migration = (MIGRATIONS / "0009_acquisition_touches.sql").read_text()
    backfill = migration[migration.index("UPDATE customers") :]
    conn = await asyncpg.connect(profile.settings.database_url)
    try:
        kept = [tuple(r) for r in await conn.fetch(query, ws)]
        await conn.execute(
            """UPDATE customers SET first_utm_at = NULL, first_utm_source = NULL, first_utm_campaign = NULL,
                      first_purchase_channel = NULL WHERE workspace = $1""",
            ws,
        )
        async with conn.transaction():
            await conn.execute(backfill)
        assert [tuple(r) for r in await conn.fetch(query, ws)] == kept
    finally:
        await conn.close()
    assert {(r[2], r[3], r[4]) for r in kept} == {("news", None, "app"), ("partner", None, None), (None, None, None)}
