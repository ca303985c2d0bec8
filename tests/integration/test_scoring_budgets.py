"""Scoring's budgets and quotas on real PostgreSQL and a real broker: the segments quota, conditions bounded to
what the stores hold, segments too costly to evaluate marked failing (at save, in a batch, in the sweep), and
jobs that go on past a failing workspace."""

from __future__ import annotations

import asyncio
import datetime as dt
import string
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest

from contracts.topics import RESOLVED
from devstack.postgres import LocalPostgres
from runtime.db import Connection, create_pool, migrate
from services.scoring.jobs import JOB_FAILURES, ScoringJobs
from services.scoring.segment_eval import SEGMENT_FAILURES
from services.scoring.service import ScoringContext
from services.scoring.settings import ScoringServiceSettings
from services.scoring.wiring import MIGRATIONS
from tests.contexts import context_of
from tests.helpers import event, publish, wait_for
from tests.integration.conftest import SCORING_NOW, RunningService, fresh_database, running_scoring

QUOTA = 6
BUDGET_MS = 200


@pytest.fixture(scope="module")
async def scoring(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[RunningService]:
    async with running_scoring(
        postgres, topics, broker_kind, quota_segments=QUOTA, statement_timeout_ms=BUDGET_MS
    ) as service:
        yield service


def workspace(prefix: str = "ws") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def segments_path(ws: str, *rest: str) -> str:
    return "/".join([f"/internal/v1/workspaces/{ws}/segments", *rest])


def leaf(field: str, op: str, value: Any = None) -> dict[str, Any]:
    return {"field": field, "op": op} | ({} if value is None else {"value": value})


CHEAP = leaf("traits.plan", "eq", "pro")


def costly(salt: str) -> dict[str, Any]:
    """100 `contains` over big traits that never match: each leaf reads the customer's whole traits document."""
    return {"any": [leaf(f"traits.t{k % 40}", "contains", f"{salt}-{k}-absent") for k in range(100)]}


def identify(ws: str, customer_id: str, traits: dict[str, Any]) -> dict[str, Any]:
    doc = event("identify", ws, {"external_id": customer_id}, {"traits": traits}, time=SCORING_NOW)
    doc["customerid"] = customer_id
    return doc


def purchase(ws: str, customer_id: str, days_ago: float = 1) -> dict[str, Any]:
    data = {"order_id": f"o-{uuid.uuid4().hex[:8]}", "amount": "10.00", "currency": "EUR"}
    doc = event("purchase", ws, {"external_id": customer_id}, data, time=SCORING_NOW - dt.timedelta(days=days_ago))
    doc["customerid"] = customer_id
    return doc


def big_traits(customer: int) -> dict[str, Any]:
    """60 traits of 8,000 characters (within profile's budgets: 8 KB a value, 100 traits an event)."""
    letters = string.ascii_letters
    return {"plan": "pro"} | {f"t{k}": (letters[(customer + k) % 52] + letters) * 150 for k in range(60)}


async def customers_of(service: RunningService, ws: str) -> int:
    distribution = (await service.client.get(f"/internal/v1/workspaces/{ws}/distribution")).json()
    return int(distribution["customers"])


async def scored(service: RunningService, ws: str, customers: int) -> bool:
    return await customers_of(service, ws) >= customers


async def create(service: RunningService, ws: str, name: str, condition: dict[str, Any]) -> Any:
    return await service.client.post(segments_path(ws), json={"name": name, "condition": condition})


async def segment(service: RunningService, ws: str, segment_id: str) -> dict[str, Any]:
    response = await service.client.get(segments_path(ws, segment_id))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def failures(cause: str) -> float:
    value: float = SEGMENT_FAILURES.labels(cause)._value.get()
    return value


# --- the segments quota ---------------------------------------------------------------------------


async def test_the_segments_quota_is_refused_with_a_problem_naming_it(scoring: RunningService) -> None:
    ws = workspace()
    ids = []
    for n in range(QUOTA):
        created = await create(scoring, ws, f"s{n}", leaf("stats.orders", "gte", n))
        assert created.status_code == 201, created.text
        ids.append(created.json()["segment_id"])

    refused = await create(scoring, ws, "one too many", leaf("stats.orders", "gte", 9))

    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["type"] == "/problems/quota-exceeded"
    assert (problem["quota"], problem["limit"], problem["used"]) == ("segments", QUOTA, QUOTA)
    assert "quota 'segments' reached" in problem["detail"] and "FLYWHEEL_QUOTA_SEGMENTS" in problem["detail"]
    quotas = (await scoring.client.get(f"/internal/v1/workspaces/{ws}/quotas")).json()
    assert quotas == [{"name": "segments", "limit": QUOTA, "used": QUOTA, "description": "dynamic segments"}]

    # Changing a segment at the limit is no creation; removing one makes room.
    changed = await scoring.client.put(
        segments_path(ws, ids[0]), json={"name": "s0", "condition": leaf("stats.orders", "gte", 7)}
    )
    assert changed.status_code == 200, changed.text
    assert (await scoring.client.delete(segments_path(ws, ids[1]))).status_code == 204
    assert (await create(scoring, ws, "room again", leaf("stats.orders", "gte", 9))).status_code == 201
    # Another workspace has its own quota.
    assert (await create(scoring, workspace(), "elsewhere", leaf("stats.orders", "gte", 1))).status_code == 201


async def test_concurrent_creations_cannot_pass_the_quota(scoring: RunningService) -> None:
    ws = workspace()
    answers = await asyncio.gather(
        *(create(scoring, ws, f"c{n}", leaf("stats.orders", "gte", n)) for n in range(QUOTA + 3))
    )
    assert sorted(a.status_code for a in answers) == [201] * QUOTA + [409] * 3
    assert (await scoring.client.get(segments_path(ws))).json()["items"].__len__() == QUOTA


# --- conditions bounded to what the stores hold ---------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "field", "message"),
    [
        (leaf("stats.orders", "gt", 10**19), "condition.value", "between -10^15 and 10^15"),
        (leaf("scores.p_alive", "lt", 10**400), "condition.value", "between -10^15 and 10^15"),
        (leaf("stats.revenue", "in", [1, -(10**16)]), "condition.value[1]", "between -10^15 and 10^15"),
        (leaf("traits.score", "gte", 1e300), "condition.value", "between -10^15 and 10^15"),
        (leaf("traits.score", "eq", 2**64), "condition.value", "between -10^15 and 10^15"),
        (leaf("stats.last_purchase_at", "before", "0001-01-01T00:00:00+01:00"), "condition.value", "years 1 and 9999"),
        (leaf("stats.first_seen_at", "after", "9999-12-31T23:59:59-01:00"), "condition.value", "years 1 and 9999"),
        (leaf("stats.last_visit_at", "within_last", "999999d"), "condition.value", "at most 36500 days"),
    ],
    ids=["int64+", "400-digits", "in-list", "float", "trait-2^64", "year-0", "year-10000", "window"],
)
async def test_values_beyond_what_the_stores_hold_are_422_naming_the_field(
    scoring: RunningService, topics: str, condition: dict[str, Any], field: str, message: str
) -> None:
    ws = workspace()
    await publish(topics, RESOLVED, [purchase(ws, "c1")])  # a customer to evaluate the condition against
    await wait_for(lambda: scored(scoring, ws, 1), what="the customer scored")

    response = await create(scoring, ws, "out of range", {"all": [condition]})

    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error["field"] == field.replace("condition", "condition.all[0]")
    assert message in error["message"]


