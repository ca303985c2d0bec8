"""/v1/unsubscribe on the gateway in-process against the session's PostgreSQL and broker (profile a stand-in): the
one-click link journey puts in every delivery unsubscribes with a POST (RFC 8058) as an inbound `consent` event read
back from the topic, once however often it is clicked; a GET changes nothing; a tampered, foreign-signed or expired
link is refused before anything is looked at; another workspace's link reaches only that workspace; per address
limits."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson
import pytest

from contracts.topics import INBOUND
from devstack.postgres import LocalPostgres
from runtime.secrets_at_rest import Keyring, keyring_of
from runtime.unsubscribe_links import UnsubscribeLink, sign_link
from services.gateway import store
from services.journey.deliveries import with_links
from services.journey.delivery_store import ClaimedDelivery, StoredSecrets
from tests.helpers import read_topic
from tests.integration.conftest import fresh_database
from tests.integration.gateway_fakes import FakeProfile, FiveFakes, assert_problem, started_gateway
from tests.integration.gateway_stack import gateway_app, gateway_settings

PATH = "/v1/unsubscribe"
KEYRING = keyring_of("")  # the gateway's in these tests: FLYWHEEL_SECRETS_KEYS unset, as journey's


@dataclass
class Gateway:
    client: httpx.AsyncClient
    workspace: str
    profile: FakeProfile


@pytest.fixture
async def gateway(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[Gateway]:
    dsn = fresh_database(postgres, "gateway_unsubscribe")
    workspace = f"gw_{uuid.uuid4().hex[:8]}"
    async with store.admin_connection(dsn) as conn:
        await store.create_workspace(conn, workspace)
    fakes = FiveFakes.of(workspace)
    settings = gateway_settings(dsn, topics, broker_kind, survey_answers_per_minute=1000)
    async with started_gateway(gateway_app(settings, fakes.transports())) as client:
        yield Gateway(client, workspace, fakes.profile)


def link(workspace: str, **changes: Any) -> UnsubscribeLink:
    fields: dict[str, Any] = {
        "workspace": workspace,
        "customer_id": "c-1",
        "group": "newsletter",
        "token_id": uuid.uuid4().hex,
        "expires_at": dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=365),
        **changes,
    }
    return UnsubscribeLink(**fields)


def delivered_url(workspace: str) -> str:
    """The unsubscribe URL journey's delivery loop puts in a message to customer c-1 (deliveries.py)."""
    delivery_id = f"en-{uuid.uuid4().hex[:8]}:offer:webhook-0"
    body = {"delivery_id": delivery_id, "customer_id": "c-1", "channel": "email", "subscription_group": "newsletter"}
    row = ClaimedDelivery(
        workspace, delivery_id, body, 1, dt.datetime.now(dt.UTC), "https://hooks.example/x", None,
        StoredSecrets(workspace, "whsec", None, None, None),
    )  # fmt: skip
    url: str = with_links(row, KEYRING, "https://flywheel.example.com")["unsubscribe"]["url"]
    return url


def of_workspace(workspace: str) -> Any:
    return lambda r: r.key is not None and r.key.startswith(f"{workspace}:".encode())


async def test_one_click_unsubscribes_once_as_a_consent_event_on_inbound(gateway: Gateway, topics: str) -> None:
    url = urlsplit(delivered_url(gateway.workspace))
    assert url.path == PATH
    preview = await gateway.client.get(f"{PATH}?{url.query}")
    assert preview.status_code == 200 and preview.json()["group"] == "newsletter"
    page = await gateway.client.get(f"{PATH}?{url.query}", headers={"accept": "text/html"})
    assert page.status_code == 200 and '<form method="post">' in page.text

    one_click = {
        "content": b"List-Unsubscribe=One-Click",
        "headers": {"content-type": "application/x-www-form-urlencoded"},
    }
    first = await gateway.client.post(f"{PATH}?{url.query}", **one_click)  # type: ignore[arg-type]
    assert first.status_code == 202, first.text
    again = await gateway.client.post(f"{PATH}?{url.query}")
    assert again.status_code == 202 and again.json() == first.json()
    event_id = first.json()["event_id"]
    assert event_id.startswith("unsubscribe-link-") and first.json()["group"] == "newsletter"

    records = await read_topic(topics, INBOUND, expect=2, match=of_workspace(gateway.workspace))
    events = [orjson.loads(r.value) for r in records]
    assert {e["id"] for e in events} == {event_id}, "a second click is the same event: profile keeps it once"
    event = events[0]
    assert (event["type"], event["workspace"]) == ("consent", gateway.workspace)
    assert event["data"] == {
        "customer": {"email": "ada@example.com"},
        "group": "newsletter",
        "status": "unsubscribed",
        "source": "unsubscribe_link",
    }
    assert records[0].key == f"{gateway.workspace}:ada@example.com".encode()


async def test_a_tampered_or_foreign_link_is_401_and_an_expired_one_410_before_anything(gateway: Gateway) -> None:
    ws = gateway.workspace
    token = sign_link(KEYRING, link(ws))
    form, kid, payload, mac = token.split(".")
    fields = orjson.loads(base64.urlsafe_b64decode(payload + "=="))
    fields[0] = "someone_else"  # unsubscribing another workspace's customer with this workspace's link
    forged = base64.urlsafe_b64encode(orjson.dumps(fields)).rstrip(b"=").decode()
    other_deployment = Keyring.parse("other:" + base64.b64encode(b"o" * 32).decode())
    for bad in (f"{form}.{kid}.{forged}.{mac}", sign_link(other_deployment, link(ws)), "garbage", "x" * 2048):
        for method in ("GET", "POST"):
            refused = await gateway.client.request(method, PATH, params={"token": bad})
            assert assert_problem(refused, 401)["detail"] == "this unsubscribe link is not valid"
    assert (await gateway.client.post(PATH)).status_code == 422  # no token at all
    expired = sign_link(KEYRING, link(ws, expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    gone = await gateway.client.post(PATH, params={"token": expired})
    assert assert_problem(gone, 410)["detail"] == "this unsubscribe link has expired"
    big = await gateway.client.post(PATH, params={"token": token}, content=b"x" * 10_000)
    assert_problem(big, 413)
    assert gateway.profile.requests == [], "nothing was looked up for a refused link"


async def test_a_link_of_another_workspace_reaches_only_that_workspaces_customer(gateway: Gateway) -> None:
    foreign = sign_link(KEYRING, link(f"gw_{uuid.uuid4().hex[:8]}"))
    assert_problem(await gateway.client.post(PATH, params={"token": foreign}), 410)
    (looked_up,) = gateway.profile.requests
    assert f"/workspaces/{gateway.workspace}/" not in looked_up.url.path


async def test_unsubscribes_are_limited_per_client_address(
    postgres: LocalPostgres, topics: str, broker_kind: str
) -> None:
    dsn = fresh_database(postgres, "gateway_unsubscribe_rate")
    workspace = f"gw_{uuid.uuid4().hex[:8]}"
    settings = gateway_settings(dsn, topics, broker_kind, survey_answers_per_minute=2)
    async with started_gateway(gateway_app(settings, FiveFakes.of(workspace).transports())) as client:
        answers = [await client.post(PATH, params={"token": "guess"}) for _ in range(3)]
    assert [a.status_code for a in answers] == [401, 401, 429]
    assert "unsubscribe requests" in answers[2].json()["detail"]
