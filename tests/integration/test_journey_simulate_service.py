"""Dry runs and measured lift on the running journey service (real PostgreSQL, a real broker, a real webhook
receiver): a simulation of the dormant template over 1,000 customers answers each path and sends, stores and
publishes nothing (every table of the service's database is the same after it, and the receiver gets nothing);
caps count the customer's real recent messages; workspaces stay apart and oversized requests are refused; the
lift of seeded enrolments and purchases (a purchase arriving on the resolved topic is kept once)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import asyncpg
import pytest
from scipy import stats

from contracts.topics import RESOLVED, SCORING_CHANGES
from runtime.db import create_pool
from services.journey import consent_store, simulation_store, store
from services.journey.domain.consent import ConsentChange, identifier_hash, normalised_email
from services.journey.domain.facts import FactsRecord
from services.journey.simulation_store import JourneyPurchase
from tests.helpers import publish, wait_for
from tests.integration.conftest import RunningService
from tests.integration.journey_context import START, clock, journey, publish_keyed
from tests.integration.test_journey_service import dormant
from tests.webhook_receiver import running_receiver

__all__ = ["clock", "journey"]  # the module's clock and running service (fixtures)

DAY = dt.timedelta(days=1)
ENTRY = START - 40 * DAY  # the seeded enrolments' (their 30 days of purchases are over by START)


@pytest.fixture(scope="module")
async def pool(journey: RunningService) -> AsyncIterator[asyncpg.Pool]:
    """The journey database, with the services' codecs (jsonb as Python values)."""
    pool = await create_pool(journey.settings)
    try:
        yield pool
    finally:
        await pool.close()


async def seed_customers(pool: asyncpg.Pool, ws: str, ids: list[str], segment: str | None = None) -> None:
    async with pool.acquire() as conn:
        records = {
            c: FactsRecord(traits={"first_name": f"N{c}"}, segments={segment} if segment else set()) for c in ids
        }
        await store.save_facts(conn, ws, records)


async def snapshot(pool: asyncpg.Pool, ws: str) -> dict[str, str]:
    """Every table of the journey database, as a digest of its rows: the workspace's rows where a table has a
    `workspace` column or key (the module's service keeps consuming other tests' events meanwhile), all rows
    elsewhere."""
    async with pool.acquire() as conn:
        tables = await conn.fetch(
            """SELECT t.tablename, EXISTS (SELECT 1 FROM information_schema.columns c
                                             WHERE c.table_schema = t.schemaname AND c.table_name = t.tablename
                                               AND c.column_name = 'workspace') AS per_workspace
                 FROM pg_tables t WHERE t.schemaname = current_schema() ORDER BY t.tablename"""
        )
        digests = {}
        for t in tables:
            name = t["tablename"]
            rows = "string_agg(x::text, '|' ORDER BY x::text)"
            query = f"SELECT count(*) || coalesce(md5({rows}), '') FROM \"{name}\" x"  # noqa: S608
            if t["per_workspace"]:
                digests[name] = await conn.fetchval(query + " WHERE x.workspace = $1", ws)
            elif name == "flywheel_outbox":  # keyed `<workspace>:<customer>`, as everything journey publishes
                digests[name] = await conn.fetchval(query + " WHERE encode(x.key, 'escape') LIKE $1 || ':%'", ws)
            else:
                digests[name] = await conn.fetchval(query)
        return digests


async def template_journey(journey: RunningService, ws: str, **parameters: Any) -> str:
    created = await journey.client.post(
        f"/internal/v1/workspaces/{ws}/journey-templates/dormant_reactivation", json=parameters
    )
    assert created.status_code == 201, created.text
    journey_id: str = created.json()["journey_id"]
    return journey_id


async def simulate(journey: RunningService, ws: str, journey_id: str, body: dict[str, Any]) -> Any:
    return await journey.client.post(f"/internal/v1/workspaces/{ws}/journeys/{journey_id}/simulate", json=body)


