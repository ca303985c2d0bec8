"""POST /v1/survey-answers on the gateway in-process against the session's PostgreSQL and broker (profile a
stand-in): the answer link journey delivers answers once, as an inbound `survey` event read back from the topic;
a tampered, foreign-signed or expired link is refused before anything is looked at, and hostile bodies too."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import orjson
import pytest

from contracts.topics import INBOUND
from devstack.postgres import LocalPostgres
from runtime.survey_links import SurveyLink, sign_link
from services.journey.deliveries import with_answer_link
from services.journey.delivery_store import ClaimedDelivery, StoredSecrets
from tests.helpers import read_topic
from tests.integration.conftest import fresh_database
from tests.integration.gateway_fakes import FiveFakes, assert_problem, started_gateway
from tests.integration.gateway_stack import gateway_app, gateway_settings
from tests.integration.keyless_links import KEYRING, Gateway, keyless_gateway, of_workspace, refused_tokens

PATH = "/v1/survey-answers"


@pytest.fixture
async def gateway(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[Gateway]:
    async with keyless_gateway(postgres, topics, broker_kind, "gateway_surveys") as gateway:
        yield gateway


def link(workspace: str, **changes: Any) -> SurveyLink:
    fields: dict[str, Any] = {
        "workspace": workspace,
        "customer_id": "c-1",
        "survey_id": "nps-q4",
        "question": "nps",
        "channel": "email",
        "token_id": uuid.uuid4().hex,
        "expires_at": dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=14),
        **changes,
    }
    return SurveyLink(**fields)


def delivered_answer_url(workspace: str) -> str:
    """The answer URL journey's delivery loop puts in a survey delivery of customer c-1 (deliveries.py)."""
    expires = (dt.datetime.now(dt.UTC) + dt.timedelta(days=14)).replace(microsecond=0).isoformat()
    delivery_id = f"en-{uuid.uuid4().hex[:8]}:ask:survey-0"
    body: dict[str, Any] = {
        "delivery_id": delivery_id,
        "customer_id": "c-1",
        "channel": "email",
        "survey": {"survey_id": "nps-q4", "question": "nps", "expires_at": expires},
    }
    row = ClaimedDelivery(
        workspace, delivery_id, body, 1, dt.datetime.now(dt.UTC), "https://hooks.example/x", None,
        StoredSecrets(workspace, "whsec", None, None, None),
    )  # fmt: skip
    url: str = with_answer_link(row, KEYRING, "https://flywheel.example.com")["survey"]["answer_url"]
    return url


async def test_the_delivered_link_answers_once_as_a_survey_event_on_inbound(gateway: Gateway, topics: str) -> None:
    url = urlsplit(delivered_answer_url(gateway.workspace))
    assert url.path == PATH
    answer = await gateway.client.post(f"{PATH}?{url.query}", json={"nps": 10, "comment": "Lovely socks"})
    assert answer.status_code == 202, answer.text
    event_id = answer.json()["event_id"]
    assert event_id.startswith("survey-link-") and answer.json()["survey_id"] == "nps-q4"

    again = await gateway.client.post(f"{PATH}?{url.query}", json={"nps": 10, "comment": "Lovely socks"})
    assert assert_problem(again, 409)["detail"] == "this answer link was already used"
    other = await gateway.client.post(f"{PATH}?{url.query}", json={"nps": 0})
    assert_problem(other, 409)

    (record,) = await read_topic(topics, INBOUND, expect=1, match=of_workspace(gateway.workspace))
    event = orjson.loads(record.value)
    assert record.key == f"{gateway.workspace}:ada@example.com".encode()  # the contract's partition key
    assert (event["id"], event["type"], event["workspace"]) == (event_id, "survey", gateway.workspace)
    assert event["data"] == {
        "customer": {"email": "ada@example.com"},
        "survey_id": "nps-q4",
        "channel": "email",
        "nps": 10,
        "comment": "Lovely socks",
    }
    assert dict(record.headers)["content-type"] == b"application/cloudevents+json"


async def test_an_html_form_answers_with_the_token_in_the_query(gateway: Gateway, topics: str) -> None:
    both = link(gateway.workspace, question="both")
    token = sign_link(KEYRING, both)
    answer = await gateway.client.post(PATH, params={"token": token}, data={"csat": "4"})
    assert answer.status_code == 202, answer.text
    in_body = sign_link(KEYRING, link(gateway.workspace, question="csat"))
    assert (await gateway.client.post(PATH, json={"token": in_body, "csat": 5})).status_code == 202
    records = await read_topic(topics, INBOUND, expect=2, match=of_workspace(gateway.workspace))
    assert sorted(orjson.loads(r.value)["data"]["csat"] for r in records) == [4, 5]