async def test_a_condition_too_big_in_all_is_refused_and_its_problems_are_capped(scoring: RunningService) -> None:
    ws = workspace()
    many = {"all": [leaf(f"traits.t{n}", "in", [f"v{k}" for k in range(1000)]) for n in range(11)]}
    response = await create(scoring, ws, "too many values", many)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "condition",
            "message": "holds 11000 values in all (each item of an in / not_in list counts); at most 10000",
        }
    ]

    wrong = {"all": [leaf("stats.orders", "in", ["not a number"] * 1000)]}
    errors = (await create(scoring, ws, "wrong", wrong)).json()["errors"]
    assert len(errors) == 51
    assert errors[-1] == {"field": "condition", "message": "950 more problems not listed (the first 50 are)"}


async def test_a_workspace_s_segments_hold_a_bounded_number_of_values_together(scoring: RunningService) -> None:
    ws = workspace()
    full_list = [f"v{k}" for k in range(1000)]
    ten_lists = {"any": [leaf(f"traits.t{n}", "in", full_list) for n in range(10)]}  # 10,000 values
    for n in range(5):
        created = await create(scoring, ws, f"lists {n}", ten_lists)
        assert created.status_code == 201, created.text  # 50,000 values in all: the most a workspace holds

    refused = await create(scoring, ws, "one more value", leaf("traits.x", "eq", 1))

    assert refused.status_code == 409
    assert refused.json()["errors"] == [
        {
            "field": "condition",
            "message": "this workspace's segments would hold 50001 values together (each item of an in / not_in "
            "list counts); at most 50000: shorten the lists of this or other segments",
        }
    ]
    shorter = {"any": [*ten_lists["any"][:9], leaf("traits.t9", "in", full_list[:999])]}
    changed = await scoring.client.put(
        segments_path(ws, created.json()["segment_id"]), json={"name": "lists 4", "condition": shorter}
    )
    assert changed.status_code == 200, changed.text
    assert (await create(scoring, ws, "one more value", leaf("traits.x", "eq", 1))).status_code == 201


