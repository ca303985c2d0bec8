"""Stand-ins for the services behind the gateway (httpx.MockTransport handlers), one workspace each, and
the problem+json check the gateway's test modules share."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
from fastapi import FastAPI

from services.gateway import store

PROBLEM = "application/problem+json"
VIEW = {
    "customer_id": "c-1",
    "identifiers": {"external_id": [], "email": ["ada@example.com"], "phone": [], "anonymous_id": []},
    "traits": {"name": "Ada"},
    "tags": [],
    "stats": {"orders": 2, "revenue": "20.00", "average_order_value": "10.00", "first_purchase_at": None,
              "last_purchase_at": None, "visits": 0, "last_visit_at": None, "open_tickets": 0, "last_nps": None,
              "average_csat": None},
    "acquisition": {"source": "newsletter", "campaign": "spring", "program_id": None, "at": "2025-01-01T00:00:00Z"},
    "merged_ids": [],
    "internal_shard": 7,  # a field profile might add: not part of the public view
    "created_at": "2025-01-01T00:00:00Z",
    "updated_at": "2025-01-02T00:00:00Z",
}  # fmt: skip


Answer = dict[str, Any] | Callable[[httpx.Request], dict[str, Any]]


@dataclass(kw_only=True)
class FakeBackend:
    """A service behind the gateway (an httpx.MockTransport handler) recording every request: `down` refuses
    connections, `broken` answers 500 to everything; else `respond` answers."""

    down: bool = False
    broken: bool = False
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        if self.broken:
            return httpx.Response(500, json={"detail": "boom"})
        return self.respond(request)

    def respond(self, request: httpx.Request) -> httpx.Response:
        raise NotImplementedError

    def workspaces(self) -> set[str]:
        """The workspaces the gateway asked about (/internal/v1/workspaces/<ws>/...)."""
        return {r.url.path.split("/")[4] for r in self.requests}


@dataclass
class FakeService(FakeBackend):
    """A service's internal API for one workspace."""

    workspace: str

    def respond(self, request: httpx.Request) -> httpx.Response:
        base = f"/internal/v1/workspaces/{self.workspace}"
        return self.answer(request, base, request.url.path, request.method)

    def answer(self, request: httpx.Request, base: str, path: str, method: str) -> httpx.Response:
        raise NotImplementedError


@dataclass
class FakeReports(FakeBackend):
    """One service's internal report endpoints for every workspace it holds (by workspace, then the path after
    it; an answer may depend on the request); anything else is 404."""

    name: str
    held: dict[str, dict[str, Answer]]

    def respond(self, request: httpx.Request) -> httpx.Response:
        parts = request.url.path.split("/", 5)  # '', internal, v1, workspaces, {ws}, rest
        answers = self.held.get(parts[4], {}) if len(parts) == 6 else {}
        answer = answers.get(parts[5]) if len(parts) == 6 else None
        if answer is None:
            return httpx.Response(404, json={"detail": f"nothing at {request.url.path}"})
        return httpx.Response(200, json=answer(request) if callable(answer) else answer)