async def test_a_tampered_or_foreign_link_is_401_and_an_expired_one_410(gateway: Gateway) -> None:
    ws = gateway.workspace
    for bad in refused_tokens(lambda keyring: sign_link(keyring, link(ws))):
        refused = await gateway.client.post(PATH, params={"token": bad}, json={"nps": 9})
        assert assert_problem(refused, 401)["detail"] == "this answer link is not valid"
    assert_problem(await gateway.client.post(PATH, json={"nps": 9}), 401)  # no token at all

    expired = sign_link(KEYRING, link(ws, expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    gone = await gateway.client.post(PATH, params={"token": expired}, json={"nps": 9})
    assert assert_problem(gone, 410)["detail"] == "this answer link has expired"
    assert gateway.profile.requests == [], "nothing was looked up for a refused link"


async def test_a_link_of_another_workspace_reaches_only_that_workspaces_customer(gateway: Gateway) -> None:
    # Genuinely signed for workspace B: the customer is looked up in B only (unknown there: 410), never in A.
    foreign = sign_link(KEYRING, link(f"gw_{uuid.uuid4().hex[:8]}"))
    gone = await gateway.client.post(PATH, params={"token": foreign}, json={"nps": 9})
    assert_problem(gone, 410)
    (looked_up,) = gateway.profile.requests
    assert f"/workspaces/{gateway.workspace}/" not in looked_up.url.path


async def test_hostile_answers_are_refused_naming_the_field(gateway: Gateway) -> None:
    token = sign_link(KEYRING, link(gateway.workspace))
    cases: list[tuple[dict[str, Any], int, set[str]]] = [
        ({"json": {"nps": 11}}, 422, {"nps"}),
        ({"json": {"nps": True}}, 422, {"nps"}),  # JSON reads as its schema says: a boolean is no score
        ({"json": {"nps": "9"}}, 422, {"nps"}),  # nor is text (only a form's text is read as a number)
        ({"data": {"nps": "nine"}}, 422, {"nps"}),
        ({"json": {"csat": 4}}, 422, {"csat", "nps"}),  # not asked, and the asked score missing
        ({"json": {"nps": 9, "comment": "x" * 2001}}, 422, {"comment"}),
        ({"json": {"nps": 9, "customer": {"email": "x@example.com"}}}, 422, {"customer"}),
        ({"json": [1, 2]}, 422, set()),
        ({"content": b"{nope", "headers": {"content-type": "application/json"}}, 400, set()),
        ({"content": b"nps=9", "headers": {"content-type": "text/plain"}}, 415, set()),
        ({"json": {"nps": 9, "comment": "x" * 20_000}}, 413, set()),
    ]
    for request, status, fields in cases:
        refused = assert_problem(await gateway.client.post(PATH, params={"token": token}, **request), status)
        assert {e["field"].removeprefix("body.") for e in refused.get("errors") or []} == fields, refused
        assert "x" * 50 not in str(refused)
    both = await gateway.client.post(PATH, params={"token": token}, json={"token": token + "x", "nps": 9})
    assert_problem(both, 400)
    assert (await gateway.client.post(PATH, params={"token": token}, json={"nps": 9})).status_code == 202


async def test_answers_are_limited_per_client_address(postgres: LocalPostgres, topics: str, broker_kind: str) -> None:
    dsn = fresh_database(postgres, "gateway_survey_rate")
    workspace = f"gw_{uuid.uuid4().hex[:8]}"
    settings = gateway_settings(dsn, topics, broker_kind, survey_answers_per_minute=2)
    async with started_gateway(gateway_app(settings, FiveFakes.of(workspace).transports())) as client:
        answers = [await client.post(PATH, params={"token": "guess"}, json={"nps": 9}) for _ in range(3)]
    assert [a.status_code for a in answers] == [401, 401, 429]
    assert int(answers[2].headers["retry-after"]) >= 1


async def test_a_bad_query_token_is_refused_before_the_body_is_read(gateway: Gateway) -> None:
    refused = await gateway.client.post(
        PATH, params={"token": "forged"}, content=b"{nope", headers={"content-type": "application/json"}
    )
    assert_problem(refused, 401)
    expired = sign_link(KEYRING, link(gateway.workspace, expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1)))
    gone = await gateway.client.post(PATH, params={"token": expired}, content=b"nps=x", headers={"content-type": "a/b"})
    assert_problem(gone, 410)
