"""SSRF through webhooks (issue 15): a workspace points its outreach channel inside the deployment (the cloud's
metadata service, private and loopback addresses, the services' internal API) in every spelling a URL parser
accepts, to make journey send signed POSTs there.

Through the public API only, against the real services (journey runs without any allowlist, as deployed):
every such PUT /v1/channel is refused with 422 naming `webhook_url` and the reason, and nothing is ever
delivered to an internal address, even one already stored (saved before, or a name that moved inside since).
Before the egress policy each of these URLs was accepted and delivered to."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest

from tests.helpers import event, wait_for
from tests.integration.gateway_fakes import assert_problem
from tests.integration.gateway_stack import GatewayInFront
from tests.samples.journeys import HELLO
from tests.webhook_receiver import Receiver, running_receiver

# {port}: a live receiver on 127.0.0.1, standing for any service listening inside (journey's own internal API
# on 127.0.0.1:8083 in `make run`, a pod, a node's kubelet).
SPELLINGS = (
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://[::ffff:169.254.169.254]/latest/meta-data/",
    "http://[::ffff:a9fe:a9fe]/latest/meta-data/",
    "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token",
    "http://metadata/computeMetadata/v1/",
    "http://10.0.0.5/hook",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://0.0.0.0:{port}/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
    "http://224.0.0.1/",
    "http://127.0.0.1:{port}/internal/v1/workspaces/victim/channel",
    "http://127.0.0.1/",
    "http://127.8.9.10:{port}/",
    "http://2130706433:{port}/",
    "http://0x7f000001:{port}/",
    "http://0177.0.0.1:{port}/",
    "http://127.1:{port}/",
    "http://[::ffff:127.0.0.1]:{port}/",
    "http://[::1]:{port}/",
    "http://[::]:{port}/",
    "http://localhost:{port}/",
    "http://LOCALHOST./",
    "http://hooks.localhost:{port}/",
    "http://journey.flywheel.svc.cluster.local:8080/internal/v1/workspaces/victim/channel",
    "http://journey:8080/internal/v1/workspaces/victim/channel",
    "http://printer.local/",
    "http://user:pw@93.184.216.34/",
    "gopher://93.184.216.34/",
    "file:///etc/passwd",
)


@pytest.fixture(scope="module")
async def inside() -> AsyncIterator[Receiver]:
    """An endpoint inside the deployment, listening: it must never receive anything."""
    async with running_receiver("whsec-never-used") as receiver:
        yield receiver


def client(stack: GatewayInFront) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=stack.app),
        base_url="http://gateway",
        headers={"Authorization": f"Bearer {stack.admin_key}"},
    )


async def test_every_spelling_of_an_internal_webhook_url_is_refused(stack: GatewayInFront, inside: Receiver) -> None:
    port = inside.url.split(":")[2].split("/")[0]
    accepted: list[str] = []
    async with client(stack) as gateway:
        public = await gateway.put("/v1/channel", json={"webhook_url": "https://93.184.216.34/hooks"})
        assert public.status_code == 200, public.text  # a public address is fine (nothing is sent in this test)
        for spelling in SPELLINGS:
            url = spelling.format(port=port)
            answer = await gateway.put("/v1/channel", json={"webhook_url": url})
            if answer.status_code != 422:
                accepted.append(f"{url}: {answer.status_code}")
                continue
            problem = assert_problem(answer, 422)
            assert answer.headers["content-type"].startswith("application/problem+json")
            fields = {e["field"].removeprefix("body."): e["message"] for e in problem["errors"]}
            assert "webhook_url" in fields, (url, problem)
        assert accepted == [], "accepted internal webhook URLs"
        stored = (await gateway.get("/v1/channel")).json()
        assert stored["webhook_url"] == "https://93.184.216.34/hooks", "none of them was stored"
        # the reason says what is wrong, in the tenant's terms
        metadata = (await gateway.put("/v1/channel", json={"webhook_url": SPELLINGS[0]})).json()
        assert metadata["errors"] == [
            {"field": "webhook_url", "message": "refused: 169.254.169.254 is a link-local address"}
        ]
        decimal = (await gateway.put("/v1/channel", json={"webhook_url": f"http://2130706433:{port}/"})).json()
        assert "2130706433 is not an IPv4 address in canonical form" in decimal["errors"][0]["message"]
        port_refused = await gateway.put("/v1/channel", json={"webhook_url": "https://93.184.216.34:8443/"})
        assert assert_problem(port_refused, 422)["errors"][0]["message"] == (
            "refused: port 8443 is not allowed (allowed: 80, 443)"
        )
    assert inside.arrived == 0 and inside.received == []


async def test_an_internal_url_already_stored_is_never_delivered_to(stack: GatewayInFront, inside: Receiver) -> None:
    """The channel points inside although the API refuses it now (saved before, or its name resolves inside
    since): the journey's message is recorded failed with the reason, and the endpoint receives nothing."""
    journey_pool: asyncpg.Pool = stack.services["journey"].state.runtime.pool
    workspace = stack.workspace
    async with client(stack) as gateway:
        created = await gateway.post("/v1/journeys", json=HELLO)
        assert created.status_code == 201, created.text
        journey_id = created.json()["journey_id"]
        assert (await gateway.post(f"/v1/journeys/{journey_id}/activate")).status_code == 200
        async with journey_pool.acquire() as conn:
            await conn.execute(
                """INSERT INTO workspace_channels (workspace, webhook_url, webhook_secret) VALUES ($1, $2, 'whsec')
                   ON CONFLICT (workspace) DO UPDATE SET webhook_url = excluded.webhook_url""",
                workspace,
                inside.url,
            )
        visit = event("visit", workspace, {"external_id": f"v-{uuid.uuid4().hex[:6]}"}, {"channel": "web"})
        assert (await gateway.post("/v1/events", json=visit)).status_code == 202

        async def failed() -> dict[str, Any] | None:
            stats: dict[str, Any] = (await gateway.get(f"/v1/journeys/{journey_id}/stats")).json()
            return stats if stats["deliveries"]["failed"] == 1 else None

        stats = await wait_for(failed, within=60, interval=0.2, what="the delivery refused")
    assert inside.arrived == 0 and inside.received == [], "delivered to an internal address"
    assert {k: stats["deliveries"][k] for k in ("delivered", "pending", "failed", "suppressed")} == {
        "delivered": 0,
        "pending": 0,
        "failed": 1,
        "suppressed": 0,
    }
    error = await journey_pool.fetchval("SELECT last_error FROM webhook_deliveries WHERE workspace = $1", workspace)
    assert error == "the webhook URL is refused: 127.0.0.1 is a loopback address"
