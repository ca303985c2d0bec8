"""The loyalty ledger on real PostgreSQL and a real broker: purchases earn, refunds take back in proportion,
referral rewards of kind points and journeys' point requests credit, merges combine two ledgers, erasures remove
one (anonymous daily totals stay); re-publishing everything, under the same ids and under new ones, changes
nothing; and one workspace's events and program never touch another's ledger."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import orjson
import pytest
from prometheus_client import REGISTRY

from contracts.http.loyalty import EXAMPLE_PROGRAM
from contracts.topics import DEADLETTER, JOURNEY_ACTIONS, LOYALTY_EVENTS, PROFILE_LIFECYCLE, REFERRAL_EVENTS, RESOLVED
from devstack.postgres import LocalPostgres
from services.loyalty.api import MAX_PROGRAM_BYTES
from services.loyalty.wiring import create_app
from tests.helpers import event, merged_event, publish, read_topic, wait_for
from tests.integration.conftest import MovableClock, RunningService, new_workspace, running_app

T0 = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
# 1 point per EUR, no bonuses, caps or tiers: every figure below is the money's.
PROGRAM: dict[str, Any] = {
    "name": "Tea club",
    "currency": "EUR",
    "time_zone": "Europe/Berlin",
    "earn": {"points_per_unit": "1"},
    "expiry": {"months": 24, "notice_days": 30},
    "redemption": {"point_value": "0.01"},
}


@pytest.fixture(scope="module")
async def loyalty(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[RunningService]:
    # One service for the module (every test has its own workspace): the consumer groups join once.
    clock = MovableClock(T0 + dt.timedelta(days=1))
    async with running_app("loyalty", create_app, postgres, topics, broker_kind, app_kwargs={"clock": clock}) as svc:
        yield svc


def resolved(event_type: str, ws: str, customer_id: str, data: dict[str, Any], minutes: float) -> dict[str, Any]:
    doc = event(event_type, ws, {"external_id": customer_id}, data, time=T0 + dt.timedelta(minutes=minutes))
    doc["customerid"] = customer_id
    return doc


def purchase(ws: str, customer_id: str, order_id: str, amount: str, minutes: float, **more: Any) -> dict[str, Any]:
    return resolved("purchase", ws, customer_id, {"order_id": order_id, "amount": amount, **more}, minutes)


def refund(ws: str, customer_id: str, order_id: str, amount: str, minutes: float) -> dict[str, Any]:
    return resolved("refund", ws, customer_id, {"order_id": order_id, "amount": amount}, minutes)


def reward(ws: str, event_type: str, reward_id: str, customer_id: str, kind: str, value: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "reward_id": reward_id,
        "program_id": "p_friends",
        "customer_id": customer_id,
        "role": "referrer",
        "kind": kind,
        "value": value,
        "trigger": "first_purchase",
        "referrer_id": customer_id,
        "friend_id": "friend-1",
    }
    if event_type == "referral.reward_reversed":
        data["reason"] = "qualifying purchase o-9 refunded"
    return {
        "specversion": "1.0",
        "id": f"{event_type}:{reward_id}",
        "source": "flywheel.referral",
        "type": event_type,
        "time": (T0 + dt.timedelta(hours=1)).isoformat(),
        "workspace": ws,
        "data": data,
    }


def points_requested(ws: str, action_id: str, customer_id: str, points: int) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": action_id,
        "source": "flywheel.journey",
        "type": "loyalty.points_requested",
        "time": (T0 + dt.timedelta(hours=2)).isoformat(),
        "workspace": ws,
        "data": {
            "customer_id": customer_id,
            "journey_id": "j_winback",
            "journey_version": 1,
            "enrolment_id": "e-1",
            "step_id": "bonus",
            "points": points,
            "reason": "win-back bonus",
        },
    }


def erased_event(ws: str, customer_id: str) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"profile.erased:{customer_id}-{ws}",
        "source": "flywheel.profile",
        "type": "profile.erased",
        "time": (T0 + dt.timedelta(days=1)).isoformat(),
        "workspace": ws,
        "data": {"customer_id": customer_id, "erased_ids": [customer_id]},
    }


async def put_program(service: RunningService, ws: str, document: dict[str, Any] | None = None) -> dict[str, Any]:
    response = await service.client.put(f"/internal/v1/workspaces/{ws}/program", json=document or PROGRAM)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def rows(service: RunningService, sql: str, *args: Any) -> list[dict[str, Any]]:
    conn = await asyncpg.connect(service.settings.database_url)
    try:
        return [dict(row) for row in await conn.fetch(sql, *args)]
    finally:
        await conn.close()


# What the ledger comparison reads of each table (recorded_at left out), in a stable order.
LEDGER_QUERIES = {
    "entries": """SELECT entry_id, customer_id, kind, points, reason, rule, order_id, program_version, at
                    FROM entries WHERE workspace = $1 ORDER BY entry_id""",
    "lots": """SELECT lot_id, customer_id, earned, remaining, earned_at, expires_at
                 FROM lots WHERE workspace = $1 ORDER BY lot_id""",
    "orders": """SELECT order_id, customer_id, amount, currency, points, refunded, reversed
                   FROM orders WHERE workspace = $1 ORDER BY order_id""",
    "members": """SELECT customer_id, balance, debt, held, birthday_month, first_order_id
                    FROM members WHERE workspace = $1 ORDER BY customer_id""",
}


async def ledger(service: RunningService, ws: str) -> dict[str, list[dict[str, Any]]]:
    """Everything the workspace's ledger holds, in a stable order (recorded_at left out)."""
    return {table: await rows(service, sql, ws) for table, sql in LEDGER_QUERIES.items()}


