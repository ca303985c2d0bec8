"""Issue 16, acceptance 4: an erasure lasts.

Ada is known everywhere: a profile with traits, orders and a device id; scores; a journey enrolment with the
message it rendered for her; a referral sign-up with her device id and email domain; a deal with a stage
override, a quote, a lost reason and an owner; a stored Idempotency-Key answer naming her; and two events of
hers sit in the dead letters (a trait of the wrong type, a malformed phone number). The export holds every one of
those. Then she is erased; every dead letter is replayed (`flywheel deadletter replay`, which skips hers) and
forced back onto the topic anyway, and her old events are re-published, as they were and under new ids: no
profile, score, enrolment, referral or deal row of hers comes back under any id, the retried write answers 409
rather than her data, and the export is 404. (A re-consent: test_erasure_reconsent.py.)
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import asyncpg
import httpx
import orjson
from aiokafka import AIOKafkaProducer
from typer.testing import CliRunner, Result

from cli.main import app as cli
from contracts.http.referral import EXAMPLE_PROGRAM
from contracts.topics import DEADLETTER, INBOUND
from services.profile.service import ERASED_EVENTS_DROPPED
from tests.helpers import event, read_topic, wait_for
from tests.integration.gateway_stack import GatewayInFront
from tests.integration.served import served
from tests.samples.journeys import HELLO

MARK = uuid.uuid4().hex[:8]
EMAIL, PHONE, DEVICE = f"ada.{MARK}@example.com", "+4915112345678", f"dev-ada-{MARK}"
ADA = {"email": EMAIL, "phone": PHONE, "anonymous_id": DEVICE}
PROGRAM = {**EXAMPLE_PROGRAM, "eligibility": {"who": "everyone"}, "review": {"hold_amount_above": "1000.00"}}
DEAL = {"title": "Ada Lovelace's tea subscription", "amount": "300.00", "currency": "EUR"}


def pool(stack: GatewayInFront, service: str) -> asyncpg.Pool:
    found: asyncpg.Pool = stack.services[service].state.runtime.pool
    return found


async def rows(stack: GatewayInFront, service: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    return list(await pool(stack, service).fetch(sql, stack.workspace, *args))


async def produce(bootstrap: str, messages: list[tuple[bytes | None, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for key, value in messages:
            await producer.send_and_wait(INBOUND, value, key=key)
    finally:
        await producer.stop()


async def replay_every_dead_letter(bootstrap: str, profile_url: str, workspace: str) -> Result:
    env = {
        "FLYWHEEL_KAFKA_BOOTSTRAP": bootstrap,
        "FLYWHEEL_KAFKA_IDEMPOTENT_PRODUCER": "false",
        "FLYWHEEL_PROFILE_URL": profile_url,
    }
    args = ["deadletter", "replay", "--workspace", workspace, "--yes"]
    return await asyncio.to_thread(lambda: CliRunner().invoke(cli, args, env=env))


async def ada_is_known_everywhere(stack: GatewayInFront, tenant: httpx.AsyncClient, topics: str) -> dict[str, Any]:
    """Ada's data in every service (and two events of hers in the dead letters); returns what the test needs."""
    assert (await tenant.put("/v1/attributes/age", json={"type": "number"})).status_code == 200
    journey = (await tenant.post("/v1/journeys", json=HELLO)).json()
    assert (await tenant.post(f"/v1/journeys/{journey['journey_id']}/activate")).status_code == 200
    program = await tenant.post("/v1/referral-programs", json=PROGRAM)
    assert program.status_code == 201, program.text
    carol = event("purchase", stack.workspace, {"external_id": f"carol-{MARK}"}, {"order_id": "o-c1", "amount": "5"})
    assert (await tenant.post("/v1/events", json=[carol])).status_code == 202

    async def customer(**identifier: str) -> dict[str, Any] | None:
        answer = await tenant.get("/v1/customers", params=identifier)
        return answer.json() if answer.status_code == 200 else None

    carol_id = (await wait_for(lambda: customer(external_id=f"carol-{MARK}"), what="carol"))["customer_id"]
    code = await tenant.post(
        f"/v1/referral-programs/{program.json()['program_id']}/codes", json={"customer_id": carol_id}
    )
    assert code.status_code == 200, code.text
    old = [
        event("referral", stack.workspace, ADA, {"action": "signed_up", "code": code.json()["code"]}),
        event("identify", stack.workspace, ADA, {"traits": {"first_name": "Ada", "age": 36}}),
        event("purchase", stack.workspace, ADA, {"order_id": f"o-ada-{MARK}", "amount": "30.00"}),
        event("visit", stack.workspace, ADA, {"channel": "web"}),
    ]
    for doc in old:  # one at a time, in order: the sign-up comes before the purchase
        assert (await tenant.post("/v1/events", json=[doc])).status_code == 202
        await asyncio.sleep(0.2)
    ada = await wait_for(lambda: customer(email=EMAIL), what="ada's profile")
    dead = [
        event("identify", stack.workspace, {"email": EMAIL}, {"traits": {"age": "thirty-six"}}),
        event(
            "purchase", stack.workspace, {"email": EMAIL, "phone": "+999 555 0123"}, {"order_id": "o-x", "amount": "1"}
        ),
    ]
    await produce(topics, [(f"{stack.workspace}:{EMAIL}".encode(), orjson.dumps(d)) for d in dead])
    await read_topic(
        topics, DEADLETTER, expect=2, within=60, match=lambda r: any(d["id"].encode() in r.value for d in dead)
    )

    made = await tenant.post(
        "/v1/deals", json={**DEAL, "customer_id": ada["customer_id"]}, headers={"Idempotency-Key": f"deal-{MARK}"}
    )
    assert made.status_code == 201, made.text
    deal = f"/v1/deals/{made.json()['deal_id']}"
    assert (
        await tenant.post(f"{deal}/move", json={"stage": "contacted", "override_reason": "Ada Lovelace called"})
    ).status_code == 200
    quote = await tenant.post(
        f"{deal}/quotes", json={"lines": [{"sku": "tea-01", "quantity": 2, "unit_price": "150.00"}]}
    )
    assert quote.status_code == 201, quote.text
    assert (await tenant.post(f"{deal}/lost", json={"reason": "Ada Lovelace moved to Paris"})).status_code == 200
    assert (await tenant.put(f"/v1/customers/{ada['customer_id']}/owner", json={"owner": "ana"})).status_code == 200
    return {
        "ada": ada,
        "carol": carol_id,
        "old": old,
        "dead": dead,
        "deal_request": {**DEAL, "customer_id": ada["customer_id"]},
    }