async def test_a_body_nested_past_any_budget_is_a_client_error(scoring: RunningService) -> None:
    depth = 100_000
    body = '{"name": "deep", "condition": ' + '{"not": ' * depth + "{}" + "}" * depth + "}"
    response = await scoring.client.post(
        segments_path(workspace()), content=body, headers={"content-type": "application/json"}
    )
    assert 400 <= response.status_code < 500


# --- segments too costly to evaluate --------------------------------------------------------------------


async def test_a_segment_too_costly_for_the_workspace_is_saved_failing_until_saved_simpler(
    scoring: RunningService, topics: str
) -> None:
    ws = workspace()
    await publish(topics, RESOLVED, [identify(ws, f"c{n:02}", big_traits(n)) for n in range(20)])
    await wait_for(lambda: scored(scoring, ws, 20), what="20 customers with big traits")
    timeouts = failures("timeout")

    created = await create(scoring, ws, "costly", costly("save"))

    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "failing" and body["members"] == 0
    assert f"took longer than {BUDGET_MS} ms" in body["failure"]["reason"]
    assert "for 20 customers" in body["failure"]["reason"]
    assert body["failure"]["since"]
    assert failures("timeout") == timeouts + 1
    listed = (await scoring.client.get(segments_path(ws))).json()["items"]
    assert [(s["status"], s["failure"]) for s in listed] == [("failing", body["failure"])]

    saved = await scoring.client.put(
        segments_path(ws, body["segment_id"]), json={"name": "costly no more", "condition": CHEAP}
    )

    assert saved.status_code == 200, saved.text
    assert (saved.json()["status"], saved.json()["failure"], saved.json()["members"]) == ("active", None, 20)


async def test_segments_too_costly_for_a_batch_are_marked_failing_and_the_batch_goes_on(
    scoring: RunningService, topics: str
) -> None:
    ws, other = workspace("costly"), workspace("other")
    cheap = (await create(scoring, ws, "pro plan", CHEAP)).json()
    heavy = [(await create(scoring, ws, f"heavy {n}", costly(f"h{n}"))).json() for n in range(2)]
    assert [s["status"] for s in (cheap, *heavy)] == ["active"] * 3  # no customers yet: cheap to evaluate
    started = failures("timeout") + failures("set_aside")

    await publish(topics, RESOLVED, [identify(ws, f"c{n:02}", big_traits(n)) for n in range(30)])
    await publish(topics, RESOLVED, [purchase(other, "o1")])

    async def heavy_failing() -> bool:
        return all([(await segment(scoring, ws, s["segment_id"]))["status"] == "failing" for s in heavy])

    await wait_for(heavy_failing, within=60, what="the costly segments marked failing")
    await wait_for(lambda: scored(scoring, other, 1), what="the other workspace's purchase scored")
    await wait_for(lambda: scored(scoring, ws, 30), what="every customer of the workspace scored")

    async def cheap_complete() -> bool:
        return bool((await segment(scoring, ws, cheap["segment_id"]))["members"] == 30)

    await wait_for(cheap_complete, what="the cheap segment's members")
    assert (await segment(scoring, ws, cheap["segment_id"]))["status"] == "active"
    reasons = [(await segment(scoring, ws, s["segment_id"]))["failure"]["reason"] for s in heavy]
    assert all(f"segments together took longer than {BUDGET_MS} ms" in r for r in reasons), reasons
    assert failures("timeout") + failures("set_aside") >= started + 2

    # Failing segments are skipped from now on: by events and by the sweep, and their members stay as they were.
    await publish(topics, RESOLVED, [identify(ws, "c99", big_traits(99))])
    await wait_for(lambda: scored(scoring, ws, 31), what="one more customer")
    assert scoring.app is not None
    context: ScoringContext = scoring.app.state.context
    await ScoringJobs(context).sweep()
    for s in heavy:
        after = await segment(scoring, ws, s["segment_id"])
        assert (after["status"], after["members"]) == ("failing", 0)
    await wait_for(lambda: _members_are(scoring, ws, cheap["segment_id"], 31), what="the cheap segment kept current")


async def _members_are(service: RunningService, ws: str, segment_id: str, expected: int) -> bool:
    return bool((await segment(service, ws, segment_id))["members"] == expected)


# --- jobs go on past a failing workspace -----------------------------------------------------------------


