"""The gateway's referral and sales endpoints against the real referral and sales services, in-process on
the session's PostgreSQL and broker (profile, scoring and journey are stand-ins that know nothing). One
gateway, one referral and one sales service for the module: each start costs seconds."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from devstack.postgres import LocalPostgres
from services.gateway import store
from services.referral.wiring import create_app as create_referral_app
from services.sales.wiring import create_app as create_sales_app
from tests.integration.conftest import RunningService, fresh_database, running_app
from tests.integration.gateway_stack import gateway_app, gateway_settings

PROBLEM = "application/problem+json"
PROGRAM = {
    "name": "Friends of tea",
    "code_prefix": "TEA",
    "referrer_reward": {"kind": "amount", "value": "10.00", "trigger": "first_purchase", "min_purchase": "20.00"},
    "friend_reward": {"kind": "percent", "value": "15", "trigger": "signup"},
}
DEAL = {"customer_id": "c-1", "title": "Refill subscription upgrade", "amount": "1200.00", "currency": "EUR"}


@dataclass
class Gateway:
    client: httpx.AsyncClient
    keys: dict[str, str]

    async def call(self, method: str, path: str, key: str = "writer", **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.keys[key]}", **kwargs.pop("headers", {})}
        return await self.client.request(method, path, headers=headers, **kwargs)

    async def ok(self, method: str, path: str, key: str = "writer", status: int = 200, **kwargs: Any) -> Any:
        response = await self.call(method, path, key, **kwargs)
        assert response.status_code == status, response.text
        return response.json()


def nobody(request: httpx.Request) -> httpx.Response:
    return httpx.Response(404, json={"detail": f"nothing at {request.url.path}"})


@pytest.fixture(scope="module")
async def referral(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[RunningService]:
    async with running_app("referral", create_referral_app, postgres, topics, broker_kind) as service:
        yield service


@pytest.fixture(scope="module")
async def sales(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[RunningService]:
    async with running_app("sales", create_sales_app, postgres, topics, broker_kind) as service:
        yield service


@pytest.fixture(scope="module")
async def gateway(
    postgres: LocalPostgres, topics: str, broker_kind: str, referral: RunningService, sales: RunningService
) -> AsyncIterator[Gateway]:
    dsn = fresh_database(postgres, "gateway")
    workspace, other = f"gw_{uuid.uuid4().hex[:8]}", f"gw_{uuid.uuid4().hex[:8]}"
    keys: dict[str, str] = {}
    async with store.admin_connection(dsn) as conn:
        await store.create_workspace(conn, workspace)
        await store.create_workspace(conn, other)
        for name, scopes in (("writer", ["referrals:write", "sales:write"]), ("reader", ["customers:read"])):
            keys[name] = (await store.create_key(conn, workspace, name, scopes))[1]
        # A manager's key: quotes decided with it are decided by its owner, whatever a body might say.
        keys["maria"] = (await store.create_key(conn, workspace, "maria", ["sales:approve"], owner="maria"))[1]
        keys["other"] = (await store.create_key(conn, other, "other", ["admin"]))[1]
    settings = gateway_settings(dsn, topics, broker_kind, referral_url="http://referral", sales_url="http://sales")
    assert referral.app is not None and sales.app is not None
    app = gateway_app(
        settings,
        {
            "profile": httpx.MockTransport(nobody),
            "scoring": httpx.MockTransport(nobody),
            "journey": httpx.MockTransport(nobody),
            "referral": httpx.ASGITransport(app=referral.app),
            "sales": httpx.ASGITransport(app=sales.app),
        },
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client,
    ):
        yield Gateway(client, keys)


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and "detail" in body
    return body


async def test_a_program_is_created_and_a_customer_gets_a_code(gateway: Gateway) -> None:
    headers = {"Idempotency-Key": f"program-{uuid.uuid4().hex}"}
    program = await gateway.ok("POST", "/v1/referral-programs", status=201, json=PROGRAM, headers=headers)
    again = await gateway.ok("POST", "/v1/referral-programs", status=201, json=PROGRAM, headers=headers)
    assert again["program_id"] == program["program_id"] and program["version"] == 1  # the key was forwarded
    path = f"/v1/referral-programs/{program['program_id']}"

    code = await gateway.ok("POST", f"{path}/codes", json={"customer_id": "c-1"})
    assert code["code"].startswith("TEA-") and code["created"] is True
    assert (await gateway.ok("POST", f"{path}/codes", json={"customer_id": "c-1"}))["code"] == code["code"]

    changed = await gateway.ok("PUT", path, json={**PROGRAM, "name": "Friends of green tea"})
    assert changed["version"] == 2 and changed["name"] == "Friends of green tea"
    listed = await gateway.ok("GET", "/v1/referral-programs", key="reader")
    assert [p["program_id"] for p in listed["items"]] == [program["program_id"]]
    stats = await gateway.ok("GET", f"{path}/stats", key="reader", params={"from": "2026-01-01T00:00:00Z"})
    assert stats["program_id"] == program["program_id"] and stats["from"].startswith("2026-01-01")
    assert stats["funnel"]["invites"] == 0 and stats["reward_cost"]
    ledger = await gateway.ok("GET", "/v1/customers/c-1/referral-ledger", key="reader")
    assert ledger == {"customer_id": "c-1", "totals": [], "items": [], "next_cursor": None}
    assert (await gateway.ok("GET", "/v1/referral-reviews", key="reader"))["items"] == []

    assert_problem(await gateway.call("PUT", "/v1/referral-programs/p_nope", json=PROGRAM), 404)
    assert_problem(await gateway.call("POST", "/v1/referral-rewards/rw_nope/approve", json={}), 404)
    # Another workspace's key: the program is not found there.
    assert_problem(await gateway.call("GET", path, key="other"), 404)
    assert_problem(await gateway.call("POST", f"{path}/codes", key="other", json={"customer_id": "c-1"}), 404)
    # Reads need customers:read, writes referrals:write.
    assert_problem(await gateway.call("POST", "/v1/referral-programs", key="reader", json=PROGRAM), 403)
    assert_problem(await gateway.call("POST", f"{path}/codes", key="reader", json={"customer_id": "c-1"}), 403)
    assert_problem(await gateway.call("GET", path, key="writer"), 403)
    # Bad bodies: the gateway's own checks and the service's, both problem+json naming the fields.
    bad = assert_problem(await gateway.call("POST", "/v1/referral-programs", json={"name": ""}), 422)
    assert bad["errors"] and all({"field", "message"} <= set(e) for e in bad["errors"])
    bad = assert_problem(await gateway.call("POST", f"{path}/codes", json={"customer_id": "", "x": 1}), 422)
    assert {e["field"] for e in bad["errors"]} == {"body.customer_id", "body.x"}
    assert_problem(await gateway.call("GET", f"{path}/stats", key="reader", params={"from": "2026-01-01"}), 422)
    assert_problem(await gateway.call("GET", "/v1/referral-programs/..", key="reader"), 404)
    assert_problem(await gateway.call("GET", "/v1/referral-programs/p!1", key="reader"), 422)


async def test_a_deal_moves_by_the_rules_and_an_approved_quote_wins_it(gateway: Gateway) -> None:
    settings = {"managers": ["maria"], "discount_approval_threshold_percent": "15"}
    assert_problem(await gateway.call("PUT", "/v1/sales-settings", json=settings), 403)  # the approval policy
    assert (await gateway.ok("PUT", "/v1/sales-settings", key="maria", json=settings))["managers"] == ["maria"]
    headers = {"Idempotency-Key": f"deal-{uuid.uuid4().hex}"}
    deal = await gateway.ok("POST", "/v1/deals", status=201, json=DEAL, headers=headers)
    again = await gateway.ok("POST", "/v1/deals", status=201, json=DEAL, headers=headers)
    assert again["deal_id"] == deal["deal_id"] and deal["stage"] == "identified" and deal["amount"] == "1200.00"
    path = f"/v1/deals/{deal['deal_id']}"

    blocked = assert_problem(await gateway.call("POST", f"{path}/move", json={"stage": "contacted"}), 409)
    assert blocked["blockers"] == deal["blockers"] and blocked["blockers"]
    moved = await gateway.ok("POST", f"{path}/move", json={"stage": "contacted", "override_reason": "on the phone"})
    assert moved["stage"] == "contacted" and moved["stage_history"][0]["override_reason"] == "on the phone"
    patched = await gateway.ok("PATCH", path, json={"fields": {"need": "refills"}, "owner": "ana"})
    assert patched["fields"] == {"need": "refills"} and patched["owner"] == "ana"

    lines = [{"sku": "tea-01", "quantity": 10, "unit_price": "12.50"}]
    quote = await gateway.ok("POST", f"{path}/quotes", status=201, json={"lines": lines, "discount_percent": "20"})
    assert (quote["status"], quote["subtotal"], quote["total"]) == ("pending_approval", "125.00", "100.00")
    qpath = f"/v1/quotes/{quote['quote_id']}"
    assert "approve" in assert_problem(await gateway.call("POST", f"{qpath}/accept"), 409)["detail"]
    assert_problem(await gateway.call("POST", f"{qpath}/approve", json={"comment": "my own discount"}), 403)
    named = assert_problem(await gateway.call("POST", f"{qpath}/approve", key="maria", json={"approver": "bob"}), 422)
    assert named["errors"][0]["field"] == "body.approver" and "owner of the API key" in named["errors"][0]["message"]
    approved = await gateway.ok("POST", f"{qpath}/approve", key="maria", json={"comment": "loyal customer"})
    assert approved["status"] == "approved" and approved["approver"] == "maria" and approved["approver_key_id"]
    assert (await gateway.ok("POST", f"{qpath}/accept"))["status"] == "accepted"
    won = await gateway.ok("GET", path, key="reader")
    assert won["status"] == "won" and won["blockers"] == []
    assert_problem(await gateway.call("POST", f"{path}/move", json={"stage": "proposal"}), 409)

    listed = await gateway.ok("GET", "/v1/deals", key="reader", params={"customer_id": "c-1", "status": "won"})
    assert [d["deal_id"] for d in listed["items"]] == [deal["deal_id"]]
    analytics = await gateway.ok(
        "GET", "/v1/sales-analytics", key="reader", params={"pipeline_id": "repurchase_upsell"}
    )
    assert analytics["won"] == 1 and analytics["win_rate"] == 1.0 and "from" in analytics
    pipelines = await gateway.ok("GET", "/v1/pipelines", key="reader")
    assert {"repurchase_upsell", "reactivation"} <= {p["pipeline_id"] for p in pipelines["items"]}

    # Another workspace's key: neither the deal nor the quote exists there.
    assert_problem(await gateway.call("GET", path, key="other"), 404)
    assert_problem(await gateway.call("POST", f"{path}/move", key="other", json={"stage": "proposal"}), 404)
    assert_problem(await gateway.call("GET", qpath, key="other"), 404)
    # A customers:read key reads but cannot write.
    assert_problem(await gateway.call("POST", "/v1/deals", key="reader", json=DEAL), 403)
    assert_problem(await gateway.call("POST", f"{qpath}/accept", key="reader"), 403)
    assert_problem(await gateway.call("PUT", "/v1/sales-settings", key="reader", json=settings), 403)
    # Bad bodies and ids.
    bad = assert_problem(await gateway.call("POST", "/v1/deals", json={**DEAL, "amount": "-1", "colour": "red"}), 422)
    assert {"body.amount", "body.colour"} <= {e["field"] for e in bad["errors"]}
    assert_problem(await gateway.call("POST", f"{path}/quotes", json={"lines": []}), 422)
    assert_problem(await gateway.call("GET", "/v1/deals/" + "d" * 65, key="reader"), 422)


async def test_tasks_owners_teams_and_signals(gateway: Gateway) -> None:
    assert (await gateway.ok("PUT", "/v1/teams/advisors", json={"members": ["ana", "ben"]}))["next_member"] == "ana"
    assert (await gateway.ok("GET", "/v1/teams/advisors", key="reader"))["members"] == ["ana", "ben"]
    assert (await gateway.ok("PUT", "/v1/customers/c-2/owner", json={"owner": "cem"}))["owner"] == "cem"
    assert (await gateway.ok("GET", "/v1/customers/c-2/owner", key="reader"))["owner"] == "cem"

    due = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).isoformat()
    body = {"title": "Send the catalogue", "due_at": due, "customer_id": "c-2"}
    headers = {"Idempotency-Key": f"task-{uuid.uuid4().hex}"}
    task = await gateway.ok("POST", "/v1/tasks", status=201, json=body, headers=headers)
    assert (await gateway.ok("POST", "/v1/tasks", status=201, json=body, headers=headers))["task_id"] == task["task_id"]
    assert (task["assignee"], task["status"], task["source"]) == ("cem", "open", "manual")
    path = f"/v1/tasks/{task['task_id']}"
    done = await gateway.ok("POST", f"{path}/complete", json={"completed_by": "cem"})
    assert done["status"] == "done" and done["completed_by"] == "cem"
    listed = await gateway.ok("GET", "/v1/tasks", key="reader", params={"assignee": "cem"})
    assert [t["task_id"] for t in listed["items"]] == [task["task_id"]]

    suggestions = await gateway.ok("GET", "/v1/cross-sell-suggestions", key="reader", params={"min_customers": 1})
    assert suggestions == {"customers": 0, "items": [], "next_cursor": None}
    rules = await gateway.ok("GET", "/v1/lead-rules", key="reader")
    assert rules["default"] is True and rules["rules"]
    assert_problem(await gateway.call("GET", "/v1/customers/c-2/lead-score", key="reader"), 404)

    assert_problem(await gateway.call("GET", path, key="other"), 404)
    assert_problem(await gateway.call("POST", f"{path}/complete", key="other", json={}), 404)
    assert_problem(await gateway.call("POST", "/v1/tasks", key="reader", json=body), 403)
    assert_problem(await gateway.call("PUT", "/v1/teams/advisors", key="reader", json={"members": ["x"]}), 403)
    bad = assert_problem(await gateway.call("POST", "/v1/tasks", json={**body, "due_at": "2026-01-01T00:00:00"}), 422)
    assert [e["field"] for e in bad["errors"]] == ["body.due_at"]
    bad = assert_problem(await gateway.call("PUT", "/v1/teams/advisors", json={"members": ["ana", "ana"]}), 422)
    assert bad["errors"][0]["field"] == "members"  # the sales service's own check, passed on
    bad = assert_problem(await gateway.call("PUT", "/v1/lead-rules", json={"rules": [{"id": "x"}]}), 422)
    assert bad["errors"]