def points_of(book: dict[str, list[dict[str, Any]]]) -> list[tuple[str, str, int]]:
    return [(e["entry_id"], e["customer_id"], e["points"]) for e in book["entries"]]


def balances(book: dict[str, list[dict[str, Any]]]) -> dict[str, tuple[int, int]]:
    return {m["customer_id"]: (m["balance"], m["debt"]) for m in book["members"]}


async def entry_recorded(service: RunningService, ws: str, entry_id: str) -> bool:
    found = await rows(service, "SELECT 1 FROM entries WHERE workspace = $1 AND entry_id = $2", ws, entry_id)
    return bool(found)


async def order_recorded(service: RunningService, ws: str, order_id: str) -> bool:
    found = await rows(service, "SELECT 1 FROM orders WHERE workspace = $1 AND order_id = $2", ws, order_id)
    return bool(found)


async def loyalty_events(bootstrap: str, ws: str, event_type: str, expect: int) -> list[dict[str, Any]]:
    def match(record: Any) -> bool:
        doc = orjson.loads(record.value)
        return bool(doc["workspace"] == ws and doc["type"] == event_type)

    records = await read_topic(bootstrap, LOYALTY_EVENTS, expect=expect, match=match)
    return [orjson.loads(r.value) for r in records]


async def test_a_purchase_earns_and_two_refunds_take_back_40_percent_then_the_rest(
    loyalty: RunningService, topics: str
) -> None:
    ws = new_workspace()
    program = await put_program(loyalty, ws)
    assert program["version"] == 1
    earned_before, reversed_before = _counted("earned"), _counted("reversed")
    await publish(topics, RESOLVED, [purchase(ws, "ada", "o-1", "100.00", 0)])
    await wait_for(lambda: entry_recorded(loyalty, ws, "earn:order:o-1"), what="the purchase earned")
    await publish(topics, RESOLVED, [refund(ws, "ada", "o-1", "40.00", 60)])
    first_refund = f"reverse:refund:o-1:{(T0 + dt.timedelta(minutes=60)).isoformat()}:40"
    await wait_for(lambda: entry_recorded(loyalty, ws, first_refund), what="the first refund")
    book = await ledger(loyalty, ws)
    assert points_of(book) == [("earn:order:o-1", "ada", 100), (first_refund, "ada", -40)]
    assert balances(book) == {"ada": (60, 0)}
    assert [(lot["lot_id"], lot["earned"], lot["remaining"]) for lot in book["lots"]] == [("earn:order:o-1", 100, 60)]
    # The lot expires at the end of the Berlin day 24 months on.
    assert book["lots"][0]["expires_at"] == dt.datetime(2028, 6, 1, 22, 0, tzinfo=dt.UTC)

    await publish(topics, RESOLVED, [refund(ws, "ada", "o-1", "60.00", 120)])
    second_refund = f"reverse:refund:o-1:{(T0 + dt.timedelta(minutes=120)).isoformat()}:60"
    await wait_for(lambda: entry_recorded(loyalty, ws, second_refund), what="the second refund")
    book = await ledger(loyalty, ws)
    assert points_of(book) == [("earn:order:o-1", "ada", 100), (first_refund, "ada", -40), (second_refund, "ada", -60)]
    assert balances(book) == {"ada": (0, 0)}
    [order] = book["orders"]
    assert (order["points"], order["refunded"], order["reversed"]) == (100, 100, 100)

    [earned] = await loyalty_events(topics, ws, "loyalty.points_earned", expect=1)
    assert earned["id"] == "loyalty.points_earned:earn:order:o-1"
    assert earned["data"] | {"expires_at": None} == {
        "customer_id": "ada",
        "balance": 100,
        "program_version": 1,
        "entry_id": "earn:order:o-1",
        "points": 100,
        "reason": "purchase",
        "order_id": "o-1",
        "expires_at": None,
    }
    reversed_ = await loyalty_events(topics, ws, "loyalty.points_reversed", expect=2)
    assert [(e["data"]["points"], e["data"]["balance"]) for e in reversed_] == [(-40, 60), (-60, 0)]
    totals = await rows(loyalty, "SELECT earned, reversed FROM daily_totals WHERE workspace = $1", ws)
    assert totals == [{"earned": 100, "reversed": 100}]

    async def counted() -> bool:  # once each batch committed (other tests' workspaces may add to them)
        return _counted("earned") - earned_before >= 100 and _counted("reversed") - reversed_before >= 100

    await wait_for(counted, what="the points counted in flywheel_loyalty_points_total")


