"""Every pinned endpoint of api.md on the running stack, with a few customers' events behind it: each answer
has the status api.md gives, conforms to the gateway's own /openapi.json, and carries the pinned fields.

One workspace of its own (the demo workspace holds other tests' customers), one session of events; the
tests run in file order and share it, the erasure last."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import jsonschema
import pytest

from services.gateway.store import ensure_workspace_with_key
from tests.e2e.conftest import RunningStack
from tests.helpers import event, wait_for

pytestmark = pytest.mark.kafka

PROBLEM = "application/problem+json"
JOURNEY = {
    "name": "Hello a day after a visit",
    "trigger": {"type": "event", "event": "visit"},
    "entry_step": "wait",
    "steps": {
        "wait": {"type": "wait", "duration": "1d", "next": "hello"},
        "hello": {"type": "action", "action": {"kind": "webhook", "channel": "push", "template": "Hi"}, "next": "end"},
        "end": {"type": "exit"},
    },
    "settings": {"reentry": "never", "timezone": "UTC"},
}


@dataclass
class Contract:
    """A client of the gateway in the module's workspace, checking answers against /openapi.json."""

    client: httpx.AsyncClient
    workspace: str
    openapi: dict[str, Any]
    ids: dict[str, str] = field(default_factory=dict)

    async def call(
        self, method: str, path: str, template: str | None = None, *, status: int = 200, **kwargs: Any
    ) -> Any:
        """Sends the request, asserts `status`, validates the body against the operation's documented
        response schema for that status (`template`: the documented path, when `path` has ids in it)."""
        response = await self.client.request(method, path, **kwargs)
        assert response.status_code == status, f"{method} {path}: {response.status_code} {response.text}"
        if status == 204:
            return None
        media = response.headers["content-type"].split(";")[0]
        assert media == (PROBLEM if status >= 400 else "application/json"), media
        body = response.json()
        self.conforms(body, method, template or path, status, media)
        return body

    def conforms(self, body: Any, method: str, template: str, status: int, media: str) -> None:
        answer = self.openapi["paths"][template][method.lower()]["responses"][str(status)]
        escaped = template.replace("~", "~0").replace("/", "~1")
        pointer = f"#/paths/{escaped}/{method.lower()}/responses/{status}/content/{media.replace('/', '~1')}/schema"
        assert media in answer["content"], f"{method} {template} {status}: {media} not documented"
        # The whole document is the root, so the answer's #/components/... references resolve.
        schema = {**self.openapi, "$ref": pointer}
        jsonschema.validate(body, schema, cls=jsonschema.Draft202012Validator)

    def has(self, method: str, template: str) -> bool:
        return method.lower() in self.openapi["paths"].get(template, {})


@pytest.fixture(scope="module")
async def contract(stack: RunningStack) -> AsyncIterator[Contract]:
    workspace = f"contract-{uuid.uuid4().hex[:6]}"
    key = await ensure_workspace_with_key(stack.dsn("gateway"), workspace, stack.home / f"{workspace}-key")
    async with httpx.AsyncClient(base_url=stack.gateway, headers=stack.headers(key), timeout=30) as client:
        openapi = (await client.get("/openapi.json")).json()
        yield Contract(client, workspace, openapi)


def _customer(contract: Contract, name: str) -> dict[str, str]:
    return {"email": f"{name}-{contract.workspace}@example.com"}


async def test_events_single_batch_and_a_mixed_batch(contract: Contract) -> None:
    # A segment first: scoring puts customers in it as their purchases are scored.
    segment = await contract.call(
        "POST",
        "/v1/segments",
        status=201,
        json={"name": "Buyers", "condition": {"all": [{"field": "stats.orders", "op": "gte", "value": 1}]}},
    )
    assert segment["segment_id"] and segment["name"] == "Buyers" and isinstance(segment["members"], int)
    contract.ids["segment"] = segment["segment_id"]

    ada, bo = _customer(contract, "ada"), _customer(contract, "bo")
    ws = contract.workspace
    identify = event("identify", ws, {**ada, "external_id": f"ada-{ws}"}, {"traits": {"name": "Ada", "city": "Bonn"}})
    single = await contract.call("POST", "/v1/events", status=202, json=identify)
    assert single == {"accepted": [identify["id"]], "rejected": []}

    batch = [
        event("purchase", ws, ada, {"order_id": f"o1-{ws}", "amount": "59.90", "currency": "EUR"}),
        event("visit", ws, ada, {"channel": "web", "url": "https://shop.example.com/tea"}),
        event("ticket", ws, ada, {"ticket_id": f"t1-{ws}", "status": "opened", "nps": 9}),
        event("referral", ws, bo, {"action": "signed_up", "code": "NOPE-123"}),
        event("purchase", ws, bo, {"order_id": f"o2-{ws}", "amount": "20.00", "currency": "EUR"}),
    ]
    accepted = await contract.call("POST", "/v1/events", status=202, json=batch)
    assert accepted["accepted"] == [e["id"] for e in batch]

    good = event("visit", ws, bo, {"channel": "app"})
    bad = event("purchase", ws, bo, {"order_id": f"o3-{ws}", "amount": "-1"})
    mixed = await contract.call("POST", "/v1/events", status=422, json=[good, bad])
    assert mixed["accepted"] == [good["id"]] and mixed["status"] == 422
    assert mixed["errors"] and {e["index"] for e in mixed["errors"]} == {1}
    assert all(e["id"] == bad["id"] and e["field"] and e["message"] for e in mixed["errors"])

    async def resolved() -> dict[str, Any] | None:
        found = await contract.client.get("/v1/customers", params=ada)
        if found.status_code != 200:
            return None
        view = await contract.client.get(f"/v1/customers/{found.json()['customer_id']}")
        stats = view.json()["stats"] if view.status_code == 200 else {}
        ready = stats.get("orders") == 1 and stats.get("visits") == 1 and stats.get("open_tickets") == 1
        return view.json() if ready else None

    contract.ids["ada"] = (await wait_for(resolved, within=60, what="ada's events resolved"))["customer_id"]


