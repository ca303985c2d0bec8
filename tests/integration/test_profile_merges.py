"""Merges recorded, listed and undone (real PostgreSQL and broker): an undo gives both customers back what they were
before the merge, field by field; events since the merge go to their side; the two stay apart; refusals."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

import asyncpg
import orjson
import pytest

from contracts.topics import INBOUND, PROFILE_LIFECYCLE
from services.profile import undo as undo_module
from tests.helpers import event, publish, read_topic
from tests.integration.conftest import RunningService
from tests.integration.test_profile_ingest import find, find_when, new_workspace

T0 = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=30)
ADA = {"email": "ada@example.com"}
TABLET = {"anonymous_id": "tablet-1"}
BOTH = {**ADA, **TABLET}


def at(hours: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


def ada_history(ws: str) -> list[dict[str, Any]]:
    return [
        event("identify", ws, ADA, {"traits": {"name": "Ada", "city": "Berlin"}}, time=at(0)),
        event(
            "purchase", ws, ADA, {"order_id": "a1", "amount": "10.00", "channel": "web", "utm_source": "mail"},
            time=at(1),
        ),
        event("purchase", ws, ADA, {"order_id": "a2", "amount": "5.00"}, time=at(2)),
        event("visit", ws, ADA, {"channel": "web"}, time=at(3)),
        event("ticket", ws, ADA, {"ticket_id": "t-a", "status": "opened", "csat": 4}, time=at(4)),
        event("survey", ws, ADA, {"nps": 9}, time=at(5)),
    ]  # fmt: skip


def tablet_history(ws: str) -> list[dict[str, Any]]:
    return [
        event("identify", ws, TABLET, {"traits": {"name": "Bo", "plan": "family"}}, time=at(6)),
        event("purchase", ws, TABLET, {"order_id": "b1", "amount": "20.00", "channel": "store"}, time=at(7)),
        event("refund", ws, TABLET, {"order_id": "b1", "amount": "5.00"}, time=at(8)),
        event("visit", ws, TABLET, {"channel": "app", "utm_source": "ads", "utm_campaign": "x"}, time=at(9)),
        event("survey", ws, TABLET, {"nps": 3, "csat": 2}, time=at(10)),
    ]


async def get(profile: RunningService, path: str, **params: Any) -> Any:
    response = await profile.client.get(path, params=params or None)
    assert response.status_code == 200, response.text
    return response.json()


async def everything(profile: RunningService, ws: str, customer_id: str) -> dict[str, Any]:
    """The customer's view and every fact profile holds on them."""
    base = f"/internal/v1/workspaces/{ws}/customers/{customer_id}"
    found = {"view": await get(profile, base)}
    found["timeline"] = [e["event_id"] for e in (await get(profile, f"{base}/timeline", limit=500))["items"]]
    for section in ("orders", "refunds", "tickets", "survey_answers"):
        found[section] = (await get(profile, f"{base}/export/{section}"))["items"]
    return found


async def two_customers(profile: RunningService, bootstrap: str, ws: str) -> tuple[str, str]:
    await publish(bootstrap, INBOUND, [*ada_history(ws), *tablet_history(ws)])
    ada = await find_when(profile, ws, lambda v: v["stats"]["visits"] == 1 and v["stats"]["last_nps"] == 9, **ADA)
    tablet = await find_when(profile, ws, lambda v: v["stats"]["visits"] == 1 and v["stats"]["last_nps"] == 3, **TABLET)
    return ada["customer_id"], tablet["customer_id"]


async def merge_of(profile: RunningService, bootstrap: str, ws: str, bridge: dict[str, Any]) -> dict[str, Any]:
    await publish(bootstrap, INBOUND, [bridge])
    view = await find_when(profile, ws, lambda v: bool(v["merged_ids"]), **TABLET)
    merges = await get(profile, f"/internal/v1/workspaces/{ws}/customers/{view['customer_id']}/merges")
    found: dict[str, Any] = merges["items"][0]
    return found


async def undo(profile: RunningService, ws: str, merge_id: str, **body: Any) -> Any:
    return await profile.client.post(f"/internal/v1/workspaces/{ws}/merges/{merge_id}/undo", json=body or None)