class FakeProfile(FakeService):
    """Profile's internal API for one workspace holding `c-1` (and `c-merged`, merged into it), and `c-new`, whose
    events no other service has seen yet (only its view and export are served)."""

    def answer(self, request: httpx.Request, base: str, path: str, method: str) -> httpx.Response:
        if path == f"{base}/customers" and request.url.params.get("email") == "ada@example.com":
            return httpx.Response(200, json=VIEW)
        if path in (f"{base}/customers/c-1", f"{base}/customers/c-merged") and method == "GET":
            return httpx.Response(200, json=VIEW)  # c-merged was merged into c-1
        if path == f"{base}/customers/c-1" and method == "DELETE":
            return httpx.Response(202, json={"customer_id": "c-1", "erased_ids": ["c-1"], "status": "erased"})
        if path == f"{base}/customers/c-1/timeline":
            item = {"event_id": "e-1", "type": "visit", "occurred_at": "2025-01-01T00:00:00Z", "source": "web",
                    "data": {"channel": "web"}, "received_at": "2025-01-01T00:00:01Z"}  # fmt: skip
            return httpx.Response(200, json={"items": [item], "next_cursor": "abc"})
        if path == f"{base}/customers/c-new" and method == "GET":
            return httpx.Response(200, json={**VIEW, "customer_id": "c-new"})
        if path == f"{base}/customers/c-1/export/timeline":  # two pages, as the export follows cursors
            item = {"event_id": "e-1", "type": "visit", "occurred_at": "2025-01-01T00:00:00Z"}
            if request.url.params.get("cursor") == "next":
                return httpx.Response(200, json={"items": [{**item, "event_id": "e-2"}], "next_cursor": None})
            return httpx.Response(200, json={"items": [item], "next_cursor": "next"})
        if path.startswith(f"{base}/customers/c-1/export/") or path.startswith(f"{base}/customers/c-new/export/"):
            return httpx.Response(200, json={"items": [], "next_cursor": None})
        if path == f"{base}/attributes" and method == "GET":
            return httpx.Response(200, json={"items": [{"name": "tier", "type": "enum", "enum_values": ["gold"]}]})
        if path.startswith(f"{base}/attributes/") and method == "PUT":
            body = orjson.loads(request.content)
            if body["type"] == "enum" and not body["enum_values"]:
                return httpx.Response(422, json={"detail": "an enum attribute needs enum_values", "errors": []})
            return httpx.Response(200, json={"name": path.rsplit("/", 1)[1], **body})
        if path == f"{base}/identity-settings":
            body = orjson.loads(request.content) if method == "PUT" else {}
            limits, weak = body.get("shared_identifier_limits", []), body.get("weak_identifier_kinds")
            return httpx.Response(
                200,
                json={
                    "shared_identifier_limits": limits,
                    "weak_identifier_kinds": ["anonymous_id"] if weak is None else weak,
                    "default": method == "GET",
                },
            )
        if path in (f"{base}/identity-conflicts", f"{base}/customers/c-1/identity-conflicts"):
            return httpx.Response(200, json={"items": [IDENTITY_CONFLICT], "next_cursor": None})
        return httpx.Response(404, json={"detail": f"nothing at {path}"})


IDENTITY_CONFLICT = {
    "event_id": "e-6",
    "identifier_kind": "anonymous_id",
    "identifier_hash": "ab" * 32,
    "masked_identifier": "fam…et",
    "customer_id": "c-1",
    "other_customer_ids": ["c-0"],
    "occurred_at": "2025-01-01T00:00:00Z",
    "recorded_at": "2025-01-01T00:00:01Z",
}
SCORES = {
    "customer_id": "c-1",
    "rfm": {"r": 4, "f": 3, "m": 5, "segment": "Loyal", "recency_days": 12},
    "ltv": {
        "historical": "20.00",
        "predicted_12m": "31.40",
        "expected_purchases_90d": 0.8,
        "p10": "0.00",
        "p90": "84.10",
        "expected_purchases_12m": 2.1,
        "expected_purchases_12m_p10": 0.12,
        "expected_purchases_12m_p90": 4.6,
        "basis": "model",
    },
    "churn": {"p_alive": 0.91, "risk": "low", "reasons": []},
    "dormant_since": None,
    "segments": [{"segment_id": "seg_1", "name": "Repeat buyers", "entered_at": "2025-01-02T00:00:00Z"}],
    "as_of": "2025-01-03T00:00:00Z",
    "model_version": 3,  # a field scoring might add: not part of the public view
}
SEGMENT = {
    "segment_id": "seg_1",
    "name": "Repeat buyers",
    "description": None,
    "condition": {"field": "stats.orders", "op": "gte", "value": 2},
    "members": 1,
    "created_at": "2025-01-01T00:00:00Z",
    "updated_at": "2025-01-01T00:00:00Z",
}