async def test_a_customer_is_found_by_each_identifier(contract: Contract) -> None:
    ada = _customer(contract, "ada")
    for params in (ada, {"external_id": f"ada-{contract.workspace}"}):
        view = await contract.call("GET", "/v1/customers", params=params)
        assert view["customer_id"] == contract.ids["ada"]
    assert (await contract.call("GET", "/v1/customers", params={"email": ada["email"].upper()}))["customer_id"]
    for params in ({"phone": "+4915199999999"}, {"anonymous_id": "nobody"}):
        await contract.call("GET", "/v1/customers", status=404, params=params)
    problem = await contract.call("GET", "/v1/customers", status=422, params={})
    assert problem["errors"]


async def test_the_360_view(contract: Contract) -> None:
    ada = contract.ids["ada"]
    view = await contract.call("GET", f"/v1/customers/{ada}", "/v1/customers/{customer_id}")
    assert view["customer_id"] == ada
    assert view["identifiers"]["email"] == [_customer(contract, "ada")["email"]]
    assert view["traits"]["name"] == "Ada" and isinstance(view["tags"], list)
    stats = view["stats"]
    assert (stats["orders"], stats["revenue"], stats["visits"], stats["open_tickets"]) == (1, "59.90", 1, 1)
    assert stats["first_purchase_at"] and stats["last_purchase_at"] and stats["last_nps"] == 9
    for section in ("segments", "journeys", "referrals", "deals", "tasks", "degraded"):
        assert isinstance(view[section], list), section
    assert view["degraded"] == []
    await contract.call("GET", "/v1/customers/c_nobody", "/v1/customers/{customer_id}", status=404)


async def test_timeline_and_export(contract: Contract) -> None:
    ada = contract.ids["ada"]
    timeline = await contract.call(
        "GET", f"/v1/customers/{ada}/timeline", "/v1/customers/{customer_id}/timeline", params={"limit": 2}
    )
    assert len(timeline["items"]) == 2 and timeline["next_cursor"]
    rest = await contract.call(
        "GET",
        f"/v1/customers/{ada}/timeline",
        "/v1/customers/{customer_id}/timeline",
        params={"limit": 50, "cursor": timeline["next_cursor"]},
    )
    items = timeline["items"] + rest["items"]
    assert {i["type"] for i in items} == {"identify", "purchase", "visit", "ticket"} and rest["next_cursor"] is None
    times = [i["occurred_at"] for i in items]
    assert times == sorted(times, reverse=True)  # newest first

    export = await contract.call("GET", f"/v1/customers/{ada}/export", "/v1/customers/{customer_id}/export")
    assert export["customer"]["customer_id"] == ada and len(export["timeline"]) == len(items)
    assert [o["order_id"] for o in export["orders"]] == [f"o1-{contract.workspace}"] and len(export["tickets"]) == 1
    assert {"scores", "journeys", "referrals", "deals", "tasks"} <= set(export)  # every service's part


async def test_scores(contract: Contract) -> None:
    ada = contract.ids["ada"]

    async def scored() -> dict[str, Any] | None:
        response = await contract.client.get(f"/v1/customers/{ada}/scores")
        return response.json() if response.status_code == 200 and response.json().get("rfm") else None

    await wait_for(scored, within=60, what="ada scored")
    scores = await contract.call("GET", f"/v1/customers/{ada}/scores", "/v1/customers/{customer_id}/scores")
    rfm, ltv, churn = scores["rfm"], scores["ltv"], scores["churn"]
    assert all(1 <= rfm[k] <= 5 for k in "rfm") and isinstance(rfm["segment"], str)
    assert ltv["historical"] == "59.90" and isinstance(ltv["predicted_12m"], str)
    assert 0 <= churn["p_alive"] <= 1 and churn["risk"] in ("low", "medium", "high")
    assert scores["as_of"]


