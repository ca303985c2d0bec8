"""The shared-device guard of identity resolution (services/profile/guard.py) against a real PostgreSQL and a
real Kafka-protocol broker: with default settings a device seen with six people's emails joins none of them (the
weak-identifier rule below the count limit, the count from the sixth on), the conflicts are listed with their rule,
and each workspace has its own settings and sees only its own conflicts."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import asyncpg
from prometheus_client import REGISTRY

from contracts.topics import INBOUND
from tests.helpers import event, publish, wait_for
from tests.integration.conftest import RunningService, new_workspace

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def trips() -> float:
    return REGISTRY.get_sample_value("flywheel_profile_identity_guard_trips_total") or 0.0


def email(ws: str, n: int) -> str:
    return f"p{n}@{ws}.example.com"


async def find(profile: RunningService, ws: str, address: str) -> dict[str, Any] | None:
    response = await profile.client.get(f"/internal/v1/workspaces/{ws}/customers", params={"email": address})
    return response.json() if response.status_code == 200 else None


async def customers_of(profile: RunningService, ws: str, count: int) -> list[dict[str, Any]]:
    """The customer of each of the workspace's `count` emails, once every one of them is found."""

    async def probe() -> list[dict[str, Any]] | None:
        views = [await find(profile, ws, email(ws, n)) for n in range(1, count + 1)]
        return [v for v in views if v is not None] if all(views) else None

    return await wait_for(probe, what=f"{count} customers of {ws}")