async def test_a_simulation_of_the_dormant_template_over_1000_customers_sends_and_stores_nothing(
    journey: RunningService, pool: asyncpg.Pool, topics: str
) -> None:
    ws = f"ws-{uuid.uuid4().hex[:10]}"
    base = f"/internal/v1/workspaces/{ws}"
    channel = await journey.client.put(f"{base}/channel", json={"webhook_url": "http://127.0.0.1:9/none"})
    async with running_receiver(channel.json()["secret"]) as receiver:
        receiver.tolerance_s = 365 * 86400
        assert (await journey.client.put(f"{base}/channel", json={"webhook_url": receiver.url})).status_code == 200
        journey_id = await template_journey(journey, ws)
        assert (await journey.client.post(f"{base}/journeys/{journey_id}/activate")).status_code == 200
        ids = [f"c{i:04d}" for i in range(1000)]
        await seed_customers(pool, ws, ids)
        before = await snapshot(pool, ws)

        answer = await simulate(journey, ws, journey_id, {"customer_ids": ids, "start_at": START.isoformat()})

        assert answer.status_code == 200, answer.text
        result = answer.json()
        assert [c["customer_id"] for c in result["customers"]] == ids and result["unknown_customers"] == []
        assert result["summary"] == {"ended": {"completed": 1000}, "messages": {"email": 2000}, "held_back": {}}
        first = result["customers"][0]
        assert [p["step_id"] for p in first["path"]] == [
            "value_report", "wait_purchase", "limited_offer", "wait_follow_up", "advisor", "done"
        ]  # fmt: skip
        assert first["messages"][0]["preview"] == "Hi Nc0000, here is what you got from us so far."
        assert [a["kind"] for a in first["actions"]] == ["sales_task"]
        assert await snapshot(pool, ws) == before  # nothing written: enrolments, deliveries, stats, outbox...
        stats_now = (await journey.client.get(f"{base}/journeys/{journey_id}/stats")).json()
        assert stats_now["entered"] == 0

        # The channel works: a real dormant customer gets the one real message, and only that one arrives.
        await publish_keyed(topics, SCORING_CHANGES, [dormant(ws, "c0001", START)])
        await receiver.wait_for_count(1, within=30)
        assert [r.body["customer_id"] for r in receiver.received] == ["c0001"]


async def test_caps_count_the_customers_real_recent_messages_in_a_simulation(
    journey: RunningService, pool: asyncpg.Pool
) -> None:
    ws = f"ws-{uuid.uuid4().hex[:10]}"
    capped = {
        "name": "Capped",
        "trigger": {"type": "dormant"},
        "entry_step": "hello",
        "steps": {
            "hello": {
                "type": "action",
                "action": {"kind": "webhook", "channel": "email", "template": "Hello"},
                "next": "done",
            },
            "done": {"type": "exit"},
        },
        "settings": {"frequency_cap": {"messages": 1, "per": "1d", "when_capped": "skip"}},
    }
    created = await journey.client.post(f"/internal/v1/workspaces/{ws}/journeys", json=capped)
    journey_id = created.json()["journey_id"]
    await seed_customers(pool, ws, ["fresh", "messaged"])
    async with pool.acquire() as conn:
        await store.record_messages(
            conn, ws, [("messaged", "real-action-1", "email", "another")], START - dt.timedelta(hours=2)
        )
    answer = await simulate(
        journey, ws, journey_id, {"customer_ids": ["fresh", "messaged"], "start_at": START.isoformat()}
    )
    assert answer.status_code == 200, answer.text
    fresh, messaged = answer.json()["customers"]
    assert len(fresh["messages"]) == 1 and fresh["held_back"] == []
    assert messaged["messages"] == [] and [h["reason"] for h in messaged["held_back"]] == ["frequency_cap"]
    # A day later the real message has left the window.
    later = await simulate(
        journey, ws, journey_id, {"customer_ids": ["messaged"], "start_at": (START + DAY).isoformat()}
    )
    assert len(later.json()["customers"][0]["messages"]) == 1


def when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


async def test_consent_and_the_workspace_cap_apply_in_a_simulation(journey: RunningService, pool: asyncpg.Pool) -> None:
    ws = f"ws-{uuid.uuid4().hex[:10]}"
    base = f"/internal/v1/workspaces/{ws}"
    journey_id = await template_journey(journey, ws)
    caps = {"caps": {"email": {"messages": 1, "per": "1d"}}}
    assert (await journey.client.put(f"{base}/messaging-settings", json=caps)).status_code == 200
    listed = identifier_hash(normalised_email("listed@example.com"))
    assert (await journey.client.post(f"{base}/suppressions", json={"hashes": [listed]})).status_code == 200
    customers = ["fresh", "capped", "unsubscribed", "listed"]
    await seed_customers(pool, ws, customers)
    earlier = START - dt.timedelta(hours=2)
    async with pool.acquire() as conn:
        await store.record_messages(conn, ws, [("capped", "real-1", "email", "another-journey")], earlier)
        change = ConsentChange("unsubscribed", "email", "unsubscribed", "unsubscribe_link", START - DAY, "e-1")
        await consent_store.record_consent(conn, ws, [change])
        await consent_store.record_identifier_hashes(conn, ws, [("listed", listed)])
    before = await snapshot(pool, ws)

    answer = await simulate(journey, ws, journey_id, {"customer_ids": customers, "start_at": START.isoformat()})

    assert answer.status_code == 200, answer.text
    runs = {c["customer_id"]: c for c in answer.json()["customers"]}
    assert [when(m["at"]) for m in runs["fresh"]["messages"]] == [START, START + 3 * DAY]
    capped = runs["capped"]
    assert capped["waits"][0]["why"] == "workspace_cap:email"
    assert when(capped["messages"][0]["at"]) == earlier + DAY
    assert [h["reason"] for h in runs["unsubscribed"]["held_back"]] == ["consent:unsubscribed:email"] * 2
    assert [h["reason"] for h in runs["listed"]["held_back"]] == ["consent:suppressed"] * 2
    assert runs["unsubscribed"]["messages"] == [] and runs["listed"]["messages"] == []
    assert answer.json()["summary"]["held_back"] == {"consent:suppressed": 2, "consent:unsubscribed:email": 2}
    assert await snapshot(pool, ws) == before