def everything_arrived(export: dict[str, Any]) -> bool:
    return all(
        (
            export["scoring"]["inputs"],
            export["journey"]["messages"],
            export["journey"]["facts"],
            export["referral"]["sign_ups"],
            export["referral"]["touches"],
            export["sales"]["signals"],
        )
    )


async def test_an_erased_customer_never_comes_back(
    stack: GatewayInFront, tenant: httpx.AsyncClient, topics: str
) -> None:
    known = await ada_is_known_everywhere(stack, tenant, topics)
    ada = known["ada"]["customer_id"]

    async def full_export() -> dict[str, Any] | None:
        answer = await tenant.get(f"/v1/customers/{ada}/export")
        doc: dict[str, Any] = answer.json()
        return doc if answer.status_code == 200 and everything_arrived(doc) else None

    export = await wait_for(full_export, within=60, what="ada in every service")
    # What the export lacked before issue 16: messages, facts, referral identifiers, touches and device ids,
    # quotes, owner, signals and stage history.
    assert export["journey"]["messages"][0]["body"] and export["journey"]["enrolments"]
    assert export["journey"]["facts"][0]["traits"]["first_name"] == "Ada"
    assert any(EMAIL in i for i in export["referral"]["identifiers"][0]["identifiers"])
    assert export["referral"]["sign_ups"][0]["device_id"] == DEVICE and export["referral"]["touches"]
    assert export["sales"]["quotes"] and export["sales"]["owner"] == [{"customer_id": ada, "owner": "ana"}]
    assert export["sales"]["signals"][0]["traits"]["first_name"] == "Ada"
    assert next(h["override_reason"] for h in export["sales"]["stage_history"]) == "Ada Lovelace called"
    assert export["sales"]["deals"][0]["close_reason"] == "Ada Lovelace moved to Paris"

    erased = await tenant.delete(f"/v1/customers/{ada}")
    assert erased.status_code == 202, erased.text

    async def forgotten_everywhere() -> bool:
        checks = {
            "scoring": "SELECT 1 FROM customers WHERE workspace = $1 AND customer_id = $2",
            "journey": "SELECT 1 FROM customer_facts WHERE workspace = $1 AND customer_id = $2",
            "referral": "SELECT 1 FROM customers WHERE workspace = $1 AND customer_id = $2",
            "sales": "SELECT 1 FROM customer_signals WHERE workspace = $1 AND customer_id = $2",
        }
        return not any([await rows(stack, s, sql, ada) for s, sql in checks.items()])

    await wait_for(forgotten_everywhere, within=60, what="ada erased in every service")
    retried = await tenant.post("/v1/deals", json=known["deal_request"], headers={"Idempotency-Key": f"deal-{MARK}"})
    assert retried.status_code == 409 and "Lovelace" not in retried.text, retried.text  # done, her answer not kept

    # Every dead letter replayed: the command skips hers and says so.
    dropped = ERASED_EVENTS_DROPPED._value.get()
    async with served(stack.services["profile"]) as profile_url:
        replay = await replay_every_dead_letter(topics, profile_url, stack.workspace)
    assert replay.exit_code == 0, replay.output
    assert "2 dead letter(s) of erased customers: skipped" in replay.output

    # Forced back anyway, with her old events as they were and under new ids: profile drops every one.
    key = f"{stack.workspace}:{EMAIL}".encode()
    again = [*known["dead"], *known["old"], *({**doc, "id": str(uuid.uuid4())} for doc in known["old"])]
    marker = event("purchase", stack.workspace, {"external_id": f"carol-{MARK}"}, {"order_id": "o-c2", "amount": "7"})
    await produce(topics, [*((key, orjson.dumps(doc)) for doc in again), (key, orjson.dumps(marker))])

    async def carol_bought_twice() -> bool:
        found = await rows(
            stack, "scoring", "SELECT orders FROM customers WHERE workspace = $1 AND customer_id = $2", known["carol"]
        )
        return bool(found) and found[0]["orders"] == 2

    await wait_for(carol_bought_twice, within=60, what="the marker behind her events through profile and scoring")
    assert ERASED_EVENTS_DROPPED._value.get() - dropped == len(again) - len(known["old"])  # the rest de-duplicated

    carol = known["carol"]
    live = await rows(stack, "profile", "SELECT customer_id FROM customers WHERE workspace = $1 AND erased_at IS NULL")
    assert [r["customer_id"] for r in live] == [carol], "no profile came back"
    assert not await rows(
        stack, "profile", "SELECT 1 FROM identifiers WHERE workspace = $1 AND value = ANY($2)", [EMAIL, PHONE, DEVICE]
    )
    assert [
        r["customer_id"] for r in await rows(stack, "scoring", "SELECT customer_id FROM customers WHERE workspace = $1")
    ] == [carol]
    enrolled = await rows(stack, "journey", "SELECT customer_id FROM enrolments WHERE workspace = $1")
    assert len(enrolled) == 1 and enrolled[0]["customer_id"].startswith("erased_"), "no enrolment came back"
    facts = await rows(stack, "journey", "SELECT customer_id FROM customer_facts WHERE workspace = $1")
    assert {r["customer_id"] for r in facts} == {carol}
    referral = {
        "customers": "SELECT customer_id AS id FROM customers WHERE workspace = $1",
        "codes": "SELECT customer_id AS id FROM codes WHERE workspace = $1",
        "touches": "SELECT customer_id AS id FROM touches WHERE workspace = $1",
        "attributions": "SELECT friend_id AS id FROM attributions WHERE workspace = $1",
    }
    for table, sql in referral.items():
        held = {r["id"] for r in await rows(stack, "referral", sql)}
        assert held <= {carol} or all(i == carol or i.startswith("erased_") for i in held), (table, held)
    deals = await rows(stack, "sales", "SELECT customer_id, title, close_reason FROM deals WHERE workspace = $1")
    assert [tuple(d) for d in deals] == [(None, "(erased customer)", "(erased)")], "no deal row came back"
    signals = await rows(stack, "sales", "SELECT customer_id FROM customer_signals WHERE workspace = $1")
    assert {r["customer_id"] for r in signals} == {carol}
    assert (await tenant.get(f"/v1/customers/{ada}/export")).status_code == 404
    assert (await tenant.get("/v1/customers", params={"email": EMAIL})).status_code == 404
