"""The sales service on real PostgreSQL and a real broker, on a clock the test moves: journey task requests,
SOP tasks and move rules, quote approval, reminders, signals, merges and erasure. One service for the
module (each test has its own workspace), so the consumer group joins once."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaProducer

from contracts.topics import JOURNEY_ACTIONS, PROFILE_LIFECYCLE, RESOLVED, SALES_EVENTS, SCORING_CHANGES
from devstack.postgres import LocalPostgres
from services.sales import analytics_store, signal_store
from services.sales.wiring import create_app
from tests.helpers import read_topic, wait_for
from tests.integration.conftest import MovableClock, RunningService, running_app
from tests.integration.sales_history import UPSELL_STAGES, assert_matches, expected_analytics, generate_history

START = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def clock() -> MovableClock:
    return MovableClock(START)


@pytest.fixture(scope="module")
async def sales(
    postgres: LocalPostgres, topics: str, broker_kind: str, clock: MovableClock
) -> AsyncIterator[RunningService]:
    async with running_app(
        "sales", create_app, postgres, topics, broker_kind, app_kwargs={"clock": clock}, sales_tick_s=0.05
    ) as service:
        yield service


def workspace() -> str:
    return f"ws-{uuid.uuid4().hex[:10]}"


def envelope(ws: str, event_type: str, data: dict[str, Any], *, event_id: str | None = None, **extra: Any) -> Any:
    return {
        "specversion": "1.0",
        "id": event_id or f"{event_type}:{uuid.uuid4().hex[:10]}",
        "source": "tests",
        "type": event_type,
        "time": extra.pop("time", START).isoformat(),
        "workspace": ws,
        "data": data,
        **extra,
    }


async def send(bootstrap: str, topic: str, ws: str, docs: list[tuple[str, Any]]) -> None:
    """Publish (customer_id, event) pairs keyed `<workspace>:<customer_id>`, as profile, scoring and journey do."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for customer_id, doc in docs:
            await producer.send_and_wait(topic, orjson.dumps(doc), key=f"{ws}:{customer_id}".encode())
    finally:
        await producer.stop()


def task_request(
    ws: str, customer_id: str, action_id: str, rule: str, team: str | None = None, **churn_context: Any
) -> Any:
    data = {
        "customer_id": customer_id,
        "journey_id": "j1",
        "journey_version": 1,
        "enrolment_id": f"en_{customer_id}",
        "step_id": "advisor",
        "title": f"Advisor follow-up for {customer_id}",
        "reason": "dormant for 94 days",
        "assignee_rule": rule,
        "team": team,
        "due_at": (START + dt.timedelta(days=2)).isoformat(),
        **churn_context,
    }
    return envelope(ws, "sales.task_requested", data, event_id=action_id)


async def tasks_of(sales: RunningService, ws: str, customer_id: str) -> list[Any]:
    response = await sales.client.get(f"/internal/v1/workspaces/{ws}/customers/{customer_id}/tasks")
    assert response.status_code == 200, response.text
    items: list[Any] = response.json()["items"]
    return items


def sales_events(ws: str, *types: str) -> Any:
    def match(record: Any) -> bool:
        doc = orjson.loads(record.value)
        return bool(doc["workspace"] == ws and (not types or doc["type"] in types))

    return match


