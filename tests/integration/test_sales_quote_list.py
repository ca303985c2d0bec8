"""The sales service's list of quotes on real PostgreSQL: oldest first with each quote's deal, filtered by status
and deal, a page at a time; another workspace's cursor reveals nothing; bad filters are problems."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from devstack.postgres import LocalPostgres
from services.sales.wiring import create_app
from tests.integration.conftest import MovableClock, RunningService, running_app
from tests.integration.gateway_fakes import assert_problem

START = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
LINES = [{"sku": "beans-1kg", "quantity": 40, "unit_price": "25.00"}]


@pytest.fixture(scope="module")
def clock() -> MovableClock:
    return MovableClock(START)


@pytest.fixture(scope="module")
async def sales(
    postgres: LocalPostgres, topics: str, broker_kind: str, clock: MovableClock
) -> AsyncIterator[RunningService]:
    async with running_app("sales", create_app, postgres, topics, broker_kind, app_kwargs={"clock": clock}) as service:
        yield service


async def _workspace_with_quotes(
    sales: RunningService, clock: MovableClock, discounts: list[str]
) -> tuple[str, list[dict[str, Any]]]:
    """A workspace with a deal and one quote per discount, a minute apart (threshold 15%: 20 waits for approval)."""
    ws = f"ws-{uuid.uuid4().hex[:10]}"
    base = f"/internal/v1/workspaces/{ws}"
    settings = {"discount_approval_threshold_percent": "15", "managers": ["maria"]}
    assert (await sales.client.put(f"{base}/sales-settings", json=settings)).status_code == 200
    body = {"customer_id": "c9", "title": "Office coffee", "amount": "1000", "currency": "EUR", "owner": "ana"}
    deal_id = (await sales.client.post(f"{base}/deals", json=body)).json()["deal_id"]
    quotes = []
    for discount in discounts:
        clock.advance(dt.timedelta(minutes=1))
        made = await sales.client.post(
            f"{base}/deals/{deal_id}/quotes",
            json={"lines": LINES, "discount_percent": discount, "requested_by": "ana@shop.example"},
        )
        assert made.status_code == 201, made.text
        quotes.append(made.json())
    return ws, quotes


async def test_quotes_are_listed_oldest_first_with_their_deal_a_page_at_a_time(
    sales: RunningService, clock: MovableClock
) -> None:
    ws, quotes = await _workspace_with_quotes(sales, clock, ["20", "10", "25", "30"])
    base = f"/internal/v1/workspaces/{ws}"
    assert quotes[0]["requested_by"] == "ana@shop.example"

    pages, cursor = [], None
    while True:
        page: dict[str, str] = {"cursor": cursor} if cursor else {}
        answer = await sales.client.get(f"{base}/quotes", params={"status": "pending_approval", "limit": 2, **page})
        assert answer.status_code == 200, answer.text
        pages.append(answer.json()["items"])
        cursor = answer.json()["next_cursor"]
        if cursor is None:
            break
    pending = [q["quote_id"] for q in quotes if q["status"] == "pending_approval"]
    assert [[q["quote_id"] for q in page] for page in pages] == [pending[:2], pending[2:]]
    first = pages[0][0]
    assert {k: first[k] for k in ("deal_id", "deal_title", "deal_owner", "customer_id", "requested_by")} == {
        "deal_id": quotes[0]["deal_id"], "deal_title": "Office coffee", "deal_owner": "ana", "customer_id": "c9",
        "requested_by": "ana@shop.example",
    }  # fmt: skip
    assert (first["discount_percent"], first["subtotal"], first["total"], first["status"]) == (
        "20", "1000.00", "800.00", "pending_approval"
    )  # fmt: skip

    everything = (await sales.client.get(f"{base}/quotes", params={"deal_id": quotes[0]["deal_id"]})).json()
    assert [q["quote_id"] for q in everything["items"]] == [q["quote_id"] for q in quotes]
    assert (await sales.client.get(f"{base}/quotes", params={"status": "rejected"})).json()["items"] == []
    assert (await sales.client.get(f"{base}/quotes", params={"deal_id": "d_none"})).json()["items"] == []

    decided = await sales.client.post(f"{base}/quotes/{pending[0]}/approve", json={"approver": "maria"})
    assert decided.status_code == 200, decided.text
    still = (await sales.client.get(f"{base}/quotes", params={"status": "pending_approval"})).json()["items"]
    assert [q["quote_id"] for q in still] == pending[1:]


async def test_another_workspace_sees_none_of_the_quotes_nor_through_a_cursor(
    sales: RunningService, clock: MovableClock
) -> None:
    ws, _ = await _workspace_with_quotes(sales, clock, ["20", "20", "20"])
    other, _ = await _workspace_with_quotes(sales, clock, [])
    first = (await sales.client.get(f"/internal/v1/workspaces/{ws}/quotes", params={"limit": 1})).json()
    assert first["next_cursor"]
    theirs = await sales.client.get(
        f"/internal/v1/workspaces/{other}/quotes", params={"limit": 1, "cursor": first["next_cursor"]}
    )
    assert theirs.status_code == 200 and theirs.json() == {"items": [], "next_cursor": None}
    assert (await sales.client.get(f"/internal/v1/workspaces/{other}/quotes")).json()["items"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "waiting"}, "status"),
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"deal_id": "d" * 65}, "deal_id"),
    ],
)
async def test_bad_filters_are_problems(sales: RunningService, params: dict[str, Any], field: str) -> None:
    answer = await sales.client.get(f"/internal/v1/workspaces/ws-{uuid.uuid4().hex[:10]}/quotes", params=params)
    problem = assert_problem(answer, 422)
    assert any(field in error["field"] for error in problem["errors"]), problem