async def conflicts(profile: RunningService, ws: str, path: str = "/identity-conflicts", **params: Any) -> Any:
    response = await profile.client.get(f"/internal/v1/workspaces/{ws}{path}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def purchases_then_device_visits(profile: RunningService, bootstrap: str, ws: str, people: int) -> None:
    """Each person buys (a customer per email), then each visits on the same tablet (email and anonymous_id)."""
    await publish(
        bootstrap,
        INBOUND,
        [
            event("purchase", ws, {"email": email(ws, n)}, {"order_id": f"o-{n}", "amount": "10.00"}, time=NOW)
            for n in range(1, people + 1)
        ],
    )
    await customers_of(profile, ws, people)
    await publish(
        bootstrap,
        INBOUND,
        [
            event("visit", ws, {"email": email(ws, n), "anonymous_id": "family-tablet"}, {"channel": "web"}, time=NOW)
            for n in range(1, people + 1)
        ],
    )

    async def all_visits() -> bool:
        views = {v["customer_id"]: v for v in await customers_of(profile, ws, people)}
        visits: int = sum(v["stats"]["visits"] for v in views.values())
        return visits == people

    await wait_for(all_visits, what=f"{people} visits in {ws}")


async def test_with_default_settings_a_device_seen_with_six_emails_joins_none_of_them(
    profile: RunningService, bootstrap: str
) -> None:
    ws = new_workspace()
    settings = (await profile.client.get(f"/internal/v1/workspaces/{ws}/identity-settings")).json()
    assert settings["default"] is True and settings["weak_identifier_kinds"] == ["anonymous_id"]
    assert {"kind": "anonymous_id", "other_kind": "email", "max_distinct": 5, "window_days": 30} in settings[
        "shared_identifier_limits"
    ]
    tripped = trips()

    await purchases_then_device_visits(profile, bootstrap, ws, 6)

    views = await customers_of(profile, ws, 6)
    assert len({v["customer_id"] for v in views}) == 6  # nobody merged
    for n, view in enumerate(views, start=1):  # each event on its email's customer, which holds only its own
        assert view["stats"]["visits"] == 1 and view["stats"]["orders"] == 1
        assert view["identifiers"]["email"] == [email(ws, n)]
    (owner,) = (v["customer_id"] for v in views if v["identifiers"]["anonymous_id"] == ["family-tablet"])
    others = {v["customer_id"] for v in views} - {owner}

    # Below the count limit the weak-identifier rule kept them apart; the sixth email trips the count as well.
    page = await conflicts(profile, ws)
    items = page["items"]
    assert len(items) == 5 and page["next_cursor"] is None
    assert {c["customer_id"] for c in items} == others
    assert all(c["other_customer_ids"] == [owner] for c in items)
    assert sorted(c["rule"] for c in items) == ["shared_identifier"] + ["weak_identifier"] * 4
    assert all(c["identifier_kind"] == "anonymous_id" and c["masked_identifier"] == "fam…et" for c in items)
    assert "family-tablet" not in str(items)
    for customer_id in others:
        mine = await conflicts(profile, ws, f"/customers/{customer_id}/identity-conflicts")
        assert [c["customer_id"] for c in mine["items"]] == [customer_id]
    assert len((await conflicts(profile, ws, f"/customers/{owner}/identity-conflicts"))["items"]) == 5
    assert trips() == tripped + 5

    # Erasing one of them forgets its conflict and its email's sightings.
    single = sorted(others)[0]
    erased = await profile.client.delete(f"/internal/v1/workspaces/{ws}/customers/{single}")
    assert erased.status_code == 202
    assert len((await conflicts(profile, ws))["items"]) == 4
    conn = await asyncpg.connect(profile.settings.database_url)
    try:
        rows = await conn.fetchval("SELECT count(*) FROM identifier_sightings WHERE workspace = $1", ws)
    finally:
        await conn.close()
    assert rows == 5  # the device with the five other emails still held (the erased one's sighting gone)


async def test_six_new_emails_on_one_device_give_six_customers_also_when_replayed(
    profile: RunningService, bootstrap: str
) -> None:
    ws = new_workspace()
    visits = [
        event("visit", ws, {"email": email(ws, n), "anonymous_id": "family-tablet"}, {"channel": "web"}, time=NOW)
        for n in range(1, 7)
    ]
    await publish(bootstrap, INBOUND, visits)
    views = await customers_of(profile, ws, 6)
    assert len({v["customer_id"] for v in views}) == 6
    assert [v["identifiers"]["email"] for v in views] == [[email(ws, n)] for n in range(1, 7)]
    assert all(v["stats"]["visits"] == 1 for v in views)

    async def all_conflicts() -> Any:
        items = (await conflicts(profile, ws))["items"]
        return items if len(items) == 5 else None

    items = await wait_for(all_conflicts, what="five conflicts")
    assert sorted(c["rule"] for c in items) == ["shared_identifier"] + ["weak_identifier"] * 4

    # The same events again, then one more visit per email (its partition's next): nothing changes but that visit.
    later = NOW + dt.timedelta(minutes=1)
    await publish(bootstrap, INBOUND, visits)
    more = [event("visit", ws, {"email": email(ws, n)}, {"channel": "web"}, time=later) for n in range(1, 7)]
    await publish(bootstrap, INBOUND, more)

    async def second_visits() -> list[dict[str, Any]] | None:
        found = await customers_of(profile, ws, 6)
        return found if all(v["stats"]["visits"] >= 2 for v in found) else None

    again = await wait_for(second_visits, what="the second visits")
    assert [v["customer_id"] for v in again] == [v["customer_id"] for v in views]
    assert all(v["stats"]["visits"] == 2 for v in again)
    assert [v["identifiers"] for v in again] == [v["identifiers"] for v in views]
    assert sorted(((await conflicts(profile, ws))["items"]), key=str) == sorted(items, key=str)


async def test_a_workspace_that_turns_the_weak_rule_off_joins_the_first_five(
    profile: RunningService, bootstrap: str
) -> None:
    ws, other = new_workspace(), new_workspace()
    url = f"/internal/v1/workspaces/{ws}/identity-settings"
    defaults = (await profile.client.get(url)).json()
    put = await profile.client.put(
        url, json={"shared_identifier_limits": defaults["shared_identifier_limits"], "weak_identifier_kinds": []}
    )
    assert put.status_code == 200, put.text
    assert put.json()["weak_identifier_kinds"] == [] and put.json()["default"] is False
    assert (await profile.client.get(url)).json()["weak_identifier_kinds"] == []
    other_settings = (await profile.client.get(f"/internal/v1/workspaces/{other}/identity-settings")).json()
    assert other_settings["weak_identifier_kinds"] == ["anonymous_id"]  # another workspace keeps the default

    await purchases_then_device_visits(profile, bootstrap, ws, 6)

    views = await customers_of(profile, ws, 6)
    by_customer: dict[str, list[dict[str, Any]]] = {}
    for view in views:
        by_customer.setdefault(view["customer_id"], []).append(view)
    # Without the rule the device joins people below the count limit (the first five, whichever arrived first);
    # the sixth is kept apart by the count, its visit on its own customer.
    assert sorted(len(v) for v in by_customer.values()) == [1, 5]
    (single,) = (c for c, v in by_customer.items() if len(v) == 1)
    (owner,) = (c for c, v in by_customer.items() if len(v) == 5)
    assert by_customer[single][0]["stats"]["visits"] == 1
    assert by_customer[single][0]["identifiers"]["anonymous_id"] == []
    assert by_customer[owner][0]["identifiers"]["anonymous_id"] == ["family-tablet"]
    (conflict,) = (await conflicts(profile, ws))["items"]
    assert (conflict["customer_id"], conflict["other_customer_ids"], conflict["rule"]) == (
        single,
        [owner],
        "shared_identifier",
    )


async def test_each_workspace_has_its_own_limits_and_sees_only_its_conflicts(
    profile: RunningService, bootstrap: str
) -> None:
    ws, other = new_workspace(), new_workspace()
    strict = {"shared_identifier_limits": [{"kind": "anonymous_id", "other_kind": "email", "max_distinct": 1,
                                            "window_days": 30}]}  # fmt: skip
    put = await profile.client.put(f"/internal/v1/workspaces/{ws}/identity-settings", json=strict)
    assert put.status_code == 200, put.text
    assert put.json() == {**strict, "weak_identifier_kinds": ["anonymous_id"], "default": False}
    assert (await profile.client.get(f"/internal/v1/workspaces/{ws}/identity-settings")).json()["default"] is False
    assert (await profile.client.get(f"/internal/v1/workspaces/{other}/identity-settings")).json()["default"] is True

    await purchases_then_device_visits(profile, bootstrap, ws, 6)

    views = await customers_of(profile, ws, 6)
    assert len({v["customer_id"] for v in views}) == 6  # nobody merged
    assert all(v["stats"]["visits"] == 1 and v["stats"]["orders"] == 1 for v in views)
    (owner,) = (v["customer_id"] for v in views if v["identifiers"]["anonymous_id"])

    # Five conflicts, newest first, two at a time.
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = await conflicts(profile, ws, limit=2, **({"cursor": cursor} if cursor else {}))
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(items) == 5
    assert {c["customer_id"] for c in items} == {v["customer_id"] for v in views} - {owner}
    assert all(c["other_customer_ids"] == [owner] for c in items)
    keys = [(c["occurred_at"], c["event_id"]) for c in items]
    assert keys == sorted(keys, reverse=True)

    # Another workspace sees none of it: no conflicts, no customer.
    assert (await conflicts(profile, other))["items"] == []
    foreign = await profile.client.get(f"/internal/v1/workspaces/{other}/customers/{owner}/identity-conflicts")
    assert foreign.status_code == 404


async def test_bad_settings_are_refused_naming_the_field(profile: RunningService) -> None:
    ws = new_workspace()
    url = f"/internal/v1/workspaces/{ws}/identity-settings"
    pairs = [(k, o) for k in ("external_id", "email", "phone", "anonymous_id") for o in ("email", "phone", "x")]
    too_many = [{"kind": k, "other_kind": "email", "max_distinct": 5, "window_days": 30} for k, _ in pairs]
    for body in (
        {"shared_identifier_limits": too_many},
        {"shared_identifier_limits": [{"kind": "email", "other_kind": "email", "max_distinct": 5, "window_days": 1}]},
        {"shared_identifier_limits": [{"kind": "phone", "other_kind": "email", "max_distinct": 0, "window_days": 1}]},
        {"shared_identifier_limits": [{"kind": "phone", "other_kind": "email", "max_distinct": 5, "window_days": 999}]},
        {"shared_identifier_limits": [], "extra": True},
        {"shared_identifier_limits": [], "weak_identifier_kinds": ["external_id"]},
        {"shared_identifier_limits": [], "weak_identifier_kinds": ["phone", "phone"]},
        {"shared_identifier_limits": [], "weak_identifier_kinds": ["email", "phone", "anonymous_id", "email"]},
    ):
        response = await profile.client.put(url, json=body)
        assert response.status_code == 422, body
        assert response.headers["content-type"].startswith("application/problem+json")
    assert (await profile.client.get(url)).json()["default"] is True


async def test_a_flood_of_emails_on_one_device_stays_bounded(profile: RunningService, bootstrap: str) -> None:
    ws = new_workspace()
    people = 300
    await publish(
        bootstrap,
        INBOUND,
        [
            event(
                "visit",
                ws,
                {"email": f"{uuid.uuid4().hex}@flood.example.com", "anonymous_id": "kiosk"},
                {"channel": "web"},
                time=NOW,
            )
            for _ in range(people)
        ],
    )

    async def all_conflicts() -> Any:
        page = await conflicts(profile, ws, limit=500)
        return page if len(page["items"]) == people - 1 else None

    page = await wait_for(all_conflicts, what="the flood's conflicts")
    (owner,) = {c["other_customer_ids"][0] for c in page["items"]}
    conn = await asyncpg.connect(profile.settings.database_url)
    try:
        sightings = await conn.fetchval("SELECT count(*) FROM identifier_sightings WHERE workspace = $1", ws)
        customers = await conn.fetchval("SELECT count(*) FROM customers WHERE workspace = $1", ws)
    finally:
        await conn.close()
    assert sightings == 6  # the limit + 1, however many emails came
    assert customers == people  # the kiosk joins its first email only (the weak-identifier rule); each has its own
    owner_view = (await profile.client.get(f"/internal/v1/workspaces/{ws}/customers/{owner}")).json()
    assert len(owner_view["identifiers"]["email"]) == 1
