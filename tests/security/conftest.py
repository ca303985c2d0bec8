"""Attacks on the running services, as a hostile workspace would try them: only the public API (or, for
producers, the broker) and a key of its own workspace, against the real services, PostgreSQL and broker.

Each test here reproduces one attack of issue 15 and fails on a stack that gives way to it. A module's
`stack` is the gateway in front of the five services with the module's `SERVICES_SETTINGS` (quotas,
timeouts), and `tenant` an admin client of its workspace."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from devstack.postgres import LocalPostgres
from tests.integration.gateway_stack import GatewayInFront, gateway_client, gateway_in_front_of_the_services


@pytest.fixture(scope="module")
async def stack(
    request: pytest.FixtureRequest, postgres: LocalPostgres, topics: str, broker_kind: str
) -> AsyncIterator[GatewayInFront]:
    settings = getattr(request.module, "SERVICES_SETTINGS", {})
    async with gateway_in_front_of_the_services(postgres, topics, broker_kind, services_settings=settings) as running:
        yield running


@pytest.fixture
async def tenant(stack: GatewayInFront) -> AsyncIterator[httpx.AsyncClient]:
    async with gateway_client(stack) as client:
        yield client