def _counted(kind: str) -> float:
    return REGISTRY.get_sample_value("flywheel_loyalty_points_total", {"kind": kind}) or 0.0


async def test_republishing_every_event_under_the_same_ids_and_under_new_ids_changes_nothing(
    loyalty: RunningService, topics: str
) -> None:
    ws = new_workspace()
    await put_program(
        loyalty, ws, {**PROGRAM, "earn": {**PROGRAM["earn"], "bonuses": [{"on": "first_purchase", "points": 50}]}}
    )
    history = [
        purchase(ws, "ada", "o-1", "100.00", 0),
        purchase(ws, "ada", "o-2", "30.50", 10),
        refund(ws, "ada", "o-1", "25.00", 20),
        purchase(ws, "bob", "o-3", "12.00", 30),
        resolved("survey", ws, "bob", {"nps": 9, "survey_id": "s-1"}, 40),
    ]
    await publish(topics, RESOLVED, history)
    await wait_for(
        lambda: entry_recorded(loyalty, ws, f"reverse:refund:o-1:{(T0 + dt.timedelta(minutes=20)).isoformat()}:25"),
        what="the history applied",
    )
    await wait_for(lambda: order_recorded(loyalty, ws, "o-3"), what="bob's purchase applied")
    before = await ledger(loyalty, ws)
    assert points_of(before) == [
        ("bonus:first_purchase:order:o-1", "ada", 50),
        ("bonus:first_purchase:order:o-3", "bob", 50),
        ("earn:order:o-1", "ada", 100),
        ("earn:order:o-2", "ada", 30),
        ("earn:order:o-3", "bob", 12),
        # 25 of 100 refunded: a quarter of the order's 150 points, rounded down
        (f"reverse:refund:o-1:{(T0 + dt.timedelta(minutes=20)).isoformat()}:25", "ada", -37),
    ]
    assert balances(before) == {"ada": (143, 0), "bob": (62, 0)}

    renamed = [{**doc, "id": str(uuid.uuid4())} for doc in history]
    marker = [purchase(ws, "ada", "o-marker", "1.00", 50), purchase(ws, "bob", "o-marker-b", "1.00", 50)]
    await publish(topics, RESOLVED, [*history, *renamed, *marker])
    await wait_for(lambda: order_recorded(loyalty, ws, "o-marker"), what="the replays consumed (ada)")
    await wait_for(lambda: order_recorded(loyalty, ws, "o-marker-b"), what="the replays consumed (bob)")
    after = await ledger(loyalty, ws)

    def without_markers(book: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
        def keep(row: dict[str, Any]) -> bool:
            return "o-marker" not in str(row.get("order_id") or row.get("lot_id") or row.get("entry_id") or "")

        kept = {name: [row for row in found if keep(row)] for name, found in book.items() if name != "members"}
        return kept

    assert without_markers(after) == without_markers(before)
    assert balances(after) == {"ada": (144, 0), "bob": (63, 0)}  # the markers' 1 point each, nothing else
    earned = await loyalty_events(topics, ws, "loyalty.points_earned", expect=7)
    assert len({e["id"] for e in earned}) == 7  # five entries earned, then the two markers
    with pytest.raises(AssertionError, match="expected 8 records"):
        await read_topic(
            topics,
            LOYALTY_EVENTS,
            expect=8,
            within=2,
            match=lambda r: (
                orjson.loads(r.value)["workspace"] == ws and orjson.loads(r.value)["type"] == "loyalty.points_earned"
            ),
        )


async def ada_and_bob(loyalty: RunningService, topics: str) -> str:
    """A new workspace with the program where ada bought for 100.00 and bob for 50.00 (both recorded) and bob told
    his birthday (March: maybe not folded in yet)."""
    ws = new_workspace()
    await put_program(loyalty, ws)
    await publish(
        topics,
        RESOLVED,
        [
            purchase(ws, "ada", "o-1", "100.00", 0),
            purchase(ws, "bob", "o-2", "50.00", 5),
            resolved("identify", ws, "bob", {"traits": {"birthday": "1990-03-14"}}, 6),
        ],
    )
    await wait_for(lambda: order_recorded(loyalty, ws, "o-1"), what="ada's purchase")
    await wait_for(lambda: order_recorded(loyalty, ws, "o-2"), what="bob's purchase")
    return ws


async def test_a_merge_combines_both_ledgers_and_a_late_event_of_the_merged_id_goes_to_the_survivor(
    loyalty: RunningService, topics: str
) -> None:
    ws = await ada_and_bob(loyalty, topics)
    await publish(topics, PROFILE_LIFECYCLE, [merged_event(ws, "ada", "bob", T0 + dt.timedelta(minutes=10))])
    await wait_for(lambda: entry_recorded(loyalty, ws, "merge:bob"), what="the merge")
    book = await ledger(loyalty, ws)
    assert points_of(book) == [("earn:order:o-1", "ada", 100), ("earn:order:o-2", "ada", 50), ("merge:bob", "ada", 0)]
    assert [(m["customer_id"], m["balance"], m["birthday_month"]) for m in book["members"]] == [("ada", 150, 3)]
    assert {lot["customer_id"] for lot in book["lots"]} == {"ada"}
    assert {order["customer_id"] for order in book["orders"]} == {"ada"}
    [adjusted] = await loyalty_events(topics, ws, "loyalty.points_adjusted", expect=1)
    assert (adjusted["data"]["customer_id"], adjusted["data"]["points"], adjusted["data"]["balance"]) == (
        "ada",
        50,
        150,
    )

    # The merge replayed does nothing; a refund and a purchase of the merged id land on the survivor.
    await publish(topics, PROFILE_LIFECYCLE, [merged_event(ws, "ada", "bob", T0 + dt.timedelta(minutes=10))])
    await publish(topics, RESOLVED, [refund(ws, "bob", "o-2", "50.00", 20), purchase(ws, "bob", "o-3", "7.00", 30)])
    await wait_for(lambda: order_recorded(loyalty, ws, "o-3"), what="the late purchase")
    book = await ledger(loyalty, ws)
    refund_id = f"reverse:refund:o-2:{(T0 + dt.timedelta(minutes=20)).isoformat()}:50"
    assert points_of(book) == [
        ("earn:order:o-1", "ada", 100),
        ("earn:order:o-2", "ada", 50),
        ("earn:order:o-3", "ada", 7),
        ("merge:bob", "ada", 0),
        (refund_id, "ada", -50),
    ]
    assert balances(book) == {"ada": (107, 0)}


async def test_an_erasure_removes_the_ledger_and_keeps_the_anonymous_daily_totals(
    loyalty: RunningService, topics: str
) -> None:
    ws = new_workspace()
    await put_program(loyalty, ws)
    await publish(topics, RESOLVED, [purchase(ws, "ada", "o-1", "80.00", 0), purchase(ws, "bob", "o-2", "5.00", 1)])
    await wait_for(lambda: order_recorded(loyalty, ws, "o-1"), what="ada's purchase")
    await wait_for(lambda: order_recorded(loyalty, ws, "o-2"), what="bob's purchase")
    await publish(topics, PROFILE_LIFECYCLE, [erased_event(ws, "ada")])

    async def ada_gone() -> bool:
        return not await rows(loyalty, "SELECT 1 FROM members WHERE workspace = $1 AND customer_id = 'ada'", ws)

    await wait_for(ada_gone, what="the erasure")
    book = await ledger(loyalty, ws)
    assert all(row["customer_id"] == "bob" for found in book.values() for row in found)
    assert points_of(book) == [("earn:order:o-2", "bob", 5)]
    totals = await rows(loyalty, "SELECT day, earned, erased FROM daily_totals WHERE workspace = $1 ORDER BY day", ws)
    assert totals == [
        {"day": dt.date(2026, 6, 1), "earned": 85, "erased": 0},
        {"day": dt.date(2026, 6, 2), "earned": 0, "erased": 80},
    ]
    # An event of the erased customer still in flight brings nothing back.
    await publish(topics, RESOLVED, [purchase(ws, "ada", "o-3", "9.00", 90), purchase(ws, "bob", "o-4", "1.00", 91)])
    await wait_for(lambda: order_recorded(loyalty, ws, "o-4"), what="bob's later purchase")
    assert not await order_recorded(loyalty, ws, "o-3")
    assert await ada_gone()


async def test_referral_points_rewards_and_their_reversal_and_journey_points(
    loyalty: RunningService, topics: str
) -> None:
    ws = new_workspace()
    await put_program(loyalty, ws)
    await publish(
        topics,
        REFERRAL_EVENTS,
        [
            reward(ws, "referral.reward_granted", "rw_1", "ada", "points", "250"),
            reward(ws, "referral.reward_granted", "rw_2", "ada", "amount", "10.00"),  # not points: not loyalty's
        ],
    )
    await wait_for(lambda: entry_recorded(loyalty, ws, "referral:rw_1"), what="the points reward")
    await publish(topics, JOURNEY_ACTIONS, [points_requested(ws, "act-1", "ada", 40)])
    await wait_for(lambda: entry_recorded(loyalty, ws, "journey:act-1"), what="the journey's points")
    book = await ledger(loyalty, ws)
    assert [(e["entry_id"], e["points"], e["reason"]) for e in book["entries"]] == [
        ("journey:act-1", 40, "journey"),
        ("referral:rw_1", 250, "referral_reward"),
    ]
    assert balances(book) == {"ada": (290, 0)}

    await publish(topics, REFERRAL_EVENTS, [reward(ws, "referral.reward_reversed", "rw_1", "ada", "points", "250")])
    await wait_for(lambda: entry_recorded(loyalty, ws, "reverse:referral:rw_1"), what="the reversal")
    # The same action again (journeys repeat an action under its id): nothing more.
    await publish(
        topics, JOURNEY_ACTIONS, [points_requested(ws, "act-1", "ada", 40), points_requested(ws, "act-2", "ada", 5)]
    )
    await wait_for(lambda: entry_recorded(loyalty, ws, "journey:act-2"), what="the second action")
    book = await ledger(loyalty, ws)
    assert [(e["entry_id"], e["points"]) for e in book["entries"]] == [
        ("journey:act-1", 40),
        ("journey:act-2", 5),
        ("referral:rw_1", 250),
        ("reverse:referral:rw_1", -250),
    ]
    assert balances(book) == {"ada": (45, 0)}
    earned = await loyalty_events(topics, ws, "loyalty.points_earned", expect=3)
    assert sorted(e["data"]["reason"] for e in earned) == ["journey", "journey", "referral_reward"]


async def test_another_workspaces_events_and_program_never_touch_this_ledger(
    loyalty: RunningService, topics: str
) -> None:
    ours, theirs = new_workspace(), new_workspace()
    await put_program(loyalty, ours)
    # Theirs has no program yet: its events are recorded nowhere, even with our customer and order ids.
    await publish(
        topics, RESOLVED, [purchase(theirs, "ada", "o-1", "999.00", 0), purchase(ours, "ada", "o-1", "10.00", 1)]
    )
    await wait_for(lambda: order_recorded(loyalty, ours, "o-1"), what="our purchase")
    assert await ledger(loyalty, theirs) == {"entries": [], "lots": [], "orders": [], "members": []}
    # Their program (another currency, a huge rate) and a refund of "o-1" in theirs leave ours as it was.
    their_program = {**PROGRAM, "currency": "USD", "earn": {"points_per_unit": "1000"}}
    assert (await put_program(loyalty, theirs, their_program))["version"] == 1
    await publish(
        topics,
        RESOLVED,
        [
            refund(theirs, "ada", "o-1", "10.00", 5),
            purchase(theirs, "ada", "o-2", "3.00", 6, currency="USD"),
            purchase(theirs, "bob", "o-3", "99999999999999.999999", 6, currency="USD"),  # points capped, not an error
            purchase(ours, "ada", "o-9", "2.00", 7),
        ],
    )
    await wait_for(lambda: order_recorded(loyalty, theirs, "o-2"), what="their purchase")
    await wait_for(lambda: order_recorded(loyalty, ours, "o-9"), what="our second purchase")
    book = await ledger(loyalty, ours)
    assert points_of(book) == [("earn:order:o-1", "ada", 10), ("earn:order:o-9", "ada", 2)]
    await wait_for(lambda: order_recorded(loyalty, theirs, "o-3"), what="their huge purchase")
    assert points_of(await ledger(loyalty, theirs)) == [
        ("earn:order:o-2", "ada", 3000),
        ("earn:order:o-3", "bob", 10**9),
    ]
    ours_program = (await loyalty.client.get(f"/internal/v1/workspaces/{ours}/program")).json()
    assert (ours_program["version"], ours_program["document"]["currency"]) == (1, "EUR")


async def test_the_program_api_versions_refuses_oversized_and_invalid_documents_and_answers_404_without_one(
    loyalty: RunningService,
) -> None:
    ws = new_workspace()
    url = f"/internal/v1/workspaces/{ws}/program"
    missing = await loyalty.client.get(url)
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")
    assert (await put_program(loyalty, ws, EXAMPLE_PROGRAM))["version"] == 1
    second = await put_program(loyalty, ws, {**EXAMPLE_PROGRAM, "active": False})
    assert (second["version"], second["active"]) == (2, False)
    versions = (await loyalty.client.get(f"{url}/versions")).json()
    assert [v["version"] for v in versions] == [2, 1]

    huge = {**PROGRAM, "name": "x" * 100, "padding": "y" * (MAX_PROGRAM_BYTES + 1)}
    refused = await loyalty.client.put(url, content=orjson.dumps(huge), headers={"content-type": "application/json"})
    assert refused.status_code == 413, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    invalid = await loyalty.client.put(url, json={**PROGRAM, "currency": "euro", "earn": {"points_per_unit": "-1"}})
    assert invalid.status_code == 422
    fields = {error["field"] for error in invalid.json()["errors"]}
    assert fields == {"currency", "earn.points_per_unit"}
    too_many = {
        **PROGRAM,
        "earn": {"points_per_unit": "1", "multipliers": [{"sku": f"s{i}", "multiplier": "2"} for i in range(201)]},
    }
    assert (await loyalty.client.put(url, json=too_many)).status_code == 422
    not_json = await loyalty.client.put(url, content=b"{", headers={"content-type": "application/json"})
    assert not_json.status_code == 422
    assert (await loyalty.client.get(url)).json()["version"] == 2  # nothing refused was stored


TIERED: dict[str, Any] = {
    "name": "Tea club",
    "currency": "EUR",
    "earn": {
        "points_per_unit": "1",
        "bonuses": [{"on": "birthday_month", "points": 100}, {"on": "survey_answer", "points": 20}],
    },
    "tiers": {
        "basis": "spend",
        "window_months": 12,
        "ladder": [
            {"name": "member", "threshold": "0"},
            {"name": "silver", "threshold": "500", "earn_multiplier": "1.25"},
            {"name": "gold", "threshold": "1500", "earn_multiplier": "1.5"},
        ],
    },
    "redemption": {"point_value": "0.01"},
}


async def test_bonuses_and_tiers_a_tier_reached_multiplies_the_next_purchase_and_a_refund_never_lowers_it(
    loyalty: RunningService, topics: str
) -> None:
    ws = new_workspace()
    await put_program(loyalty, ws, TIERED)
    await publish(
        topics,
        RESOLVED,
        [
            resolved("identify", ws, "ada", {"traits": {"birthday": "--06-10"}}, 0),
            purchase(ws, "ada", "o-1", "600.00", 1),  # silver from here on
            resolved("survey", ws, "ada", {"nps": 10, "survey_id": "s-1"}, 2),
            purchase(ws, "ada", "o-2", "100.00", 3),  # at silver's 1.25
            refund(ws, "ada", "o-1", "600.00", 4),
            resolved("identify", ws, "bob", {"traits": {"birthday": "1985-06-30"}}, 5),
            purchase(ws, "bob", "o-3", "10.00", 6),  # bob's own birthday bonus
        ],
    )
    refund_id = f"reverse:refund:o-1:{(T0 + dt.timedelta(minutes=4)).isoformat()}:600"
    await wait_for(lambda: entry_recorded(loyalty, ws, refund_id), what="the refund")
    await wait_for(lambda: order_recorded(loyalty, ws, "o-3"), what="bob's purchase")
    book = await ledger(loyalty, ws)
    assert points_of(book) == [
        ("bonus:birthday:ada:2026", "ada", 100),
        ("bonus:birthday:bob:2026", "bob", 100),
        ("bonus:survey:ada:s-1", "ada", 20),
        ("earn:order:o-1", "ada", 600),
        ("earn:order:o-2", "ada", 125),
        ("earn:order:o-3", "bob", 10),
        (refund_id, "ada", -700),  # the order's own points and the birthday bonus it brought
    ]
    assert balances(book) == {"ada": (145, 0), "bob": (110, 0)}
    members = await rows(
        loyalty,
        "SELECT tier, birthday_month, birthday_bonus_year FROM members WHERE workspace = $1 ORDER BY customer_id",
        ws,
    )
    assert members == [
        {"tier": "silver", "birthday_month": 6, "birthday_bonus_year": 2026},
        {"tier": "member", "birthday_month": 6, "birthday_bonus_year": 2026},
    ]
    changes = await loyalty_events(topics, ws, "loyalty.tier_changed", expect=2)
    [changed] = [c for c in changes if c["data"]["customer_id"] == "ada"]
    assert {k: changed["data"].get(k) for k in ("previous", "current", "direction", "qualifying_value")} == {
        "previous": None,  # written without: the member had no tier
        "current": "silver",
        "direction": "up",
        "qualifying_value": "600.00",
    }


async def test_a_refund_before_its_purchase_waits_for_it_and_then_takes_back_its_share(
    loyalty: RunningService, topics: str
) -> None:
    ws = new_workspace()
    await put_program(loyalty, ws)
    await publish(topics, RESOLVED, [refund(ws, "ada", "o-1", "50.00", 30), purchase(ws, "ada", "o-0", "1.00", 31)])
    await wait_for(lambda: order_recorded(loyalty, ws, "o-0"), what="the refund consumed")
    waiting = await rows(loyalty, "SELECT entry_id, amount FROM pending_refunds WHERE workspace = $1", ws)
    refund_id = f"reverse:refund:o-1:{(T0 + dt.timedelta(minutes=30)).isoformat()}:50"
    assert [(w["entry_id"], w["amount"]) for w in waiting] == [(refund_id, 50)]

    await publish(topics, RESOLVED, [purchase(ws, "ada", "o-1", "200.00", 0)])  # the purchase, late
    await wait_for(lambda: entry_recorded(loyalty, ws, refund_id), what="the waiting refund applied")
    book = await ledger(loyalty, ws)
    assert points_of(book) == [
        ("earn:order:o-0", "ada", 1),
        ("earn:order:o-1", "ada", 200),
        (refund_id, "ada", -50),
    ]
    assert balances(book) == {"ada": (151, 0)}
    assert await rows(loyalty, "SELECT 1 FROM pending_refunds WHERE workspace = $1", ws) == []
    # The same refund again, under a new id: nothing more.
    await publish(topics, RESOLVED, [{**refund(ws, "ada", "o-1", "50.00", 30), "id": str(uuid.uuid4())}])
    await publish(topics, RESOLVED, [purchase(ws, "ada", "o-2", "1.00", 40)])
    await wait_for(lambda: order_recorded(loyalty, ws, "o-2"), what="the replay consumed")
    assert balances(await ledger(loyalty, ws)) == {"ada": (152, 0)}


async def test_a_contract_invalid_points_request_is_dead_lettered_with_its_reason(
    loyalty: RunningService, topics: str
) -> None:
    ws = new_workspace()
    await put_program(loyalty, ws)
    broken = points_requested(ws, f"act-{uuid.uuid4().hex[:6]}", "ada", 0)  # points: at least 1
    await publish(topics, JOURNEY_ACTIONS, [broken, points_requested(ws, "act-ok", "ada", 3)])
    await wait_for(lambda: entry_recorded(loyalty, ws, "journey:act-ok"), what="the valid request")

    def ours(record: Any) -> bool:
        return broken["id"].encode() in record.value and dict(record.headers)["flywheel-dlq-service"] == b"loyalty"

    [dead] = await read_topic(topics, DEADLETTER, expect=1, match=ours)
    reason = dict(dead.headers)["flywheel-dlq-reason"].decode()
    assert "points" in reason, reason
    assert not await entry_recorded(loyalty, ws, f"journey:{broken['id']}")
