"""Schemathesis against the gateway's OpenAPI document: property-based requests to every operation, once
with an admin key and once with none. No answer may be a 5xx, carry a status code the document does not
declare for the operation, or break the declared response schema or content type.

The gateway serves real HTTP (uvicorn) in front of the real profile, scoring, journey, referral and sales
services, all in-process on the session's PostgreSQL and broker, so the generated requests reach real
validation and real SQL behind the gateway. They run in a thread of their own with their own event loop:
Schemathesis sends its requests synchronously, and asyncpg pools belong to the loop that made them.
Examples per operation are bounded and derandomized, so a run is reproducible and takes a minute or two.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from devstack.ports import free_port
from devstack.postgres import LocalPostgres
from tests.integration.gateway_stack import gateway_in_front_of_the_services

# The committed contract; `python -m services.gateway.openapi --check` (make test-unit) keeps it equal to
# what the gateway serves at /openapi.json.
OPENAPI = Path(__file__).resolve().parents[2] / "contracts" / "openapi.json"
# With a key: the coverage phase (boundary values and invalid inputs of every parameter and body field) and
# then random requests. Not the coverage phase of POST /v1/events: over 4000 cases (every field of every
# event type), a minute on their own; the event contract has its own unit tests, and random events still go.
ADMIN_SCHEMA = schemathesis.openapi.from_path(
    OPENAPI,
    config=schemathesis.Config.from_dict(
        {
            "operations": [
                {"include-path": "/v1/events", "include-method": "POST", "phases": {"coverage": {"enabled": False}}}
            ]
        }
    ),
)
# Without a key every /v1 request is refused the same way: random requests are enough.
ANONYMOUS_SCHEMA = schemathesis.openapi.from_path(
    OPENAPI, config=schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}})
)
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]
STARTUP_S = 120.0


@dataclass(frozen=True)
class LiveGateway:
    base_url: str
    admin_key: str


async def _serve(
    postgres: LocalPostgres, bootstrap: str, broker_kind: str, started: Future[LiveGateway], stop: asyncio.Event
) -> None:
    """Runs the services and the gateway until `stop` is set; `started` gets the gateway's URL and key."""
    async with gateway_in_front_of_the_services(postgres, bootstrap, broker_kind) as stack:
        port = free_port()
        # The gateway's lifespan already runs: uvicorn only serves it.
        server = uvicorn.Server(
            uvicorn.Config(
                stack.app, host="127.0.0.1", port=port, lifespan="off", log_level="warning", access_log=False
            )
        )
        serving = asyncio.create_task(server.serve())
        while not server.started:
            if serving.done():
                serving.result()  # raises why the server could not start
                raise RuntimeError("the gateway stopped while starting")
            await asyncio.sleep(0.05)
        started.set_result(LiveGateway(f"http://127.0.0.1:{port}", stack.admin_key))
        await stop.wait()
        server.should_exit = True
        await serving


@pytest.fixture(scope="module")
def live_gateway(postgres: LocalPostgres, topics: str, broker_kind: str) -> Iterator[LiveGateway]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="schemathesis-stack", daemon=True)
    thread.start()
    started: Future[LiveGateway] = Future()
    stop = asyncio.Event()
    running = asyncio.run_coroutine_threadsafe(_serve(postgres, topics, broker_kind, started, stop), loop)
    running.add_done_callback(lambda done: started.done() or started.set_exception(done.exception() or RuntimeError()))
    try:
        yield started.result(timeout=STARTUP_S)
    finally:
        loop.call_soon_threadsafe(stop.set)
        try:
            running.result(timeout=60)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=10)
            loop.close()


def examples(count: int) -> settings:
    return settings(
        max_examples=count,
        deadline=None,
        derandomize=True,  # the same examples on every run: a failure in CI reproduces locally
        database=None,  # nothing written into the checkout
        suppress_health_check=list(HealthCheck),  # big request schemas (journeys, events) generate slowly
        print_blob=True,
    )


@ADMIN_SCHEMA.parametrize()
@examples(25)
def test_with_an_admin_key(case: schemathesis.Case, live_gateway: LiveGateway) -> None:
    headers = {"Authorization": f"Bearer {live_gateway.admin_key}"}
    case.call_and_validate(base_url=live_gateway.base_url, headers=headers, checks=CHECKS, timeout=30)


@ANONYMOUS_SCHEMA.parametrize()
@examples(5)
def test_without_a_key(case: schemathesis.Case, live_gateway: LiveGateway) -> None:
    if case.headers:
        case.headers.pop("Authorization", None)
    response = case.call_and_validate(base_url=live_gateway.base_url, checks=CHECKS, timeout=30)
    if case.path.startswith("/v1/"):
        # FastAPI reads a route's body before its dependencies run, so a body that is not JSON is refused
        # (400/422) before the missing key is; nothing else gets past without one.
        assert response.status_code in (400, 401, 422), response.text
        if response.status_code != 401:
            assert all(e["field"].startswith("body") for e in response.json().get("errors") or [{"field": "body"}])


def test_text_with_nul_is_refused_before_it_reaches_a_service(live_gateway: LiveGateway) -> None:
    """Found by Schemathesis: PostgreSQL text cannot hold U+0000, and sales failed with 500 on a team member
    holding one. The gateway refuses such text in any body, query or path it forwards."""
    headers = {"Authorization": f"Bearer {live_gateway.admin_key}"}
    with httpx.Client(base_url=live_gateway.base_url, headers=headers, timeout=30) as client:
        refused = client.put("/v1/teams/support", json={"members": ["ana", "b\u0000n"]})
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"] == [
            {"field": "body.members.1", "message": "text may not contain the NUL character (U+0000)"}
        ]
        assert client.get("/v1/teams/sup%00port").status_code == 422
        assert client.put("/v1/teams/support", json={"members": ["ana", "ben"]}).json()["members"] == ["ana", "ben"]