def lifecycle_of(ws: str, event_type: str) -> Any:
    def match(record: Any) -> bool:
        doc = orjson.loads(record.value)
        return bool(doc["workspace"] == ws and doc["type"] == event_type)

    return match


async def test_an_undo_gives_both_customers_back_what_they_were_before_the_merge(
    profile: RunningService, bootstrap: str
) -> None:
    ws = new_workspace()
    ada, tablet = await two_customers(profile, bootstrap, ws)
    before = {ada: await everything(profile, ws, ada), tablet: await everything(profile, ws, tablet)}

    bridge = event("identify", ws, BOTH, {"traits": {}}, time=at(11))
    merge = await merge_of(profile, bootstrap, ws, bridge)
    assert (merge["survivor_id"], merge["merged_id"]) == (ada, tablet)  # Ada was seen first
    assert merge["cause"]["event_id"] == bridge["id"]
    assert merge["cause"]["identifiers"] == [
        {"kind": "email", "value": "ada@example.com"},
        {"kind": "anonymous_id", "value": "tablet-1"},
    ]
    assert merge["undone"] is False
    merged = await get(profile, f"/internal/v1/workspaces/{ws}/customers/{tablet}")
    assert merged["customer_id"] == ada and merged["stats"]["orders"] == 3
    # The merged id names the same history.
    assert (await get(profile, f"/internal/v1/workspaces/{ws}/customers/{tablet}/merges"))["items"] == [merge]
    announced = await read_topic(bootstrap, PROFILE_LIFECYCLE, expect=1, match=lifecycle_of(ws, "profile.merged"))
    assert orjson.loads(announced[0].value)["id"] == f"profile.merged:{merge['merge_id']}"

    response = await undo(profile, ws, merge["merge_id"], reason="a shared shop tablet")
    assert response.status_code == 200, response.text
    done = response.json()
    assert done["undone"] is True and done["undo_reason"] == "a shared shop tablet" and done["restored_events"] == 0

    after = {ada: await everything(profile, ws, ada), tablet: await everything(profile, ws, tablet)}
    # The bridging event stays with the customer of its strongest identifier (the email: Ada's), and is her latest.
    assert after[ada]["timeline"] == [bridge["id"], *before[ada]["timeline"]]
    assert after[ada]["view"].pop("last_event_at") != before[ada]["view"].pop("last_event_at")
    for customer_id in (ada, tablet):
        now, was = after[customer_id], before[customer_id]
        now["view"].pop("updated_at"), was["view"].pop("updated_at")
        if customer_id == ada:
            now["timeline"].remove(bridge["id"])
        for part in ("timeline", "orders", "refunds", "tickets", "survey_answers"):
            assert now[part] == was[part], (customer_id, part)
        for field in was["view"]:
            assert now["view"][field] == was["view"][field], (customer_id, field)

    unmerged = await read_topic(bootstrap, PROFILE_LIFECYCLE, expect=1, match=lifecycle_of(ws, "profile.unmerged"))
    doc = orjson.loads(unmerged[0].value)
    assert doc["id"] == f"profile.unmerged:{merge['merge_id']}"
    assert doc["data"] == {
        "merge_id": merge["merge_id"],
        "survivor_id": ada,
        "restored_id": tablet,
        "restored_event_ids": [],
        "reason": "a shared shop tablet",
    }
    history = await get(profile, f"/internal/v1/workspaces/{ws}/customers/{tablet}/merges")
    assert [(m["merge_id"], m["undone"]) for m in history["items"]] == [(merge["merge_id"], True)]
    # The data-subject export shows the merge on both sides, with what joined them.
    for customer_id in (ada, tablet):
        exported = await get(profile, f"/internal/v1/workspaces/{ws}/customers/{customer_id}/export/merges")
        (row,) = exported["items"]
        assert row["merge_id"] == merge["merge_id"] and row["undo_reason"] == "a shared shop tablet"
        assert ["anonymous_id", "tablet-1"] in row["merged_identifiers"]


