"""The scoring service on real PostgreSQL and a real broker: resolved events in, scores and change events out."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import asyncpg
import numpy as np
import orjson
import pytest

from contracts.topics import PROFILE_LIFECYCLE, RESOLVED, SCORING_CHANGES
from devstack.postgres import LocalPostgres
from services.scoring.jobs import ScoringJobs
from services.scoring.service import ScoringContext
from tests.helpers import event, merged_event, publish, read_topic, wait_for
from tests.integration.conftest import SCORING_NOW, RunningService, fresh_database, new_workspace, running_scoring


def resolved(event_type: str, ws: str, customer_id: str, data: dict[str, Any], days_ago: float, **kw: Any) -> Any:
    doc = event(
        event_type, ws, {"external_id": customer_id}, data, time=SCORING_NOW - dt.timedelta(days=days_ago), **kw
    )
    doc["customerid"] = customer_id
    return doc


def purchase(ws: str, customer_id: str, amount: str, days_ago: float, order_id: str | None = None) -> Any:
    data = {"order_id": order_id or f"o-{uuid.uuid4().hex[:8]}", "amount": amount, "currency": "EUR"}
    return resolved("purchase", ws, customer_id, data, days_ago)


async def scores_of(service: RunningService, ws: str, customer_id: str) -> dict[str, Any] | None:
    response = await service.client.get(f"/internal/v1/workspaces/{ws}/customers/{customer_id}/scores")
    return response.json() if response.status_code == 200 else None


def changes(ws: str, event_type: str | None = None, customer_id: str | None = None) -> Any:
    def match(record: Any) -> bool:
        doc = orjson.loads(record.value)
        return (
            doc["workspace"] == ws
            and (event_type is None or doc["type"] == event_type)
            and (customer_id is None or doc["data"]["customer_id"] == customer_id)
        )

    return match


async def orders_scored(service: RunningService, ws: str, expected: int) -> bool:
    """Every purchase applied: customers of a workspace sit on several partitions, scored batch by batch."""
    distribution = (await service.client.get(f"/internal/v1/workspaces/{ws}/distribution")).json()
    return bool(distribution["orders"] == expected)


def jobs_of(service: RunningService) -> ScoringJobs:
    assert service.app is not None
    context: ScoringContext = service.app.state.context
    return ScoringJobs(context)


async def test_purchases_give_rfm_ltv_and_churn_scores(scoring: RunningService, topics: str) -> None:
    ws = new_workspace()
    await publish(
        topics,
        RESOLVED,
        [purchase(ws, "c1", "40.00", 200), purchase(ws, "c1", "60.00", 100), purchase(ws, "c1", "50.00", 10)],
    )
    await publish(topics, RESOLVED, [resolved("refund", ws, "c1", {"order_id": "x", "amount": "15.00"}, 5)])

    scores = await wait_for(
        lambda: _scores_when(scoring, ws, "c1", lambda s: s["ltv"]["historical"] == "135.00"),
        what="scores after three purchases and a refund",
    )
    assert scores["rfm"]["segment"] and 1 <= scores["rfm"]["r"] <= 5
    assert scores["rfm"]["recency_days"] == 10
    assert scores["ltv"]["basis"] == "default_parameters"  # too few customers to fit this workspace yet
    assert float(scores["ltv"]["predicted_12m"]) > 0
    assert 0 < scores["churn"]["p_alive"] <= 1
    assert scores["churn"]["risk"] in {"low", "medium", "high"}
    assert scores["as_of"]

    first = await read_topic(topics, SCORING_CHANGES, expect=1, match=changes(ws, "rfm.segment_changed", "c1"))
    assert "previous" not in orjson.loads(first[0].value)["data"]  # null: a first purchase


async def _scores_when(service: RunningService, ws: str, customer_id: str, ready: Any) -> dict[str, Any] | None:
    scores = await scores_of(service, ws, customer_id)
    return scores if scores and ready(scores) else None


async def test_a_customer_without_purchases_is_scored_without_rfm(scoring: RunningService, topics: str) -> None:
    ws = new_workspace()
    await publish(topics, RESOLVED, [resolved("visit", ws, "v1", {"channel": "web"}, 1)])
    scores = await wait_for(lambda: scores_of(scoring, ws, "v1"), what="scores of a visitor")
    assert scores["rfm"] is None
    assert scores["ltv"] == {
        "historical": "0",
        "predicted_12m": "0.00",
        "expected_purchases_90d": 0.0,
        "p10": "0.00",
        "p90": "0.00",
        "expected_purchases_12m": 0.0,
        "expected_purchases_12m_p10": 0.0,
        "expected_purchases_12m_p90": 0.0,
        "basis": "no_purchases",
    }
    assert scores["churn"]["p_alive"] is None


async def test_a_segment_publishes_entry_and_exit(scoring: RunningService, topics: str) -> None:
    ws = new_workspace()
    condition = {"all": [{"field": "stats.orders", "op": "gte", "value": 2}]}
    created = await scoring.client.post(
        f"/internal/v1/workspaces/{ws}/segments", json={"name": "Repeat buyers", "condition": condition}
    )
    assert created.status_code == 201, created.text
    segment_id = created.json()["segment_id"]

    await publish(topics, RESOLVED, [purchase(ws, "s1", "10.00", 3), purchase(ws, "s2", "10.00", 3)])
    await publish(topics, RESOLVED, [purchase(ws, "s1", "20.00", 1)])

    entered = await read_topic(topics, SCORING_CHANGES, expect=1, match=changes(ws, "segment.entered"))
    data = orjson.loads(entered[0].value)["data"]
    assert data == {"customer_id": "s1", "segment_id": segment_id, "segment_name": "Repeat buyers"}
    members = (await scoring.client.get(f"/internal/v1/workspaces/{ws}/segments/{segment_id}/members")).json()
    assert [m["customer_id"] for m in members["items"]] == ["s1"]
    assert members["next_cursor"] is None

    # Tightening the condition re-evaluates everyone at once: s1 leaves.
    condition = {"all": [{"field": "stats.orders", "op": "gte", "value": 3}]}
    changed = await scoring.client.put(
        f"/internal/v1/workspaces/{ws}/segments/{segment_id}", json={"name": "Repeat buyers", "condition": condition}
    )
    assert changed.status_code == 200 and changed.json()["members"] == 0
    await read_topic(topics, SCORING_CHANGES, expect=1, match=changes(ws, "segment.exited", "s1"))


async def test_an_invalid_segment_condition_is_a_problem_naming_the_node(scoring: RunningService) -> None:
    ws = new_workspace()
    condition = {"all": [{"field": "stats.orders", "op": "gte", "value": 2}, {"field": "stats.nope", "op": "eq"}]}
    response = await scoring.client.post(
        f"/internal/v1/workspaces/{ws}/segments", json={"name": "Broken", "condition": condition}
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert any("all[1]" in e["field"] for e in response.json()["errors"])


async def test_members_are_paginated(scoring: RunningService, topics: str) -> None:
    ws = new_workspace()
    await publish(topics, RESOLVED, [purchase(ws, f"p{i:02}", "5.00", 1) for i in range(7)])
    await wait_for(lambda: orders_scored(scoring, ws, 7), what="every purchase scored")
    condition = {"field": "stats.orders", "op": "gte", "value": 1}
    created = await scoring.client.post(
        f"/internal/v1/workspaces/{ws}/segments", json={"name": "Buyers", "condition": condition}
    )
    segment_id = created.json()["segment_id"]
    assert created.json()["members"] == 7
    seen, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = (
            await scoring.client.get(f"/internal/v1/workspaces/{ws}/segments/{segment_id}/members", params=params)
        ).json()
        seen += [m["customer_id"] for m in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"p{i:02}" for i in range(7)]
    bad = await scoring.client.get(f"/internal/v1/workspaces/{ws}/segments/{segment_id}/members?cursor=junk")
    assert bad.status_code == 422


async def test_dormancy_is_published_once_per_spell_across_restarts_and_ends_with_a_purchase(
    postgres: LocalPostgres, topics: str, broker_kind: str
) -> None:
    ws = new_workspace()
    dsn = fresh_database(postgres, "scoring")
    await publish(topics, RESOLVED, [purchase(ws, "d1", "30.00", 120), purchase(ws, "a1", "30.00", 5)])
    async with running_scoring(postgres, topics, broker_kind, dsn=dsn) as scoring:
        await wait_for(lambda: scores_of(scoring, ws, "a1"), what="both customers scored")
        await wait_for(lambda: scores_of(scoring, ws, "d1"), what="both customers scored")
        await jobs_of(scoring).sweep()
        await jobs_of(scoring).sweep()  # a second sweep finds the spell already started: nothing new
    async with running_scoring(postgres, topics, broker_kind, dsn=dsn) as scoring:
        await jobs_of(scoring).sweep()  # nor does a sweep after a restart
        dormant = await read_topic(topics, SCORING_CHANGES, expect=1, match=changes(ws, "customer.dormant"))
        data = orjson.loads(dormant[0].value)["data"]
        assert data["customer_id"] == "d1"
        assert data["rule"] == "fixed_days" and data["threshold_days"] == 90
        assert data["days_since_last_purchase"] == 120
        with pytest.raises(AssertionError):
            await read_topic(topics, SCORING_CHANGES, expect=2, within=2, match=changes(ws, "customer.dormant"))
        assert (await scores_of(scoring, ws, "d1") or {})["dormant_since"]

        await publish(topics, RESOLVED, [purchase(ws, "d1", "45.00", 0)])
        back = await read_topic(topics, SCORING_CHANGES, expect=1, match=changes(ws, "customer.reactivated"))
        assert orjson.loads(back[0].value)["data"]["customer_id"] == "d1"
        scores = await scores_of(scoring, ws, "d1")
        assert scores is not None and scores["dormant_since"] is None


async def test_merge_combines_history_and_erasure_removes_it(
    scoring: RunningService, topics: str, postgres: LocalPostgres
) -> None:
    ws = new_workspace()
    await publish(topics, RESOLVED, [purchase(ws, "m-survivor", "10.00", 30), purchase(ws, "m-merged", "25.00", 3)])
    await wait_for(lambda: scores_of(scoring, ws, "m-merged"), what="merged customer scored")
    merged = merged_event(ws, "m-survivor", "m-merged", SCORING_NOW)
    await publish_lifecycle(topics, ws, "m-survivor", merged)
    scores = await wait_for(
        lambda: _scores_when(scoring, ws, "m-survivor", lambda s: s["ltv"]["historical"] == "35.00"),
        what="the survivor holding both customers' purchases",
    )
    assert scores["rfm"]["recency_days"] == 3
    assert (await scores_of(scoring, ws, "m-merged") or {}).get("customer_id") == "m-survivor"  # merged id redirects

    erased = {**merged, "id": f"profile.erased:{ws}", "type": "profile.erased"}
    erased["data"] = {"customer_id": "m-survivor", "erased_ids": ["m-survivor", "m-merged"]}
    await publish_lifecycle(topics, ws, "m-survivor", erased)
    await wait_for(lambda: _gone(scoring, ws, "m-survivor"), what="erasure")
    assert await _rows_naming(scoring.settings.database_url, ws, ["m-survivor", "m-merged"]) == {}


async def publish_lifecycle(bootstrap: str, ws: str, customer_id: str, doc: dict[str, Any]) -> None:
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(PROFILE_LIFECYCLE, orjson.dumps(doc), key=f"{ws}:{customer_id}".encode())
    finally:
        await producer.stop()


async def _gone(service: RunningService, ws: str, customer_id: str) -> bool:
    return await scores_of(service, ws, customer_id) is None


async def _rows_naming(dsn: str, ws: str, customer_ids: list[str]) -> dict[str, int]:
    """Every scoring table with rows of this workspace naming one of these customers (the runtime's own tables
    hold event ids for de-duplication, and profile's lifecycle event ids name the customer id, no personal data)."""
    conn = await asyncpg.connect(dsn)
    try:
        found = {}
        tables = await conn.fetch(
            """SELECT table_name FROM information_schema.columns
                WHERE table_schema = 'public' AND column_name = 'workspace' AND table_name NOT LIKE 'flywheel_%'"""
        )
        for (table,) in tables:
            count = await conn.fetchval(
                f"SELECT count(*) FROM {table} t WHERE workspace = $1 AND t::text ~ $2",  # noqa: S608 (catalog names)
                ws,
                "|".join(customer_ids),
            )
            if count:
                found[table] = count
        return found
    finally:
        await conn.close()


async def test_refit_fits_the_workspace_and_rescores_everyone(scoring: RunningService, topics: str) -> None:
    ws = new_workspace()
    events = buy_till_you_die(ws, 150, np.random.default_rng(1))
    await publish(topics, RESOLVED, events)
    await wait_for(lambda: orders_scored(scoring, ws, len(events)), what="every purchase scored")

    response = await scoring.client.post(f"/internal/v1/workspaces/{ws}/refit")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["report"]["converged"] is True, body
    assert body["model"]["customers"] == 150
    assert set(body["model"]["bgnbd"]) == {"r", "alpha", "a", "b", "log_covariance"}  # the intervals' covariance
    scores = await scores_of(scoring, ws, "r000")
    assert scores is not None and scores["ltv"]["basis"] == "model"

    distribution = (await scoring.client.get(f"/internal/v1/workspaces/{ws}/distribution")).json()
    assert distribution["customers"] == 150
    assert sum(distribution["rfm_segments"].values()) == 150
    assert sum(distribution["churn_risk"].values()) == 150


async def test_a_refit_that_fails_answers_503_and_keeps_the_earlier_model(scoring: RunningService) -> None:
    ws = new_workspace()
    conn = await asyncpg.connect(scoring.settings.database_url)
    try:  # a stored model no version of the code can read
        await conn.execute("INSERT INTO workspace_models (workspace, bgnbd) VALUES ($1, '{\"bogus\": 1}')", ws)
    finally:
        await conn.close()
    response = await scoring.client.post(f"/internal/v1/workspaces/{ws}/refit")
    assert response.status_code == 503, response.text
    assert "earlier model is kept" in response.json()["detail"] and response.headers["retry-after"] == "60"


def buy_till_you_die(ws: str, customers: int, rng: np.random.Generator) -> list[Any]:
    """Purchases as the BG/NBD story tells it: each customer buys at their own rate and, after each
    purchase, drops out with their own probability; spend as the Gamma-Gamma story tells it."""
    events = []
    for i in range(customers):
        day, rate, dropout = float(rng.integers(60, 365)), rng.gamma(1.5, 1 / 60), rng.beta(0.8, 2.5)
        mean_spend = rng.gamma(2.0, 25.0)  # customers differ in what they spend, each purchase varies around it
        while day >= 0:
            events.append(purchase(ws, f"r{i:03}", f"{rng.gamma(6.0, mean_spend / 6.0) + 1:.2f}", day))
            if rng.random() < dropout:
                break
            day -= rng.exponential(1 / rate)
    return events


async def test_replaying_every_event_gives_identical_scores(
    postgres: LocalPostgres, topics: str, broker_kind: str
) -> None:
    ws = new_workspace()
    events = [purchase(ws, f"x{i}", f"{10 + i}.00", 50 - i * 3) for i in range(12)]
    events += [purchase(ws, f"x{i}", "7.00", 20 - i) for i in range(0, 12, 2)]
    events += [resolved("visit", ws, f"x{i}", {"channel": "web"}, i) for i in range(12)]
    events += [resolved("ticket", ws, "x3", {"ticket_id": "t1", "status": "opened", "nps": 4}, 2)]
    await publish(topics, RESOLVED, events)
    dsn = fresh_database(postgres, "scoring")

    async with running_scoring(postgres, topics, broker_kind, dsn=dsn) as first:
        await wait_for(lambda: _scored_count(dsn, ws, 12), what="all twelve customers scored")
        before = await _score_table(dsn, ws)
        assert (await scores_of(first, ws, "x3") or {})["churn"]["reasons"]
    # A new consumer group on the same database re-reads the whole topic: every event is delivered again.
    async with running_scoring(postgres, topics, broker_kind, dsn=dsn) as second:
        await wait_for(lambda: _caught_up(second), within=60, what="the replay consumed")
        assert await _score_table(dsn, ws) == before


async def _scored_count(dsn: str, ws: str, expected: int) -> bool:
    conn = await asyncpg.connect(dsn)
    try:
        count = await conn.fetchval("SELECT count(*) FROM customers WHERE workspace = $1 AND scored_at IS NOT NULL", ws)
        return bool(count == expected)
    finally:
        await conn.close()


async def _caught_up(service: RunningService) -> bool:
    text = (await service.operations.get("/metrics")).text
    lines = [line for line in text.splitlines() if line.startswith("flywheel_consumer_lag") and RESOLVED in line]
    duplicates = [
        line for line in text.splitlines() if line.startswith("flywheel_consumer_duplicates_total") and RESOLVED in line
    ]
    return bool(lines) and all(line.endswith(" 0.0") for line in lines) and bool(duplicates)


async def _score_table(dsn: str, ws: str) -> list[dict[str, Any]]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            """SELECT customer_id, orders, revenue, refunded, purchase_days, visits, open_tickets, r, f, m, rfm_segment,
                      p_alive, expected_purchases_90d, predicted_clv, churn_risk, churn_flags
                 FROM customers WHERE workspace = $1 ORDER BY customer_id""",
            ws,
        )
        return [dict(r) for r in rows]
    finally:
        await conn.close()


