"""Growing what a workspace holds without bound, and sending what no store holds, through the gateway with a
key of one's own workspace: custom attributes, referral programs and pipelines are refused with 409 naming
the quota; a trait value over the size quota is dead-lettered with a reason that does not echo it; numbers
and times beyond the columns and Python's range answer 422 naming the field, never a 5xx.

The gateway runs in front of the five real services on the session's PostgreSQL and broker, with small
quotas (FLYWHEEL_QUOTA_* set while the services start)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import orjson

from contracts.http.referral import EXAMPLE_PROGRAM
from contracts.topics import DEADLETTER
from tests.helpers import event, read_topic, wait_for
from tests.integration.gateway_fakes import assert_problem
from tests.integration.gateway_stack import GatewayInFront

QUOTAS = {"attributes": 4, "referral_programs": 2, "pipelines": 3, "trait_value_bytes": 1024}
SERVICES_SETTINGS = {f"quota_{name}": limit for name, limit in QUOTAS.items()}
PIPELINE = {"name": "B2B", "stages": [{"id": "demo", "name": "Demo", "probability": 0.2}]}


def assert_quota_refusal(answer: httpx.Response, quota: str) -> None:
    problem = assert_problem(answer, 409)
    assert problem["type"] == "/problems/quota-exceeded"
    assert (problem["quota"], problem["limit"], problem["used"]) == (quota, QUOTAS[quota], QUOTAS[quota])
    assert f"quota {quota!r} reached" in problem["detail"]


async def test_custom_attributes_beyond_the_quota_are_refused(tenant: httpx.AsyncClient) -> None:
    for i in range(QUOTAS["attributes"]):
        assert (await tenant.put(f"/v1/attributes/a{i}", json={"type": "string"})).status_code == 200

    assert_quota_refusal(await tenant.put("/v1/attributes/one_more", json={"type": "string"}), "attributes")
    assert (await tenant.put("/v1/attributes/a0", json={"type": "number"})).status_code == 200  # redefining
    by_name = {q["name"]: q for q in (await tenant.get("/v1/quotas")).json()["quotas"]}
    assert (by_name["attributes"]["used"], by_name["attributes"]["limit"]) == (4, 4)


async def test_referral_programs_beyond_the_quota_are_refused(tenant: httpx.AsyncClient) -> None:
    for _ in range(QUOTAS["referral_programs"]):
        assert (await tenant.post("/v1/referral-programs", json=EXAMPLE_PROGRAM)).status_code == 201

    assert_quota_refusal(await tenant.post("/v1/referral-programs", json=EXAMPLE_PROGRAM), "referral_programs")
    listed = (await tenant.get("/v1/referral-programs")).json()["items"]
    assert len(listed) == QUOTAS["referral_programs"]


async def test_pipelines_beyond_the_quota_are_refused_counting_the_built_ins(tenant: httpx.AsyncClient) -> None:
    assert (await tenant.put("/v1/pipelines/b2b", json=PIPELINE)).status_code == 200  # 2 built-ins + 1

    assert_quota_refusal(await tenant.put("/v1/pipelines/retail", json=PIPELINE), "pipelines")
    assert (await tenant.put("/v1/pipelines/reactivation", json=PIPELINE)).status_code == 200  # replacing one
    assert len((await tenant.get("/v1/pipelines")).json()["items"]) == 3


async def test_an_oversized_trait_is_dead_lettered_without_echoing_it(
    stack: GatewayInFront, tenant: httpx.AsyncClient, topics: str
) -> None:
    secret = "private-" + uuid.uuid4().hex * 40  # 1288 bytes of JSON, over the 1024 quota
    email = f"ada-{uuid.uuid4().hex[:8]}@example.com"
    oversized = event("identify", stack.workspace, {"email": email}, {"traits": {"bio": secret, "city": "Paris"}})
    fine = event("identify", stack.workspace, {"email": email}, {"traits": {"city": "Berlin"}})
    assert (await tenant.post("/v1/events", json=[oversized, fine])).status_code == 202

    dead = await read_topic(topics, DEADLETTER, expect=1, match=lambda r: oversized["id"].encode() in (r.value or b""))
    reason = dict(dead[0].headers)["flywheel-dlq-reason"].decode()
    assert reason == f"trait 'bio' is {len(secret) + 2} bytes as JSON, more than 1024 (quota trait_value_bytes)"
    assert secret not in reason and "private-" not in reason

    async def profile() -> dict[str, Any] | None:
        answer = await tenant.get("/v1/customers", params={"email": email})
        return answer.json() if answer.status_code == 200 else None

    customer = await wait_for(profile, what="the customer of the accepted identify")
    assert customer["traits"].get("city") == "Berlin" and "bio" not in customer["traits"]


async def test_numbers_and_times_no_column_holds_answer_422_naming_the_field(tenant: httpx.AsyncClient) -> None:
    deal = {"customer_id": "c_bounds", "title": "Seats", "amount": "10", "currency": "EUR"}
    made = await tenant.post("/v1/deals", json=deal)
    assert made.status_code == 201, made.text
    deal_id = made.json()["deal_id"]
    huge_line = {"sku": "x", "quantity": 1_000_000, "unit_price": "99999999999999.9999"}
    rule: dict[str, Any] = {
        "id": "busy",
        "description": "Busy",
        "points": 5,
        "when": {"kind": "visits_at_least", "count": 2**31},
    }
    sent: list[tuple[str, str, Any, str]] = [
        ("PUT", "/v1/lead-rules", {"rules": [rule]}, "rules.0.when.visits_at_least.count"),
        ("PUT", "/v1/lead-rules", {"rules": [{**rule, "when": {**rule["when"], "count": "9" * 40}}]},
         "rules.0.when.visits_at_least.count"),
        ("POST", "/v1/tasks", {"title": "Call", "due_at": "9999-12-31T23:59:59-01:00"}, "due_at"),
        ("POST", "/v1/tasks", {"title": "Call", "due_at": "0001-01-01T00:00:00+01:00"}, "due_at"),
        ("POST", f"/v1/deals/{deal_id}/quotes", {"lines": [huge_line]}, "lines"),
        ("POST", "/v1/referral-programs", {**EXAMPLE_PROGRAM, "tiers": [{"friends": 2**31, "name": "gold"}]},
         "tiers.0.friends"),
        ("POST", "/v1/referral-programs", {**EXAMPLE_PROGRAM, "limits": {"budget": "1e15"}}, "limits.budget"),
        ("POST", "/v1/referral-programs", {**EXAMPLE_PROGRAM, "valid_until": "9999-12-31T23:59:59-01:00"},
         "valid_until"),
        ("POST", "/v1/deals", {**deal, "fields": {"notes": "n" * 5000}}, "fields.notes"),
    ]  # fmt: skip
    for method, path, body, field in sent:
        answer = await tenant.request(method, path, content=orjson.dumps(body), headers=JSON)
        problem = assert_problem(answer, 422)
        fields = [e["field"] for e in problem.get("errors") or []]
        assert any(f.endswith(field) for f in fields), (method, path, problem)
    for path, params in (
        ("/v1/reports/overview", {"from": "0001-01-01T00:00:00+01:00", "to": "2026-01-01T00:00:00Z"}),
        ("/v1/reports/kpi-tree", {"from": "0001-01-01T00:00:00+01:00", "to": "2026-01-01T00:00:00Z"}),
        ("/v1/reports/kpi-tree", {"period": "2026", "from": "2026-01-01T00:00:00Z"}),
        ("/v1/sales-analytics", {"from": "9999-12-31T23:59:59-01:00"}),
    ):
        assert_problem(await tenant.get(path, params=params), 422)


JSON = {"content-type": "application/json"}