async def test_journey_task_requests_become_tasks_assigned_by_owner_and_round_robin(
    sales: RunningService, topics: str
) -> None:
    ws = workspace()
    base = f"/internal/v1/workspaces/{ws}"
    assert (await sales.client.put(f"{base}/customers/c1/owner", json={"owner": "olga"})).status_code == 200
    team = await sales.client.put(f"{base}/teams/advisors", json={"members": ["ana", "ben"]})
    assert team.json() == {"team": "advisors", "members": ["ana", "ben"], "next_member": "ana"}

    requests = [
        ("c1", task_request(ws, "c1", "act-1", "customer_owner", churn_reasons=["no visit in 30 days"])),
        ("c2", task_request(ws, "c2", "act-2", "round_robin", "advisors")),
        ("c3", task_request(ws, "c3", "act-3", "round_robin", "advisors")),
        ("c4", task_request(ws, "c4", "act-4", "customer_owner")),  # no owner: unassigned
    ]
    await send(topics, JOURNEY_ACTIONS, ws, requests)
    await send(topics, JOURNEY_ACTIONS, ws, requests[:1])  # the same action again: still one task

    async def all_tasks() -> dict[str, list[Any]] | None:
        found = {c: await tasks_of(sales, ws, c) for c in ("c1", "c2", "c3", "c4")}
        return found if all(found.values()) else None

    found = await wait_for(all_tasks, what="four journey tasks")
    assert found["c1"][0]["assignee"] == "olga"
    assert {found["c2"][0]["assignee"], found["c3"][0]["assignee"]} == {"ana", "ben"}
    assert found["c4"][0]["assignee"] is None
    task = found["c1"][0]
    assert set(task) == {
        "task_id", "title", "status", "assignee", "due_at", "source", "deal_id", "customer_id", "created_at",
        "completed_at", "churn_reasons", "predicted_clv",
    }  # fmt: skip
    assert (task["churn_reasons"], task["predicted_clv"]) == (["no visit in 30 days"], None)  # as the journey knew
    assert (task["source"], task["status"], task["deal_id"]) == ("journey", "open", None)
    assert (await sales.client.get(f"{base}/teams/advisors")).json()["next_member"] == "ana"  # two turns taken

    created = await read_topic(topics, SALES_EVENTS, expect=4, match=sales_events(ws, "sales.task_created"))
    assert len(created) == 4
    assert len(await tasks_of(sales, ws, "c1")) == 1


async def move(sales: RunningService, ws: str, deal_id: str, stage: str, override: str | None = None) -> Any:
    body = {"stage": stage} | ({"override_reason": override} if override else {})
    return await sales.client.post(f"/internal/v1/workspaces/{ws}/deals/{deal_id}/move", json=body)


async def test_moving_a_deal_follows_the_rules_and_creates_the_sop_tasks(sales: RunningService) -> None:
    ws = workspace()
    base = f"/internal/v1/workspaces/{ws}"
    body = {"customer_id": "c1", "title": "Grinder upgrade", "amount": "1200", "currency": "EUR", "owner": "ana"}
    created = await sales.client.post(f"{base}/deals", json=body, headers={"Idempotency-Key": "k1"})
    assert created.status_code == 201, created.text
    deal = created.json()
    again = await sales.client.post(f"{base}/deals", json=body, headers={"Idempotency-Key": "k1"})
    assert again.json()["deal_id"] == deal["deal_id"]
    assert (deal["stage"], deal["status"], deal["amount"], deal["blockers"]) == (
        "identified", "open", "1200.00", ["checklist review"]
    )  # fmt: skip
    deal_id = deal["deal_id"]

    tasks = await tasks_of(sales, ws, "c1")
    assert [(t["title"], t["source"], t["assignee"], t["deal_id"]) for t in tasks] == [
        ("Review purchase history and lead score", "sop", "ana", deal_id)
    ]

    refused = await move(sales, ws, deal_id, "contacted")
    assert refused.status_code == 409 and refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["blockers"] == ["checklist review"]

    done = await sales.client.post(f"{base}/tasks/{tasks[0]['task_id']}/complete", json={"completed_by": "ana"})
    assert done.json()["status"] == "done"
    moved = await move(sales, ws, deal_id, "contacted")
    assert moved.status_code == 200, moved.text
    assert moved.json()["blockers"] == ["checklist call", "field need"]
    titles = [t["title"] for t in await tasks_of(sales, ws, "c1")]
    assert titles == ["Call the customer about their next order", "Review purchase history and lead score"]

    assert (await move(sales, ws, deal_id, "proposal")).status_code == 409
    overridden = await move(sales, ws, deal_id, "proposal", override="customer ordered by phone")
    assert overridden.status_code == 200
    history = overridden.json()["stage_history"]
    assert [h["stage"] for h in history] == ["identified", "contacted", "proposal"]
    assert history[1]["override_reason"] == "customer ordered by phone"
    assert history[1]["overridden"] == ["checklist call", "field need"]
    proposal_tasks = {t["title"] for t in await tasks_of(sales, ws, "c1")}
    assert {"Send a quote", "Follow up on the quote"} <= proposal_tasks

    back = await move(sales, ws, deal_id, "identified")  # backwards, with the quote task open: allowed
    assert back.status_code == 200 and back.json()["stage"] == "identified"
    assert sum(t == "Review purchase history and lead score" for t in [
        t["title"] for t in await tasks_of(sales, ws, "c1")
    ]) == 2  # fmt: skip

    lost = await sales.client.post(f"{base}/deals/{deal_id}/lost", json={"reason": "budget frozen"})
    assert lost.json()["status"] == "lost"
    assert (await move(sales, ws, deal_id, "contacted")).status_code == 409
    assert (await sales.client.post(f"{base}/deals/{deal_id}/won", json={})).status_code == 409
    listed = (await sales.client.get(f"{base}/customers/c1/deals")).json()
    assert listed["next_cursor"] is None and [d["status"] for d in listed["items"]] == ["lost"]
    assert set(listed["items"][0]) == {
        "deal_id", "pipeline_id", "title", "stage", "status", "amount", "currency", "owner", "customer_id",
        "created_at", "updated_at",
    }  # fmt: skip
    both = (await sales.client.get(f"{base}/customers/c1/sales")).json()  # the 360 view's one call
    assert both["deals"] == listed
    assert both["tasks"] == (await sales.client.get(f"{base}/customers/c1/tasks")).json()
    assert (await sales.client.get(f"/internal/v1/workspaces/{workspace()}/deals/{deal_id}")).status_code == 404