async def test_events_since_the_merge_go_to_their_side_and_the_two_are_not_merged_again(
    profile: RunningService, bootstrap: str
) -> None:
    ws = new_workspace()
    ada, tablet = await two_customers(profile, bootstrap, ws)
    merge = await merge_of(profile, bootstrap, ws, event("visit", ws, BOTH, {"channel": "store"}, time=at(11)))
    since_tablet = event(
        "purchase", ws, {**TABLET, "phone": "+4915112345678"}, {"order_id": "b2", "amount": "7.00"}, time=at(12)
    )
    since_phone = event("visit", ws, {"phone": "+4915112345678"}, {"channel": "app"}, time=at(13))
    since_ada = event("purchase", ws, ADA, {"order_id": "a3", "amount": "1.00"}, time=at(14))
    await publish(bootstrap, INBOUND, [since_tablet, since_phone, since_ada])
    await find_when(profile, ws, lambda v: v["stats"]["orders"] == 5 and v["stats"]["visits"] == 4, **ADA)

    response = await undo(profile, ws, merge["merge_id"])
    assert response.status_code == 200, response.text
    assert response.json()["restored_events"] == 2 and response.json()["undo_reason"] == "undone by an operator"

    restored = await get(profile, f"/internal/v1/workspaces/{ws}/customers/{tablet}")
    assert restored["customer_id"] == tablet and restored["merged_ids"] == []
    assert restored["identifiers"]["anonymous_id"] == ["tablet-1"]
    assert restored["identifiers"]["phone"] == ["+4915112345678"]  # linked since, with the tablet's events
    assert (restored["stats"]["orders"], restored["stats"]["revenue"], restored["stats"]["visits"]) == (2, "22.00", 2)
    assert restored["traits"] == {"name": "Bo", "plan": "family"}
    kept = await get(profile, f"/internal/v1/workspaces/{ws}/customers/{ada}")
    # The bridging visit carried the email (stronger than the anonymous id): it stays with Ada.
    assert (kept["stats"]["orders"], kept["stats"]["revenue"], kept["stats"]["visits"]) == (3, "16.00", 2)
    assert kept["identifiers"]["anonymous_id"] == [] and kept["traits"] == {"name": "Ada", "city": "Berlin"}
    unmerged = await read_topic(bootstrap, PROFILE_LIFECYCLE, expect=1, match=lifecycle_of(ws, "profile.unmerged"))
    assert orjson.loads(unmerged[0].value)["data"]["restored_event_ids"] == [since_tablet["id"], since_phone["id"]]

    # An event carrying both sides' identifiers again attaches to its strongest identifier's customer: no merge.
    again = event("visit", ws, BOTH, {"channel": "web"}, time=at(15))
    await publish(bootstrap, INBOUND, [again])
    await find_when(profile, ws, lambda v: v["stats"]["visits"] == 3, **ADA)
    assert (await find(profile, ws, **TABLET) or {})["customer_id"] == tablet
    assert (await get(profile, f"/internal/v1/workspaces/{ws}/customers/{ada}"))["merged_ids"] == []
    merges = await get(profile, f"/internal/v1/workspaces/{ws}/customers/{ada}/merges")
    assert [m["merge_id"] for m in merges["items"]] == [merge["merge_id"]]