class FakeScoring(FakeService):
    """Scoring's internal API for one workspace: scores of `c-1` and one segment, `seg_1`."""

    def answer(self, request: httpx.Request, base: str, path: str, method: str) -> httpx.Response:
        if path == f"{base}/customers/c-1/scores":
            return httpx.Response(200, json=SCORES)
        if path == f"{base}/segments" and method == "GET":
            return httpx.Response(200, json={"items": [SEGMENT], "next_cursor": None})
        if path == f"{base}/segments" and method == "POST":
            body = orjson.loads(request.content)
            if "field" not in body["condition"]:
                error = {"field": "condition", "message": "a condition needs a field"}
                return httpx.Response(422, json={"detail": "invalid segment condition", "errors": [error]})
            return httpx.Response(201, json={**SEGMENT, **body, "segment_id": "seg_2", "members": 0})
        if path == f"{base}/segments/seg_1" and method in {"GET", "PUT"}:
            return httpx.Response(200, json=SEGMENT)
        if path == f"{base}/segments/seg_1" and method == "DELETE":
            return httpx.Response(204)
        if path == f"{base}/segments/seg_1/members":
            members = [{"customer_id": "c-1", "entered_at": "2025-01-02T00:00:00Z"}]
            return httpx.Response(200, json={"items": members, "next_cursor": None})
        if path == f"{base}/segment-fields":
            enum = {"field": "scores.churn_risk", "type": "enum", "operators": ["eq"], "values": ["low", "high"]}
            return httpx.Response(200, json=[{"field": "stats.orders", "type": "number", "operators": ["gte"]}, enum])
        return httpx.Response(404, json={"detail": f"nothing at {path}"})


JOURNEY = {
    "journey_id": "j_1",
    "name": "Dormant reactivation",
    "status": "draft",
    "active_version": None,
    "latest_version": 1,
    "template": "dormant_reactivation",
    "document": {"name": "Dormant reactivation", "trigger": {"type": "dormant"}, "entry_step": "done",
                 "steps": {"done": {"type": "exit"}}},
    "created_at": "2025-01-01T00:00:00Z",
    "updated_at": "2025-01-01T00:00:00Z",
    "shard": 3,  # a field journey might add: not part of the public view
}  # fmt: skip
ENROLMENT = {
    "journey_id": "j_1", "version": 1, "status": "waiting", "step_id": "wait_purchase", "variant": None,
    "holdout": False, "entered_at": "2025-01-02T00:00:00Z", "ended_at": None, "end_reason": None,
}  # fmt: skip
STATS = {
    "journey_id": "j_1", "entered": 10, "in_flight": 4, "active": 1, "waiting": 3, "converted": 2, "exited": 1,
    "completed": 3, "steps": [{"step_id": "wait_purchase", "active": 0, "waiting": 3}],
    "variants": [{"variant": "a", "entered": 10, "converted": 2, "conversion_rate": 0.2}],
    "holdout": {"holdout_entered": 0, "holdout_converted": 0, "holdout_rate": None, "treated_entered": 10,
                "treated_converted": 2, "treated_rate": 0.2, "lift": None},
    "deliveries": {"delivered": 5, "pending": 0, "failed": 1, "suppressed": 2,
                   "suppressed_reasons": {"unsubscribed:newsletter": 2}}, "deferred_by_caps": 1, "skipped_by_caps": 0,
    "held_back": [{"outcome": "deferred", "reason": "workspace_cap:email", "messages": 1}],
}  # fmt: skip
TEMPLATE = {
    "name": "dormant_reactivation",
    "description": "Wins back dormant customers.",
    "parameters": [{"name": "purchase_wait", "type": "duration", "default": "3d", "description": "wait"}],
}


NEW_SECRET = "whsec_new"  # noqa: S105 - what the fake journey answers when it makes a secret