async def test_workspaces_stay_apart_and_oversized_requests_are_refused(
    journey: RunningService, pool: asyncpg.Pool
) -> None:
    ws, other = f"ws-{uuid.uuid4().hex[:10]}", f"ws-{uuid.uuid4().hex[:10]}"
    journey_id = await template_journey(journey, ws)
    theirs = await template_journey(journey, other)
    await seed_customers(pool, ws, [f"m{i:04d}" for i in range(1001)], segment="big")
    await seed_customers(pool, ws, ["mine"], segment="small")
    await seed_customers(pool, other, ["theirs"], segment="small")

    assert (await simulate(journey, ws, theirs, {"customer_ids": ["mine"]})).status_code == 404
    foreign = (await simulate(journey, ws, journey_id, {"customer_ids": ["mine", "theirs"]})).json()
    assert [c["customer_id"] for c in foreign["customers"]] == ["mine"] and foreign["unknown_customers"] == ["theirs"]
    small = (await simulate(journey, ws, journey_id, {"segment_id": "small"})).json()
    assert [c["customer_id"] for c in small["customers"]] == ["mine"]
    assert (await simulate(journey, ws, journey_id, {"customer_ids": ["mine"], "version": 2})).status_code == 404

    # A workspace already running its share of simulations on this replica is refused (409); the others go on.
    running = journey.app.state.context.simulations
    running.running[ws] = running.per_workspace
    try:
        busy = await simulate(journey, ws, journey_id, {"customer_ids": ["mine"]})
        assert busy.status_code == 409 and "already runs" in busy.json()["detail"]
        assert (await simulate(journey, other, theirs, {"customer_ids": ["theirs"]})).status_code == 200
    finally:
        del running.running[ws]

    refused: dict[str, dict[str, Any]] = {
        "too many ids": {"customer_ids": [f"m{i:04d}" for i in range(1001)]},
        "too big a segment": {"segment_id": "big"},
        "both": {"customer_ids": ["mine"], "segment_id": "small"},
        "neither": {},
        "too far": {"customer_ids": ["mine"], "horizon": "400d"},
        "not a duration": {"customer_ids": ["mine"], "horizon": "soon"},
        "an unknown field": {"customer_ids": ["mine"], "assume": {}},
        "an id too long": {"customer_ids": ["x" * 65]},
    }
    for what, body in refused.items():
        answer = await simulate(journey, ws, journey_id, body)
        assert answer.status_code == 422, (what, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json"), what


async def test_lift_from_seeded_enrolments_and_purchases(
    journey: RunningService, pool: asyncpg.Pool, topics: str
) -> None:
    ws = f"ws-{uuid.uuid4().hex[:10]}"
    journey_id = await template_journey(journey, ws)
    base = f"/internal/v1/workspaces/{ws}"
    empty = (await journey.client.get(f"{base}/journeys/{journey_id}/lift")).json()
    assert empty["enrolled"]["customers"] == 0 and empty["conversion_rate_difference"] is None
    assert empty["revenue_per_customer_difference"] is None and empty["window"] == "30d"

    # Newcombe's example: 56 of 70 enrolled converted, 48 of 80 held out.
    rows, purchases = [], []
    revenue: dict[bool, list[float]] = {False: [], True: []}
    for i in range(150):
        held = i >= 70
        converted = (i < 56) if not held else (i - 70 < 48)
        customer = f"k{i:03d}"
        rows.append((f"en-{i}", customer, "converted" if converted else "completed", held))
        spent = Decimal(i % 7) * Decimal("10.50") if i % 3 else Decimal(0)
        if spent:
            purchases.append((f"p-{i}", customer, spent, ENTRY + 2 * DAY))
        revenue[held].append(float(spent))
    # Outside the window, before entry, or of a second enrolment: not counted.
    purchases += [
        ("p-late", "k000", Decimal(999), ENTRY + 31 * DAY),
        ("p-early", "k001", Decimal(999), ENTRY - DAY),
    ]
    rows.append(("en-again", "k002", "converted", True))  # a later enrolment of k002 (held out): its first counts
    async with pool.acquire() as conn:
        await conn.executemany(
            """INSERT INTO enrolments (workspace, enrolment_id, journey_id, version, customer_id, status, holdout,
                                       entered_at) VALUES ($1, $2, $3, 1, $4, $5, $6, $7)""",
            [
                (ws, e, journey_id, c, s, h, ENTRY + (DAY if e == "en-again" else dt.timedelta(0)))
                for e, c, s, h in rows
            ],
        )
        await conn.executemany(
            """INSERT INTO journey_purchases (workspace, event_id, customer_id, amount, occurred_at)
               VALUES ($1, $2, $3, $4, $5)""",
            [(ws, *p) for p in purchases],
        )

    lift = (await journey.client.get(f"{base}/journeys/{journey_id}/lift")).json()
    assert lift["enrolled"]["customers"] == 70 and lift["held_out"]["customers"] == 80
    assert (lift["enrolled"]["converted"], lift["held_out"]["converted"]) == (56, 48)
    conversion = lift["conversion_rate_difference"]
    assert conversion["method"] == "newcombe_wilson"
    assert conversion["estimate"] == pytest.approx(0.2)
    assert (round(conversion["low"], 4), round(conversion["high"], 4)) == (0.0524, 0.3339)
    money = lift["revenue_per_customer_difference"]
    expected = stats.ttest_ind(revenue[False], revenue[True], equal_var=False).confidence_interval(0.95)
    assert lift["enrolled"]["revenue_per_customer"] == pytest.approx(sum(revenue[False]) / 70)
    assert money["estimate"] == pytest.approx(sum(revenue[False]) / 70 - sum(revenue[True]) / 80)
    assert (money["low"], money["high"]) == pytest.approx((expected.low, expected.high))

    # A resolved purchase is kept once, under its customer, even when delivered twice.
    event = {
        "specversion": "1.0", "id": f"p-{uuid.uuid4().hex[:8]}", "source": "tests", "type": "purchase",
        "time": START.isoformat(), "workspace": ws, "customerid": "k100",
        "data": {"customer": {"external_id": "k100"}, "order_id": "o-1", "amount": "12.34"},
    }  # fmt: skip
    await publish(topics, RESOLVED, [event, event])

    async def kept() -> list[Any] | None:
        async with pool.acquire() as conn:
            found = await conn.fetch(
                "SELECT customer_id, amount FROM journey_purchases WHERE workspace = $1 AND event_id = $2",
                ws,
                event["id"],
            )
        return [tuple(r) for r in found] or None

    assert await wait_for(kept, what="the purchase kept") == [("k100", Decimal("12.3400"))]
    assert (
        await journey.client.get(f"/internal/v1/workspaces/other-{ws}/journeys/{journey_id}/lift")
    ).status_code == 404


async def test_a_merge_moves_purchases_to_the_survivor_and_an_undo_gives_them_back(pool: asyncpg.Pool) -> None:
    ws = f"ws-{uuid.uuid4().hex[:10]}"
    bought = [
        JourneyPurchase("p-s", "survivor", Decimal(10), START),
        JourneyPurchase("p-m", "merged", Decimal(20), START),
    ]
    async with pool.acquire() as conn:
        await simulation_store.record_purchases(conn, ws, bought)
        await simulation_store.merge_purchases(conn, ws, "survivor", "merged")
        await simulation_store.record_purchases(conn, ws, [JourneyPurchase("p-after", "survivor", Decimal(5), START)])
        merged = await conn.fetch("SELECT event_id, customer_id FROM journey_purchases WHERE workspace = $1", ws)
        assert {(r["event_id"], r["customer_id"]) for r in merged} == {
            ("p-s", "survivor"), ("p-m", "survivor"), ("p-after", "survivor")
        }  # fmt: skip
        await simulation_store.unmerge_purchases(conn, ws, "survivor", "merged", ["p-after"])
        await simulation_store.unmerge_purchases(conn, ws, "survivor", "merged", ["p-after"])  # a replay: the same
        undone = await conn.fetch("SELECT event_id, customer_id FROM journey_purchases WHERE workspace = $1", ws)
        assert {(r["event_id"], r["customer_id"]) for r in undone} == {
            ("p-s", "survivor"), ("p-m", "merged"), ("p-after", "merged")
        }  # fmt: skip
        await simulation_store.erase_purchases(conn, ws, ["merged"])
        left = await conn.fetch("SELECT event_id FROM journey_purchases WHERE workspace = $1", ws)
        assert [r["event_id"] for r in left] == ["p-s"]
