"""Acceptance of the shared-device guard on the running stack (Apache Kafka, every service a process): an
`anonymous_id` seen with a sixth email does not join that email's customer; the conflict is listed through the
gateway, to this workspace only."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from services.gateway.store import ensure_workspace_with_key
from tests.e2e.conftest import RunningStack
from tests.helpers import event, wait_for

pytestmark = pytest.mark.kafka


async def test_a_device_seen_with_six_emails_does_not_join_the_sixth(stack: RunningStack) -> None:
    run = uuid.uuid4().hex[:8]
    device = f"tablet-{run}"
    emails = [f"p{n}-{run}@example.com" for n in range(1, 7)]
    async with httpx.AsyncClient(base_url=stack.gateway, headers=stack.headers()) as client:
        settings = (await client.get("/v1/identity-settings")).json()
        limit = next(
            x for x in settings["shared_identifier_limits"] if (x["kind"], x["other_kind"]) == ("anonymous_id", "email")
        )
        assert limit["max_distinct"] == 5  # the defaults (this test leaves the demo workspace's settings alone)
        purchases = [
            event("purchase", "demo", {"email": e}, {"order_id": uuid.uuid4().hex, "amount": "10"}) for e in emails
        ]
        assert (await client.post("/v1/events", json=purchases)).status_code == 202

        async def customers() -> dict[str, dict[str, Any]] | None:
            found = {}
            for address in emails:
                response = await client.get("/v1/customers", params={"email": address})
                if response.status_code != 200:
                    return None
                found[address] = response.json()
            return found

        await wait_for(customers, within=60, what="six customers")
        visits = [event("visit", "demo", {"email": e, "anonymous_id": device}, {"channel": "web"}) for e in emails]
        assert (await client.post("/v1/events", json=visits)).status_code == 202

        async def settled() -> dict[str, dict[str, Any]] | None:
            found = await customers()
            if found is None:
                return None
            live = {v["customer_id"]: v for v in found.values()}
            return found if sum(v["stats"]["visits"] for v in live.values()) == 6 else None

        found = await wait_for(settled, within=60, what="six visits")
        groups: dict[str, list[str]] = {}
        for address, view in found.items():
            groups.setdefault(view["customer_id"], []).append(address)
        assert sorted(len(g) for g in groups.values()) == [1, 5]
        (single,) = (c for c, g in groups.items() if len(g) == 1)
        (owner,) = (c for c, g in groups.items() if len(g) == 5)

        async def conflict() -> list[dict[str, Any]] | None:
            page = (await client.get(f"/v1/customers/{single}/identity-conflicts")).json()
            return page["items"] or None

        (listed,) = await wait_for(conflict, within=30, what="the conflict")
        assert listed["identifier_kind"] == "anonymous_id" and device not in str(listed)
        assert (listed["customer_id"], listed["other_customer_ids"]) == (single, [owner])
        everywhere = (await client.get("/v1/identity-conflicts", params={"limit": 500})).json()["items"]
        assert listed in everywhere

    other_key = await ensure_workspace_with_key(stack.dsn("gateway"), "other", stack.home / "other-key")
    async with httpx.AsyncClient(base_url=stack.gateway, headers=stack.headers(other_key)) as client:
        assert (await client.get(f"/v1/customers/{single}/identity-conflicts")).status_code == 404
        assert listed not in (await client.get("/v1/identity-conflicts")).json()["items"]
