"""The gateway in-process against the session's PostgreSQL and broker; profile is a stand-in (MockTransport)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
import pytest

from contracts.export import SERVICE_SECTIONS
from contracts.topics import INBOUND
from devstack.postgres import LocalPostgres
from services.gateway import store
from tests.helpers import event, read_topic
from tests.integration.conftest import fresh_database
from tests.integration.gateway_fakes import (
    DEAL,
    ENROLMENT,
    JOURNEY,
    NEW_SECRET,
    REFERRALS,
    SCORES,
    STATS,
    TEMPLATE,
    VIEW,
    FakeJourney,
    FakeProfile,
    FakeReferral,
    FakeSales,
    FakeScoring,
    assert_problem,
)
from tests.integration.gateway_stack import gateway_app, gateway_settings


@dataclass
class Gateway:
    client: httpx.AsyncClient
    workspace: str
    keys: dict[str, str]
    profile: FakeProfile
    scoring: FakeScoring
    journey: FakeJourney
    referral: FakeReferral
    sales: FakeSales
    dsn: str

    async def call(self, method: str, path: str, key: str | None = "admin", **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if key is not None:
            headers["Authorization"] = f"Bearer {self.keys.get(key, key)}"
        return await self.client.request(method, path, headers=headers, **kwargs)


@pytest.fixture
async def gateway(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[Gateway]:
    dsn = fresh_database(postgres, "gateway")
    workspace = f"gw_{uuid.uuid4().hex[:8]}"
    keys: dict[str, str] = {}
    async with store.admin_connection(dsn) as conn:
        await store.create_workspace(conn, workspace)
        for name, scopes in (("admin", ["admin"]), ("writer", ["events:write"]), ("reader", ["customers:read"])):
            keys[name] = (await store.create_key(conn, workspace, name, scopes))[1]
    profile, scoring, journey = FakeProfile(workspace), FakeScoring(workspace), FakeJourney(workspace)
    referral, sales = FakeReferral(workspace), FakeSales(workspace)
    fakes = {"profile": profile, "scoring": scoring, "journey": journey, "referral": referral, "sales": sales}
    app = gateway_app(
        gateway_settings(dsn, topics, broker_kind, max_batch_events=5, max_body_bytes=20_000),
        {name: httpx.MockTransport(fake) for name, fake in fakes.items()},
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client,
    ):
        yield Gateway(client, workspace, keys, profile, scoring, journey, referral, sales, dsn)


async def test_requests_need_a_live_key(gateway: Gateway) -> None:
    for key in (None, "not-a-key", "fw_0123abcd_" + "x" * 43):
        response = await gateway.call("GET", "/v1/customers/c-1", key=key)
        assert_problem(response, 401)
        assert response.headers["www-authenticate"].startswith("Bearer")
    async with store.admin_connection(gateway.dsn) as conn:
        record, plain = await store.create_key(conn, gateway.workspace, "short-lived", ["customers:read"])
        await store.revoke_key(conn, record.id)
    assert_problem(await gateway.call("GET", "/v1/customers/c-1", key=plain), 401)


async def test_keys_need_the_endpoint_scope(gateway: Gateway) -> None:
    assert_problem(await gateway.call("GET", "/v1/customers/c-1", key="writer"), 403)
    assert_problem(await gateway.call("POST", "/v1/events", key="reader", json=[]), 403)
    assert_problem(await gateway.call("DELETE", "/v1/customers/c-1", key="reader"), 403)
    assert_problem(await gateway.call("PUT", "/v1/attributes/tier", key="reader", json={"type": "string"}), 403)


async def test_single_events_and_batches_land_on_inbound(gateway: Gateway, topics: str) -> None:
    ws = gateway.workspace
    single = event("visit", ws, {"email": " Ada@Example.com "}, {"channel": "web"})
    response = await gateway.call("POST", "/v1/events", key="writer", json=single, headers={"Idempotency-Key": "k1"})
    assert response.status_code == 202, response.text
    assert response.json() == {"accepted": [single["id"]], "rejected": []}

    batch = [
        event("purchase", ws, {"external_id": f"u-{i}"}, {"order_id": f"o-{i}", "amount": "9.5"}) for i in range(3)
    ]
    response = await gateway.call("POST", "/v1/events", key="writer", json=batch)
    assert response.status_code == 202, response.text
    assert response.json()["accepted"] == [e["id"] for e in batch]

    records = await read_topic(topics, INBOUND, expect=4, match=lambda r: r.key.startswith(f"{ws}:".encode()))
    by_id = {orjson.loads(r.value)["id"]: r for r in records}
    assert by_id[single["id"]].key == f"{ws}:ada@example.com".encode()
    assert by_id[batch[1]["id"]].key == f"{ws}:u-1".encode()
    assert orjson.loads(by_id[batch[1]["id"]].value)["data"]["amount"] == "9.5"
    headers = dict(by_id[single["id"]].headers)
    assert headers["content-type"] == b"application/cloudevents+json"
    assert "traceparent" in headers


async def test_concurrent_single_event_requests_are_each_answered_once_their_event_is_on_inbound(
    gateway: Gateway, topics: str
) -> None:
    """They share produce requests (services/gateway/produce_batching.py); each 202 still names only its own event,
    and every event answered 202 is on the topic."""
    ws = gateway.workspace
    singles = [event("visit", ws, {"anonymous_id": f"d-{i}"}, {"channel": "web"}) for i in range(40)]
    answers = await asyncio.gather(*(gateway.call("POST", "/v1/events", key="writer", json=e) for e in singles))
    assert [a.status_code for a in answers] == [202] * len(singles)
    assert [a.json()["accepted"] for a in answers] == [[e["id"]] for e in singles]
    records = await read_topic(topics, INBOUND, expect=40, match=lambda r: r.key.startswith(f"{ws}:".encode()))
    assert sorted(orjson.loads(r.value)["id"] for r in records) == sorted(e["id"] for e in singles)


async def test_a_mixed_batch_publishes_the_valid_events_and_lists_every_error(gateway: Gateway, topics: str) -> None:
    ws = gateway.workspace
    good = event("visit", ws, {"anonymous_id": "d-1"}, {"channel": "app"})
    bad = event("purchase", ws, {"email": "b@example.com"}, {"amount": "-3"})  # no order_id, negative amount
    foreign = event("visit", "someone_else", {"anonymous_id": "d-2"}, {"channel": "app"})
    response = await gateway.call("POST", "/v1/events", key="writer", json=[good, bad, foreign, 42])
    body = assert_problem(response, 422)
    assert body["accepted"] == [good["id"]]
    errors = {(e["index"], e["field"]): e for e in body["errors"]}
    assert set(errors) == {(1, "data.order_id"), (1, "data.amount"), (2, "workspace"), (3, "(event)")}
    assert errors[1, "data.amount"]["id"] == bad["id"]
    assert errors[3, "(event)"]["id"] is None
    assert errors[2, "workspace"]["message"] == (
        f"workspace 'someone_else' does not match the API key's workspace '{ws}'"
    )
    records = await read_topic(topics, INBOUND, expect=1, match=lambda r: r.key.startswith(f"{ws}:".encode()))
    assert [orjson.loads(r.value)["id"] for r in records] == [good["id"]]


async def test_survey_answers_are_taken_and_bad_or_foreign_ones_refused_naming_the_field(
    gateway: Gateway, topics: str
) -> None:
    ws = gateway.workspace
    good = event("survey", ws, {"email": "sv@example.com"}, {"nps": 10, "survey_id": "q4", "comment": "Great"})
    csat_only = event("survey", ws, {"email": "sv@example.com"}, {"csat": 4})
    no_score = event("survey", ws, {"email": "sv@example.com"}, {"comment": "no score"})
    out_of_range = event("survey", ws, {"email": "sv@example.com"}, {"nps": 11, "csat": 0})
    too_long = event("survey", ws, {"email": "sv@example.com"}, {"nps": 9, "comment": "x" * 2001})
    foreign = event("survey", "someone_else", {"email": "sv@example.com"}, {"nps": 0})
    batch = [good, csat_only, no_score, out_of_range, too_long]
    body = assert_problem(await gateway.call("POST", "/v1/events", key="writer", json=batch), 422)
    assert body["accepted"] == [good["id"], csat_only["id"]]
    fields = {(e["index"], e["field"]) for e in body["errors"]}
    assert fields == {(2, "data"), (3, "data.nps"), (3, "data.csat"), (4, "data.comment")}
    assert all("x" * 50 not in e["message"] for e in body["errors"])  # the comment is not quoted back
    refused = assert_problem(await gateway.call("POST", "/v1/events", key="writer", json=foreign), 422)
    assert [e["field"] for e in refused["errors"]] == ["workspace"]
    records = await read_topic(topics, INBOUND, expect=2, match=lambda r: r.key.startswith(f"{ws}:".encode()))
    assert sorted(orjson.loads(r.value)["id"] for r in records) == sorted([good["id"], csat_only["id"]])


async def test_bad_requests_answer_problem_json(gateway: Gateway) -> None:
    ws = gateway.workspace
    one = event("visit", ws, {"anonymous_id": "d"}, {"channel": "web"})
    assert_problem(await gateway.call("GET", "/v1/nowhere"), 404)
    assert_problem(await gateway.call("GET", "/v1/events"), 405)
    text_plain, json_type = {"content-type": "text/plain"}, {"content-type": "application/json"}
    assert_problem(await gateway.call("POST", "/v1/events", content=b"hello", headers=text_plain), 415)
    assert_problem(await gateway.call("POST", "/v1/events", content=b"{nope", headers=json_type), 400)
    assert_problem(await gateway.call("POST", "/v1/events", json=[one] * 6), 413)  # max_batch_events=5
    huge = {**one, "data": {**one["data"], "url": "x" * 30_000}}
    assert_problem(await gateway.call("POST", "/v1/events", json=huge), 413)  # max_body_bytes=20_000
    assert_problem(await gateway.call("POST", "/v1/events", json=[]), 422)


async def test_every_problem_type_resolves_to_its_page_served_without_a_key(gateway: Gateway) -> None:
    """A problem's `type` is a URI reference relative to the request's URL (RFC 9457): the gateway serves it."""
    answers = [
        (await gateway.call("GET", "/v1/nowhere"), "/problems/not-found"),
        (await gateway.call("GET", "/v1/events"), "/problems/method-not-allowed"),
        (await gateway.call("GET", "/v1/customers/c-1", key=None), "/problems/unauthorized"),
        (await gateway.call("POST", "/v1/events", json=[]), "/problems/validation"),
    ]
    for answer, kind in answers:
        assert assert_problem(answer, answer.status_code)["type"] == kind
        page = await gateway.client.get(str(httpx.URL(str(answer.request.url)).join(kind)), headers={})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), kind
    index = await gateway.client.get("/problems/")
    assert index.status_code == 200 and all(kind in index.text for _, kind in answers)
    assert_problem(await gateway.client.get("/problems/no-such-type"), 404)


async def test_customer_reads_come_from_profile_in_the_keys_workspace(gateway: Gateway) -> None:
    found = await gateway.call("GET", "/v1/customers", key="reader", params={"email": "ada@example.com"})
    assert found.status_code == 200, found.text
    assert found.json()["customer_id"] == "c-1" and "internal_shard" not in found.json()
    assert_problem(await gateway.call("GET", "/v1/customers", params={"email": "x@y.z", "phone": "+49"}), 422)
    assert_problem(await gateway.call("GET", "/v1/customers"), 422)
    assert_problem(await gateway.call("GET", "/v1/customers", params={"email": "nobody@example.com"}), 404)

    view = (await gateway.call("GET", "/v1/customers/c-1", key="reader")).json()
    assert view["stats"]["revenue"] == "20.00" and view["traits"] == {"name": "Ada"}
    assert view["acquisition"] == VIEW["acquisition"]  # profile's acquisition source, as it answers it
    assert view["scores"]["rfm"]["segment"] == "Loyal" and "model_version" not in view["scores"]
    assert view["segments"] == SCORES["segments"] and view["degraded"] == []
    assert view["journeys"] == [ENROLMENT]
    sections = ("referrals", "referral_codes", "referral_rewards", "deals", "tasks")
    assert [len(view[k]) for k in sections] == [2, 1, 1, 1, 1]
    assert all(r.url.path.startswith(f"/internal/v1/workspaces/{gateway.workspace}/") for r in gateway.profile.requests)

    # Another workspace's customer, or an id that would climb the profile URL: not found here.
    assert_problem(await gateway.call("GET", "/v1/customers/c-2"), 404)
    assert_problem(await gateway.call("GET", "/v1/customers/..%2F..%2Fother%2Fcustomers%2Fc-1"), 404)

    page = await gateway.call("GET", "/v1/customers/c-1/timeline", params={"limit": 10_000, "cursor": "abc"})
    assert page.json()["next_cursor"] == "abc" and page.json()["items"][0]["event_id"] == "e-1"
    assert gateway.profile.requests[-1].url.params["limit"] == "500"
    await gateway.call("GET", "/v1/customers/c-1/timeline")
    assert gateway.profile.requests[-1].url.params["limit"] == "50"

    export = (await gateway.call("GET", "/v1/customers/c-1/export")).json()
    assert export["customer"]["customer_id"] == "c-1"
    assert [e["event_id"] for e in export["timeline"]] == ["e-1", "e-2"]  # profile's pages, streamed in order
    assert (export["orders"], export["refunds"], export["tickets"]) == ([], [], []) and export["exported_at"]
    assert export["survey_answers"] == []
    assert export["scores"]["rfm"] == SCORES["rfm"] and len(export["journeys"]) == 1
    assert export["referrals"]["customer_id"] == "c-1" and len(export["referrals"]["rewards"]) == 1
    assert [d["deal_id"] for d in export["deals"]] == ["d_1", "d_2"] and len(export["tasks"]) == 1
    # Every service's own sections, under its name (contracts/export.py); a section it holds nothing in is empty.
    assert {name: set(sections) for name, sections in SERVICE_SECTIONS.items()} == {
        name: set(export[name]) for name in SERVICE_SECTIONS
    }
    assert export["sales"]["quotes"] == [{"quote_id": "q_1", "deal_id": "d_1"}] and export["journey"]["messages"] == []
    erased = await gateway.call("DELETE", "/v1/customers/c-1", headers={"Idempotency-Key": "erase-1"})
    assert erased.status_code == 202 and erased.json()["erased_ids"] == ["c-1"]


async def test_attributes_pass_through_profile(gateway: Gateway) -> None:
    listed = await gateway.call("GET", "/v1/attributes", key="reader")
    assert listed.json()["items"][0]["name"] == "tier"
    put = await gateway.call("PUT", "/v1/attributes/tier", json={"type": "enum", "enum_values": ["gold", "silver"]})
    assert put.status_code == 200 and put.json()["enum_values"] == ["gold", "silver"]
    assert_problem(await gateway.call("PUT", "/v1/attributes/tier", json={"type": "enum", "enum_values": []}), 422)
    assert_problem(await gateway.call("PUT", "/v1/attributes/tier", json={"type": "colour"}), 422)


async def test_identity_settings_and_conflicts_pass_through_profile(gateway: Gateway) -> None:
    got = await gateway.call("GET", "/v1/identity-settings", key="reader")
    assert got.status_code == 200 and got.json()["default"] is True
    limits = {"shared_identifier_limits": [{"kind": "anonymous_id", "other_kind": "email", "max_distinct": 3,
                                            "window_days": 7}]}  # fmt: skip
    assert_problem(await gateway.call("PUT", "/v1/identity-settings", key="reader", json=limits), 403)
    put = await gateway.call("PUT", "/v1/identity-settings", json=limits)
    assert put.status_code == 200, put.text
    assert put.json() == {**limits, "weak_identifier_kinds": ["anonymous_id"], "default": False}
    off = await gateway.call("PUT", "/v1/identity-settings", json={**limits, "weak_identifier_kinds": []})
    assert off.status_code == 200 and off.json()["weak_identifier_kinds"] == []
    for bad in (
        {**limits, "weak_identifier_kinds": ["external_id"]},
        {**limits, "weak_identifier_kinds": ["phone", "phone"]},
        {"shared_identifier_limits": [{**limits["shared_identifier_limits"][0], "kind": "device"}]},
        {"shared_identifier_limits": [{**limits["shared_identifier_limits"][0], "other_kind": "anonymous_id"}]},
        {"shared_identifier_limits": limits["shared_identifier_limits"] * 13},
        {"shared_identifier_limits": [{**limits["shared_identifier_limits"][0], "max_distinct": 10_000}]},
    ):
        assert_problem(await gateway.call("PUT", "/v1/identity-settings", json=bad), 422)

    listed = await gateway.call("GET", "/v1/identity-conflicts", key="reader", params={"limit": 10})
    assert listed.status_code == 200 and listed.json()["items"][0]["masked_identifier"] == "fam…et"
    mine = await gateway.call("GET", "/v1/customers/c-1/identity-conflicts", key="reader")
    assert mine.status_code == 200 and mine.json()["items"][0]["customer_id"] == "c-1"
    assert_problem(await gateway.call("GET", "/v1/customers/c-2/identity-conflicts", key="reader"), 404)
    assert_problem(await gateway.call("GET", "/v1/identity-conflicts", key=None), 401)


async def test_an_export_holds_nothing_from_services_that_never_heard_of_the_customer(gateway: Gateway) -> None:
    response = await gateway.call("GET", "/v1/customers/c-new/export")  # the others answer 404 for c-new
    assert response.status_code == 200, response.text
    export = response.json()
    assert export["customer"]["customer_id"] == "c-new"
    assert (export["scores"], export["journeys"], export["referrals"], export["deals"], export["tasks"]) == (
        None,
        [],
        None,
        [],
        [],
    )


async def test_an_export_is_never_partial(gateway: Gateway) -> None:
    gateway.referral.down = True
    body = assert_problem(await gateway.call("GET", "/v1/customers/c-1/export"), 503)
    assert "referral" in body["detail"]


async def test_profile_down_is_503_naming_it(gateway: Gateway) -> None:
    gateway.profile.down = True
    body = assert_problem(await gateway.call("GET", "/v1/customers/c-1"), 503)
    assert "profile" in body["detail"]
    assert_problem(await gateway.call("DELETE", "/v1/customers/c-1"), 503)


async def test_openapi_documents_every_endpoint(gateway: Gateway) -> None:
    doc = (await gateway.client.get("/openapi.json")).json()
    assert doc["info"]["title"] == "Flywheel API"
    schemes = doc["components"]["securitySchemes"]
    assert any(s["type"] == "http" and s["scheme"].lower() == "bearer" for s in schemes.values())
    assert "InboundEvent" in doc["components"]["schemas"] and "PurchaseEvent" in doc["components"]["schemas"]
    post_events = doc["paths"]["/v1/events"]["post"]
    assert "Idempotency-Key" in {p["name"] for p in post_events["parameters"]}
    assert {"202", "401", "403", "413", "415", "422"} <= set(post_events["responses"])
    for path in ("/v1/customers", "/v1/customers/{customer_id}", "/v1/customers/{customer_id}/timeline",
                 "/v1/customers/{customer_id}/export", "/v1/attributes", "/v1/attributes/{name}"):  # fmt: skip
        for operation in doc["paths"][path].values():
            assert operation["tags"] and operation["security"] and "401" in operation["responses"]
    assert (await gateway.client.get("/docs")).status_code == 200


async def test_the_360_view_stays_up_without_scoring_and_says_so(gateway: Gateway) -> None:
    gateway.scoring.down = True
    view = (await gateway.call("GET", "/v1/customers/c-1", key="reader")).json()
    assert view["customer_id"] == "c-1" and view["stats"]["orders"] == 2
    assert view["scores"] is None and view["segments"] == [] and view["degraded"] == ["scoring"]
    assert_problem(await gateway.call("GET", "/v1/customers/c-1/scores", key="reader"), 503)


async def test_scores_and_segments_come_from_scoring_in_the_keys_workspace(gateway: Gateway) -> None:
    scores = await gateway.call("GET", "/v1/customers/c-1/scores", key="reader")
    assert scores.status_code == 200, scores.text
    assert scores.json()["ltv"] == SCORES["ltv"] and "model_version" not in scores.json()
    assert_problem(await gateway.call("GET", "/v1/customers/c-2/scores", key="reader"), 404)

    listed = (await gateway.call("GET", "/v1/segments", key="reader")).json()
    assert [s["segment_id"] for s in listed["items"]] == ["seg_1"]
    members = (await gateway.call("GET", "/v1/segments/seg_1/members", key="reader")).json()
    assert members["items"][0]["customer_id"] == "c-1"
    fields = (await gateway.call("GET", "/v1/segment-fields", key="reader")).json()
    assert fields[0]["field"] == "stats.orders" and fields[0]["values"] is None
    assert fields[1]["values"] == ["low", "high"], "an enum's values reach condition editors"
    assert_problem(await gateway.call("GET", "/v1/segments/seg_9", key="reader"), 404)

    body = {"name": "Big spenders", "condition": {"field": "stats.revenue", "op": "gte", "value": 500}}
    assert_problem(await gateway.call("POST", "/v1/segments", key="reader", json=body), 403)
    created = await gateway.call("POST", "/v1/segments", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["segment_id"] == "seg_2"
    bad = assert_problem(await gateway.call("POST", "/v1/segments", json={"name": "x", "condition": {"all": []}}), 422)
    assert bad["errors"] == [{"field": "condition", "message": "a condition needs a field"}]
    assert (await gateway.call("PUT", "/v1/segments/seg_1", json=body)).status_code == 200
    assert_problem(await gateway.call("PUT", "/v1/segments/seg_9", json=body), 404)
    assert (await gateway.call("DELETE", "/v1/segments/seg_1")).status_code == 204
    assert all(r.url.path.startswith(f"/internal/v1/workspaces/{gateway.workspace}/") for r in gateway.scoring.requests)


async def test_the_360_view_stays_up_without_journey_and_says_so(gateway: Gateway) -> None:
    gateway.journey.down = True
    view = (await gateway.call("GET", "/v1/customers/c-1", key="reader")).json()
    assert view["customer_id"] == "c-1" and view["scores"]["rfm"]["segment"] == "Loyal"
    assert view["journeys"] == [] and view["degraded"] == ["journey"]
    gateway.scoring.down = True
    # Once the change feed is live, the sections read in full above are cached: assembled now instead.
    fresh = {"Cache-Control": "no-cache"}
    view = (await gateway.call("GET", "/v1/customers/c-1", key="reader", headers=fresh)).json()
    assert view["degraded"] == ["scoring", "journey"]
    assert_problem(await gateway.call("GET", "/v1/journeys", key="reader"), 503)


async def test_referrals_deals_and_tasks_join_the_360_view(gateway: Gateway) -> None:
    view = (await gateway.call("GET", "/v1/customers/c-1", key="reader")).json()
    assert view["degraded"] == []
    assert view["referrals"] == [
        {"role": "referred", "program_id": "p_1", "referrer_id": "c-9", "referred_id": "c-1", "code": "BOB-1234",
         "status": "signed_up", "reason": None, "attributed_at": "2024-12-01T00:00:00Z"},
        {"role": "referrer", "program_id": "p_1", "referrer_id": "c-1", "referred_id": "c-2", "code": None,
         "status": "purchased", "reason": None, "attributed_at": "2025-01-02T00:00:00Z"},
    ]  # fmt: skip
    assert view["referral_codes"] == REFERRALS["codes"]
    assert view["referral_rewards"][0]["value"] == "10.00" and "budget_row" not in view["referral_rewards"][0]
    assert view["deals"] == [{k: v for k, v in DEAL.items() if k != "customer_id"}]
    assert view["tasks"][0]["task_id"] == "t_1" and view["tasks"][0]["assignee"] == "ana"
    for service in (gateway.referral, gateway.sales):
        assert all(r.url.path.startswith(f"/internal/v1/workspaces/{gateway.workspace}/") for r in service.requests)

    gateway.referral.down = True
    gateway.sales.down = True
    # Not the view cached above (once the change feed is live, a complete view is): assembled now.
    fresh = {"Cache-Control": "no-cache"}
    view = (await gateway.call("GET", "/v1/customers/c-1", key="reader", headers=fresh)).json()
    assert view["referrals"] == view["deals"] == view["tasks"] == [] and view["degraded"] == ["referral", "sales"]
    assert view["scores"]["rfm"]["segment"] == "Loyal" and view["journeys"]


async def test_the_360_view_of_a_merged_id_is_its_survivors_in_every_section(gateway: Gateway) -> None:
    """Profile answers a merged id with its survivor; every section is the survivor's too (not all services
    follow merged ids in their reads: here none does)."""
    survivor = (await gateway.call("GET", "/v1/customers/c-1", key="reader")).json()
    merged = (await gateway.call("GET", "/v1/customers/c-merged", key="reader")).json()
    assert merged == survivor and merged["customer_id"] == "c-1" and merged["degraded"] == []
    assert merged["referral_codes"] and merged["deals"] and merged["tasks"] and merged["journeys"] and merged["scores"]


async def test_journeys_come_from_journey_in_the_keys_workspace(gateway: Gateway) -> None:
    listed = await gateway.call("GET", "/v1/journeys", key="reader", params={"limit": 10_000, "status": "draft"})
    assert listed.status_code == 200, listed.text
    assert listed.json()["next_cursor"] == "next" and listed.json()["items"][0]["versions"] == 1
    assert "shard" not in listed.json()["items"][0]
    assert dict(gateway.journey.requests[-1].url.params) == {"limit": "500", "status": "draft"}
    assert_problem(await gateway.call("GET", "/v1/journeys", key="reader", params={"status": "gone"}), 422)

    got = await gateway.call("GET", "/v1/journeys/j_1", key="reader")
    assert got.json()["document"] == JOURNEY["document"] and "shard" not in got.json()
    assert_problem(await gateway.call("GET", "/v1/journeys/j_2", key="reader"), 404)  # another workspace's
    assert_problem(await gateway.call("GET", "/v1/journeys/..", key="reader"), 404)

    document = {"name": "Welcome", "trigger": {"type": "event", "event": "visit"}, "entry_step": "done",
                "steps": {"done": {"type": "exit"}}}  # fmt: skip
    bad = {**document, "entry_step": "ofer"}
    created = await gateway.call("POST", "/v1/journeys", json=document, headers={"Idempotency-Key": "j-1"})
    assert created.status_code == 201, created.text
    assert created.json()["document"] == document and created.json()["status"] == "draft"
    errors = [{"field": "entry_step", "message": "unknown step 'ofer'"}]
    assert assert_problem(await gateway.call("POST", "/v1/journeys", json=bad), 422)["errors"] == errors
    assert_problem(await gateway.call("POST", "/v1/journeys", json=[document]), 422)  # not an object
    valid = await gateway.call("POST", "/v1/journeys/validate", key="reader", json=document)
    assert valid.status_code == 200 and valid.json() == {"valid": True}
    invalid = assert_problem(await gateway.call("POST", "/v1/journeys/validate", key="reader", json=bad), 422)
    assert invalid["errors"] == errors and invalid["detail"] == "invalid journey document: 1 problem(s)"

    assert (await gateway.call("PUT", "/v1/journeys/j_1", json=document)).status_code == 200
    assert_problem(await gateway.call("PUT", "/v1/journeys/j_1", json=bad), 422)
    assert_problem(await gateway.call("PUT", "/v1/journeys/j_2", json=document), 404)

    assert_problem(await gateway.call("POST", "/v1/journeys/j_1/pause"), 409)  # still a draft
    activated = await gateway.call("POST", "/v1/journeys/j_1/activate")
    assert activated.status_code == 200 and activated.json()["status"] == "active"
    paused = await gateway.call("POST", "/v1/journeys/j_1/pause")
    assert paused.status_code == 200 and paused.json()["status"] == "paused"
    assert_problem(await gateway.call("POST", "/v1/journeys/j_2/activate"), 404)
    stats = await gateway.call("GET", "/v1/journeys/j_1/stats", key="reader")
    assert stats.status_code == 200 and stats.json() == STATS
    assert_problem(await gateway.call("GET", "/v1/journeys/j_2/stats", key="reader"), 404)
    assert (await gateway.call("DELETE", "/v1/journeys/j_1")).status_code == 204
    assert_problem(await gateway.call("DELETE", "/v1/journeys/j_2"), 404)

    templates = await gateway.call("GET", "/v1/journey-templates", key="reader")
    assert templates.status_code == 200 and templates.json() == {"items": [TEMPLATE]}
    made = await gateway.call("POST", "/v1/journey-templates/dormant_reactivation", json={"purchase_wait": "5d"})
    assert made.status_code == 201 and made.json()["template"] == "dormant_reactivation"
    assert orjson.loads(gateway.journey.requests[-1].content) == {"purchase_wait": "5d"}
    assert (await gateway.call("POST", "/v1/journey-templates/dormant_reactivation")).status_code == 201
    assert orjson.loads(gateway.journey.requests[-1].content) == {}
    assert_problem(await gateway.call("POST", "/v1/journey-templates/nope"), 404)

    enrolments = await gateway.call("GET", "/v1/customers/c-1/journeys", key="reader")
    assert enrolments.status_code == 200 and enrolments.json() == {"items": [ENROLMENT]}
    assert_problem(await gateway.call("GET", "/v1/customers/c-2/journeys", key="reader"), 404)  # profile: not ours

    paths = [r.url.path for r in gateway.journey.requests + gateway.profile.requests]
    assert paths and all(p.startswith(f"/internal/v1/workspaces/{gateway.workspace}/") for p in paths)


async def test_journey_writes_need_the_journeys_write_scope(gateway: Gateway) -> None:
    document = JOURNEY["document"]
    for method, path in (("POST", "/v1/journeys"), ("PUT", "/v1/journeys/j_1")):
        assert_problem(await gateway.call(method, path, key="reader", json=document), 403)
    bare = ("DELETE", "/v1/journeys/j_1"), ("POST", "/v1/journeys/j_1/activate"), ("POST", "/v1/journeys/j_1/pause")
    for method, path in (*bare, ("POST", "/v1/journey-templates/dormant_reactivation")):
        assert_problem(await gateway.call(method, path, key="reader"), 403)
    assert_problem(await gateway.call("GET", "/v1/journeys", key="writer"), 403)
    assert gateway.journey.requests == []  # nothing was forwarded
    async with store.admin_connection(gateway.dsn) as conn:
        plain = (await store.create_key(conn, gateway.workspace, "journeys", ["journeys:write"]))[1]
    assert (await gateway.call("POST", "/v1/journeys/j_1/activate", key=plain)).status_code == 200
    assert_problem(await gateway.call("PUT", "/v1/channel", key=plain, json={"webhook_url": "https://x.test"}), 403)


async def test_the_channel_secret_is_shown_only_when_made(gateway: Gateway) -> None:
    assert_problem(await gateway.call("GET", "/v1/channel", key="reader"), 404)
    body = {"webhook_url": "https://hooks.example.com/flywheel", "timezone": "Europe/Berlin"}
    assert_problem(await gateway.call("PUT", "/v1/channel", key="reader", json=body), 403)
    first = await gateway.call("PUT", "/v1/channel", json=body)
    assert first.status_code == 200 and first.json()["secret"] == NEW_SECRET
    assert first.headers["cache-control"] == "no-store"
    again = await gateway.call("PUT", "/v1/channel", json=body)
    assert again.json()["secret"] is None and again.json()["timezone"] == "Europe/Berlin"
    rotated = await gateway.call("PUT", "/v1/channel", json={**body, "rotate_secret": True})
    assert rotated.json()["secret"] == NEW_SECRET
    shown = await gateway.call("GET", "/v1/channel", key="reader")
    assert shown.status_code == 200 and shown.json()["secret"] is None
    assert shown.json()["webhook_url"] == body["webhook_url"]
    assert_problem(await gateway.call("PUT", "/v1/channel", json={**body, "extra": 1}), 422)