async def test_segments(contract: Contract) -> None:
    listed = await contract.call("GET", "/v1/segments")
    assert [s["segment_id"] for s in listed["items"]] == [contract.ids["segment"]] and listed["next_cursor"] is None
    members_path = f"/v1/segments/{contract.ids['segment']}/members"

    async def members() -> dict[str, Any] | None:
        page = (await contract.client.get(members_path)).json()
        return page if len(page.get("items", [])) == 2 else None

    await wait_for(members, within=60, what="both buyers in the segment")
    page = await contract.call("GET", members_path, "/v1/segments/{segment_id}/members")
    assert contract.ids["ada"] in {m["customer_id"] for m in page["items"]} and page["next_cursor"] is None
    await contract.call("GET", "/v1/segments/seg_nope/members", "/v1/segments/{segment_id}/members", status=404)
    invalid = {"name": "Bad", "condition": {"all": [{"field": "stats.nope", "op": "gte", "value": 1}]}}
    assert (await contract.call("POST", "/v1/segments", status=422, json=invalid))["errors"]


async def test_journeys(contract: Contract) -> None:
    assert (await contract.call("GET", "/v1/journeys")) == {"items": [], "next_cursor": None}
    await contract.client.put("/v1/channel", json={"webhook_url": "http://127.0.0.1:9/"})
    created = await contract.call("POST", "/v1/journeys", status=201, json=JOURNEY)
    journey_id = created["journey_id"]
    path = f"/v1/journeys/{journey_id}"
    assert created["status"] == "draft"
    got = await contract.call("GET", path, "/v1/journeys/{journey_id}")
    assert got["journey_id"] == journey_id and got["name"] == JOURNEY["name"]
    active = await contract.call("POST", f"{path}/activate", "/v1/journeys/{journey_id}/activate")
    assert active["status"] == "active"
    paused = await contract.call("POST", f"{path}/pause", "/v1/journeys/{journey_id}/pause")
    assert paused["status"] == "paused"
    stats = await contract.call("GET", f"{path}/stats", "/v1/journeys/{journey_id}/stats")
    assert stats["journey_id"] == journey_id and isinstance(stats["entered"], int)
    listed = await contract.call("GET", "/v1/journeys")
    assert [j["journey_id"] for j in listed["items"]] == [journey_id]
    await contract.call("GET", "/v1/journeys/j_nope", "/v1/journeys/{journey_id}", status=404)
    broken = {**JOURNEY, "entry_step": "nowhere"}
    assert (await contract.call("POST", "/v1/journeys", status=422, json=broken))["errors"]


async def test_reports_overview(contract: Contract) -> None:
    if not contract.has("GET", "/v1/reports/overview"):
        pytest.skip("GET /v1/reports/overview is not in this gateway's /openapi.json yet")
    overview = await contract.call("GET", "/v1/reports/overview")
    assert overview["period"]["from"] < overview["period"]["to"] and overview["degraded"] == []
    kpis = overview["kpis"]
    assert {"customers", "repurchase_rate", "sales_win_rate"} <= kpis.keys()
    assert all({"value", "previous", "change", "unit"} <= kpi.keys() for kpi in kpis.values())
    assert kpis["customers"]["value"] >= 2  # ada and bo joined within the default period (the last 30 days)
    distributions = overview["distributions"]
    assert isinstance(distributions["rfm_segments"], dict) and isinstance(distributions["churn_risk"], dict)


async def test_reports_kpi_tree(contract: Contract) -> None:
    if not contract.has("GET", "/v1/reports/kpi-tree"):
        pytest.skip("GET /v1/reports/kpi-tree is not in this gateway's /openapi.json yet")
    year = str(dt.datetime.now(dt.UTC).year)
    target = {"targets": [{"metric": "customers", "period": year, "target": 1}]}
    held = await contract.call("PUT", "/v1/kpi-targets", json=target)
    assert [(t["metric"], t["period"]) for t in held["items"]] == [("customers", year)]
    tree = await contract.call("GET", f"/v1/reports/kpi-tree?period={year}", "/v1/reports/kpi-tree")
    assert tree["target_period"] == year and tree["degraded"] == []
    assert set(tree["scale"]) == {"customers", "new_customers", "active", "dormant", "reactivated"}
    assert set(tree["behaviour"]) == {"repurchase_rate", "retention_90d", "visit_frequency", "nps"}
    assert {"revenue", "cac", "ltv_to_cac", "reward_cost"} <= tree["financial"].keys()
    customers = tree["scale"]["customers"]
    assert customers["value"] >= 2 and (customers["target"], customers["status"]) == (1, "on_track")  # ada and bo
    assert tree["behaviour"]["nps"]["status"] == "no_target"


async def test_erasure_last(contract: Contract) -> None:
    ada = contract.ids["ada"]
    erased = await contract.call("DELETE", f"/v1/customers/{ada}", "/v1/customers/{customer_id}", status=202)
    assert erased["customer_id"] == ada and ada in erased["erased_ids"]

    async def gone() -> bool:
        return (await contract.client.get(f"/v1/customers/{ada}")).status_code == 404

    await wait_for(gone, within=60, what="ada erased")
    await contract.call("GET", "/v1/customers", status=404, params=_customer(contract, "ada"))