async def test_undo_refusals_are_problems(profile: RunningService, bootstrap: str) -> None:
    ws, other = new_workspace(), new_workspace()
    ada, tablet = await two_customers(profile, bootstrap, ws)
    first = await merge_of(profile, bootstrap, ws, event("identify", ws, BOTH, {"traits": {}}, time=at(11)))

    # Another workspace does not know the merge; an unknown one is not found; a reason over its budget is refused.
    for workspace, merge_id in ((other, first["merge_id"]), (ws, "m_nope")):
        response = await undo(profile, workspace, merge_id)
        assert response.status_code == 404 and response.headers["content-type"].startswith("application/problem+json")
    assert (await undo(profile, ws, first["merge_id"], reason="x" * 513)).status_code == 422
    assert (await profile.client.get(f"/internal/v1/workspaces/{other}/customers/{ada}/merges")).status_code == 404

    # A later merge folded the survivor into an older customer: that one is undone first.
    older = event("identify", ws, {"external_id": "u-old"}, {"traits": {"tier": "gold"}}, time=at(-10))
    await publish(bootstrap, INBOUND, [older])
    await find_when(profile, ws, lambda v: True, external_id="u-old")
    await publish(bootstrap, INBOUND, [event("visit", ws, {"external_id": "u-old", **ADA}, {"channel": "web"})])
    view = await find_when(profile, ws, lambda v: len(v["merged_ids"]) == 2, external_id="u-old")
    history = await get(profile, f"/internal/v1/workspaces/{ws}/customers/{tablet}/merges")
    assert [m["merge_id"] for m in history["items"]][1] == first["merge_id"]  # newest first
    second = history["items"][0]
    assert (second["survivor_id"], second["merged_id"]) == (view["customer_id"], ada)
    refused = await undo(profile, ws, first["merge_id"])
    assert refused.status_code == 409 and "undo that merge first" in refused.json()["detail"]
    assert (await undo(profile, ws, second["merge_id"])).status_code == 200
    assert (await get(profile, f"/internal/v1/workspaces/{ws}/customers/{tablet}"))["customer_id"] == ada
    assert (await undo(profile, ws, first["merge_id"])).status_code == 200
    assert (await undo(profile, ws, first["merge_id"])).status_code == 409  # already undone
    assert (await get(profile, f"/internal/v1/workspaces/{ws}/customers/{tablet}"))["customer_id"] == tablet

    # A merge of an erased customer cannot be undone.
    third_ws = new_workspace()
    ada3, _ = await two_customers(profile, bootstrap, third_ws)
    third = await merge_of(profile, bootstrap, third_ws, event("identify", third_ws, BOTH, {"traits": {}}))
    assert (await profile.client.delete(f"/internal/v1/workspaces/{third_ws}/customers/{ada3}")).status_code == 202
    refused = await undo(profile, third_ws, third["merge_id"])
    assert refused.status_code == 409 and "erased" in refused.json()["detail"]


async def test_a_merge_page_is_bounded(profile: RunningService, bootstrap: str) -> None:
    ws = new_workspace()
    hub = {"external_id": "hub"}
    await publish(bootstrap, INBOUND, [event("visit", ws, hub, {"channel": "web"}, time=at(0))])
    await find_when(profile, ws, lambda v: True, external_id="hub")
    spokes = [{"email": f"s{i}-{uuid.uuid4().hex[:6]}@example.com"} for i in range(3)]
    for i, spoke in enumerate(spokes):
        await publish(bootstrap, INBOUND, [event("visit", ws, spoke, {"channel": "web"}, time=at(1 + i))])
        await find_when(profile, ws, lambda v: True, **spoke)
        await publish(bootstrap, INBOUND, [event("visit", ws, {**hub, **spoke}, {"channel": "web"})])
        await find_when(profile, ws, lambda v, n=i + 1: len(v["merged_ids"]) == n, external_id="hub")
    hub_id = (await find(profile, ws, external_id="hub") or {})["customer_id"]
    path = f"/internal/v1/workspaces/{ws}/customers/{hub_id}/merges"
    first = await get(profile, path, limit=2)
    rest = await get(profile, path, limit=2, cursor=first["next_cursor"])
    assert len(first["items"]) == 2 and len(rest["items"]) == 1 and rest["next_cursor"] is None
    times = [m["merged_at"] for m in [*first["items"], *rest["items"]]]
    assert times == sorted(times, reverse=True)
    assert (await profile.client.get(path, params={"cursor": "garbage"})).status_code == 422
    assert (await profile.client.get(path, params={"limit": 501})).status_code == 422


async def test_an_undo_while_events_stream_in_loses_and_doubles_nothing(
    profile: RunningService, bootstrap: str
) -> None:
    ws = new_workspace()
    ada, tablet = await two_customers(profile, bootstrap, ws)
    merge = await merge_of(profile, bootstrap, ws, event("identify", ws, BOTH, {"traits": {}}, time=at(11)))
    stream = [
        event("purchase", ws, TABLET, {"order_id": f"s{i}", "amount": "1.00"}, time=at(20 + i)) for i in range(60)
    ]

    async def publish_in_parts() -> None:
        for start in range(0, len(stream), 10):
            await publish(bootstrap, INBOUND, stream[start : start + 10])

    _, response = await asyncio.gather(publish_in_parts(), undo(profile, ws, merge["merge_id"]))
    assert response.status_code == 200, response.text
    # Whether an event was resolved before the undo (and went back with it) or after (to the tablet's own profile),
    # it ends on the tablet's side, once.
    restored = await find_when(profile, ws, lambda v: v["stats"]["orders"] == 61, **TABLET)
    assert restored["customer_id"] == tablet and restored["stats"]["revenue"] == "75.00"
    kept = await get(profile, f"/internal/v1/workspaces/{ws}/customers/{ada}")
    assert (kept["stats"]["orders"], kept["stats"]["revenue"]) == (2, "15.00")
    assert kept["identifiers"]["anonymous_id"] == []


