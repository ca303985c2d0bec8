"""GET /v1/quotes through the gateway, in front of the six real services on the session's PostgreSQL and broker:
the quotes awaiting a manager, a page at a time, each asked for as its key's owner; another workspace's key lists
none of them, not even with this workspace's cursor; bad filters are problem+json."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from devstack.postgres import LocalPostgres
from services.gateway import store
from services.gateway.deps import GatewayContext
from tests.integration.gateway_fakes import assert_problem
from tests.integration.gateway_stack import GatewayInFront, gateway_client, gateway_in_front_of_the_services

LINES = [{"sku": "beans-1kg", "quantity": 40, "unit_price": "25.00"}]


@pytest.fixture(scope="module")
async def stack(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[GatewayInFront]:
    async with gateway_in_front_of_the_services(postgres, topics, broker_kind) as running:
        yield running


async def _key(stack: GatewayInFront, workspace: str, scopes: list[str], owner: str | None = None) -> str:
    state: GatewayContext = stack.app.state.gateway
    return (await store.create_key(state.runtime.pool, workspace, "tests", scopes, owner=owner))[1]


async def _new_workspace(stack: GatewayInFront) -> str:
    state: GatewayContext = stack.app.state.gateway
    workspace = f"ql_{uuid.uuid4().hex[:8]}"
    await store.create_workspace(state.runtime.pool, workspace)
    return workspace


async def _all_pages(client: httpx.AsyncClient, **params: Any) -> list[list[dict[str, Any]]]:
    pages, cursor = [], None
    while True:
        answer = await client.get("/v1/quotes", params={**params, **({"cursor": cursor} if cursor else {})})
        assert answer.status_code == 200, answer.text
        pages.append(answer.json()["items"])
        cursor = answer.json()["next_cursor"]
        if cursor is None:
            return pages


async def test_quotes_awaiting_approval_are_listed_for_a_read_key_and_hidden_from_another_workspace(
    stack: GatewayInFront,
) -> None:
    workspace = await _new_workspace(stack)
    admin = gateway_client(stack, await _key(stack, workspace, ["admin"], owner="maria"))
    seller = gateway_client(stack, await _key(stack, workspace, ["sales:write", "customers:read"], owner="ana"))
    reader = gateway_client(stack, await _key(stack, workspace, ["customers:read"]))
    other_workspace = await _new_workspace(stack)
    intruder = gateway_client(stack, await _key(stack, other_workspace, ["admin"], owner="eve"))
    async with admin, seller, reader, intruder:
        settings = {"discount_approval_threshold_percent": "15", "managers": ["maria"]}
        assert (await admin.put("/v1/sales-settings", json=settings)).status_code == 200
        deal = await seller.post(
            "/v1/deals", json={"customer_id": "c_9", "title": "Office coffee", "amount": "1000", "currency": "EUR"}
        )
        assert deal.status_code == 201, deal.text
        deal_id = deal.json()["deal_id"]
        claimed = await seller.post(
            f"/v1/deals/{deal_id}/quotes", json={"lines": LINES, "discount_percent": 20, "requested_by": "maria"}
        )
        assert_problem(claimed, 422)  # who asks is the key's owner, never the body's
        made = []
        for discount in ("20", "10", "25", "30"):
            quote = await seller.post(
                f"/v1/deals/{deal_id}/quotes", json={"lines": LINES, "discount_percent": discount}
            )
            assert quote.status_code == 201, quote.text
            assert quote.json()["requested_by"] == "ana"
            made.append(quote.json())
        pending = [q["quote_id"] for q in made if q["status"] == "pending_approval"]

        pages = await _all_pages(reader, status="pending_approval", limit=2)
        assert [[q["quote_id"] for q in page] for page in pages] == [pending[:2], pending[2:]]
        first = pages[0][0]
        assert (first["deal_id"], first["deal_title"], first["customer_id"], first["requested_by"], first["total"]) == (
            deal_id, "Office coffee", "c_9", "ana", "800.00"
        )  # fmt: skip
        of_the_deal = await _all_pages(reader, deal_id=deal_id)
        assert [q["quote_id"] for page in of_the_deal for q in page] == [q["quote_id"] for q in made]

        approved = await admin.post(f"/v1/quotes/{pending[0]}/approve", json={"comment": "fine"})
        assert approved.status_code == 200, approved.text
        assert [q["quote_id"] for q in (await _all_pages(reader, status="pending_approval"))[0]] == pending[1:]

        # Another workspace: nothing listed, this workspace's cursor reveals nothing, a quote id is not found.
        assert await _all_pages(intruder) == [[]]
        assert await _all_pages(intruder, deal_id=deal_id) == [[]]
        cursor = (await reader.get("/v1/quotes", params={"limit": 1})).json()["next_cursor"]
        assert cursor
        borrowed = await intruder.get("/v1/quotes", params={"cursor": cursor})
        assert borrowed.status_code == 200 and borrowed.json() == {"items": [], "next_cursor": None}
        assert_problem(await intruder.get(f"/v1/quotes/{pending[0]}"), 404)


async def test_bad_filters_and_missing_scopes_are_problems(stack: GatewayInFront) -> None:
    workspace = await _new_workspace(stack)
    async with gateway_client(stack, await _key(stack, workspace, ["customers:read"])) as reader:
        for params, field in (
            ({"status": "waiting"}, "status"),
            ({"limit": 0}, "limit"),
            ({"cursor": "not-a-cursor"}, "cursor"),
            ({"deal_id": "d" * 65}, "deal_id"),
        ):
            problem = assert_problem(await reader.get("/v1/quotes", params=params), 422)
            assert any(field in error["field"] for error in problem["errors"]), (params, problem)
    async with gateway_client(stack, await _key(stack, workspace, ["events:write"])) as writer:
        assert_problem(await writer.get("/v1/quotes"), 403)