async def test_a_survey_answer_counts_as_a_tickets_scores_do(scoring: RunningService, topics: str) -> None:
    """A `survey` event is folded into the customer's inputs (last NPS and CSAT, by event time), not dead-lettered:
    a detractor's answer is a churn reason, and a later promoter's answer takes it back."""
    ws = new_workspace()
    await publish(
        topics,
        RESOLVED,
        [
            purchase(ws, "s1", "40.00", 12),
            resolved("survey", ws, "s1", {"nps": 3, "csat": 2, "survey_id": "q4", "comment": "late"}, 2),
            resolved("ticket", ws, "s1", {"ticket_id": "t1", "status": "resolved", "nps": 10}, 5),  # older
        ],
    )
    scores = await wait_for(
        lambda: _scores_when(scoring, ws, "s1", lambda s: any("NPS" in r for r in s["churn"]["reasons"])),
        what="a detractor's answer among the churn reasons",
    )
    assert "last NPS answer was 3 (detractor)" in scores["churn"]["reasons"]
    assert scores["churn"]["risk"] in {"medium", "high"}
    async with scoring.app.state.runtime.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT last_nps, last_csat FROM customers WHERE workspace = $1", ws)
    assert (row["last_nps"], row["last_csat"]) == (3, 2)

    await publish(topics, RESOLVED, [resolved("survey", ws, "s1", {"nps": 9}, 1)])
    later = await wait_for(
        lambda: _scores_when(scoring, ws, "s1", lambda s: not any("NPS" in r for r in s["churn"]["reasons"])),
        what="the promoter's later answer",
    )
    assert later["churn"]["reasons"] == [r for r in scores["churn"]["reasons"] if "NPS" not in r]
