"""Journey's internal API in-process, on a real PostgreSQL: journeys and versions, templates, stats,
a customer's enrolments, the channel secret, workspaces kept apart, the journey quotas and the budgets of
a document (422s naming the field, never a 500)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from devstack.postgres import LocalPostgres
from runtime.clock import utc_now
from runtime.context import install_context
from runtime.db import create_pool, migrate
from runtime.egress import EgressPolicy
from runtime.problems import install_problem_handlers
from runtime.secrets_at_rest import keyring_of
from services.journey import journey_store
from services.journey.api import quotas_router, router
from services.journey.service import JourneyBook, JourneyContext
from services.journey.settings import JourneyServiceSettings
from tests.integration.conftest import fresh_database

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "journey" / "migrations"
BASE = "/internal/v1/workspaces/acme"
OTHER = "/internal/v1/workspaces/globex"
T0 = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)

DOCUMENT: dict[str, Any] = {
    "name": "Socks after shoes",
    "trigger": {"type": "event", "event": "purchase"},
    "entry_step": "wait",
    "steps": {
        "wait": {"type": "wait", "duration": "2d", "next": "offer"},
        "offer": {
            "type": "action",
            "action": {"kind": "webhook", "channel": "email", "template": "Socks for you"},
            "next": "done",
        },
        "done": {"type": "exit"},
    },
}


@dataclass
class _Runtime:
    pool: asyncpg.Pool
    settings: JourneyServiceSettings


@dataclass
class Api:
    client: httpx.AsyncClient
    pool: asyncpg.Pool
    runtime: _Runtime

    def quotas(self, **limits: int) -> None:
        """Sets quotas (e.g. quota_journeys=2) for the requests from now on."""
        self.runtime.settings = self.runtime.settings.model_copy(update=limits)


async def public_dns(host: str, port: int) -> list[str]:
    if host != "hooks.example.com":
        raise OSError(-2, "Name or service not known")
    return ["93.184.216.34"]


@pytest.fixture
async def api(postgres: LocalPostgres) -> AsyncIterator[Api]:
    dsn = fresh_database(postgres, "journey_api")
    await migrate(dsn, "journey", MIGRATIONS)
    settings = JourneyServiceSettings(database_url=dsn)
    pool = await create_pool(settings)
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(router)
    app.include_router(quotas_router)
    runtime = _Runtime(pool, settings)
    egress = EgressPolicy(resolver=public_dns)  # as wiring makes it (DNS: the test's)
    # The runtime's stand-in: the routes read only its pool and settings.
    install_context(app, JourneyContext(runtime, utc_now, webhook_egress=egress))  # type: ignore[arg-type]
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://journey") as client:
            yield Api(client, pool, runtime)
    finally:
        await pool.close()


def doc(name: str = "Socks after shoes", wait: str = "2d") -> dict[str, Any]:
    document = copy.deepcopy(DOCUMENT)
    document["name"] = name
    document["steps"]["wait"]["duration"] = wait
    return document


async def create(api: Api, document: dict[str, Any] | None = None, base: str = BASE) -> dict[str, Any]:
    response = await api.client.post(f"{base}/journeys", json=document or doc())
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_create_from_a_template_and_bad_parameters(api: Api) -> None:
    templates = (await api.client.get(f"{BASE}/journey-templates")).json()
    dormant = next(t for t in templates if t["name"] == "dormant_reactivation")
    assert {"name": "purchase_wait", "type": "duration", "default": "3d"}.items() <= dormant["parameters"][1].items()

    response = await api.client.post(f"{BASE}/journey-templates/dormant_reactivation", json={"purchase_wait": "5d"})
    assert response.status_code == 201, response.text
    journey = response.json()
    assert journey["journey_id"].startswith("j_") and journey["template"] == "dormant_reactivation"
    assert journey["status"] == "draft" and journey["latest_version"] == 1 and journey["active_version"] is None
    assert journey["name"] == "Dormant reactivation"
    assert journey["document"]["steps"]["wait_purchase"]["timeout"] == "5d"
    fetched = (await api.client.get(f"{BASE}/journeys/{journey['journey_id']}")).json()
    assert fetched["document"] == journey["document"]

    no_body = await api.client.post(f"{BASE}/journey-templates/churn_save")
    assert no_body.status_code == 201 and no_body.json()["document"]["trigger"]["type"] == "score_changed"
    unknown = await api.client.post(f"{BASE}/journey-templates/nope", json={})
    assert unknown.status_code == 404 and unknown.headers["content-type"] == "application/problem+json"
    bad = await api.client.post(f"{BASE}/journey-templates/dormant_reactivation", json={"offer_percent": "x", "y": 1})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"parameters.offer_percent", "parameters.y"}
    bad_value = await api.client.post(f"{BASE}/journey-templates/cross_sell", json={"delay": "soon"})
    assert bad_value.status_code == 422 and bad_value.json()["errors"][0]["field"] == "steps.wait.duration"


async def test_invalid_documents_name_the_bad_step_and_validate_stores_nothing(api: Api) -> None:
    broken = doc()
    broken["steps"]["offer"]["next"] = "ofer"
    for path in ("journeys", "journeys/validate"):
        response = await api.client.post(f"{BASE}/{path}", json=broken)
        assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"] == [{"field": "steps.offer.next", "message": "unknown step 'ofer'"}]
    ok = await api.client.post(f"{BASE}/journeys/validate", json=doc())
    assert ok.status_code == 200 and ok.json() == {"valid": True}
    assert (await api.client.get(f"{BASE}/journeys")).json() == {"items": [], "next_cursor": None}


async def test_draft_edits_in_place_and_activated_versions_stay_frozen(api: Api) -> None:
    journey_id = (await create(api))["journey_id"]
    edited = await api.client.put(f"{BASE}/journeys/{journey_id}", json=doc("Renamed", "3d"))
    assert edited.status_code == 200
    assert edited.json()["latest_version"] == 1 and edited.json()["name"] == "Renamed"

    activated = (await api.client.post(f"{BASE}/journeys/{journey_id}/activate")).json()
    assert activated["status"] == "active" and activated["active_version"] == 1

    edited = await api.client.put(f"{BASE}/journeys/{journey_id}", json=doc("Renamed", "4d"))
    body = edited.json()
    assert body["latest_version"] == 2 and body["active_version"] == 1 and body["status"] == "active"
    assert body["document"]["steps"]["wait"]["duration"] == "4d"
    again = (await api.client.put(f"{BASE}/journeys/{journey_id}", json=doc("Renamed", "5d"))).json()
    assert again["latest_version"] == 2  # the new version is a draft: edited in place

    async with api.pool.acquire() as conn:
        versions = await journey_store.load_versions(conn, "acme", [(journey_id, 1), (journey_id, 2), ("j_x", 1)])
        active = await journey_store.load_active_journeys(conn, "acme")
    assert versions[(journey_id, 1)]["steps"]["wait"]["duration"] == "3d"  # the frozen version kept
    assert versions[(journey_id, 2)]["steps"]["wait"]["duration"] == "5d" and len(versions) == 2
    assert [(j, v) for j, v, _ in active] == [(journey_id, 1)]

    invalid = doc()
    del invalid["steps"]["done"]
    rejected = await api.client.put(f"{BASE}/journeys/{journey_id}", json=invalid)
    assert rejected.status_code == 422 and rejected.json()["errors"][0]["field"] == "steps.offer.next"

    reactivated = (await api.client.post(f"{BASE}/journeys/{journey_id}/activate")).json()
    assert reactivated["active_version"] == 2
    assert (await api.client.put(f"{BASE}/journeys/{journey_id}", json=doc())).json()["latest_version"] == 3


async def test_activate_pause_resume_and_archive(api: Api) -> None:
    journey_id = (await create(api))["journey_id"]
    draft_pause = await api.client.post(f"{BASE}/journeys/{journey_id}/pause")
    assert draft_pause.status_code == 409
    await api.client.post(f"{BASE}/journeys/{journey_id}/activate")
    paused = await api.client.post(f"{BASE}/journeys/{journey_id}/pause")
    assert paused.status_code == 200 and paused.json()["status"] == "paused"
    async with api.pool.acquire() as conn:
        assert await journey_store.load_active_journeys(conn, "acme") == []
        assert await journey_store.journey_statuses(conn, "acme", [journey_id]) == {journey_id: "paused"}
    resumed = (await api.client.post(f"{BASE}/journeys/{journey_id}/activate")).json()
    assert resumed["status"] == "active" and resumed["active_version"] == 1

    assert (await api.client.delete(f"{BASE}/journeys/{journey_id}")).status_code == 204
    assert (await api.client.get(f"{BASE}/journeys/{journey_id}")).json()["status"] == "archived"
    assert (await api.client.get(f"{BASE}/journeys")).json()["items"] == []
    archived = (await api.client.get(f"{BASE}/journeys", params={"status": "archived"})).json()["items"]
    assert [j["journey_id"] for j in archived] == [journey_id]
    assert (await api.client.post(f"{BASE}/journeys/{journey_id}/activate")).status_code == 409
    assert (await api.client.put(f"{BASE}/journeys/{journey_id}", json=doc())).status_code == 409
    assert (await api.client.delete(f"{BASE}/journeys/j_missing")).status_code == 404


async def test_list_pages_by_cursor(api: Api) -> None:
    ids = sorted([(await create(api, doc(f"J{i}")))["journey_id"] for i in range(5)])
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await api.client.get(f"{BASE}/journeys", params=params)).json()
        seen += [j["journey_id"] for j in page["items"]]
        assert all(j["versions"] == 1 and j["status"] == "draft" for j in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids
    bad = await api.client.get(f"{BASE}/journeys", params={"cursor": "nonsense"})
    assert bad.status_code == 422


async def insert_enrolments(pool: asyncpg.Pool, journey_id: str, rows: list[tuple[Any, ...]]) -> None:
    """rows: (enrolment_id, customer_id, status, step_id, variant, holdout, minutes after T0)."""
    async with pool.acquire() as conn:
        await conn.executemany(
            """INSERT INTO enrolments (workspace, enrolment_id, journey_id, version, customer_id, step_id, status,
                                       variant, holdout, entered_at, ended_at, end_reason)
               VALUES ('acme', $1, $2, 1, $3, $4, $5, $6, $7, $8,
                       CASE WHEN $5 IN ('converted', 'exited', 'completed') THEN $8::timestamptz + interval '1 day' END,
                       CASE WHEN $5 = 'converted' THEN 'goal' END)""",
            [(e, journey_id, c, s, st, v, h, T0 + dt.timedelta(minutes=m)) for e, c, st, s, v, h, m in rows],
        )


async def test_stats_count_steps_variants_holdout_and_deliveries(api: Api) -> None:
    journey_id = (await create(api))["journey_id"]
    rows: list[tuple[Any, ...]] = [
        ("e1", "c1", "waiting", "wait", "a", False, 1),
        ("e2", "c2", "waiting", "wait", "a", False, 2),
        ("e3", "c3", "active", "offer", "b", False, 3),
        ("e4", "c4", "converted", "done", "a", False, 4),
        ("e5", "c5", "converted", "done", "b", False, 5),
        ("e6", "c6", "converted", "done", "b", False, 6),
        ("e7", "c7", "exited", "offer", "b", False, 7),
        ("e8", "c8", "completed", "done", "a", False, 8),
        ("h1", "c9", "converted", "done", None, True, 9),
        ("h2", "c10", "completed", "done", None, True, 10),
        ("h3", "c11", "waiting", "wait", None, True, 11),
        ("h4", "c12", "completed", "done", None, True, 12),
    ]
    await insert_enrolments(api.pool, journey_id, rows)
    other = (await create(api))["journey_id"]
    await insert_enrolments(api.pool, other, [("x1", "c1", "converted", "done", "a", False, 0)])
    async with api.pool.acquire() as conn:
        await conn.executemany(
            """INSERT INTO webhook_deliveries (workspace, delivery_id, enrolment_id, journey_id, customer_id, body,
                                               status, next_attempt_at)
               VALUES ('acme', $1, $2, $3, 'c', '{}', $4, now())""",
            [
                ("d1", "e1", journey_id, "delivered"),
                ("d2", "e2", journey_id, "delivered"),
                ("d3", "e3", journey_id, "pending"),
                ("d4", "e4", journey_id, "failed"),
                ("dx", "x1", other, "failed"),  # the other journey's
            ],
        )

    stats = (await api.client.get(f"{BASE}/journeys/{journey_id}/stats")).json()
    assert {k: stats[k] for k in ("entered", "in_flight", "active", "waiting", "converted", "exited", "completed")} == {
        "entered": 12,
        "in_flight": 4,
        "active": 1,
        "waiting": 3,
        "converted": 4,
        "exited": 1,
        "completed": 3,
    }
    assert stats["steps"] == [
        {"step_id": "offer", "active": 1, "waiting": 0},
        {"step_id": "wait", "active": 0, "waiting": 3},
    ]
    assert stats["variants"] == [
        {"variant": "a", "entered": 4, "converted": 1, "conversion_rate": 0.25},
        {"variant": "b", "entered": 4, "converted": 2, "conversion_rate": 0.5},
    ]
    holdout = stats["holdout"]
    assert (holdout["holdout_entered"], holdout["holdout_converted"], holdout["holdout_rate"]) == (4, 1, 0.25)
    assert (holdout["treated_entered"], holdout["treated_converted"], holdout["treated_rate"]) == (8, 3, 0.375)
    assert holdout["lift"] == pytest.approx(0.5)
    assert stats["deliveries"] == {"delivered": 2, "pending": 1, "failed": 1, "suppressed": 0, "suppressed_reasons": {}}

    no_holdout = (await api.client.get(f"{BASE}/journeys/{other}/stats")).json()["holdout"]
    assert no_holdout["holdout_rate"] is None and no_holdout["lift"] is None
    assert no_holdout["treated_rate"] == 1.0
    empty = (await api.client.get(f"{BASE}/journeys/{(await create(api))['journey_id']}/stats")).json()
    assert empty["entered"] == 0 and empty["steps"] == [] and empty["variants"] == []


async def test_holdout_without_conversions_has_no_lift(api: Api) -> None:
    journey_id = (await create(api))["journey_id"]
    await insert_enrolments(
        api.pool,
        journey_id,
        [("h1", "c1", "completed", "done", None, True, 0), ("t1", "c2", "converted", "done", None, False, 1)],
    )
    holdout = (await api.client.get(f"{BASE}/journeys/{journey_id}/stats")).json()["holdout"]
    assert holdout["holdout_rate"] == 0.0 and holdout["lift"] is None


async def test_a_customers_enrolments_newest_first(api: Api) -> None:
    first, second = (await create(api))["journey_id"], (await create(api))["journey_id"]
    await insert_enrolments(api.pool, first, [("e1", "c1", "converted", "done", "a", False, 0)])
    await insert_enrolments(
        api.pool,
        second,
        [("e2", "c1", "waiting", "wait", None, True, 60), ("e3", "c2", "waiting", "wait", None, False, 30)],
    )
    async with api.pool.acquire() as conn:
        await conn.execute("INSERT INTO flywheel_merged_customers VALUES ('acme', 'c1-old', 'c1')")
    enrolments = (await api.client.get(f"{BASE}/customers/c1/enrolments")).json()
    assert [(e["journey_id"], e["status"], e["step_id"]) for e in enrolments] == [
        (second, "waiting", "wait"),
        (first, "converted", "done"),
    ]
    assert enrolments[0]["holdout"] is True and enrolments[0]["ended_at"] is None
    assert enrolments[1]["variant"] == "a" and enrolments[1]["end_reason"] == "goal" and enrolments[1]["version"] == 1
    assert (await api.client.get(f"{BASE}/customers/c1-old/enrolments")).json() == enrolments
    assert (await api.client.get(f"{OTHER}/customers/c1/enrolments")).json() == []


async def test_channel_secret_is_shown_once(api: Api) -> None:
    assert (await api.client.get(f"{BASE}/channel")).status_code == 404
    url = "https://hooks.example.com/flywheel"
    first = (await api.client.put(f"{BASE}/channel", json={"webhook_url": url, "timezone": "Europe/Berlin"})).json()
    assert first["secret"] and len(first["secret"]) >= 40 and first["has_secret"] is True
    got = (await api.client.get(f"{BASE}/channel")).json()
    assert got["secret"] is None and got["has_secret"] is True and got["timezone"] == "Europe/Berlin"
    assert got["webhook_url"] == url
    changed = (await api.client.put(f"{BASE}/channel", json={"webhook_url": url + "/v2"})).json()
    assert changed["secret"] is None and changed["timezone"] == "UTC"
    rotated = (await api.client.put(f"{BASE}/channel", json={"webhook_url": url, "rotate_secret": True})).json()
    assert rotated["secret"] and rotated["secret"] != first["secret"]
    async with api.pool.acquire() as conn:
        stored = await conn.fetchrow("SELECT * FROM workspace_channels WHERE workspace = 'acme'")
    assert stored is not None
    assert stored["webhook_secret"] is None and stored["secret_sealed"].startswith("fwsealed1.development.")
    assert all(secret not in str(dict(stored)) for secret in (first["secret"], rotated["secret"])), "sealed at rest"
    keyring = keyring_of("")
    assert keyring.unseal(stored["secret_sealed"], "journey.webhook_secret:acme") == rotated["secret"].encode()
    assert keyring.unseal(stored["previous_secret_sealed"], "journey.webhook_secret:acme") == first["secret"].encode()

    bad_zone = await api.client.put(f"{BASE}/channel", json={"webhook_url": url, "timezone": "Mars/Olympus"})
    assert bad_zone.status_code == 422 and bad_zone.json()["errors"][0]["field"] == "body.timezone"
    bad_url = await api.client.put(f"{BASE}/channel", json={"webhook_url": "ftp://example.com"})
    assert bad_url.status_code == 422 and bad_url.json()["errors"][0]["field"] == "body.webhook_url"
    assert (await api.client.get(f"{OTHER}/channel")).status_code == 404


async def test_another_workspaces_journey_is_not_found(api: Api) -> None:
    theirs = (await create(api, base=OTHER))["journey_id"]
    for method, path in [
        ("GET", ""),
        ("PUT", ""),
        ("DELETE", ""),
        ("POST", "/activate"),
        ("POST", "/pause"),
        ("GET", "/stats"),
    ]:
        response = await api.client.request(
            method, f"{BASE}/journeys/{theirs}{path}", json=doc() if method == "PUT" else None
        )
        assert response.status_code == 404, (method, path, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    assert (await api.client.get(f"{BASE}/journeys")).json()["items"] == []
    async with api.pool.acquire() as conn:
        assert await journey_store.load_versions(conn, "acme", [(theirs, 1)]) == {}
    mine = (await api.client.get(f"{OTHER}/journeys/{theirs}")).json()
    assert mine["status"] == "draft" and mine["name"] == "Socks after shoes"


# --- quotas --------------------------------------------------------------------------------------


def quota_refusal(response: httpx.Response, quota: str, limit: int) -> None:
    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["type"], problem["quota"], problem["limit"], problem["used"]) == (
        "/problems/quota-exceeded",
        quota,
        limit,
        limit,
    )
    assert f"quota {quota!r} reached" in problem["detail"] and f"FLYWHEEL_QUOTA_{quota.upper()}" in problem["detail"]


async def quotas(api: Api, base: str = BASE) -> dict[str, tuple[int, int]]:
    response = await api.client.get(f"{base}/quotas")
    assert response.status_code == 200, response.text
    return {q["name"]: (q["used"], q["limit"]) for q in response.json()}


async def test_the_journeys_quota_counts_journeys_not_versions_nor_archived_ones(api: Api) -> None:
    api.quotas(quota_journeys=3)
    first = (await create(api))["journey_id"]
    await create(api)
    await api.client.post(f"{BASE}/journeys/{first}/activate")
    await api.client.put(f"{BASE}/journeys/{first}", json=doc(wait="4d"))  # a second version: not counted
    paused = (await create(api))["journey_id"]
    await api.client.post(f"{BASE}/journeys/{paused}/activate")
    await api.client.post(f"{BASE}/journeys/{paused}/pause")
    assert (await quotas(api))["journeys"] == (3, 3)

    quota_refusal(await api.client.post(f"{BASE}/journeys", json=doc()), "journeys", 3)
    quota_refusal(await api.client.post(f"{BASE}/journey-templates/churn_save"), "journeys", 3)
    assert len((await api.client.get(f"{BASE}/journeys")).json()["items"]) == 3  # nothing stored
    assert (await api.client.post(f"{BASE}/journeys/validate", json=doc())).status_code == 200  # stores nothing
    await create(api, base=OTHER)  # another workspace has its own count

    assert (await api.client.delete(f"{BASE}/journeys/{first}")).status_code == 204  # archiving frees a place
    assert (await api.client.post(f"{BASE}/journey-templates/churn_save")).status_code == 201
    assert (await quotas(api))["journeys"] == (3, 3)
    assert (await quotas(api, OTHER))["journeys"] == (1, 3)


async def test_the_active_journeys_quota_is_checked_on_activation(api: Api) -> None:
    api.quotas(quota_active_journeys=1)
    first, second = (await create(api))["journey_id"], (await create(api))["journey_id"]
    assert (await api.client.post(f"{BASE}/journeys/{first}/activate")).status_code == 200
    await api.client.put(f"{BASE}/journeys/{first}", json=doc(wait="4d"))
    again = await api.client.post(f"{BASE}/journeys/{first}/activate")  # freezing a new version: still one
    assert again.status_code == 200 and again.json()["active_version"] == 2
    assert (await quotas(api)) == {
        "journeys": (2, 200),
        "active_journeys": (1, 1),
        "subscription_groups": (0, 100),
        "suppressions": (0, 1_000_000),
    }

    quota_refusal(await api.client.post(f"{BASE}/journeys/{second}/activate"), "active_journeys", 1)
    assert (await api.client.get(f"{BASE}/journeys/{second}")).json()["status"] == "draft"
    assert (await api.client.post(f"{BASE}/journeys/{first}/pause")).status_code == 200
    assert (await api.client.post(f"{BASE}/journeys/{second}/activate")).status_code == 200
    quota_refusal(await api.client.post(f"{BASE}/journeys/{first}/activate"), "active_journeys", 1)  # resume
    assert (await api.client.get(f"{BASE}/journeys/{first}")).json()["status"] == "paused"


async def test_versions_of_a_journey_have_a_budget(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(journey_store, "MAX_VERSIONS", 2)
    journey_id = (await create(api))["journey_id"]
    await api.client.post(f"{BASE}/journeys/{journey_id}/activate")
    assert (await api.client.put(f"{BASE}/journeys/{journey_id}", json=doc(wait="4d"))).status_code == 200
    await api.client.post(f"{BASE}/journeys/{journey_id}/activate")
    refused = await api.client.put(f"{BASE}/journeys/{journey_id}", json=doc(wait="5d"))
    assert refused.status_code == 409 and "has 2 versions, the most a journey keeps" in refused.json()["detail"]


# --- budgets -------------------------------------------------------------------------------------


async def test_numbers_beyond_what_journey_holds_are_422_naming_the_field(api: Api) -> None:
    too_big = doc()
    too_big["steps"]["offer"]["action"]["data"] = {"order": {"total": 2**64}}  # orjson (jsonb) refuses it: was a 500
    wait = doc(wait=f"{10**15}d")
    huge_weight = doc()
    huge_weight["steps"]["offer"]["next"] = "split"
    huge_weight["steps"]["split"] = {"type": "split", "variants": [{"name": "a", "weight": 2**62, "next": "done"}]}
    for document, field in [
        (too_big, "steps.offer.action.data.order.total"),
        (wait, "steps.wait.duration"),
        (huge_weight, "steps.split.variants[0].weight"),
    ]:
        for path in ("journeys", "journeys/validate"):
            response = await api.client.post(f"{BASE}/{path}", json=document)
            assert response.status_code == 422, response.text
            assert [e["field"] for e in response.json()["errors"]] == [field]
    template = await api.client.post(f"{BASE}/journey-templates/churn_save", json={"high_value_clv": 2**64})
    assert template.status_code == 422 and template.json()["errors"] == [
        {"field": "parameters.high_value_clv", "message": "must be between -1e+15 and 1e+15"}
    ]
    template = await api.client.post(f"{BASE}/journey-templates/cross_sell", json={"delay": f"{10**15}d"})
    assert template.status_code == 422 and template.json()["errors"][0]["field"] == "steps.wait.duration"
    assert (await api.client.get(f"{BASE}/journeys")).json()["items"] == []


async def test_hostile_documents_are_answered_with_bounded_problems(api: Api) -> None:
    hostile = doc()
    hostile["steps"]["wait"].update({f"extra{i}": i for i in range(20_000)})
    response = await api.client.post(f"{BASE}/journeys/validate", json=hostile)
    assert response.status_code == 422
    assert response.json()["detail"] == "invalid journey document: 20000 problem(s), the first 50 listed"
    assert len(response.json()["errors"]) == 50
    big = doc()
    big["description"] = "x" * 600_000
    response = await api.client.post(f"{BASE}/journeys", json=big)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "journey"
    braces = doc()
    braces["steps"]["offer"]["action"]["template"] = "{" * 20_000
    assert (await api.client.post(f"{BASE}/journeys/validate", json=braces)).json() == {"valid": True}


async def test_the_engine_reads_each_active_version_once(api: Api) -> None:
    """A batch asks which versions are active; documents (up to the budget's size) are read once per process."""
    journey_id = (await create(api))["journey_id"]
    await api.client.post(f"{BASE}/journeys/{journey_id}/activate")
    book = JourneyBook()
    async with api.pool.acquire() as conn:
        [(active_id, version, journey)] = await book.active(conn, "acme")
        assert (active_id, version, journey.name) == (journey_id, 1, "Socks after shoes")
        await conn.execute("UPDATE journey_versions SET document = '{}' WHERE journey_id = $1", journey_id)
        assert await book.active(conn, "acme") == [(journey_id, 1, journey)]  # not read (nor parsed) again
        assert await book.versions(conn, "acme", {(journey_id, 1), (journey_id, 9)}) == {(journey_id, 1): journey}
