"""Services running in-process against the session's real PostgreSQL and broker: the one way the integration
and security suites start a service (`running_app`), with its settings, database and clients.

Each service gets a fresh database owned by its own role, its own consumer group (from the start of every topic,
or from now on with `from_now_on`), one consumer loop unless told otherwise, an ASGI client of its internal API
and one of its probes and metrics. When it stops, what its outbox published is checked against its declared
publications (contracts/topology.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from fastapi import FastAPI

from contracts.topics import TOPICS
from contracts.topology import SERVICE_TOPOLOGY
from devstack.postgres import LocalPostgres, service_role
from runtime.service_tokens import ServiceTokenAuth
from runtime.settings import RuntimeSettings
from runtime.telemetry import OUTBOX_PUBLISHED
from services.settings import SERVICE_SETTINGS
from tests.helpers import kafka_options

# Group timings of the in-process services' consumers (everything else stays as in production). The
# in-memory broker holds each JoinGroup for half the session timeout (5 s with the default 10 s), for
# every member and again on each rebalance: a journey service (three consumers in one group) took 22 s
# to get its partitions, 5 s with these. On Apache Kafka joins are immediate, but a member learns of a
# rebalance from its next heartbeat: three members took 6 s with a 3 s heartbeat, 1.6 s with these.
GROUP_TIMINGS: dict[str, dict[str, int]] = {
    "embedded": {"consumer_session_timeout_ms": 2000, "consumer_heartbeat_ms": 500},
    "kafka": {"consumer_heartbeat_ms": 500},
}

SERVICE_NAMES = ("gateway", "profile", "scoring", "journey", "referral", "sales", "loyalty")
SCORING_NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
S = TypeVar("S", bound=RuntimeSettings)


def fresh_database(postgres: LocalPostgres, prefix: str) -> str:
    """A new database, owned by the role of the service `prefix` names (e.g. "scoring_jobs", "changes_sales";
    `flywheel_runtime` for a prefix that names none), and that role's DSN: services run in tests as they do
    in production, on a role that owns its database and nothing more. Roles are made once per session."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    service = next((part for part in prefix.split("_") if part in SERVICE_NAMES), "runtime")
    return postgres.ensure_service_database(service_role(service), name)


@dataclass
class RunningService:
    """`client` calls the internal API with a service token of each path's workspace (caller "tests", scope
    admin); `operations` calls /healthz, /readyz and /metrics (the metrics port's app)."""

    settings: RuntimeSettings
    client: httpx.AsyncClient
    app: FastAPI
    operations: httpx.AsyncClient


def token_auth(settings: RuntimeSettings, caller: str = "tests") -> ServiceTokenAuth:
    """Signs each request with a token of the workspace its path names, as the gateway would."""
    return ServiceTokenAuth.for_settings(settings, caller)


def service_client(app: FastAPI, name: str, **transport_options: Any) -> httpx.AsyncClient:
    """An ASGI client of a started service's internal API, signing every call (token_auth)."""
    transport = httpx.ASGITransport(app=app, **transport_options)
    return httpx.AsyncClient(
        transport=transport, base_url=f"http://{name}", auth=token_auth(app.state.runtime.settings)
    )


def operations_client(app: FastAPI) -> httpx.AsyncClient:
    """An ASGI client of a service's probes and metrics (what runtime/serve.py serves on the metrics port)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app.state.operations), base_url="http://operations")


def published_topics(service: str) -> set[str]:
    """The topics the outbox relays of services named `service` published to in this test session."""
    return {
        sample.labels["topic"]
        for metric in OUTBOX_PUBLISHED.collect()
        for sample in metric.samples
        if sample.name.endswith("_total") and sample.labels["service"] == service and sample.value > 0
    }


def check_publications(service: str) -> None:
    """A declared service published only the topics its declaration (contracts/topology.py) names."""
    declared = {t.service: set(t.writes) for t in SERVICE_TOPOLOGY}
    if service in declared:
        undeclared = published_topics(service) - declared[service]
        assert not undeclared, f"{service} published {sorted(undeclared)}, which contracts/topology.py does not name"


@asynccontextmanager
async def serving(app: FastAPI, name: str) -> AsyncIterator[RunningService]:
    """`app` started (its lifespan), with its clients."""
    async with (
        app.router.lifespan_context(app),
        service_client(app, name) as client,
        operations_client(app) as operations,
    ):
        yield RunningService(app.state.runtime.settings, client, app, operations)
    check_publications(app.state.runtime.settings.service_name)


def service_settings(kind: type[S], name: str, dsn: str, bootstrap: str, broker_kind: str, **overrides: Any) -> S:
    """Settings of class `kind` (the service's, services/settings.py) for a service run in tests."""
    # An override the class does not hold would be ignored (settings ignore unknown names): refuse it.
    unknown = set(overrides) - set(kind.model_fields)
    if unknown:
        raise TypeError(f"{kind.__name__} has no setting {', '.join(sorted(unknown))}")
    # The overrides may replace the test's own consumer group and group timings.
    group_and_overrides: dict[str, Any] = {
        "consumer_group": f"test-{name}-{uuid.uuid4().hex[:8]}",
        **GROUP_TIMINGS[broker_kind],
        **overrides,
    }
    return kind(
        # The in-memory broker does not implement InitProducerId, so idempotence is for Apache Kafka only.
        kafka_idempotent_producer=broker_kind == "kafka",
        service_name=name,
        database_url=dsn,
        kafka_bootstrap=bootstrap,
        consumer_poll_ms=50,
        outbox_poll_s=0.2,
        **group_and_overrides,
    )


async def start_at_end(bootstrap: str, group: str) -> None:
    """Commit `group`'s offsets at the current end of every topic: a service of that group reads what is
    published from now on, not the events earlier tests left on the topics."""
    partitions = [TopicPartition(topic.name, p) for topic in TOPICS for p in range(topic.partitions)]
    consumer = AIOKafkaConsumer(**kafka_options(bootstrap), group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(partitions)
        await consumer.commit(dict(await consumer.end_offsets(partitions)))
    finally:
        await consumer.stop()


@asynccontextmanager
async def running_app(
    name: str,
    create_app: Callable[..., FastAPI],
    postgres: LocalPostgres,
    bootstrap: str,
    broker_kind: str,
    dsn: str | None = None,
    app_kwargs: dict[str, Any] | None = None,
    *,
    from_now_on: bool = False,
    **overrides: object,
) -> AsyncIterator[RunningService]:
    """Any service in-process: its own fresh database (unless `dsn`), one consumer loop (unless
    `consumer_concurrency` is given), an ASGI client; consuming from the start of every topic, or with
    `from_now_on` only what is published from now on. `overrides` change its settings.

    `create_app(settings, **app_kwargs)` is the service's wiring function (e.g. with `clock=`).
    """
    settings = service_settings(
        SERVICE_SETTINGS.get(name, RuntimeSettings),
        name,
        dsn or fresh_database(postgres, name),
        bootstrap,
        broker_kind,
        **{"consumer_concurrency": 1, **overrides},
    )
    if from_now_on:
        await start_at_end(bootstrap, settings.group_id)
    async with serving(create_app(settings, **(app_kwargs or {})), name) as service:
        yield service