@pytest.fixture
async def jobs_db(postgres: LocalPostgres) -> AsyncIterator[tuple[asyncpg.Pool, ScoringJobs]]:
    """Scoring's schema in a database of its own, and its jobs, without a running service."""
    dsn = fresh_database(postgres, "scoring_jobs")
    await migrate(dsn, "scoring", MIGRATIONS)
    settings = ScoringServiceSettings(database_url=dsn, db_pool_min=1, db_pool_max=3, statement_timeout_ms=BUDGET_MS)
    pool = await create_pool(settings)
    try:
        yield pool, ScoringJobs(context_of(ScoringContext, pool, lambda: SCORING_NOW, settings))
    finally:
        await pool.close()


EVERYONE = leaf("stats.orders", "gte", 0)
BOGUS_MODEL = '{"bogus": 1}'


async def seed_workspace(
    conn: Connection, ws: str, *conditions: dict[str, Any], scored: dt.date = SCORING_NOW.date()
) -> None:
    await conn.execute("INSERT INTO workspace_models (workspace) VALUES ($1)", ws)
    await conn.execute(
        "INSERT INTO customers (workspace, customer_id, first_seen_at, as_of) VALUES ($1, 'c1', $2, $3)",
        ws,
        SCORING_NOW,
        scored,
    )
    for n, condition in enumerate(conditions or [EVERYONE]):
        await conn.execute(
            "INSERT INTO segments (workspace, segment_id, name, condition) VALUES ($1, $2, $2, $3)",
            ws,
            f"seg-{n}",
            condition,
        )


async def members(pool: asyncpg.Pool) -> list[tuple[str, str]]:
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT workspace, segment_id FROM segment_members ORDER BY workspace, segment_id")
    return [(r["workspace"], r["segment_id"]) for r in rows]


async def test_the_sweep_goes_on_past_a_workspace_that_fails(
    jobs_db: tuple[asyncpg.Pool, ScoringJobs],
) -> None:
    pool, jobs = jobs_db
    async with pool.acquire() as conn:
        # "aa" sorts first; its customers are due for a new day's scores, and its stored model is unreadable.
        await seed_workspace(conn, "aa-broken", scored=SCORING_NOW.date() - dt.timedelta(days=1))
        await conn.execute("UPDATE workspace_models SET bgnbd = $1::jsonb WHERE workspace = 'aa-broken'", BOGUS_MODEL)
        await seed_workspace(conn, "zz-fine")
    failed = JOB_FAILURES.labels("sweep")._value.get()

    await jobs.sweep()

    assert JOB_FAILURES.labels("sweep")._value.get() == failed + 1
    assert await members(pool) == [("zz-fine", "seg-0")]


async def test_a_stored_condition_this_version_refuses_is_marked_failing_and_the_others_evaluated(
    jobs_db: tuple[asyncpg.Pool, ScoringJobs],
) -> None:
    pool, jobs = jobs_db
    async with pool.acquire() as conn:
        # As after an upgrade that tightened a budget: the number is past what conditions may compare now.
        await seed_workspace(conn, "ws-upgraded", EVERYONE, leaf("stats.orders", "gte", 10**18))
    invalid = failures("invalid")

    await jobs.sweep()

    assert await members(pool) == [("ws-upgraded", "seg-0")]
    assert failures("invalid") == invalid + 1
    async with pool.acquire() as conn:
        row = await conn.fetchrow("SELECT * FROM segments WHERE segment_id = 'seg-1'")
    assert row is not None
    assert row["status"] == "failing" and row["failing_since"] == SCORING_NOW
    assert row["failure_reason"].startswith("its stored condition is no longer valid (condition.value: must lie")


async def test_refits_go_on_past_a_workspace_that_fails(jobs_db: tuple[asyncpg.Pool, ScoringJobs]) -> None:
    pool, jobs = jobs_db
    async with pool.acquire() as conn:
        await seed_workspace(conn, "aa-broken")
        await seed_workspace(conn, "zz-fine")
        await conn.execute("UPDATE workspace_models SET bgnbd = $1::jsonb WHERE workspace = 'aa-broken'", BOGUS_MODEL)
    failed = JOB_FAILURES.labels("refit")._value.get()

    await jobs.refit_due()

    assert JOB_FAILURES.labels("refit")._value.get() == failed + 1
    async with pool.acquire() as conn:
        rows = {r["workspace"]: r for r in await conn.fetch("SELECT * FROM workspace_models")}
    assert rows["aa-broken"]["last_error"].startswith("refit failed: ValueError: BG/NBD parameters lack")
    assert rows["zz-fine"]["last_attempt_at"] is not None
    assert not (rows["zz-fine"]["last_error"] or "").startswith("refit failed")
