"""Every internal route of a real service verifies the caller's service token (runtime.service_tokens):
none, a malformed one, a forged signature, an unknown key, an expired token or one of another workspace
is refused before the route runs; the gateway's own calls pass (tests/integration/test_gateway_api.py and
every gateway test show it too)."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from devstack.postgres import LocalPostgres
from runtime.service_tokens import DEVELOPMENT_KEY, ServiceTokenKeys, TokenIssuer
from services.gateway.wiring import create_app as create_gateway_app
from services.journey.wiring import create_app as create_journey_app
from services.referral.wiring import create_app as create_referral_app
from tests.integration.conftest import RunningService, running_app, service_client

PROBLEM = "application/problem+json"
KEYS = f"current:{'c' * 48},previous:{'p' * 48}"


@pytest.fixture(scope="module")
async def referral(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[RunningService]:
    async with running_app(
        "referral", create_referral_app, postgres, topics, broker_kind, internal_token_keys=KEYS
    ) as service:
        yield service


def tokens(keys: str = KEYS, caller: str = "gateway") -> TokenIssuer:
    return TokenIssuer(ServiceTokenKeys.parse(keys), caller, 60)


def programs_of(workspace: str) -> str:
    return f"/internal/v1/workspaces/{workspace}/programs"


async def call(service: RunningService, path: str, authorization: str | None, method: str = "GET") -> httpx.Response:
    headers = {"Authorization": authorization} if authorization is not None else {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=service.app), base_url="http://referral") as raw:
        return await raw.request(method, path, headers=headers, json={} if method == "POST" else None)


def assert_refused(response: httpx.Response, status: int, detail: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status and detail in body["detail"], body
    if status == 401:
        assert response.headers["www-authenticate"].startswith('Bearer realm="flywheel-internal"')
    return body


def workspace() -> str:
    return f"ws_{uuid.uuid4().hex[:8]}"


async def test_a_valid_token_of_the_paths_workspace_passes(referral: RunningService) -> None:
    ws = workspace()
    answer = await call(referral, programs_of(ws), tokens().authorization(ws, ["admin"]))
    assert answer.status_code == 200, answer.text


async def test_no_token_is_401(referral: RunningService) -> None:
    assert_refused(await call(referral, programs_of(workspace()), None), 401, "a service token is required")
    assert_refused(await call(referral, programs_of(workspace()), "Basic dXNlcjpwdw=="), 401, "required")


async def test_a_malformed_token_is_401(referral: RunningService) -> None:
    assert_refused(await call(referral, programs_of(workspace()), "Bearer not.a.jwt"), 401, "malformed")


async def test_a_token_of_another_workspace_is_403(referral: RunningService) -> None:
    mine, victims = workspace(), workspace()
    token = tokens().authorization(mine, ["admin"])
    assert_refused(await call(referral, programs_of(victims), token), 403, "another workspace")
    # Writes too, before anything is read or stored.
    assert_refused(await call(referral, programs_of(victims), token, "POST"), 403, "another workspace")


async def test_a_token_of_no_workspace_is_403_on_a_workspace_route(referral: RunningService) -> None:
    assert_refused(await call(referral, programs_of(workspace()), tokens().authorization(None)), 403, "no workspace")


async def test_an_expired_token_is_401(referral: RunningService) -> None:
    ws = workspace()
    expired = tokens().mint(ws, ["admin"], now=time.time() - 120, ttl_s=60)
    assert_refused(await call(referral, programs_of(ws), f"Bearer {expired}"), 401, "expired")


async def test_a_forged_signature_is_401(referral: RunningService) -> None:
    ws = workspace()
    forged = tokens().mint(ws, ["admin"], secret=b"guessed-" * 6)  # the right key id, another secret
    assert_refused(await call(referral, programs_of(ws), f"Bearer {forged}"), 401, "signature does not verify")
    # The development key is public: a deployment with its own keys does not take it.
    development = tokens(DEVELOPMENT_KEY).authorization(ws, ["admin"])
    assert_refused(await call(referral, programs_of(ws), development), 401, "key id")


async def test_keys_rotate_without_downtime(referral: RunningService) -> None:
    """The previous key still verifies (tokens signed before the rotation), an unknown one does not."""
    ws = workspace()
    signed_by_previous = tokens(f"previous:{'p' * 48}").authorization(ws)
    assert (await call(referral, programs_of(ws), signed_by_previous)).status_code == 200
    unknown = tokens(f"retired:{'r' * 48}").authorization(ws)
    assert_refused(await call(referral, programs_of(ws), unknown), 401, "key id")


async def test_a_route_outside_any_workspace_needs_a_token_too(
    postgres: LocalPostgres, topics: str, broker_kind: str
) -> None:
    async with running_app("journey", create_journey_app, postgres, topics, broker_kind, clock_control=True) as journey:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=journey.app), base_url="http://j") as raw:
            refused = await raw.post("/internal/v1/clock/advance", json={"seconds": 1})
        assert_refused(refused, 401, "a service token is required")
        async with service_client(journey.app, "journey") as signed:
            moved = await signed.post("/internal/v1/clock/advance", json={"seconds": 1})
        assert moved.status_code == 200 and moved.json()["offset_s"] == 1


async def test_probes_docs_and_the_gateways_api_need_no_service_token(
    referral: RunningService, postgres: LocalPostgres, topics: str, broker_kind: str
) -> None:
    """Only /internal/ is guarded: the operations app and the API's documents are not internal routes, and
    the gateway's /v1 answers to API keys."""
    assert (await referral.operations.get("/healthz")).status_code == 200
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=referral.app), base_url="http://r") as raw:
        assert (await raw.get("/openapi.json")).status_code == 200
        assert (await raw.get("/metrics")).status_code == 404, "metrics are served on the metrics port only"
    async with running_app("gateway", create_gateway_app, postgres, topics, broker_kind) as gateway:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway.app), base_url="http://g") as raw:
            unauthenticated = await raw.get("/v1/customers")
        assert unauthenticated.status_code == 401 and "API key" in unauthenticated.json()["detail"]


def test_every_route_of_every_service_is_guarded_or_public_by_design() -> None:
    """A route added outside /internal/ would escape the token check: only the documents may be there."""
    from services.journey.wiring import create_app as journey
    from services.profile.wiring import create_app as profile
    from services.referral.wiring import create_app as referral_app
    from services.sales.wiring import create_app as sales
    from services.scoring.wiring import create_app as scoring
    from services.settings import SERVICE_SETTINGS

    creators: dict[str, Callable[..., FastAPI]] = {
        "profile": profile,
        "scoring": scoring,
        "journey": journey,
        "referral": referral_app,
        "sales": sales,
    }
    for name, create in creators.items():
        app = create(SERVICE_SETTINGS[name](clock_control=True))
        unguarded = {path for path in app.openapi()["paths"] if not path.startswith("/internal/")}
        assert unguarded == set(), (create.__module__, unguarded)
