"""The gateway's 360 view cache in front of the five real services, on the session's PostgreSQL and broker:
a repeated view is served from the cache, and a change anywhere shows in the next views, whether it came
as an event, straight through a service's own API, or through the gateway; a change in one service
refetches only that service's section."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY

from devstack.postgres import LocalPostgres
from services.gateway.customer_360 import SECTION_FIELDS
from services.gateway.deps import GatewayContext
from services.gateway.view_cache import SECTIONS, ViewCache
from tests.helpers import event, wait_for
from tests.integration.conftest import service_client
from tests.integration.gateway_stack import GatewayInFront, gateway_in_front_of_the_services


@pytest.fixture(scope="module")
async def stack(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[GatewayInFront]:
    async with gateway_in_front_of_the_services(postgres, topics, broker_kind) as running:
        state: GatewayContext = running.app.state.gateway
        await wait_for(lambda: _true(state.views.live), within=60, what="the gateway following customer changes")
        yield running


async def _true(condition: bool) -> bool:
    return condition


@pytest.fixture
async def gateway(stack: GatewayInFront) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=stack.app)
    headers = {"Authorization": f"Bearer {stack.admin_key}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway", headers=headers) as client:
        yield client


def _reads(result: str) -> float:
    return REGISTRY.get_sample_value("flywheel_gateway_view_reads_total", {"result": result}) or 0.0


async def _customer(gateway: httpx.AsyncClient, workspace: str, **traits: Any) -> str:
    email = f"ada-{uuid.uuid4().hex[:8]}@example.com"
    identify = event("identify", workspace, {"email": email}, {"traits": traits})
    assert (await gateway.post("/v1/events", json=identify)).status_code == 202

    async def found() -> str | None:
        answer = await gateway.get("/v1/customers", params={"email": email})
        return str(answer.json()["customer_id"]) if answer.status_code == 200 else None

    return await wait_for(found, what="the new customer")


async def _view(gateway: httpx.AsyncClient, customer_id: str) -> dict[str, Any]:
    answer = await gateway.get(f"/v1/customers/{customer_id}")
    assert answer.status_code == 200, answer.text
    view: dict[str, Any] = answer.json()
    return view


async def _cached_view(gateway: httpx.AsyncClient, customer_id: str) -> dict[str, Any]:
    """The view once it is served from the cache: the services that react to a new customer's first event
    (scoring, journey, ...) each drop it when they write, so the first views are assembled again."""
    last: dict[str, Any] = {}

    async def served_from_the_cache() -> dict[str, Any] | None:
        nonlocal last
        hits = _reads("hit")
        view = await _view(gateway, customer_id)
        hit = _reads("hit") == hits + 1
        assert not (hit and last and view != last), "a cached view differs from the view assembled before it"
        last = view
        return view if hit else None

    return await wait_for(served_from_the_cache, what="the view served from the cache")


async def _task_behind_the_gateway(stack: GatewayInFront, customer_id: str) -> None:
    """A task created through the sales service's own API, as a journey or a CRM sync would."""
    due = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).isoformat()
    async with service_client(stack.services["sales"], "sales") as sales:
        created = await sales.post(
            f"/internal/v1/workspaces/{stack.workspace}/tasks",
            json={"title": "Call about the renewal", "due_at": due, "customer_id": customer_id, "assignee": "ana"},
        )
    assert created.status_code == 201, created.text


async def test_a_repeated_view_is_served_from_the_cache(stack: GatewayInFront, gateway: httpx.AsyncClient) -> None:
    customer_id = await _customer(gateway, stack.workspace, plan="gold")
    view = await _cached_view(gateway, customer_id)
    assert view["traits"]["plan"] == "gold" and view["degraded"] == []