async def test_more_events_to_move_back_than_an_unmerged_event_can_name_is_refused(
    profile: RunningService, bootstrap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = new_workspace()
    await two_customers(profile, bootstrap, ws)
    merge = await merge_of(profile, bootstrap, ws, event("identify", ws, BOTH, {"traits": {}}, time=at(11)))
    since = [event("visit", ws, TABLET, {"channel": "app"}, time=at(12 + i)) for i in range(3)]
    await publish(bootstrap, INBOUND, since)
    await find_when(profile, ws, lambda v: v["stats"]["visits"] == 5, **TABLET)
    monkeypatch.setattr(undo_module, "MAX_RESTORED_EVENT_IDS", 2)

    refused = await undo(profile, ws, merge["merge_id"])
    assert refused.status_code == 409 and "more than 2" in refused.json()["detail"]
    assert (await get(profile, f"/internal/v1/workspaces/{ws}/customers/{merge['merged_id']}/merges"))["items"][0][
        "undone"
    ] is False


async def test_profiles_stay_apart_when_one_side_is_merged_into_a_third(
    profile: RunningService, bootstrap: str
) -> None:
    ws = new_workspace()
    ada, tablet = await two_customers(profile, bootstrap, ws)
    merge = await merge_of(profile, bootstrap, ws, event("identify", ws, BOTH, {"traits": {}}, time=at(11)))
    assert (await undo(profile, ws, merge["merge_id"])).status_code == 200
    # The tablet is rightly merged into an older profile (its owner's account)...
    owner = {"external_id": "u-bo"}
    await publish(bootstrap, INBOUND, [event("visit", ws, owner, {"channel": "web"}, time=at(-5))])
    bo = (await find_when(profile, ws, lambda v: True, **owner))["customer_id"]
    await publish(bootstrap, INBOUND, [event("visit", ws, {**owner, **TABLET}, {"channel": "app"}, time=at(16))])
    await find_when(profile, ws, lambda v: v["merged_ids"] == [tablet], **owner)
    # ...and an event carrying Ada's email with the account does not bring Ada in: it goes to the stronger id.
    await publish(bootstrap, INBOUND, [event("visit", ws, {**owner, **ADA}, {"channel": "store"}, time=at(17))])
    account = await find_when(profile, ws, lambda v: v["stats"]["visits"] == 4, **owner)
    assert account["customer_id"] == bo and account["merged_ids"] == [tablet]
    assert (await find(profile, ws, **ADA) or {})["customer_id"] == ada


async def test_a_merge_older_than_the_services_keep_their_snapshots_is_refused(
    profile: RunningService, bootstrap: str
) -> None:
    """The other services prune what a merge's fold changed after FLYWHEEL_MERGE_UNDO_RETENTION_DAYS
    (runtime.merge_undo): an undo of an older merge would restore nothing there, so profile refuses it (409)."""
    ws = new_workspace()
    await two_customers(profile, bootstrap, ws)
    merge = await merge_of(profile, bootstrap, ws, event("identify", ws, BOTH, {"traits": {}}, time=at(11)))
    days = profile.settings.merge_undo_retention_days
    conn = await asyncpg.connect(profile.settings.database_url)
    try:
        await conn.execute(
            "UPDATE merges SET merged_at = now() - make_interval(days => $3, hours => 1)"
            " WHERE workspace = $1 AND merge_id = $2",
            ws,
            merge["merge_id"],
            days,
        )
    finally:
        await conn.close()

    refused = await undo(profile, ws, merge["merge_id"])
    assert refused.status_code == 409 and refused.headers["content-type"].startswith("application/problem+json")
    assert f"older than {days} days" in refused.json()["detail"]
    history = await get(profile, f"/internal/v1/workspaces/{ws}/customers/{merge['merged_id']}/merges")
    assert history["items"][0]["undone"] is False