class FakeJourney(FakeService):
    """Journey's internal API for one workspace: one journey, `j_1` (draft until activated), enrolments of `c-1`."""

    status: str = "draft"
    channel: dict[str, Any] | None = None

    def answer(self, request: httpx.Request, base: str, path: str, method: str) -> httpx.Response:
        journey = {**JOURNEY, "status": self.status, "active_version": None if self.status == "draft" else 1}
        if path == f"{base}/journeys" and method == "GET":
            summary = {k: v for k, v in journey.items() if k != "document"} | {"versions": 1}
            return httpx.Response(200, json={"items": [summary], "next_cursor": "next"})
        if path in {f"{base}/journeys", f"{base}/journeys/validate", f"{base}/journeys/j_1"} and method != "GET":
            if method == "DELETE":
                return httpx.Response(204)
            body = orjson.loads(request.content)
            if body.get("entry_step") not in body.get("steps", {}):
                error = {"field": "entry_step", "message": f"unknown step {body.get('entry_step')!r}", "code": "x"}
                return httpx.Response(422, json={"detail": "invalid journey document: 1 problem(s)", "errors": [error]})
            if path.endswith("/validate"):
                return httpx.Response(200, json={"valid": True})
            return httpx.Response(201 if method == "POST" else 200, json={**journey, "document": body})
        if path == f"{base}/journeys/j_1" and method == "GET":
            return httpx.Response(200, json=journey)
        if path == f"{base}/journeys/j_1/activate" and method == "POST":
            self.status = "active"
            return httpx.Response(200, json={**journey, "status": "active", "active_version": 1})
        if path == f"{base}/journeys/j_1/pause" and method == "POST":
            if self.status != "active":
                return httpx.Response(409, json={"detail": "only an active journey can be paused"})
            self.status = "paused"
            return httpx.Response(200, json={**journey, "status": "paused"})
        if path == f"{base}/journeys/j_1/stats":
            return httpx.Response(200, json=STATS)
        if path == f"{base}/journey-templates" and method == "GET":
            return httpx.Response(200, json=[TEMPLATE])
        if path == f"{base}/journey-templates/dormant_reactivation" and method == "POST":
            if not isinstance(orjson.loads(request.content), dict):
                return httpx.Response(422, json={"detail": "invalid template parameters", "errors": []})
            return httpx.Response(201, json=journey)
        if path == f"{base}/customers/c-1/enrolments":
            return httpx.Response(200, json=[ENROLMENT])
        if path.startswith(f"{base}/customers/") and path.endswith("/enrolments"):
            return httpx.Response(200, json=[])
        if path == f"{base}/channel" and method == "GET":
            if self.channel is None:
                return httpx.Response(404, json={"detail": "no channel configured for this workspace"})
            return httpx.Response(200, json=self.channel)
        if path == f"{base}/channel" and method == "PUT":
            body = orjson.loads(request.content)
            made = self.channel is None or body["rotate_secret"]
            self.channel = {"webhook_url": body["webhook_url"], "timezone": body["timezone"], "has_secret": True,
                            "secret": None, "updated_at": "2025-01-01T00:00:00Z"}  # fmt: skip
            return httpx.Response(200, json={**self.channel, "secret": NEW_SECRET if made else None})
        return httpx.Response(404, json={"detail": f"nothing at {path}"})


REFERRALS = {
    "customer_id": "c-1",
    "codes": [{"program_id": "p_1", "code": "ADA-7K2Q", "created_at": "2025-01-01T00:00:00Z"}],
    "referred_by": {"referrer_id": "c-9", "program_id": "p_1", "code": "BOB-1234",
                    "attributed_at": "2024-12-01T00:00:00Z"},
    "referred": [{"customer_id": "c-2", "program_id": "p_1", "status": "purchased", "reason": None,
                  "attributed_at": "2025-01-02T00:00:00Z"}],
    "rewards": [{"reward_id": "r_1", "program_id": "p_1", "role": "referrer", "kind": "amount", "value": "10.00",
                 "status": "granted", "reason": "friend's first purchase", "created_at": "2025-01-03T00:00:00Z",
                 "budget_row": 3}],
}  # fmt: skip
DEAL = {"deal_id": "d_1", "pipeline_id": "repurchase", "title": "Annual plan", "stage": "proposal", "status": "open",
        "amount": "1200.00", "currency": "EUR", "owner": "ana", "customer_id": "c-1",
        "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-02T00:00:00Z"}  # fmt: skip
TASK = {"task_id": "t_1", "title": "Call Ada", "status": "open", "assignee": "ana", "due_at": "2025-01-05T09:00:00Z",
        "source": "journey", "deal_id": None, "customer_id": "c-1", "created_at": "2025-01-01T00:00:00Z",
        "completed_at": None}  # fmt: skip


class FakeReferral(FakeService):
    """Referral's internal API for one workspace: `c-1` referred `c-2` and was referred by `c-9`."""

    def answer(self, request: httpx.Request, base: str, path: str, method: str) -> httpx.Response:
        if path == f"{base}/customers/c-1/referrals":
            return httpx.Response(200, json=REFERRALS)
        return httpx.Response(404, json={"detail": f"nothing at {path}"})


