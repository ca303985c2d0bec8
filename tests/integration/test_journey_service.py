"""The journey service on real PostgreSQL, a real broker and a real webhook receiver, on a clock the
test moves: the dormant reactivation template from trigger to sales task."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import unquote

import asyncpg
import orjson
import pytest
from prometheus_client import REGISTRY

from contracts.topics import JOURNEY_ACTIONS, PROFILE_LIFECYCLE, RESOLVED, SCORING_CHANGES
from devstack.postgres import LocalPostgres
from runtime.secrets_at_rest import keyring_of
from runtime.survey_links import token_id_of, verify_link
from services.journey.domain.templates import instantiate
from tests.helpers import publish, read_topic, wait_for
from tests.integration.conftest import MovableClock, RunningService, running_journey
from tests.samples.journeys import HELLO, WAIT_THEN_HELLO
from tests.webhook_receiver import running_receiver

START = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def clock() -> MovableClock:
    return MovableClock(START)


@pytest.fixture(scope="module")
async def journey(
    postgres: LocalPostgres, topics: str, broker_kind: str, clock: MovableClock
) -> AsyncIterator[RunningService]:
    # One service for the module (every test has its own workspace): its consumer group joins once.
    async with running_journey(postgres, topics, broker_kind, clock) as service:
        yield service


@pytest.fixture(autouse=True)
def clock_at_start(clock: MovableClock) -> None:
    """Every test starts at START, wherever the one before moved the clock (other workspaces' journeys
    have nothing left to do by then)."""
    clock.now = START


def dormant(ws: str, customer_id: str, at: dt.datetime) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"customer.dormant:{customer_id}:{uuid.uuid4().hex[:6]}",
        "source": "flywheel.scoring",
        "type": "customer.dormant",
        "time": at.isoformat(),
        "workspace": ws,
        "data": {
            "customer_id": customer_id,
            "last_purchase_at": (at - dt.timedelta(days=95)).isoformat(),
            "days_since_last_purchase": 95,
            "threshold_days": 90,
            "rule": "fixed_days",
        },
    }


def purchase(ws: str, customer_id: str, at: dt.datetime) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"p-{uuid.uuid4().hex[:8]}",
        "source": "tests",
        "type": "purchase",
        "time": at.isoformat(),
        "workspace": ws,
        "customerid": customer_id,
        "data": {"customer": {"external_id": customer_id}, "order_id": uuid.uuid4().hex, "amount": "30.00"},
    }


async def keyed_publish(
    bootstrap: str, topic: str, ws: str, docs: list[dict[str, Any]], customer_id: str | None = None
) -> None:
    """Scoring's and profile's events are keyed by customer id (tests.helpers.publish keys by identifier)."""
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for doc in docs:
            key = f"{ws}:{customer_id or doc['data']['customer_id']}".encode()
            await producer.send_and_wait(topic, orjson.dumps(doc), key=key)
    finally:
        await producer.stop()


async def stats_when(journey: RunningService, ws: str, journey_id: str, ready: Any) -> dict[str, Any] | None:
    stats = (await journey.client.get(f"/internal/v1/workspaces/{ws}/journeys/{journey_id}/stats")).json()
    return stats if ready(stats) else None


async def test_dormant_reactivation_from_value_report_to_advisor_task(
    journey: RunningService, clock: MovableClock, topics: str
) -> None:
    ws = f"ws-{uuid.uuid4().hex[:10]}"
    base = f"/internal/v1/workspaces/{ws}"
    channel = await journey.client.put(f"{base}/channel", json={"webhook_url": "http://127.0.0.1:9/none"})
    assert channel.status_code == 200, channel.text
    secret = channel.json()["secret"]
    async with running_receiver(secret) as receiver:
        receiver.tolerance_s = 365 * 86400  # signatures carry the moved clock's time
        assert (await journey.client.put(f"{base}/channel", json={"webhook_url": receiver.url})).status_code == 200
        created = await journey.client.post(f"{base}/journey-templates/dormant_reactivation", json={})
        assert created.status_code == 201, created.text
        journey_id = created.json()["journey_id"]
        assert (await journey.client.post(f"{base}/journeys/{journey_id}/activate")).status_code == 200

        # Two customers fall dormant: both get the value report.
        await keyed_publish(topics, SCORING_CHANGES, ws, [dormant(ws, "d1", START), dormant(ws, "d2", START)])
        await receiver.wait_for_count(2, within=30)
        reports = {r.body["customer_id"]: r.body for r in receiver.received}
        assert {b["step"] for b in reports.values()} == {"value_report"} and set(reports) == {"d1", "d2"}
        assert receiver.bad_signatures == 0

        # d2 buys within the 3 days: converted, nothing more for d2.
        await publish(topics, RESOLVED, [purchase(ws, "d2", START + dt.timedelta(hours=5))])
        await wait_for(lambda: stats_when(journey, ws, journey_id, lambda s: s["converted"] == 1), what="d2 converted")

        # Three days pass without a purchase from d1: the limited offer.
        clock.advance(dt.timedelta(days=3, minutes=1))
        await receiver.wait_for_count(3, within=30)
        offer = receiver.received[-1].body
        assert (offer["customer_id"], offer["step"]) == ("d1", "limited_offer")

        # Two more days: the advisor's task is published for sales, and d1's enrolment completes.
        clock.advance(dt.timedelta(days=2, minutes=1))
        tasks = await read_topic(
            topics,
            JOURNEY_ACTIONS,
            expect=1,
            match=lambda r: r.key == f"{ws}:d1".encode() and orjson.loads(r.value)["type"] == "sales.task_requested",
        )
        task = orjson.loads(tasks[0].value)["data"]
        assert task["journey_id"] == journey_id and task["step_id"] == "advisor"
        stats = await wait_for(
            lambda: stats_when(journey, ws, journey_id, lambda s: s["converted"] == 1 and s["entered"] == 2),
            what="final stats",
        )
        assert receiver.duplicates == 0 and len(receiver.accepted_keys) == 3
        print(stats)


def lifecycle(ws: str, event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"{event_type}:{uuid.uuid4().hex[:8]}",
        "source": "flywheel.profile",
        "type": event_type,
        "time": START.isoformat(),
        "workspace": ws,
        "data": data,
    }


async def test_a_merge_moves_enrolments_and_an_erasure_ends_them_and_forgets_the_messages(
    journey: RunningService, topics: str
) -> None:
    ws = f"ws-{uuid.uuid4().hex[:10]}"
    base = f"/internal/v1/workspaces/{ws}"
    journey_id = (await journey.client.post(f"{base}/journey-templates/dormant_reactivation", json={})).json()[
        "journey_id"
    ]
    await journey.client.post(f"{base}/journeys/{journey_id}/activate")
    # No channel configured: the value report waits as a pending delivery.
    await keyed_publish(topics, SCORING_CHANGES, ws, [dormant(ws, "m1", START)])

    async def enrolments(customer_id: str) -> list[dict[str, Any]]:
        page = await journey.client.get(f"{base}/customers/{customer_id}/enrolments")
        items: list[dict[str, Any]] = page.json() if page.status_code == 200 else []
        return items

    await wait_for(lambda: enrolments("m1"), what="m1 enrolled")
    merged = lifecycle(ws, "profile.merged", {"survivor_id": "s1", "merged_id": "m1", "reason": "same email"})
    await keyed_publish(topics, PROFILE_LIFECYCLE, ws, [merged], customer_id="s1")
    moved = await wait_for(lambda: enrolments("s1"), what="the enrolment moved to the survivor")
    assert moved[0]["journey_id"] == journey_id and moved[0]["status"] == "waiting"

    erased = lifecycle(ws, "profile.erased", {"customer_id": "s1", "erased_ids": ["s1", "m1"]})
    await keyed_publish(topics, PROFILE_LIFECYCLE, ws, [erased], customer_id="s1")

    async def ended() -> dict[str, Any] | None:
        stats: dict[str, Any] = (await journey.client.get(f"{base}/journeys/{journey_id}/stats")).json()
        return stats if stats["exited"] == 1 and stats["in_flight"] == 0 else None

    stats = await wait_for(ended, what="the enrolment ended by the erasure")
    assert stats["deliveries"] == {
        "delivered": 0,
        "pending": 0,
        "failed": 0,
        "suppressed": 0,
        "suppressed_reasons": {},
    }  # the message went with the data
    # The enrolment stays for the journey's numbers, under a pseudonym: nothing is listed for either id.
    assert await enrolments("s1") == [] and await enrolments("m1") == []
    async with journey.app.state.runtime.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT customer_id, end_reason FROM enrolments WHERE workspace = $1", ws)
    assert row["customer_id"].startswith("erased_") and row["end_reason"] == "erased"


def visit(ws: str, customer_id: str, at: dt.datetime) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"v-{uuid.uuid4().hex[:8]}",
        "source": "tests",
        "type": "visit",
        "time": at.isoformat(),
        "workspace": ws,
        "customerid": customer_id,
        "data": {"customer": {"external_id": customer_id}, "channel": "web"},
    }


async def test_webhook_retries_reach_the_receiver_once_and_a_dead_endpoint_is_recorded(
    journey: RunningService, clock: MovableClock, topics: str
) -> None:
    ws = f"ws-{uuid.uuid4().hex[:10]}"
    base = f"/internal/v1/workspaces/{ws}"
    secret = (await journey.client.put(f"{base}/channel", json={"webhook_url": "http://127.0.0.1:9/"})).json()["secret"]
    async with running_receiver(secret, fail_first=3) as receiver:
        receiver.tolerance_s = 365 * 86400  # signatures carry the moved clock's time
        await journey.client.put(f"{base}/channel", json={"webhook_url": receiver.url})
        journey_id = (await journey.client.post(f"{base}/journeys", json=HELLO)).json()["journey_id"]
        await journey.client.post(f"{base}/journeys/{journey_id}/activate")

        await publish(topics, RESOLVED, [visit(ws, "w1", START)])
        for attempt in range(1, 5):  # three failures, then the receiver takes it
            await receiver.wait_for_requests(attempt, within=30)
            clock.advance(dt.timedelta(hours=1))  # past any back-off of these attempts
        await receiver.wait_for_count(1, within=30)
        (key,) = receiver.accepted_keys
        assert [r.idempotency_key for r in receiver.received] == [key] * 4
        assert [r.attempt for r in receiver.received] == [1, 2, 3, 4]
        assert receiver.duplicates == 0

        receiver.always_fail = True
        await publish(topics, RESOLVED, [visit(ws, "w2", clock.now)])

        async def failed() -> dict[str, Any] | None:
            clock.advance(dt.timedelta(hours=2))
            stats = (await journey.client.get(f"{base}/journeys/{journey_id}/stats")).json()
            return stats if stats["deliveries"]["failed"] == 1 else None

        stats = await wait_for(failed, within=60, interval=0.2, what="the dead endpoint's delivery given up")
        assert stats["deliveries"] == {
            "delivered": 1,
            "pending": 0,
            "failed": 1,
            "suppressed": 0,
            "suppressed_reasons": {},
        }
        assert receiver.accepted_keys == [key]  # the second message never got through, and is not lost silently


BIRTHDAY = {
    "name": "Birthday greeting",
    "trigger": {"type": "date", "trait": "birthday", "at": "09:00"},
    "entry_step": "greet",
    "steps": {
        "greet": {
            "type": "action",
            "action": {"kind": "tag", "op": "add", "tag": "birthday-greeted"},
            "next": "done",
        },
        "done": {"type": "exit"},
    },
    "settings": {"reentry": "after_cooldown", "cooldown": "300d", "timezone": "Europe/Berlin"},
}


async def test_a_date_trigger_fires_once_on_the_day_even_when_the_service_was_down_at_the_time(
    journey: RunningService, clock: MovableClock, topics: str
) -> None:
    ws = f"ws-{uuid.uuid4().hex[:10]}"
    assert clock.now == START  # 2026-06-01 12:00 UTC; the birthday is on 3 June
    base = f"/internal/v1/workspaces/{ws}"
    journey_id = (await journey.client.post(f"{base}/journeys", json=BIRTHDAY)).json()["journey_id"]
    await journey.client.post(f"{base}/journeys/{journey_id}/activate")
    identify = {
        "specversion": "1.0",
        "id": f"i-{uuid.uuid4().hex[:8]}",
        "source": "tests",
        "type": "identify",
        "time": START.isoformat(),
        "workspace": ws,
        "customerid": "b1",
        "data": {"customer": {"external_id": "b1"}, "traits": {"birthday": "1990-06-03"}},
    }
    await publish(topics, RESOLVED, [identify])

    async def enrolments() -> list[dict[str, Any]]:
        page = await journey.client.get(f"{base}/customers/b1/enrolments")
        items: list[dict[str, Any]] = page.json() if page.status_code == 200 else []
        return items

    # The birthday is known before time moves on (a scan past 3 June that ran before the identify was
    # applied would rightly find nothing to fire).
    await wait_for(lambda: _knows_birthday(journey.settings.database_url, ws, "b1"), what="b1's birthday applied")
    assert await enrolments() == []
    # The service "sleeps" through the morning: the next scan after 09:00 Berlin still catches it.
    clock.advance(dt.timedelta(days=2, hours=3))  # 3 June, 15:00 UTC
    fired = await wait_for(enrolments, within=30, what="the birthday journey entered")
    assert fired[0]["journey_id"] == journey_id and fired[0]["status"] == "completed"
    tags = await read_topic(
        topics,
        JOURNEY_ACTIONS,
        expect=1,
        match=lambda r: r.key == f"{ws}:b1".encode() and orjson.loads(r.value)["type"] == "profile.tags_requested",
    )
    assert orjson.loads(tags[0].value)["data"]["add"] == ["birthday-greeted"]

    clock.advance(dt.timedelta(days=1))  # a later scan finds nothing new
    await wait_for(lambda: _scanned_past(journey.settings.database_url, ws, clock.now), what="another scan")
    assert len(await enrolments()) == 1


async def _scanned_past(dsn: str, ws: str, moment: dt.datetime) -> bool:
    conn = await asyncpg.connect(dsn)
    try:
        until = await conn.fetchval("SELECT min(scanned_until) FROM date_scans WHERE workspace = $1", ws)
        return until is not None and until >= moment
    finally:
        await conn.close()


async def _knows_birthday(dsn: str, ws: str, customer_id: str) -> bool:
    conn = await asyncpg.connect(dsn)
    try:
        traits = await conn.fetchval(
            "SELECT traits->>'birthday' FROM customer_facts WHERE workspace = $1 AND customer_id = $2", ws, customer_id
        )
        return traits is not None
    finally:
        await conn.close()


async def test_a_workspace_whose_timers_fail_is_deferred_while_the_others_move_on(
    journey: RunningService, clock: MovableClock, topics: str
) -> None:
    """One workspace's enrolment that cannot be read (here: a stored `waiting_for` no version of the engine
    knows) used to fail the whole timer round, for every workspace, round after round."""
    broken, fine = f"ws-{uuid.uuid4().hex[:10]}", f"ws-{uuid.uuid4().hex[:10]}"
    for ws in (broken, fine):
        base = f"/internal/v1/workspaces/{ws}"
        journey_id = (await journey.client.post(f"{base}/journeys", json=WAIT_THEN_HELLO)).json()["journey_id"]
        assert (await journey.client.post(f"{base}/journeys/{journey_id}/activate")).status_code == 200
    await publish(topics, RESOLVED, [visit(broken, "x1", clock.now), visit(fine, "y1", clock.now)])
    dsn = journey.settings.database_url
    await wait_for(lambda: _steps(dsn, broken, fine, want={"wait"}), what="both enrolled and waiting")
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("UPDATE enrolments SET waiting_for = '{\"unknown\": 1}' WHERE workspace = $1", broken)
    finally:
        await conn.close()
    failures = REGISTRY.get_sample_value("flywheel_journey_job_failures_total", {"job": "timers"}) or 0.0

    clock.advance(dt.timedelta(days=1, minutes=1))
    await wait_for(lambda: _step_of(dsn, fine, "hello", "end"), what="the other workspace's timer moved on")
    conn = await asyncpg.connect(dsn)
    try:
        row = await conn.fetchrow("SELECT step_id, due_at FROM enrolments WHERE workspace = $1", broken)
    finally:
        await conn.close()
    assert row is not None and row["step_id"] == "wait" and row["due_at"] > clock.now  # deferred, not spinning
    assert (REGISTRY.get_sample_value("flywheel_journey_job_failures_total", {"job": "timers"}) or 0.0) > failures


async def _steps(dsn: str, *workspaces: str, want: set[str]) -> bool:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch("SELECT step_id FROM enrolments WHERE workspace = ANY($1::text[])", list(workspaces))
        return len(rows) == len(workspaces) and {r["step_id"] for r in rows} <= want
    finally:
        await conn.close()


async def _step_of(dsn: str, ws: str, *steps: str) -> bool:
    conn = await asyncpg.connect(dsn)
    try:
        step = await conn.fetchval("SELECT step_id FROM enrolments WHERE workspace = $1", ws)
        return step in steps
    finally:
        await conn.close()


def survey(ws: str, customer_id: str, nps: int, at: dt.datetime) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"s-{uuid.uuid4().hex[:8]}",
        "source": "tests",
        "type": "survey",
        "time": at.isoformat(),
        "workspace": ws,
        "customerid": customer_id,
        "data": {"customer": {"external_id": customer_id}, "nps": nps, "survey_id": "q4", "comment": "words"},
    }


async def test_a_survey_answer_of_a_promoter_starts_a_journey_and_a_detractors_does_not(
    journey: RunningService, topics: str
) -> None:
    ws = f"ws-{uuid.uuid4().hex[:10]}"
    base = f"/internal/v1/workspaces/{ws}"
    document = {
        **HELLO,
        "name": "Ask promoters for a referral",
        "trigger": {
            "type": "event",
            "event": "survey",
            "conditions": {"field": "data.nps", "op": "gte", "value": 9},
        },
    }
    created = await journey.client.post(f"{base}/journeys", json=document)
    assert created.status_code == 201, created.text
    journey_id = created.json()["journey_id"]
    assert (await journey.client.post(f"{base}/journeys/{journey_id}/activate")).status_code == 200

    await publish(topics, RESOLVED, [survey(ws, "detractor", 3, START), survey(ws, "promoter", 10, START)])

    async def enrolments(customer_id: str) -> list[dict[str, Any]]:
        page = await journey.client.get(f"{base}/customers/{customer_id}/enrolments")
        items: list[dict[str, Any]] = page.json() if page.status_code == 200 else []
        return items

    enrolled = await wait_for(lambda: enrolments("promoter"), what="the promoter enrolled")
    assert enrolled[0]["journey_id"] == journey_id

    async def detractor_known() -> bool:  # the detractor's answer was handled (folded into their facts)
        async with journey.app.state.runtime.pool.acquire() as conn:
            stats = await conn.fetchval(
                "SELECT stats FROM customer_facts WHERE workspace = $1 AND customer_id = 'detractor'", ws
            )
        return stats is not None and stats.get("last_nps") == 3

    await wait_for(detractor_known, what="the detractor's answer handled")
    assert await enrolments("detractor") == []


async def test_a_survey_action_delivers_a_signed_one_time_answer_link(journey: RunningService, topics: str) -> None:
    ws = f"ws-{uuid.uuid4().hex[:10]}"
    base = f"/internal/v1/workspaces/{ws}"
    secret = (await journey.client.put(f"{base}/channel", json={"webhook_url": "http://127.0.0.1:9/"})).json()["secret"]
    document = {
        "name": "Ask for an NPS",
        "trigger": {"type": "event", "event": "visit"},
        "entry_step": "ask",
        "steps": {
            "ask": {
                "type": "action",
                "action": {"kind": "survey", "channel": "email", "survey_id": "nps-q4", "question": "nps",
                           "template": "How likely are you to recommend us?", "link_ttl": "7d"},
                "next": "done",
            },
            "done": {"type": "exit"},
        },
    }  # fmt: skip
    async with running_receiver(secret) as receiver:
        receiver.tolerance_s = 365 * 86400  # signatures carry the moved clock's time
        await journey.client.put(f"{base}/channel", json={"webhook_url": receiver.url})
        created = await journey.client.post(f"{base}/journeys", json=document)
        assert created.status_code == 201, created.text
        journey_id = created.json()["journey_id"]
        assert (await journey.client.post(f"{base}/journeys/{journey_id}/activate")).status_code == 200
        await publish(topics, RESOLVED, [visit(ws, "sv1", START)])
        await receiver.wait_for_count(1, within=30)
    body = receiver.received[0].body
    assert body["customer_id"] == "sv1" and body["message"] == "How likely are you to recommend us?"
    survey = body["survey"]
    assert (survey["survey_id"], survey["question"]) == ("nps-q4", "nps")
    assert survey["expires_at"] == (START + dt.timedelta(days=7)).isoformat()
    prefix = f"{journey.app.state.runtime.settings.public_url.rstrip('/')}/v1/survey-answers?token="
    assert survey["answer_url"].startswith(prefix)
    link = verify_link(keyring_of(""), unquote(survey["answer_url"].removeprefix(prefix)), START)
    assert (link.workspace, link.customer_id, link.survey_id) == (ws, "sv1", "nps-q4")
    assert link.token_id == token_id_of(ws, body["delivery_id"])
    async with journey.app.state.runtime.pool.acquire() as conn:
        stored = await conn.fetchval("SELECT body::text FROM webhook_deliveries WHERE workspace = $1", ws)
    assert "answer_url" not in stored and "fwsurvey1" not in stored, "the database holds no usable link"


async def test_a_promoters_survey_answer_sends_the_referral_invite_of_the_template(
    journey: RunningService, topics: str
) -> None:
    ws = f"ws-{uuid.uuid4().hex[:10]}"
    base = f"/internal/v1/workspaces/{ws}"
    document = instantiate("referral_invite_to_promoters", {"program_id": "friends", "min_nps": 9})
    created = await journey.client.post(f"{base}/journeys", json=document)
    assert created.status_code == 201, created.text
    journey_id = created.json()["journey_id"]
    assert (await journey.client.post(f"{base}/journeys/{journey_id}/activate")).status_code == 200

    await publish(topics, RESOLVED, [survey(ws, "passive", 8, START), survey(ws, "fan", 10, START)])
    records = await read_topic(
        topics, JOURNEY_ACTIONS, expect=1, match=lambda r: r.key is not None and r.key.startswith(f"{ws}:".encode())
    )
    invite = orjson.loads(records[0].value)
    assert invite["type"] == "referral.invite_requested"
    assert invite["data"]["customer_id"] == "fan" and invite["data"]["program_id"] == "friends"
