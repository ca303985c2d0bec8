"""profile.acquisition_changed on flywheel.profile.lifecycle (real PostgreSQL and broker): published through the
outbox when a customer's decided (source, campaign, program) changes -- a first touch, an earlier one arriving
late, a first purchase's channel, a referral attribution, a merge (the survivor's, always) -- and never for a
replay or a new customer who is `direct`."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from contracts.topics import INBOUND, PROFILE_LIFECYCLE, REFERRAL_EVENTS
from tests.helpers import event, publish, read_topic
from tests.integration.conftest import RunningService
from tests.integration.test_profile_acquisition import at, attributed, visit
from tests.integration.test_profile_ingest import find_when, new_workspace


def changes_of(ws: str) -> Any:
    def match(record: Any) -> bool:
        doc = orjson.loads(record.value)
        return bool(doc["workspace"] == ws and doc["type"] == "profile.acquisition_changed")

    return match


async def decisions(bootstrap: str, ws: str, expect: int) -> list[tuple[str, str, str | None, str | None]]:
    """The workspace's acquisition_changed events (exactly `expect`: one more within 2 s fails), in topic order
    per customer."""
    records = await read_topic(bootstrap, PROFILE_LIFECYCLE, expect=expect, match=changes_of(ws))
    with pytest.raises(AssertionError):
        await read_topic(bootstrap, PROFILE_LIFECYCLE, expect=expect + 1, within=2, match=changes_of(ws))
    found = []
    for record in records:
        doc = orjson.loads(record.value)
        data = doc["data"]
        assert record.key == f"{ws}:{data['customer_id']}".encode()
        found.append((data["customer_id"], data["source"], data.get("campaign"), data.get("program_id")))
    return found


async def test_changes_are_announced_once_and_replays_and_direct_customers_announce_nothing(
    profile: RunningService, bootstrap: str
) -> None:
    ws, ada, bo = new_workspace(), {"email": "ada@example.com"}, {"external_id": "bo"}
    await publish(bootstrap, INBOUND, [visit(ws, ada, at(30), "ads", utm_campaign="late"), visit(ws, bo, at(0))])
    view = await find_when(profile, ws, lambda v: v["stats"]["visits"] == 1, email="ada@example.com")
    ada_id = view["customer_id"]
    await find_when(profile, ws, lambda v: v["stats"]["visits"] == 1, external_id="bo")
    assert await decisions(bootstrap, ws, 1) == [(ada_id, "ads", "late", None)]

    # An earlier touch arriving late decides; a replay of the first one changes nothing.
    await publish(bootstrap, INBOUND, [visit(ws, ada, at(10), "newsletter", utm_campaign="spring")])
    await find_when(profile, ws, lambda v: v["stats"]["visits"] == 2, email="ada@example.com")
    await publish(bootstrap, INBOUND, [visit(ws, ada, at(30), "ads", utm_campaign="late")])
    await find_when(profile, ws, lambda v: v["stats"]["visits"] == 3, email="ada@example.com")
    # bo's first purchase names a channel: bo's source changes from `direct` to it.
    purchase = event("purchase", ws, bo, {"order_id": "b1", "amount": "3.00", "channel": "store"}, time=at(5))
    await publish(bootstrap, INBOUND, [purchase])
    await find_when(profile, ws, lambda v: v["stats"]["orders"] == 1, external_id="bo")
    bo_id = (await find_when(profile, ws, lambda v: True, external_id="bo"))["customer_id"]
    found = await decisions(bootstrap, ws, 3)
    assert [d for d in found if d[0] == ada_id] == [
        (ada_id, "ads", "late", None),
        (ada_id, "newsletter", "spring", None),
    ]
    assert [d for d in found if d[0] == bo_id] == [(bo_id, "store", None, None)]

    # A referral attribution beats the utm touch (announced), and the same attribution again announces nothing.
    await publish(bootstrap, REFERRAL_EVENTS, [attributed(ws, ada_id, "p_friends", at(40))])
    await find_when(profile, ws, lambda v: v["acquisition"]["source"] == "referral", email="ada@example.com")
    await publish(bootstrap, REFERRAL_EVENTS, [attributed(ws, ada_id, "p_friends", at(40))])
    found = await decisions(bootstrap, ws, 4)
    assert [d for d in found if d[0] == ada_id][-1] == (ada_id, "referral", None, "p_friends")


async def test_a_merge_announces_the_survivors_source(profile: RunningService, bootstrap: str) -> None:
    ws = new_workspace()
    by_email, by_id = {"email": "di@example.com"}, {"external_id": "u-di"}
    await publish(bootstrap, INBOUND, [visit(ws, by_email, at(0)), visit(ws, by_email, at(20), "ads")])
    survivor = (await find_when(profile, ws, lambda v: v["stats"]["visits"] == 2, email="di@example.com"))[
        "customer_id"
    ]
    await publish(bootstrap, INBOUND, [visit(ws, by_id, at(10), "podcast", utm_campaign="ep1")])
    merged = (await find_when(profile, ws, lambda v: v["stats"]["visits"] == 1, external_id="u-di"))["customer_id"]
    await publish(bootstrap, INBOUND, [visit(ws, by_email | by_id, at(30))])
    await find_when(profile, ws, lambda v: bool(v["merged_ids"]), email="di@example.com")
    found = await decisions(bootstrap, ws, 3)
    assert (survivor, "ads", None, None) in found and (merged, "podcast", "ep1", None) in found
    # The merged one's earlier touch now decides the survivor's source, announced after the merge (the survivor's
    # decisions are in order on its partition; the merged one's are on another, read in any order beside them).
    assert [d for d in found if d[0] == survivor][-1] == (survivor, "podcast", "ep1", None)
    lifecycle = await read_topic(
        bootstrap,
        PROFILE_LIFECYCLE,
        expect=3,
        match=lambda r: orjson.loads(r.value)["workspace"] == ws and r.key == f"{ws}:{survivor}".encode(),
    )
    assert [orjson.loads(r.value)["type"] for r in lifecycle] == [
        "profile.acquisition_changed",
        "profile.merged",
        "profile.acquisition_changed",
    ]