class FakeSales(FakeService):
    """Sales' internal API for one workspace: one deal and one task of `c-1`."""

    def answer(self, request: httpx.Request, base: str, path: str, method: str) -> httpx.Response:
        if path == f"{base}/customers/c-1/deals":  # two pages, as the export follows cursors
            second = request.url.params.get("cursor") == "deals-2"
            deal = {**DEAL, "deal_id": "d_2"} if second else DEAL
            return httpx.Response(200, json={"items": [deal], "next_cursor": None if second else "deals-2"})
        if path == f"{base}/customers/c-1/tasks":
            return httpx.Response(200, json={"items": [TASK], "next_cursor": None})
        if path == f"{base}/customers/c-1/export/quotes":  # one of the sections sales answers for itself
            return httpx.Response(200, json={"items": [{"quote_id": "q_1", "deal_id": "d_1"}], "next_cursor": None})
        if path == f"{base}/customers/c-1/sales":
            page = {"deals": {"items": [DEAL], "next_cursor": None}, "tasks": {"items": [TASK], "next_cursor": None}}
            return httpx.Response(200, json=page)
        return httpx.Response(404, json={"detail": f"nothing at {path}"})


POINTS = {
    "customer_id": "c-1", "balance": 820, "available": 820, "debt": 0, "value": "8.20", "currency": "EUR",
    "lots": [{"lot_id": "earn:order:o-1", "earned": 820, "remaining": 820, "earned_at": "2025-01-02T00:00:00Z",
              "expires_at": "2027-01-02T22:59:59Z"}],
    "holds": [],
    "tier": {"current": "silver", "since": "2025-01-02T00:00:00Z", "anniversary": "2026-01-02T00:00:00Z",
             "in_grace_until": None, "benefits": ["free shipping"], "qualifying_value": "720.00",
             "next_tier": "gold", "to_next_tier": "780.00", "progress": 0.48},
    "program_version": 2,
    "shard": 1,  # a field loyalty might add: not part of the public view
}  # fmt: skip
LOYALTY_PROGRAM = {
    "name": "Tea club", "version": 2, "active": True, "document": {"name": "Tea club"},
    "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-02T00:00:00Z",
}  # fmt: skip


def loyalty_report(request: httpx.Request, outstanding: int = 0, tiers: dict[str, int] | None = None) -> dict[str, Any]:
    """Loyalty's /report for the period the request asks about: `outstanding` points, worth a cent each."""
    return {
        "from": request.url.params["from"], "to": request.url.params["to"], "members": sum((tiers or {}).values()),
        "outstanding_points": outstanding, "liability_value": f"{outstanding / 100:.2f}", "currency": "EUR",
        "points_earned": 1000, "points_redeemed": 250, "points_expired": 0, "redemption_rate": 0.25,
        "members_by_tier": [{"tier": name, "members": count} for name, count in (tiers or {}).items()],
    }  # fmt: skip


def no_loyalty_program(request: httpx.Request) -> httpx.Response:
    """Loyalty for a workspace without a program: its report is all zeros, everything else is not found."""
    if request.url.path.endswith("/report"):
        return httpx.Response(200, json=loyalty_report(request))
    return httpx.Response(404, json={"detail": "this workspace has no loyalty program"})


