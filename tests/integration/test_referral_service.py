"""The referral service on real PostgreSQL and a real broker: resolved events, journeys' invite requests
and profile merges in; codes, attributions and rewards out on `flywheel.referral.events`."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import asyncpg
import orjson
import pytest

from contracts.topics import JOURNEY_ACTIONS, PROFILE_LIFECYCLE, REFERRAL_EVENTS, RESOLVED, SCORING_CHANGES
from devstack.postgres import LocalPostgres
from services.referral.wiring import create_app
from tests.helpers import event, publish, read_topic, wait_for
from tests.integration.conftest import MovableClock, RunningService, running_app
from tests.integration.unmerge_state import profile_event

T0 = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
PROGRAM: dict[str, Any] = {
    "name": "Friends of tea",
    "referrer_reward": {"kind": "amount", "value": "10.00", "trigger": "first_purchase", "min_purchase": "20.00"},
    "friend_reward": {"kind": "amount", "value": "5.00", "trigger": "first_purchase", "min_purchase": "20.00"},
    "attribution_window_days": 30,
}


@pytest.fixture(scope="module")
async def referral(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[RunningService]:
    # One service for the module (every test has its own workspace): the consumer groups join once.
    clock = MovableClock(T0 + dt.timedelta(days=1))
    async with running_app("referral", create_app, postgres, topics, broker_kind, app_kwargs={"clock": clock}) as svc:
        yield svc


def workspace() -> str:
    return f"ws-{uuid.uuid4().hex[:10]}"


def resolved(
    event_type: str, ws: str, customer_id: str, data: dict[str, Any], minutes: float, **ref: str
) -> dict[str, Any]:
    doc = event(event_type, ws, {"external_id": customer_id, **ref}, data, time=T0 + dt.timedelta(minutes=minutes))
    doc["customerid"] = customer_id
    return doc


def referral_event(ws: str, friend: str, action: str, code: str, minutes: float, **ref: str) -> dict[str, Any]:
    return resolved("referral", ws, friend, {"action": action, "code": code}, minutes, **ref)


def purchase(ws: str, customer_id: str, order_id: str, amount: str, minutes: float) -> dict[str, Any]:
    return resolved("purchase", ws, customer_id, {"order_id": order_id, "amount": amount}, minutes)


async def create_program(service: RunningService, ws: str, document: dict[str, Any] | None = None) -> str:
    response = await service.client.post(f"/internal/v1/workspaces/{ws}/programs", json=document or PROGRAM)
    assert response.status_code == 201, response.text
    return str(response.json()["program_id"])


async def code_of(service: RunningService, ws: str, program_id: str, customer_id: str) -> str:
    url = f"/internal/v1/workspaces/{ws}/programs/{program_id}/codes"
    response = await service.client.post(url, json={"customer_id": customer_id})
    assert response.status_code == 200, response.text
    return str(response.json()["code"])


async def bob_buys_with_adas_code(service: RunningService, topics: str) -> str:
    """A new workspace (its name is returned) where bob signs up with ada's code and buys enough for both
    to be rewarded."""
    ws = workspace()
    program_id = await create_program(service, ws)
    code = await code_of(service, ws, program_id, "ada")
    await publish(
        topics,
        RESOLVED,
        [referral_event(ws, "bob", "signed_up", code, 1, email="bob@example.org"), purchase(ws, "bob", "o-1", "25", 2)],
    )
    return ws


async def referrals(service: RunningService, ws: str, customer_id: str) -> dict[str, Any]:
    response = await service.client.get(f"/internal/v1/workspaces/{ws}/customers/{customer_id}/referrals")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def statuses(body: dict[str, Any]) -> list[str]:
    return sorted(r["status"] for r in body["rewards"])


def of_workspace(ws: str, event_type: str) -> Any:
    def match(record: Any) -> bool:
        doc = orjson.loads(record.value)
        return bool(doc["workspace"] == ws and doc["type"] == event_type)

    return match


async def referral_events(bootstrap: str, ws: str, event_type: str, expect: int) -> list[dict[str, Any]]:
    records = await read_topic(bootstrap, REFERRAL_EVENTS, expect=expect, match=of_workspace(ws, event_type))
    return [orjson.loads(r.value) for r in records]


async def order_applied(service: RunningService, ws: str, order_id: str) -> bool:
    conn = await asyncpg.connect(service.settings.database_url)
    try:
        found = await conn.fetchval("SELECT 1 FROM purchases WHERE workspace = $1 AND order_id = $2", ws, order_id)
    finally:
        await conn.close()
    return bool(found == 1)


async def test_a_referred_sign_up_and_first_purchase_reward_both_sides_once_and_a_refund_reverses_them(
    referral: RunningService, topics: str
) -> None:
    ws = workspace()
    program_id = await create_program(referral, ws)
    code = await code_of(referral, ws, program_id, "ada")
    assert await code_of(referral, ws, program_id, "ada") == code  # stable
    friend_events = [
        referral_event(ws, "bob", "link_clicked", code, 1, email="bob@example.org"),
        referral_event(ws, "bob", "signed_up", code, 2, email="bob@example.org"),
        purchase(ws, "bob", "o-1", "30.00", 60),
    ]
    await publish(topics, RESOLVED, [resolved("identify", ws, "ada", {"traits": {}}, 0, email="ada@example.com")])
    await publish(topics, RESOLVED, friend_events)

    ada = await wait_for(
        lambda: _when(referrals(referral, ws, "ada"), lambda b: statuses(b) == ["granted"]), what="referrer reward"
    )
    assert ada["codes"][0]["code"] == code and ada["referred_by"] is None
    assert [(r["customer_id"], r["status"]) for r in ada["referred"]] == [("bob", "purchased")]
    assert ada["rewards"][0] | {"created_at": None} == {
        "reward_id": f"rw_{program_id}_bob_referrer",
        "program_id": program_id,
        "role": "referrer",
        "kind": "amount",
        "value": "10.00",
        "status": "granted",
        "reason": None,
        "created_at": None,
    }
    bob = await referrals(referral, ws, "bob")
    assert bob["referred_by"]["referrer_id"] == "ada" and bob["referred_by"]["code"] == code
    assert [(r["role"], r["value"], r["status"]) for r in bob["rewards"]] == [("friend", "5.00", "granted")]

    # Replays: the same events again (de-duplicated on id) and re-sent under new ids (natural keys).
    resent = [{**doc, "id": str(uuid.uuid4())} for doc in friend_events]
    await publish(topics, RESOLVED, [*friend_events, *resent, purchase(ws, "bob", "o-2", "8.00", 90)])
    await wait_for(lambda: order_applied(referral, ws, "o-2"), what="the replays consumed")
    assert statuses(await referrals(referral, ws, "ada")) == ["granted"]
    assert statuses(await referrals(referral, ws, "bob")) == ["granted"]

    await publish(topics, RESOLVED, [resolved("refund", ws, "bob", {"order_id": "o-1", "amount": "30.00"}, 24 * 60)])
    await wait_for(
        lambda: _when(referrals(referral, ws, "bob"), lambda b: statuses(b) == ["reversed"]), what="reversal"
    )
    ada = await referrals(referral, ws, "ada")
    assert statuses(ada) == ["reversed"] and ada["rewards"][0]["reason"] == "qualifying purchase o-1 refunded"
    ledger = (await referral.client.get(f"/internal/v1/workspaces/{ws}/customers/ada/ledger")).json()
    assert ledger["totals"] == [
        {"kind": "amount", "granted": "10.00", "reversed": "10.00", "held": "0.00", "balance": "0.00"}
    ]
    granted = await referral_events(topics, ws, "referral.reward_granted", expect=2)
    reversed_ = await referral_events(topics, ws, "referral.reward_reversed", expect=2)
    assert sorted(e["data"]["customer_id"] for e in granted) == ["ada", "bob"]
    assert {e["data"]["reward_id"] for e in reversed_} == {e["data"]["reward_id"] for e in granted}
    # Nothing more than once: the reversals were published after the replays, so a third grant would be there.
    with pytest.raises(AssertionError, match="expected 3 records"):
        await read_topic(topics, REFERRAL_EVENTS, expect=3, within=2, match=of_workspace(ws, "referral.reward_granted"))


async def test_self_referral_by_the_same_email_grants_nothing_and_records_why(
    referral: RunningService, topics: str
) -> None:
    ws = workspace()
    program_id = await create_program(referral, ws)
    code = await code_of(referral, ws, program_id, "ada")
    await publish(topics, RESOLVED, [resolved("identify", ws, "ada", {"traits": {}}, 0, email="ada@example.com")])
    await publish(
        topics,
        RESOLVED,
        [
            referral_event(ws, "ada2", "signed_up", code, 5, email=" ADA@example.com"),
            purchase(ws, "ada2", "o-9", "50.00", 10),
        ],
    )
    ada = await wait_for(
        lambda: _when(referrals(referral, ws, "ada"), lambda b: bool(b["referred"])), what="the refused referral"
    )
    assert ada["referred"][0] | {"attributed_at": None} == {
        "customer_id": "ada2",
        "program_id": program_id,
        "code": code,
        "status": "rejected",
        "reason": "self-referral: same email",
        "attributed_at": None,
    }
    await wait_for(lambda: order_applied(referral, ws, "o-9"), what="the purchase applied")
    assert ada["rewards"] == [] and (await referrals(referral, ws, "ada2"))["rewards"] == []
    assert (await referrals(referral, ws, "ada2"))["referred_by"] is None
    [attributed] = await referral_events(topics, ws, "referral.attributed", expect=1)
    assert attributed["data"]["status"] == "rejected" and attributed["data"]["reason"] == "self-referral: same email"


async def test_a_referrer_and_friend_who_merge_have_their_rewards_reversed_as_self_referral(
    referral: RunningService, topics: str
) -> None:
    ws = await bob_buys_with_adas_code(referral, topics)
    await wait_for(lambda: _when(referrals(referral, ws, "ada"), lambda b: statuses(b) == ["granted"]), what="reward")
    data = {"survivor_id": "ada", "merged_id": "bob", "reason": "same phone"}
    merged = profile_event(ws, "profile.merged", data, T0 + dt.timedelta(days=2))
    await publish(topics, PROFILE_LIFECYCLE, [merged])
    ada = await wait_for(
        lambda: _when(referrals(referral, ws, "ada"), lambda b: statuses(b) == ["reversed", "reversed"]),
        what="rewards reversed after the merge",
    )
    reason = "self-referral: referrer and friend merged into one profile"
    assert {r["reason"] for r in ada["rewards"]} == {reason}
    assert [(r["customer_id"], r["status"], r["reason"]) for r in ada["referred"]] == [("ada", "rejected", reason)]
    reversed_ = await referral_events(topics, ws, "referral.reward_reversed", expect=2)
    assert {e["data"]["reason"] for e in reversed_} == {reason}
    # A later purchase of the merged customer earns nothing more.
    await publish(topics, RESOLVED, [purchase(ws, "bob", "o-2", "40", 3 * 24 * 60)])
    await wait_for(lambda: order_applied(referral, ws, "o-2"), what="the later purchase")
    assert statuses(await referrals(referral, ws, "ada")) == ["reversed", "reversed"]


async def test_a_journey_invite_request_issues_the_code_for_messaging(referral: RunningService, topics: str) -> None:
    ws = workspace()
    program_id = await create_program(referral, ws)
    action_id = f"act-{uuid.uuid4().hex[:8]}"
    origin = {"customer_id": "ada", "journey_id": "j_1", "journey_version": 1, "enrolment_id": "en_1"}
    request: dict[str, Any] = {
        "specversion": "1.0",
        "id": action_id,
        "source": "flywheel.journey",
        "type": "referral.invite_requested",
        "time": T0.isoformat(),
        "workspace": ws,
        "data": {**origin, "program_id": program_id, "channel": "email"},
    }
    unknown = {**request, "id": f"{action_id}-x", "data": {**request["data"], "program_id": "p_nope"}}
    await publish(topics, JOURNEY_ACTIONS, [request, request, unknown])
    [issued] = await referral_events(topics, ws, "referral.code_issued", expect=1)
    assert issued["id"] == f"referral.code_issued:{action_id}"
    assert issued["data"] | {"code": None} == {
        "customer_id": "ada",
        "program_id": program_id,
        "code": None,
        "created": True,
        "channel": "email",
        "journey_id": "j_1",
        "enrolment_id": "en_1",
    }
    assert await code_of(referral, ws, program_id, "ada") == issued["data"]["code"]
    dead = await read_topic(topics, "flywheel.deadletter", expect=1, match=lambda r: r.value == orjson.dumps(unknown))
    reason = dict(dead[0].headers)["flywheel-dlq-reason"].decode()
    assert "no referral program 'p_nope'" in reason


async def test_a_reward_above_the_threshold_is_held_until_approved(referral: RunningService, topics: str) -> None:
    ws = workspace()
    document = {**PROGRAM, "friend_reward": None, "review": {"hold_amount_above": "5.00"}}
    program_id = await create_program(referral, ws, {k: v for k, v in document.items() if v is not None})
    code = await code_of(referral, ws, program_id, "ada")
    await publish(
        topics, RESOLVED, [referral_event(ws, "bob", "signed_up", code, 1), purchase(ws, "bob", "o-1", "99", 2)]
    )
    reviews = await wait_for(
        lambda: _when(_get(referral, f"/internal/v1/workspaces/{ws}/reviews"), lambda b: bool(b["items"])),
        what="a held reward",
    )
    [held] = reviews["items"]
    assert held["status"] == "held" and held["reason"] == "value 10.00 above the review threshold 5.00"
    assert held["customer_id"] == "ada"
    await referral_events(topics, ws, "referral.reward_held", expect=1)
    url = f"/internal/v1/workspaces/{ws}/rewards/{held['reward_id']}"
    approved = await referral.client.post(f"{url}/approve", json={"comment": "known customer"})
    again = await referral.client.post(f"{url}/approve", json={"comment": "known customer"})
    assert approved.status_code == again.status_code == 200
    assert approved.json()["status"] == "granted" and approved.json()["review_comment"] == "known customer"
    assert (await referral.client.post(f"{url}/reject", json={})).status_code == 409
    [granted] = await referral_events(topics, ws, "referral.reward_granted", expect=1)
    assert granted["data"]["reward_id"] == held["reward_id"]
    assert (await _get(referral, f"/internal/v1/workspaces/{ws}/reviews"))["items"] == []
    other = await referral.client.post(f"/internal/v1/workspaces/other-{ws}/rewards/{held['reward_id']}/approve")
    assert other.status_code == 404 and other.headers["content-type"] == "application/problem+json"


async def _get(service: RunningService, url: str) -> dict[str, Any]:
    response = await service.client.get(url)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _when(probe: Any, ready: Any) -> dict[str, Any] | None:
    body: dict[str, Any] = await probe
    return body if ready(body) else None


async def test_program_numbers_for_a_period(referral: RunningService, topics: str) -> None:
    ws = workspace()
    program_id = await create_program(referral, ws)
    code = await code_of(referral, ws, program_id, "ada")
    invites = [referral_event(ws, "ada", "invite_sent", code, n) for n in range(2)]
    await publish(
        topics,
        RESOLVED,
        [
            *invites,
            referral_event(ws, "bob", "link_clicked", code, 3),
            referral_event(ws, "bob", "signed_up", code, 4),
            purchase(ws, "bob", "o-1", "30.00", 5),
            purchase(ws, "cyd", "o-2", "10.00", 6),
        ],
    )
    await wait_for(lambda: order_applied(referral, ws, "o-1"), what="the referred purchase")
    await wait_for(lambda: order_applied(referral, ws, "o-2"), what="the other purchase")
    await wait_for(lambda: _when(referrals(referral, ws, "ada"), lambda b: bool(b["rewards"])), what="reward")
    period = {"from": T0.isoformat(), "to": (T0 + dt.timedelta(days=1)).isoformat()}
    stats = await _get(referral, f"/internal/v1/workspaces/{ws}/programs/{program_id}/stats?{urlencode(period)}")
    assert stats["new_customers"] == 2 and stats["referred_new_customers"] == 1
    assert stats["referral_share"] == 0.5
    assert stats["funnel"] == {
        "invites": 2,
        "clicks": 1,
        "signups": 1,
        "first_purchases": 1,
        "click_rate": 0.5,
        "signup_rate": 1.0,
        "purchase_rate": 1.0,
    }
    assert (stats["invites_per_referrer"], stats["invite_conversion"], stats["k_factor"]) == (2.0, 0.5, 1.0)
    assert stats["reward_cost_per_acquired_customer"] == "15.00"  # 10.00 to ada + 5.00 to bob
    assert stats["ltv"] == {
        "referred_mean": "30.00",
        "others_mean": "10.00",
        "referred_customers": 1,
        "other_customers": 1,
    }
    elsewhere = await referral.client.get(f"/internal/v1/workspaces/other-{ws}/programs/{program_id}/stats")
    assert elsewhere.status_code == 404 and elsewhere.headers["content-type"] == "application/problem+json"


async def test_the_workspace_report_sums_the_reward_cost_granted_in_the_period_over_programs(
    referral: RunningService, topics: str
) -> None:
    """Two programs: ada brings bob (10.00 + 5.00), cyd brings dan with the other one (20.00 to cyd, the friend
    reward a percent one: no money), and eve's reward is reversed by a refund: the period's cost is 35.00."""
    ws = workspace()
    tea = await create_program(referral, ws)
    other_rules = {
        **PROGRAM,
        "name": "Friends of coffee",
        "referrer_reward": {"kind": "amount", "value": "20.00", "trigger": "first_purchase", "min_purchase": "20.00"},
        "friend_reward": {"kind": "percent", "value": "10", "trigger": "signup"},
    }
    coffee = await create_program(referral, ws, other_rules)
    ada, cyd = await code_of(referral, ws, tea, "ada"), await code_of(referral, ws, coffee, "cyd")
    gus = await code_of(referral, ws, tea, "gus")
    await publish(
        topics,
        RESOLVED,
        [
            referral_event(ws, "bob", "signed_up", ada, 1, email="bob@example.org"),
            purchase(ws, "bob", "o-1", "30.00", 2),
            referral_event(ws, "dan", "signed_up", cyd, 3, email="dan@example.org"),
            purchase(ws, "dan", "o-2", "40.00", 4),
            referral_event(ws, "eve", "signed_up", gus, 5, email="eve@example.org"),
            purchase(ws, "eve", "o-3", "25.00", 6),
            resolved("refund", ws, "eve", {"order_id": "o-3", "amount": "25.00"}, 7),
        ],
    )
    await wait_for(
        lambda: _when(referrals(referral, ws, "eve"), lambda b: statuses(b) == ["reversed"]), what="eve's reversal"
    )
    await wait_for(lambda: _when(referrals(referral, ws, "cyd"), lambda b: bool(b["rewards"])), what="cyd's reward")
    await wait_for(lambda: _when(referrals(referral, ws, "bob"), lambda b: bool(b["rewards"])), what="bob's reward")
    period = {"from": T0.isoformat(), "to": (T0 + dt.timedelta(days=1)).isoformat()}
    report = await _get(referral, f"/internal/v1/workspaces/{ws}/report?{urlencode(period)}")
    assert Decimal(report["reward_cost"]) == Decimal("35.00")
    assert report["new_customers"] == 3 and report["referred_new_customers"] == 3
    before = {"from": (T0 - dt.timedelta(days=1)).isoformat(), "to": T0.isoformat()}
    assert (
        Decimal((await _get(referral, f"/internal/v1/workspaces/{ws}/report?{urlencode(before)}"))["reward_cost"]) == 0
    )
    elsewhere = await _get(referral, f"/internal/v1/workspaces/other-{ws}/report?{urlencode(period)}")
    assert Decimal(elsewhere["reward_cost"]) == 0 and elsewhere["new_customers"] == 0


async def test_only_segment_members_get_codes(referral: RunningService, topics: str) -> None:
    ws = workspace()
    document = {**PROGRAM, "eligibility": {"who": "segment", "segment": "promoters"}}
    program_id = await create_program(referral, ws, document)
    url = f"/internal/v1/workspaces/{ws}/programs/{program_id}/codes"
    refused = await referral.client.post(url, json={"customer_id": "ada"})
    assert refused.status_code == 409 and "not in segment 'promoters'" in refused.json()["detail"]
    entered = {
        "specversion": "1.0",
        "id": f"seg-{uuid.uuid4()}",
        "source": "flywheel.scoring",
        "type": "segment.entered",
        "time": T0.isoformat(),
        "workspace": ws,
        "data": {"customer_id": "ada", "segment_id": "s_1", "segment_name": "promoters"},
    }
    await publish(topics, SCORING_CHANGES, [entered])

    async def issued() -> bool:
        return (await referral.client.post(url, json={"customer_id": "ada"})).status_code == 200

    await wait_for(issued, what="a code once ada is a promoter")


async def test_erasure_forgets_the_customer_and_keeps_anonymous_amounts(referral: RunningService, topics: str) -> None:
    ws = await bob_buys_with_adas_code(referral, topics)
    await wait_for(lambda: _when(referrals(referral, ws, "bob"), lambda b: bool(b["rewards"])), what="rewards")
    erased = profile_event(ws, "profile.erased", {"customer_id": "bob", "erased_ids": ["bob"]}, T0)
    await publish(topics, PROFILE_LIFECYCLE, [erased])
    empty: dict[str, Any] = {"customer_id": "bob", "codes": [], "referred_by": None, "referred": [], "rewards": []}
    await wait_for(lambda: _when(referrals(referral, ws, "bob"), lambda b: b == empty), what="bob forgotten")
    ada = await referrals(referral, ws, "ada")
    assert ada["referred"][0]["customer_id"].startswith("erased_") and statuses(ada) == ["granted"]
    conn = await asyncpg.connect(referral.settings.database_url)
    try:
        leftovers = await conn.fetchval(
            """SELECT (SELECT count(*) FROM customers WHERE workspace = $1 AND customer_id = 'bob')
                    + (SELECT count(*) FROM rewards WHERE workspace = $1 AND 'bob' IN (beneficiary_id, friend_id))
                    + (SELECT count(*) FROM purchases WHERE workspace = $1 AND customer_id = 'bob')
                    + (SELECT count(*) FROM touches WHERE workspace = $1 AND customer_id = 'bob')""",
            ws,
        )
        money = await conn.fetchval("SELECT sum(value) FROM rewards WHERE workspace = $1", ws)
    finally:
        await conn.close()
    assert leftovers == 0 and money == 15


async def test_programs_are_documents_written_idempotently(referral: RunningService) -> None:
    ws = workspace()
    base = f"/internal/v1/workspaces/{ws}/programs"
    headers = {"Idempotency-Key": "create-1"}
    first = await referral.client.post(base, json=PROGRAM, headers=headers)
    again = await referral.client.post(base, json=PROGRAM, headers=headers)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    created = await referral.client.put(f"{base}/p_tea", json=PROGRAM)
    repeated = await referral.client.put(f"{base}/p_tea", json=PROGRAM)
    assert (created.status_code, repeated.status_code) == (201, 200)
    assert repeated.json()["version"] == 1 and repeated.json()["updated_at"] == created.json()["updated_at"]
    changed = await referral.client.put(f"{base}/p_tea", json={**PROGRAM, "attribution_window_days": 14})
    assert changed.json()["version"] == 2 and changed.json()["document"]["attribution_window_days"] == 14
    listed = await _get(referral, f"{base}?limit=1")
    assert len(listed["items"]) == 1 and listed["next_cursor"]
    rest = await _get(referral, f"{base}?limit=1&cursor={listed['next_cursor']}")
    assert {listed["items"][0]["program_id"], rest["items"][0]["program_id"]} == {"p_tea", first.json()["program_id"]}
    invalid = await referral.client.post(base, json={"name": "x", "referrer_reward": {"kind": "cash", "value": "-1"}})
    assert invalid.status_code == 422 and invalid.headers["content-type"] == "application/problem+json"
    assert {e["field"] for e in invalid.json()["errors"]} >= {"referrer_reward.kind", "referrer_reward.value"}
    missing = await referral.client.get(f"/internal/v1/workspaces/other-{ws}/programs/p_tea")
    assert missing.status_code == 404
    unknown = await _get(referral, f"/internal/v1/workspaces/{ws}/customers/nobody/referrals")
    assert unknown == {"customer_id": "nobody", "codes": [], "referred_by": None, "referred": [], "rewards": []}
