"""Profile's quotas and budgets on the real service, PostgreSQL and broker: the `attributes` quota, trait
values over the size quota (in identify events and journeys' attribute requests) and traits per customer,
dead-lettered with a reason that names the trait and never quotes the value; the export streamed and paged."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest

from contracts.topics import DEADLETTER, INBOUND
from devstack.postgres import LocalPostgres
from services.profile.domain import MAX_TRAITS_PER_CUSTOMER, MAX_TRAITS_PER_EVENT
from tests.helpers import event, publish, read_topic
from tests.integration.boundary_probe import probe
from tests.integration.conftest import RunningService, running_profile
from tests.integration.test_profile_ingest import find_when, new_workspace, purchase
from tests.integration.test_profile_requests import request, send

ATTRIBUTES = 3
VALUE_BYTES = 256


@pytest.fixture(scope="module")
async def small_profile(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[RunningService]:
    """A profile service with small quotas (3 attributes, 256 bytes per trait value)."""
    async with running_profile(
        postgres,
        topics,
        broker_kind,
        skip_history=True,
        consumer_concurrency=1,
        quota_attributes=ATTRIBUTES,
        quota_trait_value_bytes=VALUE_BYTES,
    ) as service:
        yield service


async def dead_reasons(bootstrap: str, events: list[dict[str, Any]]) -> dict[str, str]:
    """The dead-letter reason of each of these events, by event id."""
    ids = {e["id"].encode() for e in events}
    dead = await read_topic(
        bootstrap, DEADLETTER, expect=len(ids), match=lambda r: any(i in (r.value or b"") for i in ids)
    )
    return {orjson.loads(r.value)["id"]: dict(r.headers)["flywheel-dlq-reason"].decode() for r in dead}


async def test_a_new_attribute_beyond_the_quota_is_refused_and_redefining_one_is_not(
    small_profile: RunningService,
) -> None:
    ws = new_workspace()
    base = f"/internal/v1/workspaces/{ws}"
    for i in range(ATTRIBUTES):
        assert (await small_profile.client.put(f"{base}/attributes/a{i}", json={"type": "string"})).status_code == 200

    refused = await small_profile.client.put(f"{base}/attributes/one_more", json={"type": "string"})
    redefined = await small_profile.client.put(f"{base}/attributes/a0", json={"type": "enum", "enum_values": ["x"]})
    other_workspace = await small_profile.client.put(
        f"/internal/v1/workspaces/{new_workspace()}/attributes/a0", json={"type": "string"}
    )

    assert refused.status_code == 409
    problem = refused.json()
    assert problem["type"] == "/problems/quota-exceeded"
    assert (problem["quota"], problem["limit"], problem["used"]) == ("attributes", ATTRIBUTES, ATTRIBUTES)
    assert "FLYWHEEL_QUOTA_ATTRIBUTES" in problem["detail"]
    assert redefined.status_code == 200 and other_workspace.status_code == 200
    listed = (await small_profile.client.get(f"{base}/attributes")).json()["items"]
    assert [a["name"] for a in listed] == ["a0", "a1", "a2"] and listed[0]["type"] == "enum"
    quotas = {q["name"]: q for q in (await small_profile.client.get(f"{base}/quotas")).json()}
    assert quotas["attributes"] == {
        "name": "attributes",
        "limit": ATTRIBUTES,
        "used": ATTRIBUTES,
        "description": "custom attribute definitions",
    }
    assert (quotas["trait_value_bytes"]["limit"], quotas["trait_value_bytes"]["used"]) == (VALUE_BYTES, 0)


async def test_an_enum_with_too_many_values_is_a_422_naming_the_field(small_profile: RunningService) -> None:
    answer = await small_profile.client.put(
        f"/internal/v1/workspaces/{new_workspace()}/attributes/size",
        json={"type": "enum", "enum_values": [f"v{i}" for i in range(201)]},
    )
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["body.enum_values"]


async def test_an_oversized_trait_is_dead_lettered_without_its_value(
    small_profile: RunningService, bootstrap: str
) -> None:
    ws = new_workspace()
    secret = "private-" + "x" * VALUE_BYTES
    ada = {"email": f"ada-{uuid.uuid4().hex[:6]}@example.com"}
    oversized = event("identify", ws, ada, {"traits": {"bio": secret, "city": "Paris"}})
    too_deep = event("identify", ws, ada, {"traits": {"tree": [[[[[[[[["leaf"]]]]]]]]]}})
    too_many = event("identify", ws, ada, {"traits": {f"t{i}": i for i in range(MAX_TRAITS_PER_EVENT + 1)}})
    fine = event("identify", ws, ada, {"traits": {"city": "Berlin"}})
    await publish(bootstrap, INBOUND, [oversized, too_deep, too_many, fine])

    view = await find_when(small_profile, ws, lambda v: v["traits"], **ada)
    reasons = await dead_reasons(bootstrap, [oversized, too_deep, too_many])

    assert view["traits"] == {"city": "Berlin"}  # nothing of a refused event applied
    assert reasons[oversized["id"]] == (
        f"trait 'bio' is {len(secret) + 2} bytes as JSON, more than {VALUE_BYTES} (quota trait_value_bytes)"
    )
    assert "private-" not in reasons[oversized["id"]]
    assert reasons[too_deep["id"]] == "trait 'tree' nested deeper than 8 levels"
    assert reasons[too_many["id"]] == f"{MAX_TRAITS_PER_EVENT + 1} traits in one event, more than 100"


async def test_a_customer_holds_a_bounded_number_of_traits(small_profile: RunningService, bootstrap: str) -> None:
    ws = new_workspace()
    ada = {"external_id": f"ada-{uuid.uuid4().hex[:6]}"}
    batches = MAX_TRAITS_PER_CUSTOMER // MAX_TRAITS_PER_EVENT
    filling = [
        event("identify", ws, ada, {"traits": {f"t{b}_{i}": i for i in range(MAX_TRAITS_PER_EVENT)}})
        for b in range(batches)
    ]
    one_more = event("identify", ws, ada, {"traits": {"t0_0": "changed", "brand_new": 1}})
    changes_only = event("identify", ws, ada, {"traits": {"t0_1": "changed", "t0_2": None}})
    await publish(bootstrap, INBOUND, [*filling, one_more, changes_only])

    view = await find_when(small_profile, ws, lambda v: v["traits"].get("t0_1") == "changed", **ada)
    reasons = await dead_reasons(bootstrap, [one_more])

    assert "brand_new" not in view["traits"] and view["traits"]["t0_0"] == 0
    assert len(view["traits"]) == MAX_TRAITS_PER_CUSTOMER - 1  # t0_2 unset
    assert reasons[one_more["id"]] == (
        f"the customer would hold {MAX_TRAITS_PER_CUSTOMER + 1} traits, more than {MAX_TRAITS_PER_CUSTOMER} "
        "(refused: 1 new)"
    )


async def test_a_journeys_oversized_attribute_is_dead_lettered_without_its_value(
    small_profile: RunningService, bootstrap: str
) -> None:
    ws = new_workspace()
    ada = {"email": f"ada-{uuid.uuid4().hex[:6]}@example.com"}
    await publish(bootstrap, INBOUND, [event("identify", ws, ada, {"traits": {"name": "Ada"}})])
    customer_id = (await find_when(small_profile, ws, lambda v: v["traits"], **ada))["customer_id"]
    secret = "private-" + "y" * VALUE_BYTES
    oversized = request(ws, customer_id, "profile.attribute_requested", {"name": "note", "value": secret})
    fine = request(ws, customer_id, "profile.attribute_requested", {"name": "tier", "value": "gold"})
    await send(bootstrap, ws, customer_id, [oversized, fine])

    view = await find_when(small_profile, ws, lambda v: "tier" in v["traits"], **ada)
    reasons = await dead_reasons(bootstrap, [oversized])

    assert "note" not in view["traits"]
    assert reasons[oversized["id"]].startswith("trait 'note' is ") and "private-" not in reasons[oversized["id"]]


async def test_the_export_streams_the_document_and_pages_each_section(
    small_profile: RunningService, bootstrap: str
) -> None:
    ws = new_workspace()
    ada = {"email": f"ada-{uuid.uuid4().hex[:6]}@example.com"}
    purchases = [purchase(ws, ada, f"{i}.50", order_id=f"o{i:02d}") for i in range(7)]
    answers = [event("survey", ws, ada, {"nps": i, "comment": f"answer {i}"}) for i in range(4)]
    await publish(bootstrap, INBOUND, [*purchases, *answers, event("identify", ws, ada, {"traits": {"name": "Ada"}})])
    view = await find_when(small_profile, ws, lambda v: v["stats"]["orders"] == 7 and v["traits"], **ada)
    base = f"/internal/v1/workspaces/{ws}/customers/{view['customer_id']}/export"

    whole = await small_profile.client.get(base)
    assert whole.status_code == 200 and whole.headers["content-type"] == "application/json"
    document = whole.json()
    assert set(document) == {
        "customer",
        "timeline",
        "orders",
        "refunds",
        "tickets",
        "survey_answers",
        "merges",
        "exported_at",
    }
    assert document["customer"]["customer_id"] == view["customer_id"]
    assert [o["order_id"] for o in document["orders"]] == [f"o{i:02d}" for i in range(7)]
    assert len(document["timeline"]) == 12
    assert sorted(a["comment"] for a in document["survey_answers"]) == [f"answer {i}" for i in range(4)]

    for section in ("timeline", "orders", "survey_answers"):
        items: list[Any] = []
        params: dict[str, Any] = {"limit": 3}
        while True:
            page = (await small_profile.client.get(f"{base}/{section}", params=params)).json()
            items += page["items"]
            if not page["next_cursor"]:
                break
            params = {"limit": 3, "cursor": page["next_cursor"]}
        assert items == document[section]
    times = [(t["occurred_at"], t["event_id"]) for t in document["timeline"]]
    assert times == sorted(times)

    assert (await small_profile.client.get(f"{base}/orders", params={"cursor": "bm90LWEtY3Vyc29y"})).status_code == 422
    missing = f"/internal/v1/workspaces/{ws}/customers/c_missing/export"
    assert (await small_profile.client.get(missing)).status_code == 404
    assert (await small_profile.client.get(f"{missing}/timeline")).status_code == 404


@pytest.mark.parametrize("bound", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "1899-12-31T23:00:00Z"])
async def test_report_times_out_of_range_are_a_422(small_profile: RunningService, bound: str) -> None:
    answer = await small_profile.client.get(
        f"/internal/v1/workspaces/{new_workspace()}/report", params={"from": bound, "to": "2026-01-01T00:00:00Z"}
    )
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["query.from"]


async def test_boundary_numbers_and_strings_never_answer_500(small_profile: RunningService) -> None:
    base = f"/internal/v1/workspaces/{new_workspace()}"
    query = {"traits": {"a": "b"}, "tags": ["x"], "customer_ids": ["c"], "sort": "-revenue", "limit": 10}
    attribute = {"type": "enum", "enum_values": ["a"]}
    failures = [
        *await probe(small_profile.client, "PUT", f"{base}/attributes/tier", attribute),
        *await probe(small_profile.client, "POST", f"{base}/customer-queries", query),
    ]
    assert not failures, "\n".join(map(str, failures))
