"""Acceptance 2 of issue 21 on the running stack (Apache Kafka, every service a process): the real Segment Python SDK
and the RudderStack Python SDK, unchanged, pointed at `<gateway>/segment` with an `events:write` key as their write
key, send identify, track `Order Completed` and `Order Refunded`; the customer's 360 view shows them (the traits,
the email as an identifier, one order and the revenue net of the refund)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest
import segment.analytics as segment_analytics
from rudderstack.analytics.client import Client as RudderClient

from services.gateway import store
from services.gateway.store import ensure_workspace_with_key
from tests.e2e.conftest import RunningStack
from tests.helpers import wait_for

pytestmark = pytest.mark.kafka


def _segment_client(write_key: str, host: str, errors: list[Any]) -> Any:
    # The SDK's own batching thread (as producers run it), flushed synchronously by the test.
    return segment_analytics.Client(write_key, host=host, on_error=lambda error, batch: errors.append(error))


def _rudder_client(write_key: str, host: str, errors: list[Any]) -> Any:
    # RudderStack gzips every batch by default: the gateway inflates it within its budget.
    return RudderClient(write_key, host=host, on_error=lambda error, batch: errors.append(error))


SDKS: dict[str, Callable[[str, str, list[Any]], Any]] = {"segment": _segment_client, "rudderstack": _rudder_client}


@pytest.mark.parametrize("sdk", sorted(SDKS))
async def test_an_sdk_pointed_at_the_gateway_fills_the_360_view(stack: RunningStack, sdk: str) -> None:
    workspace = f"sdk-{sdk[:4]}-{uuid.uuid4().hex[:6]}"
    admin_key = await ensure_workspace_with_key(stack.dsn("gateway"), workspace, stack.home / f"{workspace}-key")
    async with store.admin_connection(stack.dsn("gateway")) as conn:
        _, write_key = await store.create_key(conn, workspace, f"{sdk} write key", ["events:write"])
    user_id, order_id = f"u-{uuid.uuid4().hex[:8]}", f"o-{uuid.uuid4().hex[:8]}"
    email = f"{user_id}@example.com"

    def send() -> list[Any]:
        errors: list[Any] = []
        client = SDKS[sdk](write_key, f"{stack.gateway}/segment", errors)
        client.identify(user_id, {"email": email, "name": "Ada Lovelace", "plan": "pro"})
        client.track(
            user_id,
            "Order Completed",
            {
                "order_id": order_id,
                "total": 100.0,
                "currency": "EUR",
                "products": [{"product_id": "p-1", "sku": "SKU-1", "category": "books", "quantity": 2, "price": 50}],
            },
        )
        client.track(user_id, "Order Refunded", {"order_id": order_id, "total": 30.5, "currency": "EUR"})
        client.flush()
        client.join()
        return errors

    assert await asyncio.to_thread(send) == []

    async with httpx.AsyncClient(base_url=stack.gateway, headers=stack.headers(admin_key), timeout=30) as gateway:

        async def view() -> dict[str, Any] | None:
            found = await gateway.get("/v1/customers", params={"external_id": user_id})
            if found.status_code != 200:
                return None
            doc: dict[str, Any] = (await gateway.get(f"/v1/customers/{found.json()['customer_id']}")).json()
            stats = doc.get("stats") or {}
            done = stats.get("orders") == 1 and Decimal(str(stats.get("revenue") or 0)) == Decimal("69.5")
            return doc if done and doc.get("traits", {}).get("name") == "Ada Lovelace" else None

        customer = await wait_for(view, within=90, what=f"{sdk}'s identify, order and refund in the 360 view")
    assert customer["traits"]["plan"] == "pro"
    assert email in str(customer["identifiers"])
