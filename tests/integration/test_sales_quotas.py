"""Sales' quota and budgets on the real service and PostgreSQL: the `pipelines` quota (built-ins count),
documents and numbers beyond what the columns hold answered 422 naming the field (never 500), and the
reminder job's fairness: workspaces take turns, and one workspace's unusable task holds no one back."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY

from devstack.postgres import LocalPostgres
from runtime.db import Connection, create_pool, migrate
from runtime.settings import RuntimeSettings
from services.sales.domain.lead_score import DEFAULT_RULES
from services.sales.domain.pipeline import BUILT_IN
from services.sales.jobs import SalesJobs
from services.sales.service import SalesContext
from services.sales.wiring import MIGRATIONS, create_app
from tests.contexts import context_of
from tests.integration.boundary_probe import probe
from tests.integration.conftest import RunningService, fresh_database, running_app, token_auth

NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
PIPELINES = 4  # the two built-ins and two more


@pytest.fixture(scope="module")
async def sales(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[RunningService]:
    async with running_app(
        "sales", create_app, postgres, topics, broker_kind, app_kwargs={"clock": lambda: NOW}, quota_pipelines=PIPELINES
    ) as service:
        yield service


@pytest.fixture
async def client(sales: RunningService) -> AsyncIterator[httpx.AsyncClient]:
    """The service as the gateway reaches it: an unhandled error is a 500 answer, not an exception."""
    assert sales.app is not None
    transport = httpx.ASGITransport(app=sales.app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://sales", auth=token_auth(sales.settings)) as http:
        yield http


def base() -> str:
    return f"/internal/v1/workspaces/ws-{uuid.uuid4().hex[:10]}"


STAGE = {"id": "demo", "name": "Demo", "probability": 0.2}
PIPELINE: dict[str, Any] = {"name": "B2B", "stages": [STAGE]}


async def test_a_new_pipeline_beyond_the_quota_is_refused_counting_the_built_ins(client: httpx.AsyncClient) -> None:
    path = base()
    assert (await client.put(f"{path}/pipelines/b2b", json=PIPELINE)).status_code == 200
    assert (await client.put(f"{path}/pipelines/retail", json=PIPELINE)).status_code == 200

    refused = await client.put(f"{path}/pipelines/third", json=PIPELINE)
    replaced_built_in = await client.put(f"{path}/pipelines/reactivation", json=PIPELINE)
    replaced_own = await client.put(f"{path}/pipelines/b2b", json={**PIPELINE, "name": "B2B v2"})

    assert refused.status_code == 409
    problem = refused.json()
    assert (problem["type"], problem["quota"], problem["limit"], problem["used"]) == (
        "/problems/quota-exceeded",
        "pipelines",
        PIPELINES,
        PIPELINES,
    )
    assert "FLYWHEEL_QUOTA_PIPELINES" in problem["detail"]
    assert replaced_built_in.status_code == 200 and replaced_own.status_code == 200
    assert (await client.get(f"{path}/pipelines/third")).status_code == 404
    assert (await client.get(f"{path}/quotas")).json() == [
        {
            "name": "pipelines",
            "limit": PIPELINES,
            "used": PIPELINES,
            "description": "sales pipelines (built-in ones included)",
        }
    ]
    assert (await client.get(f"{base()}/quotas")).json()[0]["used"] == len(BUILT_IN)


async def test_documents_over_their_budget_are_a_422_naming_the_field(client: httpx.AsyncClient) -> None:
    path = base()
    deal = {"customer_id": "c1", "title": "Seats", "amount": "10", "currency": "EUR"}
    cases: list[tuple[str, str, dict[str, Any], str]] = [
        ("PUT", "/pipelines/wide", {**PIPELINE, "stages": [STAGE] * 31}, "stages"),
        ("POST", "/deals", {**deal, "fields": {f"f{i}": i for i in range(51)}}, "body.fields"),
        ("POST", "/deals", {**deal, "fields": {"notes": "n" * 5000}}, "body.fields.notes"),
        ("POST", "/deals", {**deal, "fields": {"tree": [[[[[[[[[1]]]]]]]]]}}, "body.fields.tree"),
        ("POST", "/deals", {**deal, "amount": "1e16"}, "body.amount"),
        ("POST", "/tasks", {"title": "t", "due_at": "9999-12-31T23:59:59-01:00"}, "body.due_at"),
        ("POST", "/tasks", {"title": "t", "due_at": "0001-01-01T00:00:00+01:00"}, "body.due_at"),
        ("PUT", "/teams/sellers", {"members": [f"m{i}" for i in range(501)]}, "body.members"),
        ("PUT", "/lead-rules", {"rules": [rule(count=2**31)]}, "rules.0.when.visits_at_least.count"),
        ("PUT", "/lead-rules", {"rules": [rule(count="9" * 40)]}, "rules.0.when.visits_at_least.count"),
        ("PUT", "/lead-rules", {"rules": [trait_rule("v" * 5000)]}, "rules.0.when.trait_equals.value"),
        ("PUT", "/lead-rules", {"rules": [rule(count=1)] * 101}, "rules"),
    ]
    for method, suffix, body, field in cases:
        answer = await client.request(method, f"{path}{suffix}", json=body)
        assert answer.status_code == 422, (suffix, field, answer.text)
        assert field in [e["field"] for e in answer.json()["errors"]], (suffix, answer.json())


def rule(count: Any) -> dict[str, Any]:
    return {"id": "busy", "description": "d", "points": 5, "when": {"kind": "visits_at_least", "count": count}}


def trait_rule(value: Any) -> dict[str, Any]:
    return {"id": "t", "description": "d", "points": 5, "when": {"kind": "trait_equals", "trait": "x", "value": value}}


async def test_a_quote_whose_total_no_column_holds_and_a_deal_with_too_many_fields_are_422(
    client: httpx.AsyncClient,
) -> None:
    path = base()
    deal = {"customer_id": "c1", "title": "Seats", "amount": "10", "currency": "EUR", "fields": {"a": 1}}
    deal_id = (await client.post(f"{path}/deals", json=deal)).json()["deal_id"]
    huge = {"sku": "x", "quantity": 1_000_000, "unit_price": "99999999999999.9999"}

    quote = await client.post(f"{path}/deals/{deal_id}/quotes", json={"lines": [huge]})
    fields = await client.patch(f"{path}/deals/{deal_id}", json={"fields": {f"f{i}": i for i in range(50)}})
    fifty = await client.patch(
        f"{path}/deals/{deal_id}", json={"fields": {"a": None, **{f"f{i}": i for i in range(49)}}}
    )

    assert quote.status_code == 422 and [e["field"] for e in quote.json()["errors"]] == ["body.lines"]
    assert fields.status_code == 422 and [e["field"] for e in fields.json()["errors"]] == ["body.fields"]
    assert fifty.status_code == 200 and len(fifty.json()["fields"]) == 49


async def test_boundary_numbers_and_strings_never_answer_500(client: httpx.AsyncClient) -> None:
    path = base()
    deal = {
        "customer_id": "c1",
        "title": "t",
        "amount": "10.00",
        "currency": "EUR",
        "products": ["a"],
        "fields": {"x": 1},
    }
    deal_id = (await client.post(f"{path}/deals", json=deal)).json()["deal_id"]
    line = {"sku": "a", "quantity": 1, "unit_price": "1"}
    quote_id = (await client.post(f"{path}/deals/{deal_id}/quotes", json={"lines": [line]})).json()["quote_id"]
    task_id = (await client.post(f"{path}/tasks", json={"title": "t", "due_at": NOW.isoformat()})).json()["task_id"]
    settings = {"discount_approval_threshold_percent": "15", "managers": ["m"], "reminder_lead_hours": 24,
                "high_value_segments": ["Champions"], "high_value_revenue": "1000"}  # fmt: skip
    rules = DEFAULT_RULES.model_dump(mode="json")["rules"] + [trait_rule(1)]
    writes: list[tuple[str, str, Any]] = [
        ("PUT", "/pipelines/p1", BUILT_IN["repurchase_upsell"].model_dump(mode="json")),
        ("POST", "/deals", deal),
        ("PATCH", f"/deals/{deal_id}", {"title": "x", "amount": "5", "products": ["b"], "fields": {"a": 1}}),
        ("POST", f"/deals/{deal_id}/move", {"stage": "identified", "override_reason": "r"}),
        ("POST", f"/deals/{deal_id}/quotes", {"lines": [line], "discount_percent": "5"}),
        ("POST", f"/quotes/{quote_id}/approve", {"approver": "m", "comment": "c"}),
        ("POST", f"/deals/{deal_id}/lost", {"reason": "r"}),
        ("PUT", "/sales-settings", settings),
        ("POST", "/tasks", {"title": "t", "reason": "r", "due_at": NOW.isoformat(), "customer_id": "c1"}),
        ("POST", f"/tasks/{task_id}/complete", {"completed_by": "a"}),
        ("PUT", "/customers/c1/owner", {"owner": "o"}),
        ("PUT", "/teams/t1", {"members": ["a", "b"]}),
        ("PUT", "/lead-rules", {"rules": rules}),
    ]
    failures = [f for method, suffix, body in writes for f in await probe(client, method, f"{path}{suffix}", body)]
    for query in ("min_customers=9223372036854775807", "min_support=1e308", "from=9999-12-31T23:59:59-01:00"):
        for endpoint in ("cross-sell", "analytics"):
            answer = await client.get(f"{path}/{endpoint}?{query}")
            assert answer.status_code < 500, (endpoint, query, answer.text)
    assert not failures, "\n".join(map(str, failures))


async def test_reminders_take_turns_and_an_unusable_task_holds_no_one_back(postgres: LocalPostgres) -> None:
    dsn = fresh_database(postgres, "sales_jobs")
    await migrate(dsn, "sales", MIGRATIONS)
    pool = await create_pool(RuntimeSettings(database_url=dsn, db_pool_min=1, db_pool_max=2))
    try:
        async with pool.acquire() as conn:
            await insert_tasks(conn, "ws-backlog", [f"t{i}" for i in range(30)], NOW - dt.timedelta(days=1))
            await insert_tasks(conn, "ws-broken", ["bad"], NOW - dt.timedelta(days=2), title="")  # no event carries ""
            await insert_tasks(conn, "ws-small", ["mine"], NOW)
        failed_before = reminders_failed()
        jobs = SalesJobs(context_of(SalesContext, pool, lambda: NOW), batch=5)

        first_round = await jobs.remind_round()

        async with pool.acquire() as conn:
            reminded = await conn.fetch("SELECT workspace, task_id FROM tasks WHERE overdue_notified_at IS NOT NULL")
        assert first_round == 5
        assert {(r["workspace"], r["task_id"]) for r in reminded} >= {("ws-small", "mine"), ("ws-broken", "bad")}
        assert reminders_failed() == failed_before + 1
        assert await jobs.remind() == 27  # the backlog's other 27: nothing left, nothing stuck
    finally:
        await pool.close()


def reminders_failed() -> float:
    return REGISTRY.get_sample_value("flywheel_sales_reminders_failed_total") or 0.0


async def insert_tasks(
    conn: Connection, workspace: str, task_ids: list[str], due_at: dt.datetime, title: str = "Call"
) -> None:
    await conn.executemany(
        """INSERT INTO tasks (workspace, task_id, title, due_at, source, created_at)
           VALUES ($1, $2, $3, $4, 'manual', $4)""",
        [(workspace, task_id, title, due_at) for task_id in task_ids],
    )
