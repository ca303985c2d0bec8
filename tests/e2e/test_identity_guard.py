"""Acceptance of the shared-device guard on the running stack (Apache Kafka, every service a process): with the
default settings an `anonymous_id` seen with six emails joins none of them (the weak-identifier rule below the
count limit, the count from the sixth on): every email resolves to a different customer holding exactly its own
identifiers; the conflicts are listed through the gateway, to this workspace only."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from services.gateway.store import ensure_workspace_with_key
from tests.e2e.conftest import RunningStack
from tests.helpers import event, wait_for

pytestmark = pytest.mark.kafka


async def test_a_device_seen_with_six_emails_joins_none_of_them(stack: RunningStack) -> None:
    run = uuid.uuid4().hex[:8]
    device = f"tablet-{run}"
    emails = [f"p{n}-{run}@example.com" for n in range(1, 7)]
    async with httpx.AsyncClient(base_url=stack.gateway, headers=stack.headers()) as client:
        settings = (await client.get("/v1/identity-settings")).json()
        limit = next(
            x for x in settings["shared_identifier_limits"] if (x["kind"], x["other_kind"]) == ("anonymous_id", "email")
        )
        assert limit["max_distinct"] == 5  # the defaults (this test leaves the demo workspace's settings alone)
        assert settings["weak_identifier_kinds"] == ["anonymous_id"]
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
        # None merged: six customers, each with exactly its own email (one of them also holds the device, whose
        # first email it was), its purchase and its visit.
        assert len({view["customer_id"] for view in found.values()}) == 6
        for address, view in found.items():
            assert view["identifiers"]["email"] == [address]
            assert view["identifiers"]["external_id"] == [] and view["identifiers"]["phone"] == []
            assert view["identifiers"]["anonymous_id"] in ([], [device])
            assert (view["stats"]["orders"], view["stats"]["visits"]) == (1, 1)
        (owner,) = (v["customer_id"] for v in found.values() if v["identifiers"]["anonymous_id"] == [device])
        others = {v["customer_id"] for v in found.values()} - {owner}

        async def listed_conflicts() -> list[dict[str, Any]] | None:
            items = []
            for customer_id in sorted(others):
                page = (await client.get(f"/v1/customers/{customer_id}/identity-conflicts")).json()
                if not page["items"]:
                    return None
                items += page["items"]
            return items

        listed = await wait_for(listed_conflicts, within=30, what="the conflicts")
        assert {c["customer_id"] for c in listed} == others
        assert all(c["identifier_kind"] == "anonymous_id" and c["other_customer_ids"] == [owner] for c in listed)
        assert sorted(c["rule"] for c in listed) == ["shared_identifier"] + ["weak_identifier"] * 4
        assert device not in str(listed)
        everywhere = (await client.get("/v1/identity-conflicts", params={"limit": 500})).json()["items"]
        assert all(c in everywhere for c in listed)
        single = sorted(others)[0]

    other_key = await ensure_workspace_with_key(stack.dsn("gateway"), "other", stack.home / "other-key")
    async with httpx.AsyncClient(base_url=stack.gateway, headers=stack.headers(other_key)) as client:
        assert (await client.get(f"/v1/customers/{single}/identity-conflicts")).status_code == 404
        foreign = (await client.get("/v1/identity-conflicts", params={"limit": 500})).json()["items"]
        assert not any(c in foreign for c in listed)
