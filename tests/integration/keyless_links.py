"""What the gateway's keyless signed-link tests share (test_survey_answers.py, test_unsubscribe_links.py): the gateway
in-process against the session's PostgreSQL and broker with one workspace and the stand-in services, the keyring
journey signs with, the inbound records of a workspace, and the tokens a link must refuse."""

from __future__ import annotations

import base64
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from devstack.postgres import LocalPostgres
from runtime.secrets_at_rest import Keyring, keyring_of
from services.gateway import store
from tests.integration.conftest import fresh_database
from tests.integration.gateway_fakes import FakeProfile, FiveFakes, started_gateway
from tests.integration.gateway_stack import gateway_app, gateway_settings

KEYRING = keyring_of("")  # the gateway's in these tests: FLYWHEEL_SECRETS_KEYS unset, as journey's
OTHER_DEPLOYMENT = Keyring.parse("other:" + base64.b64encode(b"o" * 32).decode())


@dataclass
class Gateway:
    client: httpx.AsyncClient
    workspace: str
    profile: FakeProfile
    dsn: str


@asynccontextmanager
async def keyless_gateway(
    postgres: LocalPostgres, topics: str, broker_kind: str, database: str
) -> AsyncIterator[Gateway]:
    """A gateway with one fresh workspace whose keyless links are not rate limited in practice."""
    dsn = fresh_database(postgres, database)
    workspace = f"gw_{uuid.uuid4().hex[:8]}"
    async with store.admin_connection(dsn) as conn:
        await store.create_workspace(conn, workspace)
    fakes = FiveFakes.of(workspace)
    settings = gateway_settings(dsn, topics, broker_kind, survey_answers_per_minute=1000)
    async with started_gateway(gateway_app(settings, fakes.transports())) as client:
        yield Gateway(client, workspace, fakes.profile, dsn)


def of_workspace(workspace: str) -> Any:
    return lambda r: r.key is not None and r.key.startswith(f"{workspace}:".encode())


def refused_tokens(sign: Callable[[Keyring], str]) -> list[str]:
    """Tokens a link must refuse (401) before anything is looked at, from `sign` (a genuine link of the gateway's
    workspace, signed with the keyring given): its payload moved to another workspace under the same mac, the same
    link signed by another deployment, garbage, and a token at the length limit."""
    form, kid, payload, mac = sign(KEYRING).split(".")
    fields = orjson.loads(base64.urlsafe_b64decode(payload + "=="))
    fields[0] = "someone_else"  # acting for another workspace with this workspace's link
    forged = base64.urlsafe_b64encode(orjson.dumps(fields)).rstrip(b"=").decode()
    return [f"{form}.{kid}.{forged}.{mac}", sign(OTHER_DEPLOYMENT), "garbage", "x" * 2048]
