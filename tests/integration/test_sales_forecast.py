"""Sales' deal forecast on real PostgreSQL: open deals' amounts and stage-weighted amounts by expected close month
and currency, one workspace's only, the query bounded."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.integration.conftest import RunningService
from tests.integration.test_sales_service import clock, sales, workspace

__all__ = ["clock", "sales"]  # the sales service fixture, shared


async def deal(service: RunningService, ws: str, key: str, amount: str, currency: str, **fields: Any) -> None:
    body = {"customer_id": f"c-{key}", "title": key, "amount": amount, "currency": currency, "fields": fields}
    created = await service.client.post(
        f"/internal/v1/workspaces/{ws}/deals", json=body, headers={"Idempotency-Key": key}
    )
    assert created.status_code == 201, created.text


async def test_open_deals_by_expected_close_month_and_currency(sales: RunningService) -> None:
    ws, other = workspace(), workspace()
    # The clock stands at 2026-06-01; every deal is in the first stage (probability 0.1).
    await deal(sales, ws, "d1", "1000", "EUR", expected_close="2026-08")
    await deal(sales, ws, "d2", "500", "EUR")  # creation + 30 days (nothing won yet): July
    await deal(sales, ws, "d3", "200", "USD", expected_close="2026-01-15")  # overdue: expected now, June
    await deal(sales, ws, "d4", "300", "EUR", expected_close="2027-12")  # past the months asked for
    await deal(sales, ws, "d5", "50", "EUR", expected_close="not a date")  # as without one: July
    await deal(sales, other, "x1", "9999", "EUR", expected_close="2026-08")  # another workspace's

    answer = await sales.client.get(
        f"/internal/v1/workspaces/{ws}/deal-forecast", params={"from": "2026-06", "months": 3}
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["from"], body["months"]) == ("2026-06", 3)
    rows = [
        (i["month"], i["currency"], i["deals"], Decimal(i["amount"]), Decimal(i["weighted"])) for i in body["items"]
    ]
    assert rows == [
        ("2026-06", "USD", 1, Decimal("200"), Decimal("20")),
        ("2026-07", "EUR", 2, Decimal("550"), Decimal("55")),
        ("2026-08", "EUR", 1, Decimal("1000"), Decimal("100")),
    ]
    bad_queries: list[dict[str, str | int]] = [{"from": "2026-13"}, {"from": "2026-06", "months": 25}, {"months": 3}]
    bad_queries.append({"from": "0000-01"})
    for bad in bad_queries:  # a month that cannot be, too many, none, year 0
        refused = await sales.client.get(f"/internal/v1/workspaces/{ws}/deal-forecast", params=bad)
        assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"