async def test_an_event_shows_in_the_next_views(stack: GatewayInFront, gateway: httpx.AsyncClient) -> None:
    customer_id = await _customer(gateway, stack.workspace, plan="gold")
    email = (await _cached_view(gateway, customer_id))["identifiers"]["email"][0]
    # A new trait, and a new identifier linked to the stored customer.
    identify = event("identify", stack.workspace, {"email": email, "phone": "+4915112345678"})
    identify["data"]["traits"] = {"plan": "platinum"}
    assert (await gateway.post("/v1/events", json=identify)).status_code == 202

    async def upgraded() -> dict[str, Any] | None:
        view = await _view(gateway, customer_id)
        return view if view["traits"]["plan"] == "platinum" else None

    view = await wait_for(upgraded, what="the trait in the 360 view")
    assert view["identifiers"]["phone"] == ["+4915112345678"]


async def test_a_change_made_behind_the_gateway_shows_in_the_next_views(
    stack: GatewayInFront, gateway: httpx.AsyncClient
) -> None:
    """A task created through the sales service's own API, as a journey or a CRM sync would: the gateway
    never saw the write, and only the change feed tells it."""
    customer_id = await _customer(gateway, stack.workspace)
    assert (await _cached_view(gateway, customer_id))["tasks"] == []
    await _task_behind_the_gateway(stack, customer_id)

    async def with_the_task() -> list[dict[str, Any]] | None:
        return (await _view(gateway, customer_id))["tasks"] or None

    tasks = await wait_for(with_the_task, what="the task in the 360 view")
    assert [t["title"] for t in tasks] == ["Call about the renewal"]


async def test_a_write_through_the_gateway_shows_in_the_very_next_view(
    stack: GatewayInFront, gateway: httpx.AsyncClient
) -> None:
    customer_id = await _customer(gateway, stack.workspace)
    await _cached_view(gateway, customer_id)
    due = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).isoformat()
    created = await gateway.post(
        "/v1/tasks", json={"title": "Send the catalogue", "due_at": due, "customer_id": customer_id, "assignee": "ana"}
    )
    assert created.status_code == 201, created.text
    assert [t["title"] for t in (await _view(gateway, customer_id))["tasks"]] == ["Send the catalogue"]


def _fetched() -> dict[str, float]:
    return {
        section: REGISTRY.get_sample_value("flywheel_gateway_view_sections_fetched_total", {"section": section}) or 0.0
        for section in SECTIONS
    }


async def test_a_change_in_one_service_refetches_only_its_section(
    stack: GatewayInFront, gateway: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A task created behind the gateway changes sales' section only: the next view fetches that one from sales,
    takes the others from the cache, and is the same answer as a view assembled from every service."""
    customer_id = await _customer(gateway, stack.workspace, plan="gold")
    before = await _cached_view(gateway, customer_id)
    fetched, partial = _fetched(), _reads("partial")
    # The new customer's first event may still be at work in another service (profile's stats): a section its
    # change drops is fetched again too, rightly.
    views: ViewCache = stack.app.state.gateway.views
    heard: set[str | None] = set()
    hear = views.changed

    def heard_and_applied(workspace: str, customer_ids: Any, source: str | None = None) -> int:
        if workspace == stack.workspace and (customer_ids is None or customer_id in customer_ids):
            heard.add(source)
        return hear(workspace, customer_ids, source)

    monkeypatch.setattr(views, "changed", heard_and_applied)
    await _task_behind_the_gateway(stack, customer_id)

    async def with_the_task() -> dict[str, Any] | None:
        view = await _view(gateway, customer_id)
        return view if view["tasks"] else None

    after = await wait_for(with_the_task, what="the task in the 360 view")
    refetched = {section for section, count in _fetched().items() if count > fetched[section]}
    assert "sales" in heard and None not in heard
    assert refetched == heard and _reads("partial") >= partial + 1
    kept = [field for section in set(SECTIONS) - heard for field in SECTION_FIELDS[section]]
    assert {field: after[field] for field in kept} == {field: before[field] for field in kept}

    async def exact() -> bool:
        """The view served is the one every service gives now (once the new customer's changes settle)."""
        served = await _view(gateway, customer_id)
        fresh = await gateway.get(f"/v1/customers/{customer_id}", headers={"Cache-Control": "no-cache"})
        return bool(fresh.json() == served)

    await wait_for(exact, what="the served view to be the fresh one")
