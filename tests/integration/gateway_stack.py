"""The gateway in front of the six real services, all in-process on the session's PostgreSQL and broker."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI

from devstack.postgres import LocalPostgres
from runtime.clock import MovableClock
from services.gateway import store
from services.gateway.settings import GatewayServiceSettings
from services.gateway.wiring import create_app as create_gateway_app
from services.journey.wiring import create_app as create_journey_app
from services.loyalty.wiring import create_app as create_loyalty_app
from services.profile.wiring import create_app as create_profile_app
from services.referral.wiring import create_app as create_referral_app
from services.sales.wiring import create_app as create_sales_app
from services.scoring.wiring import create_app as create_scoring_app
from services.settings import SERVICE_SETTINGS
from tests.helpers import wait_for
from tests.integration.gateway_fakes import no_loyalty_program
from tests.running import SCORING_NOW, fresh_database, running_app


@dataclass(frozen=True)
class GatewayInFront:
    app: FastAPI
    services: dict[str, FastAPI]
    workspace: str
    admin_key: str


def as_if_over_http(app: FastAPI) -> httpx.ASGITransport:
    # A service's unhandled error reaches the gateway as a 500 answer, as over the network, not as an exception.
    return httpx.ASGITransport(app=app, raise_app_exceptions=False)


SERVICES = ("profile", "scoring", "journey", "referral", "sales", "loyalty")


def gateway_settings(dsn: str, bootstrap: str, broker_kind: str, **overrides: Any) -> GatewayServiceSettings:
    """The gateway's settings in tests: its own database, the session's broker, and services no one reaches
    unless a transport stands in for them (`http://<service>.invalid`); `overrides` change any of these."""
    return GatewayServiceSettings(
        database_url=dsn,
        kafka_bootstrap=bootstrap,
        # The in-memory test broker does not implement InitProducerId; idempotence is tested on Apache Kafka.
        kafka_idempotent_producer=broker_kind == "kafka",
        **{**{f"{name}_url": f"http://{name}.invalid" for name in SERVICES}, **overrides},
    )


def gateway_app(settings: GatewayServiceSettings, transports: Mapping[str, httpx.AsyncBaseTransport]) -> FastAPI:
    """The gateway with a transport standing in for each service (by name)."""
    return create_gateway_app(
        settings,
        profile_transport=transports["profile"],
        scoring_transport=transports["scoring"],
        journey_transport=transports["journey"],
        referral_transport=transports["referral"],
        sales_transport=transports["sales"],
        # Without a stand-in: loyalty as for a workspace without a program (no section, a report of zeros).
        loyalty_transport=transports.get("loyalty") or httpx.MockTransport(no_loyalty_program),
    )


@asynccontextmanager
async def the_services(
    postgres: LocalPostgres, bootstrap: str, broker_kind: str, settings_overrides: dict[str, Any] | None = None
) -> AsyncIterator[dict[str, FastAPI]]:
    """The six services by name, started concurrently (each start waits seconds for its consumer group), each
    with those of `settings_overrides` its settings class holds (services/settings.py). An override no service
    holds would change nothing: it is refused."""
    overrides = settings_overrides or {}
    held = {
        name: {key: value for key, value in overrides.items() if key in SERVICE_SETTINGS[name].model_fields}
        for name in SERVICES
    }
    unheld = set(overrides) - {key for own in held.values() for key in own}
    if unheld:
        raise TypeError(f"no service has the setting {', '.join(sorted(unheld))}")
    creators: tuple[Callable[..., FastAPI], ...] = (
        create_profile_app,
        create_scoring_app,
        create_journey_app,
        create_referral_app,
        create_sales_app,
        create_loyalty_app,
    )
    options: dict[str, dict[str, Any]] = {
        "scoring": {"clock": lambda: SCORING_NOW},
        "journey": {"clock": MovableClock(SCORING_NOW)},
    }
    started: dict[str, FastAPI] = {}
    stop = asyncio.Event()

    async def run(name: str, create: Callable[..., FastAPI]) -> None:
        async with running_app(
            name,
            create,
            postgres,
            bootstrap,
            broker_kind,
            app_kwargs=options.get(name, {}),
            from_now_on=True,
            **held[name],
        ) as service:
            started[name] = service.app
            await stop.wait()

    runs = [asyncio.create_task(run(name, create)) for name, create in zip(SERVICES, creators, strict=True)]
    try:
        await wait_for(lambda: _all_started(runs, started), within=60, what="the six services")
        yield started
    finally:
        stop.set()
        await asyncio.gather(*runs, return_exceptions=True)


async def _all_started(runs: list[asyncio.Task[None]], started: dict[str, FastAPI]) -> bool:
    for run in runs:
        if run.done() and (error := run.exception()) is not None:
            raise error
    return len(started) == len(SERVICES)


@asynccontextmanager
async def gateway_in_front_of_the_services(
    postgres: LocalPostgres,
    bootstrap: str,
    broker_kind: str,
    *,
    services_settings: dict[str, Any] | None = None,
    **gateway_overrides: Any,
) -> AsyncIterator[GatewayInFront]:
    """The six services and the gateway (lifespan started; serve it with ASGITransport or uvicorn), with a
    fresh workspace and an admin key. `services_settings` apply to every service, `gateway_overrides` to the
    gateway; the service token keys (`internal_token_keys`) of the services are the gateway's too, as in a
    deployment."""
    if services_settings and "internal_token_keys" in services_settings:
        gateway_overrides.setdefault("internal_token_keys", services_settings["internal_token_keys"])
    async with the_services(postgres, bootstrap, broker_kind, services_settings) as services:
        dsn = fresh_database(postgres, "gateway")
        workspace = f"gw_{uuid.uuid4().hex[:8]}"
        async with store.admin_connection(dsn) as conn:
            await store.create_workspace(conn, workspace)
            admin_key = (await store.create_key(conn, workspace, "tests", ["admin"]))[1]
        settings = gateway_settings(
            dsn,
            bootstrap,
            broker_kind,
            service_name="gateway",
            service_timeout_s=30,  # the services share this loop and two cores: slow is not down here
            **gateway_overrides,
        )
        gateway = gateway_app(settings, {name: as_if_over_http(services[name]) for name in SERVICES})
        async with gateway.router.lifespan_context(gateway):
            yield GatewayInFront(gateway, services, workspace, admin_key)


def gateway_client(stack: GatewayInFront, key: str | None = None, address: str = "127.0.0.1") -> httpx.AsyncClient:
    """An HTTP client of the in-process gateway with `key` (default: the workspace's admin key), as if from
    `address`."""
    transport = httpx.ASGITransport(app=stack.app, client=(address, 40000))
    headers = {"Authorization": f"Bearer {key or stack.admin_key}"}
    return httpx.AsyncClient(transport=transport, base_url="http://gateway", headers=headers)
