"""Profile's customer listing (filters, sorts, keyset pages) and its period report, on the session's
PostgreSQL and broker: customers come from events, as in production. One profile service for the module."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from contracts.topics import INBOUND
from runtime.pagination import encode_cursor
from tests.helpers import event, publish, wait_for
from tests.integration.conftest import RunningService
from tests.integration.test_profile_ingest import new_workspace, purchase
from tests.integration.test_profile_requests import request, send

APRIL, MAY = dt.datetime(2026, 4, 10, tzinfo=dt.UTC), dt.datetime(2026, 5, 10, tzinfo=dt.UTC)


async def query(profile: RunningService, ws: str, status: int = 200, **body: Any) -> Any:
    response = await profile.client.post(f"/internal/v1/workspaces/{ws}/customer-queries", json=body)
    assert response.status_code == status, response.text
    return response.json()


async def every_page(profile: RunningService, ws: str, limit: int, **body: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = await query(profile, ws, limit=limit, cursor=cursor, **body)
        assert len(page["items"]) <= limit
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


async def seed(profile: RunningService, bootstrap: str) -> tuple[str, dict[str, str]]:
    """Four customers (a, b, c, d) by external id: a bought in April and May, b in May, c never, d in April."""
    ws = new_workspace()
    ids = {name: f"{name}-{uuid.uuid4().hex[:6]}" for name in "abcd"}
    city = {"a": "Berlin", "b": "Paris", "c": "Berlin", "d": "Rome"}
    first_seen = {"a": APRIL, "b": MAY, "c": MAY, "d": APRIL}
    docs: list[dict[str, Any]] = [
        event("identify", ws, {"external_id": ids[n]}, {"traits": {"city": city[n], "vip": n == "a"}},
              time=first_seen[n])
        for n in "abcd"
    ]  # fmt: skip
    docs += [
        purchase(ws, {"external_id": ids["a"]}, "30.00", time=APRIL + dt.timedelta(hours=1)),
        purchase(ws, {"external_id": ids["a"]}, "50.00", time=MAY + dt.timedelta(hours=1)),
        purchase(ws, {"external_id": ids["b"]}, "120.00", time=MAY + dt.timedelta(hours=2)),
        purchase(ws, {"external_id": ids["d"]}, "10.00", time=APRIL + dt.timedelta(hours=2)),
    ]
    await publish(bootstrap, INBOUND, docs)

    async def all_in() -> list[dict[str, Any]] | None:
        items: list[dict[str, Any]] = (await query(profile, ws, limit=500))["items"]
        return items if len(items) == 4 and sum(c["stats"]["orders"] for c in items) == 4 else None

    listed = await wait_for(all_in, what="four customers and four orders")
    by_external = {c["identifiers"]["external_id"][0]: c["customer_id"] for c in listed}
    return ws, {name: by_external[ids[name]] for name in "abcd"}


async def test_customers_are_listed_filtered_sorted_and_paged(profile: RunningService, bootstrap: str) -> None:
    ws, ids = await seed(profile, bootstrap)
    name_of = {customer_id: name for name, customer_id in ids.items()}

    def names(items: list[dict[str, Any]]) -> list[str]:
        return [name_of[c["customer_id"]] for c in items]

    # Every sort pages through all four exactly once, in order; ties fall back to the id.
    assert names(await every_page(profile, ws, 3, sort="-revenue")) == ["b", "a", "d", "c"]
    assert names(await every_page(profile, ws, 1, sort="revenue")) == ["c", "d", "a", "b"]
    assert names(await every_page(profile, ws, 2, sort="-orders"))[0] == "a"
    assert names(await every_page(profile, ws, 2, sort="last_purchase_at")) == ["c", "d", "a", "b"]
    by_first_seen = names(await every_page(profile, ws, 2, sort="-first_seen_at"))
    assert set(by_first_seen[:2]) == {"b", "c"} and by_first_seen[2:] == sorted(
        "ad", key=lambda n: ids[n], reverse=True
    )
    newest = await every_page(profile, ws, 1)
    assert len(newest) == 4 and newest == (await query(profile, ws, limit=500))["items"]  # -created_at by default

    # Filters: traits on their text form, tags (every one), ids; all combine.
    assert set(names((await query(profile, ws, traits={"city": "Berlin"}))["items"])) == {"a", "c"}
    assert names((await query(profile, ws, traits={"city": "Berlin", "vip": "true"}))["items"]) == ["a"]
    assert (await query(profile, ws, traits={"nickname": "x"}))["items"] == []
    only = (await query(profile, ws, customer_ids=[ids["b"], ids["d"], "c-unknown"], sort="revenue"))["items"]
    assert names(only) == ["d", "b"]
    await send(bootstrap, ws, ids["c"], [request(ws, ids["c"], "profile.tags_requested", {"add": ["vip", "new"]})])

    async def tagged() -> list[dict[str, Any]] | None:
        items: list[dict[str, Any]] = (await query(profile, ws, tags=["vip", "new"]))["items"]
        return items or None

    assert names(await wait_for(tagged, what="c tagged")) == ["c"]
    assert (await query(profile, ws, tags=["vip", "gone"]))["items"] == []

    # Another workspace sees none of them; cursors of another sort or forged ones are 422.
    assert (await query(profile, new_workspace()))["items"] == []
    cursor = (await query(profile, ws, limit=1, sort="revenue"))["next_cursor"]
    await query(profile, ws, 422, sort="-revenue", cursor=cursor)
    await query(profile, ws, 422, cursor="bm90LWEtY3Vyc29y")
    await query(profile, ws, 422, sort="revenue", cursor=encode_cursor("revenue", "not-a-number", "x"))
    await query(profile, ws, 422, sort="name")


async def test_the_report_counts_a_period(profile: RunningService, bootstrap: str) -> None:
    ws, _ = await seed(profile, bootstrap)

    async def report(start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
        params = {"from": start.isoformat(), "to": end.isoformat()}
        response = await profile.client.get(f"/internal/v1/workspaces/{ws}/report", params=params)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    may = await report(dt.datetime(2026, 5, 1, tzinfo=dt.UTC), dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    assert may["from"].startswith("2026-05-01") and may["to"].startswith("2026-06-01")
    assert (may["customers"], may["new_customers"]) == (4, 2)
    assert (may["purchasers"], may["repeat_purchasers"], may["repurchase_rate"]) == (3, 1, 1 / 3)
    assert (may["purchasers_in_period"], may["orders_in_period"], may["revenue_in_period"]) == (2, 2, "170.00")
    april = await report(dt.datetime(2026, 4, 1, tzinfo=dt.UTC), dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    assert (april["customers"], april["new_customers"], april["purchasers_in_period"]) == (2, 2, 2)
    assert (april["repeat_purchasers"], april["repurchase_rate"], april["revenue_in_period"]) == (0, 0.0, "40.00")
    before = await report(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), dt.datetime(2025, 2, 1, tzinfo=dt.UTC))
    assert (before["customers"], before["purchasers"], before["repurchase_rate"]) == (0, 0, None)

    bad = await profile.client.get(
        f"/internal/v1/workspaces/{ws}/report", params={"from": "2026-05-01T00:00:00Z", "to": "2026-04-01T00:00:00Z"}
    )
    assert bad.status_code == 422