@dataclass
class FakeLoyalty(FakeService):
    """Loyalty's internal API for one workspace: `c-1` holds 820 points (POINTS); a redemption of more answers 409
    with `available`, one for an order already redeemed for answers it again (200)."""

    redemptions: dict[str, dict[str, Any]] = field(default_factory=dict)  # by order id

    def answer(self, request: httpx.Request, base: str, path: str, method: str) -> httpx.Response:
        if path == f"{base}/program" and method == "GET":
            return httpx.Response(200, json=LOYALTY_PROGRAM)
        if path == f"{base}/program" and method == "PUT":
            body = orjson.loads(request.content)
            if not body.get("name"):
                error = {"field": "name", "message": "String should have at least 1 character"}
                return httpx.Response(422, json={"detail": "invalid loyalty program", "errors": [error]})
            return httpx.Response(200, json={**LOYALTY_PROGRAM, "name": body["name"], "version": 3})
        if path == f"{base}/customers/c-1/points":
            return httpx.Response(200, json=POINTS)
        if path == f"{base}/customers/c-1/points/redemptions" and method == "POST":
            return self._redeem(orjson.loads(request.content))
        if path == f"{base}/report":
            return httpx.Response(200, json=loyalty_report(request, 820, {"member": 3, "silver": 1}))
        return httpx.Response(404, json={"detail": f"nothing at {path}"})

    def _redeem(self, body: dict[str, Any]) -> httpx.Response:
        existing = self.redemptions.get(body["order_id"])
        if existing is not None:
            return httpx.Response(200, json=existing)
        held = sum(r["points"] for r in self.redemptions.values())
        available = POINTS["available"] - held
        if body["points"] > available:
            problem = {"type": "/problems/insufficient-points", "title": "Insufficient points", "status": 409,
                       "detail": f"only {available} points are available", "available": available}  # fmt: skip
            return httpx.Response(409, json=problem)
        redemption = {
            "redemption_id": f"rd_{len(self.redemptions) + 1}", "customer_id": "c-1", "points": body["points"],
            "value": f"{body['points'] / 100:.2f}", "currency": "EUR", "order_id": body["order_id"], "status": "held",
            "expires_at": "2025-01-02T00:30:00Z", "created_at": "2025-01-02T00:00:00Z",
            "available": available - body["points"],
        }  # fmt: skip
        self.redemptions[body["order_id"]] = redemption
        return httpx.Response(201, json=redemption)


SERVICE_NAMES = ("profile", "scoring", "journey", "referral", "sales")


@dataclass
class FiveFakes:
    """The five services' stand-ins for one workspace."""

    profile: FakeProfile
    scoring: FakeScoring
    journey: FakeJourney
    referral: FakeReferral
    sales: FakeSales

    @classmethod
    def of(cls, workspace: str) -> FiveFakes:
        ws = workspace
        return cls(FakeProfile(ws), FakeScoring(ws), FakeJourney(ws), FakeReferral(ws), FakeSales(ws))

    def transports(self) -> dict[str, httpx.AsyncBaseTransport]:
        """A transport to each stand-in, by service name (as gateway_app takes them)."""
        return {
            name: httpx.MockTransport(getattr(self, name))
            for name in ("profile", "scoring", "journey", "referral", "sales")
        }


@asynccontextmanager
async def started_gateway(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the gateway app, started (its lifespan) for as long as the client is used."""
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client,
    ):
        yield client


@dataclass
class KeyedClient:
    """A client of the gateway holding the test's API keys by name: GET as one of them."""

    client: httpx.AsyncClient
    keys: dict[str, str]

    async def call(self, path: str, key: str = "reader", accept: str | None = None, **params: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.keys[key]}", **({"Accept": accept} if accept else {})}
        return await self.client.get(path, params=params, headers=headers)

    async def ok(self, path: str, key: str = "reader", **params: Any) -> Any:
        response = await self.call(path, key, **params)
        assert response.status_code == 200, response.text
        return response.json()


async def two_workspaces(dsn: str, prefix: str, scopes: dict[str, list[str]]) -> tuple[str, str, dict[str, str]]:
    """A workspace with a key of each name in `scopes` (holding those scopes) and another workspace with an admin
    key named `other`, in the gateway's database: the two workspaces' names (`<prefix>_` and 8 hex digits) and
    the keys' secrets by name."""
    ws, other = f"{prefix}_{uuid.uuid4().hex[:8]}", f"{prefix}_{uuid.uuid4().hex[:8]}"
    keys: dict[str, str] = {}
    async with store.admin_connection(dsn) as conn:
        for workspace in (ws, other):
            await store.create_workspace(conn, workspace)
        for name, key_scopes in scopes.items():
            keys[name] = (await store.create_key(conn, ws, name, key_scopes))[1]
        keys["other"] = (await store.create_key(conn, other, "other", ["admin"]))[1]
    return ws, other, keys


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and "detail" in body
    return body
