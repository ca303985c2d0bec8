"""A tenant, or anything else that reaches a service's port inside the deployment (another pod, Prometheus,
a compromised container), calls the internal API directly instead of going through the gateway: it must
not read or change any workspace, least of all another's. Before issue 16 every internal route trusted
the workspace in its path; now each takes only a service token signed with the deployment's keys
(runtime.service_tokens), for the workspace of the path."""

from __future__ import annotations

import base64
import json
import time

import httpx

from runtime.service_tokens import DEVELOPMENT_KEY, ServiceTokenKeys, TokenIssuer
from tests.helpers import event
from tests.integration.gateway_stack import GatewayInFront

KEYS = f"prod-2026:{'k' * 48}"
SERVICES_SETTINGS = {"internal_token_keys": KEYS}  # the deployment's own keys (the gateway's too)
VICTIM_CUSTOMERS = "/internal/v1/workspaces/{workspace}/customers"


def direct(stack: GatewayInFront, service: str) -> httpx.AsyncClient:
    """The service's port, reached without the gateway."""
    transport = httpx.ASGITransport(app=stack.services[service])
    return httpx.AsyncClient(transport=transport, base_url=f"http://{service}")


async def test_a_direct_call_without_a_token_reads_nothing(stack: GatewayInFront, tenant: httpx.AsyncClient) -> None:
    victim = stack.workspace
    posted = await tenant.post(
        "/v1/events", json=[event("identify", victim, {"email": "ada@example.com"}, {"traits": {"name": "Ada"}})]
    )
    assert posted.status_code == 202, posted.text
    for service, path in (
        ("profile", VICTIM_CUSTOMERS.format(workspace=victim) + "?email=ada@example.com"),
        ("scoring", f"/internal/v1/workspaces/{victim}/segments"),
        ("journey", f"/internal/v1/workspaces/{victim}/journeys"),
        ("referral", f"/internal/v1/workspaces/{victim}/programs"),
        ("sales", f"/internal/v1/workspaces/{victim}/pipelines"),
    ):
        async with direct(stack, service) as client:
            answer = await client.get(path)
        assert answer.status_code == 401, (service, answer.text)
        assert "ada@example.com" not in answer.text


async def test_forged_tokens_and_another_workspaces_token_are_refused(stack: GatewayInFront) -> None:
    victim, attacker = stack.workspace, "attacker-ws"
    path = f"/internal/v1/workspaces/{victim}/programs"
    attempts = {
        # The development key is in the source: a deployment with keys of its own never takes it.
        "public development key": TokenIssuer(ServiceTokenKeys.parse(DEVELOPMENT_KEY), "gateway", 60).mint(victim),
        "guessed secret, right key id": _tokens().mint(victim, ["admin"], secret=b"guess" * 10),
        # A token the attacker got hold of for its own workspace, replayed on the victim's path.
        "another workspace's token": _tokens().mint(attacker, ["admin"]),
        "an expired token": _tokens().mint(victim, ["admin"], now=time.time() - 600),
        "alg none": _unsigned(victim),
    }
    async with direct(stack, "referral") as client:
        for attempt, token in attempts.items():
            answer = await client.get(path, headers={"Authorization": f"Bearer {token}"})
            expected = 403 if attempt == "another workspace's token" else 401
            assert answer.status_code == expected, (attempt, answer.text)
            assert answer.headers["content-type"].startswith("application/problem+json")


async def test_the_gateways_own_calls_pass(tenant: httpx.AsyncClient) -> None:
    """The gateway signs every call it makes for the tenant, so the public API still answers in full."""
    for path in ("/v1/segments", "/v1/journeys", "/v1/referral-programs", "/v1/pipelines", "/v1/quotas"):
        answer = await tenant.get(path)
        assert answer.status_code == 200, (path, answer.text)


def _tokens() -> TokenIssuer:
    return TokenIssuer(ServiceTokenKeys.parse(KEYS), "gateway", 60)


def _unsigned(workspace: str) -> str:
    def part(doc: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(doc).encode()).rstrip(b"=").decode()

    claims: dict[str, object] = {"iss": "gateway", "aud": "flywheel-internal", "workspace": workspace, "scope": "admin"}
    claims |= {"iat": int(time.time()), "exp": int(time.time()) + 60}
    return f"{part({'alg': 'none', 'kid': 'prod-2026', 'typ': 'JWT'})}.{part(claims)}."