async def test_a_quote_above_the_discount_threshold_needs_a_managers_approval(
    sales: RunningService, topics: str
) -> None:
    ws = workspace()
    base = f"/internal/v1/workspaces/{ws}"
    settings = {"discount_approval_threshold_percent": "15", "managers": ["maria"]}
    assert (await sales.client.put(f"{base}/sales-settings", json=settings)).status_code == 200
    body = {"customer_id": "c9", "title": "Office coffee", "amount": "1000", "currency": "EUR"}
    deal_id = (await sales.client.post(f"{base}/deals", json=body)).json()["deal_id"]
    lines = [{"sku": "beans-1kg", "quantity": 40, "unit_price": "25.00"}]

    quote = await sales.client.post(f"{base}/deals/{deal_id}/quotes", json={"lines": lines, "discount_percent": 20})
    assert quote.status_code == 201, quote.text
    assert (quote.json()["status"], quote.json()["subtotal"], quote.json()["total"]) == (
        "pending_approval", "1000.00", "800.00"
    )  # fmt: skip
    quote_id = quote.json()["quote_id"]

    refused = await sales.client.post(f"{base}/quotes/{quote_id}/accept")
    assert refused.status_code == 409 and refused.headers["content-type"] == "application/problem+json"
    assert "approve" in refused.json()["detail"]
    not_manager = await sales.client.post(f"{base}/quotes/{quote_id}/approve", json={"approver": "sam"})
    assert not_manager.status_code == 403
    assert (await sales.client.get(f"{base}/deals/{deal_id}")).json()["status"] == "open"

    approved = await sales.client.post(
        f"{base}/quotes/{quote_id}/approve", json={"approver": "maria", "comment": "strategic account"}
    )
    assert approved.json()["status"] == "approved" and approved.json()["approver"] == "maria"
    accepted = await sales.client.post(f"{base}/quotes/{quote_id}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    deal = (await sales.client.get(f"{base}/deals/{deal_id}")).json()
    assert (deal["status"], deal["amount"], deal["close_reason"]) == ("won", "800.00", f"accepted quote {quote_id}")

    # Under the threshold: acceptable at once.
    other = (await sales.client.post(f"{base}/deals", json=body)).json()["deal_id"]
    small = await sales.client.post(f"{base}/deals/{other}/quotes", json={"lines": lines, "discount_percent": "10"})
    assert small.json()["status"] == "open"
    assert (await sales.client.post(f"{base}/quotes/{small.json()['quote_id']}/accept")).status_code == 200

    events = await read_topic(
        topics,
        SALES_EVENTS,
        expect=4,
        match=sales_events(ws, "sales.quote_approval_requested", "sales.quote_decided", "sales.deal_won"),
    )
    assert sorted(orjson.loads(r.value)["type"] for r in events) == [
        "sales.deal_won", "sales.deal_won", "sales.quote_approval_requested", "sales.quote_decided"
    ]  # fmt: skip


async def test_reminders_are_published_once_when_due_and_once_when_overdue(
    sales: RunningService, topics: str, clock: MovableClock
) -> None:
    ws = workspace()
    base = f"/internal/v1/workspaces/{ws}"
    due_at = clock.now + dt.timedelta(days=3)
    body = {"title": "Send the catalogue", "due_at": due_at.isoformat(), "customer_id": "c5", "assignee": "ana"}
    task_id = (await sales.client.post(f"{base}/tasks", json=body)).json()["task_id"]
    reminders = sales_events(ws, "sales.task_due", "sales.task_overdue")

    clock.advance(dt.timedelta(days=2, hours=1))  # within the default 24 h lead
    due = await read_topic(topics, SALES_EVENTS, expect=1, match=reminders)
    assert orjson.loads(due[0].value)["type"] == "sales.task_due"
    clock.advance(dt.timedelta(days=1))  # past due
    both = await read_topic(topics, SALES_EVENTS, expect=2, match=reminders)
    assert [orjson.loads(r.value)["type"] for r in both] == ["sales.task_due", "sales.task_overdue"]
    assert all(orjson.loads(r.value)["data"]["task_id"] == task_id for r in both)

    # More rounds pass (a second task's reminder shows the job ran again): still one of each for the first.
    later = {**body, "title": "Later", "due_at": clock.now.isoformat()}
    await sales.client.post(f"{base}/tasks", json=later)
    clock.advance(dt.timedelta(hours=1))
    found = await read_topic(topics, SALES_EVENTS, expect=4, match=reminders)
    assert sorted(orjson.loads(r.value)["data"]["task_id"] == task_id for r in found) == [False, False, True, True]


def resolved(ws: str, customer_id: str, event_type: str, data: dict[str, Any], at: dt.datetime) -> Any:
    data = {"customer": {"external_id": customer_id}, **data}
    return envelope(ws, event_type, data, customerid=customer_id, time=at)


def churn(ws: str, customer_id: str, previous: str | None, current: str, at: dt.datetime) -> Any:
    data = {
        "customer_id": customer_id,
        "previous": previous,
        "current": current,
        "reasons": ["no purchase for 94 days"],
        "predicted_clv": "1240.50",
    }
    return envelope(ws, "churn.risk_changed", data, time=at)


async def test_signals_make_explained_lead_scores_and_an_at_risk_task_once_per_spell(
    sales: RunningService, topics: str, clock: MovableClock
) -> None:
    ws = workspace()
    base = f"/internal/v1/workspaces/{ws}"
    now = clock.now
    await sales.client.put(f"{base}/customers/s1/owner", json={"owner": "olga"})
    items = [
        {"sku": "b1", "category": "coffee", "quantity": 1, "unit_price": "1500"},
        {"sku": "f1", "category": "filters", "quantity": 1, "unit_price": "0"},
    ]
    events = [(c, resolved(ws, c, "visit", {"channel": "web"}, now - dt.timedelta(days=1))) for c in ["s1"] * 5]
    events += [
        ("s1", resolved(ws, "s1", "identify", {"traits": {"company": "Acme"}}, now)),
        *[
            (c, resolved(ws, c, "purchase", {"order_id": f"o-{c}", "amount": "1500", "items": items}, now))
            for c in ("s1", "s2", "s3")
        ],
    ]
    await send(topics, RESOLVED, ws, events)
    segment = {"customer_id": "s1", "previous": "Loyal", "current": "Champions"}
    await send(topics, SCORING_CHANGES, ws, [("s1", envelope(ws, "rfm.segment_changed", segment, time=now))])

    async def scored() -> Any:
        response = await sales.client.get(f"{base}/customers/s1/lead-score")
        body = response.json() if response.status_code == 200 else None
        return body if body and body["score"] >= 90 else None

    score = await wait_for(scored, what="s1's lead score")
    points = {r["rule_id"]: (r["points"], r["detail"]) for r in score["rules"]}
    assert points["engaged"] == (15, "5 visit(s)")
    assert points["recent"][0] == 20 and points["big_spender"] == (20, "revenue 1500.00")
    assert points["company"] == (10, "company set") and points["top_segment"] == (25, "RFM segment Champions")
    assert points["repeat_buyer"][0] == 0 and points["churning"][0] == 0
    assert score["score"] == 90 and score["rules_are_default"] is True

    suggestions = (await sales.client.get(f"{base}/cross-sell", params={"category": "coffee"})).json()
    assert suggestions["customers"] == 3
    assert [(s["suggested"], s["customers"], s["support"], s["lift"]) for s in suggestions["items"]] == [
        ("filters", 3, 1.0, 1.0)
    ]

    # High churn risk for a Champion: one task for the owner per at-risk spell.
    spell = [churn(ws, "s1", "low", "high", now), churn(ws, "s1", "high", "high", now)]
    spell += [churn(ws, "s1", "high", "low", now), churn(ws, "s1", "low", "high", now)]
    await send(topics, SCORING_CHANGES, ws, [("s1", e) for e in spell])

    async def churned() -> Any:
        body = (await sales.client.get(f"{base}/customers/s1/lead-score")).json()
        return body if any(r["rule_id"] == "churning" and r["matched"] for r in body["rules"]) else None

    await wait_for(churned, what="churn band high")

    async def signal_tasks() -> list[Any] | None:
        found = [t for t in await tasks_of(sales, ws, "s1") if t["source"] == "signal"]
        return found if len(found) >= 2 else None

    found = await wait_for(signal_tasks, what="two at-risk spells' tasks")
    assert len(found) == 2 and {t["assignee"] for t in found} == {"olga"}
    # Each carries the churn reasons a salesperson acts on and the customer's predicted CLV, in the event too.
    assert {(tuple(t["churn_reasons"]), t["predicted_clv"]) for t in found} == {
        (("no purchase for 94 days",), "1240.50")
    }
    created = await read_topic(topics, SALES_EVENTS, expect=2, match=sales_events(ws, "sales.task_created"))
    signalled = [orjson.loads(r.value)["data"] for r in created]
    assert [d["churn_reasons"] for d in signalled if d["source"] == "signal"] == [["no purchase for 94 days"]] * 2
    assert not [t for t in await tasks_of(sales, ws, "s2") if t["source"] == "signal"]


async def test_merges_fold_into_the_survivor_and_erasure_forgets_the_customer(
    sales: RunningService, topics: str, clock: MovableClock
) -> None:
    ws = workspace()
    base = f"/internal/v1/workspaces/{ws}"
    body = {"customer_id": "m1", "title": "Ada's espresso upgrade", "amount": "300", "currency": "EUR"}
    deal_id = (await sales.client.post(f"{base}/deals", json=body)).json()["deal_id"]
    overridden = await move(sales, ws, deal_id, "contacted", override="Ada Lovelace called, skip the review")
    assert overridden.status_code == 200, overridden.text
    lost = await sales.client.post(f"{base}/deals/{deal_id}/lost", json={"reason": "Ada Lovelace moved to Paris"})
    assert lost.status_code == 200, lost.text
    await send(topics, RESOLVED, ws, [("m1", resolved(ws, "m1", "visit", {"channel": "web"}, clock.now))])

    async def status_of(path: str, expected: int) -> bool:
        return (await sales.client.get(f"{base}{path}")).status_code == expected

    await wait_for(lambda: status_of("/customers/m1/lead-score", 200), what="m1's signals")
    merged = {"survivor_id": "s9", "merged_id": "m1", "reason": "same email"}
    await send(topics, PROFILE_LIFECYCLE, ws, [("s9", envelope(ws, "profile.merged", merged))])

    async def survivor_deals() -> list[Any] | None:
        items: list[Any] = (await sales.client.get(f"{base}/customers/s9/deals")).json()["items"]
        return items or None

    assert [d["deal_id"] for d in await wait_for(survivor_deals, what="the deal folded into s9")] == [deal_id]
    assert {t["customer_id"] for t in await tasks_of(sales, ws, "s9")} == {"s9"}  # the SOP tasks moved too
    assert await tasks_of(sales, ws, "m1") == []
    assert await status_of("/customers/m1/lead-score", 404)
    survivor_score = (await sales.client.get(f"{base}/customers/s9/lead-score")).json()
    assert next(r for r in survivor_score["rules"] if r["rule_id"] == "engaged")["detail"] == "1 visit(s)"

    erased = {"customer_id": "s9", "erased_ids": ["s9", "m1"]}
    await send(topics, PROFILE_LIFECYCLE, ws, [("s9", envelope(ws, "profile.erased", erased))])
    await wait_for(lambda: status_of("/customers/s9/lead-score", 404), what="s9 erased")
    assert (await sales.client.get(f"{base}/customers/s9/deals")).json() == {"items": [], "next_cursor": None}
    assert await tasks_of(sales, ws, "s9") == []
    kept = (await sales.client.get(f"{base}/deals/{deal_id}")).json()
    assert (kept["customer_id"], kept["title"], kept["amount"]) == (None, "(erased customer)", "300.00")
    assert (kept["status"], kept["close_reason"]) == ("lost", "(erased)")  # free text may name the person
    assert [h["override_reason"] for h in kept["stage_history"]] == ["(erased)", None]
    assert "Lovelace" not in str(kept)

    # The erasure lasts: a late (or replayed) event of an erased id brings no signals back.
    later = [resolved(ws, c, "visit", {"channel": "web"}, clock.now) for c in ("s9", "c-marker")]
    await send(topics, RESOLVED, ws, [("s9", doc) for doc in later])  # one key: the marker comes after
    await wait_for(lambda: status_of("/customers/c-marker/lead-score", 200), what="the later event processed")
    assert await status_of("/customers/s9/lead-score", 404)


# --- analytics and cross-sell on generated history, loaded in bulk ----------------------------------


async def test_stage_conversion_and_cycle_time_over_10000_generated_deals(sales: RunningService) -> None:
    ws = workspace()
    deals, history = generate_history(seed=2026, count=10_000, until=START)
    assert sum(d["status"] == "won" for d in deals) > 300 and any(h[1] >= 4 for h in history)  # backwards moves too
    async with sales.app.state.runtime.pool.acquire() as conn:
        await analytics_store.bulk_load(conn, ws, deals, history)

    base = f"/internal/v1/workspaces/{ws}/analytics"
    whole = (await sales.client.get(base, params={"pipeline_id": "repurchase_upsell"})).json()
    assert_matches(whole, expected_analytics(deals, history))
    assert [c["to_stage"] for c in whole["conversions"]] == [*UPSELL_STAGES[1:], "won"]

    ben = (await sales.client.get(base, params={"owner": "ben"})).json()
    assert_matches(ben, expected_analytics(deals, history, owner="ben"))

    start, end = START - dt.timedelta(days=200), START - dt.timedelta(days=100)
    period = {"from": start.isoformat(), "to": end.isoformat(), "owner": "cem"}
    spring = (await sales.client.get(base, params=period)).json()
    assert_matches(spring, expected_analytics(deals, history, owner="cem", start=start, end=end))
    assert 0 < spring["deals"] < whole["deals"]


async def test_cross_sell_recovers_the_planted_category_pairs(sales: RunningService) -> None:
    ws = workspace()
    rng = random.Random(11)
    noise = [f"category-{i}" for i in range(25)]
    planted = [("espresso", "descaler"), ("tent", "sleeping-bag"), ("yoga-mat", "yoga-block")]
    bought = []
    for index in range(4000):
        categories = set(rng.sample(noise, rng.randint(1, 4)))
        for a, b in planted:
            if rng.random() < 0.06:
                categories |= {a, b} if rng.random() < 0.9 else {a}
        bought += [(f"c{index}", category) for category in categories]
    async with sales.app.state.runtime.pool.acquire() as conn:
        await signal_store.add_categories(conn, ws, bought)

    base = f"/internal/v1/workspaces/{ws}/cross-sell"
    top = (await sales.client.get(base, params={"min_support": 0.005, "limit": 6})).json()
    assert top["customers"] == 4000
    assert {frozenset((s["category"], s["suggested"])) for s in top["items"]} == {frozenset(p) for p in planted}
    assert all(s["lift"] > 5 for s in top["items"])

    espresso = (await sales.client.get(base, params={"category": "espresso"})).json()["items"]
    first = espresso[0]
    assert first["suggested"] == "descaler" and {s["category"] for s in espresso} == {"espresso"}
    both = sum(1 for c in {c for c, _ in bought} if {(c, "espresso"), (c, "descaler")} <= set(bought))
    assert first["customers"] == both and first["support"] == pytest.approx(both / 4000)


async def test_pipelines_are_data_and_lists_are_pages(sales: RunningService, clock: MovableClock) -> None:
    ws = workspace()
    base = f"/internal/v1/workspaces/{ws}"
    listed = (await sales.client.get(f"{base}/pipelines")).json()["items"]
    assert [(p["pipeline_id"], p["built_in"]) for p in listed] == [("reactivation", True), ("repurchase_upsell", True)]

    invalid = await sales.client.put(f"{base}/pipelines/b2b", json={"name": "B2B", "stages": [{"id": "x"}]})
    assert invalid.status_code == 422 and invalid.headers["content-type"] == "application/problem+json"
    assert {"stages.0.name", "stages.0.probability"} <= {e["field"] for e in invalid.json()["errors"]}
    document = {
        "name": "B2B",
        "stages": [
            {"id": "demo", "name": "Demo", "probability": 0.2, "required_fields": ["seats"],
             "checklist": [{"id": "book", "title": "Book the demo", "due_in_days": 0.5, "required": False}]},
            {"id": "trial", "name": "Trial", "probability": 0.5},
        ],
    }  # fmt: skip
    assert (await sales.client.put(f"{base}/pipelines/b2b", json=document)).status_code == 200
    body = {"customer_id": "p1", "title": "Seats", "amount": "99.5", "currency": "USD", "pipeline_id": "b2b"}
    deal = (await sales.client.post(f"{base}/deals", json=body)).json()
    assert (deal["stage"], deal["amount"], deal["blockers"]) == ("demo", "99.50", ["field seats"])
    patched = await sales.client.patch(f"{base}/deals/{deal['deal_id']}", json={"fields": {"seats": 40}})
    assert patched.json()["blockers"] == []
    assert (await move(sales, ws, deal["deal_id"], "trial")).status_code == 200
    unknown = await sales.client.post(f"{base}/deals", json={**body, "pipeline_id": "nope"})
    assert unknown.status_code == 404

    for index in range(5):
        due = (clock.now + dt.timedelta(days=10 + index)).isoformat()
        created = await sales.client.post(
            f"{base}/tasks",
            json={"title": f"T{index}", "due_at": due, "customer_id": "p1"},
            headers={"Idempotency-Key": f"t{index}"},
        )
        assert created.status_code == 201
    await sales.client.post(
        f"{base}/tasks", json={"title": "T0", "due_at": due, "customer_id": "p1"}, headers={"Idempotency-Key": "t0"}
    )
    first_task = (await tasks_of(sales, ws, "p1"))[0]
    assert first_task["title"] == "Book the demo"  # the SOP task is due soonest
    await sales.client.post(f"{base}/tasks/{first_task['task_id']}/complete", json={})
    titles, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await sales.client.get(f"{base}/customers/p1/tasks", params=params)).json()
        titles += [(t["title"], t["status"]) for t in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    # Open first by due date, the done task last; the repeated create made no second T0.
    assert titles == [
        ("T0", "open"), ("T1", "open"), ("T2", "open"), ("T3", "open"), ("T4", "open"), ("Book the demo", "done")
    ]  # fmt: skip
    bad = await sales.client.get(f"{base}/customers/p1/tasks", params={"cursor": "not-a-cursor"})
    assert bad.status_code == 422
