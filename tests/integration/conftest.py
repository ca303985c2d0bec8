"""Services running in-process against the session's real PostgreSQL and broker."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from fastapi import FastAPI

from contracts.topics import TOPICS
from devstack.postgres import LocalPostgres, service_role
from devstack.topics import ensure_topics
from runtime.service_tokens import ServiceTokenAuth
from runtime.settings import Settings
from services.journey.wiring import create_app as create_journey_app
from services.profile.wiring import create_app as create_profile_app
from services.scoring.wiring import create_app as create_scoring_app
from tests.helpers import kafka_options
from tests.webhook_receiver import LOOPBACK_RECEIVERS

# Group timings of the in-process services' consumers (everything else stays as in production). The
# in-memory broker holds each JoinGroup for half the session timeout (5 s with the default 10 s), for
# every member and again on each rebalance: a journey service (three consumers in one group) took 22 s
# to get its partitions, 5 s with these. On Apache Kafka joins are immediate, but a member learns of a
# rebalance from its next heartbeat: three members took 6 s with a 3 s heartbeat, 1.6 s with these.
GROUP_TIMINGS: dict[str, dict[str, int]] = {
    "embedded": {"consumer_session_timeout_ms": 2000, "consumer_heartbeat_ms": 500},
    "kafka": {"consumer_heartbeat_ms": 500},
}


@pytest.fixture(scope="session")
async def topics(bootstrap: str) -> str:
    await ensure_topics(bootstrap, TOPICS)
    return bootstrap


SERVICE_NAMES = ("gateway", "profile", "scoring", "journey", "referral", "sales")


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

    settings: Settings
    client: httpx.AsyncClient
    app: FastAPI
    operations: httpx.AsyncClient


def token_auth(settings: Settings, caller: str = "tests") -> ServiceTokenAuth:
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


@asynccontextmanager
async def serving(app: FastAPI, name: str) -> AsyncIterator[RunningService]:
    """`app` started (its lifespan), with its clients."""
    async with (
        app.router.lifespan_context(app),
        service_client(app, name) as client,
        operations_client(app) as operations,
    ):
        yield RunningService(app.state.runtime.settings, client, app, operations)


def service_settings(name: str, dsn: str, bootstrap: str, broker_kind: str, **overrides: object) -> Settings:
    return Settings(
        # The in-memory broker does not implement InitProducerId, so idempotence is for Apache Kafka only.
        kafka_idempotent_producer=broker_kind == "kafka",
        service_name=name,
        database_url=dsn,
        kafka_bootstrap=bootstrap,
        consumer_poll_ms=50,
        outbox_poll_s=0.2,
        **{"consumer_group": f"test-{name}-{uuid.uuid4().hex[:8]}", **GROUP_TIMINGS[broker_kind], **overrides},  # type: ignore[arg-type]
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
async def running_profile(
    postgres: LocalPostgres, bootstrap: str, broker_kind: str, *, skip_history: bool = False, **overrides: object
) -> AsyncIterator[RunningService]:
    """A profile service with its own fresh database and consumer group, consuming the session's broker
    (from the start of every topic; from now on with `skip_history`)."""
    settings = service_settings(
        "profile", fresh_database(postgres, "profile"), bootstrap, broker_kind, default_phone_region="DE", **overrides
    )
    if skip_history:
        await start_at_end(bootstrap, settings.group_id)
    async with serving(create_profile_app(settings), "profile") as service:
        yield service


@pytest.fixture(scope="module")
async def profile(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[RunningService]:
    # One service per test module (every test has its own workspace): the consumer group joins once, and
    # it skips what earlier tests published (their thousands of events would be resolved again first).
    # One consumer loop: every rebalance of a group costs seconds on the in-memory broker. Concurrent
    # loops have their own tests (test_profile_concurrency.py) and run in the end-to-end suite.
    async with running_profile(postgres, topics, broker_kind, skip_history=True, consumer_concurrency=1) as service:
        yield service


SCORING_NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


@asynccontextmanager
async def running_scoring(
    postgres: LocalPostgres, bootstrap: str, broker_kind: str, dsn: str | None = None, **overrides: object
) -> AsyncIterator[RunningService]:
    """A scoring service on a fixed clock (SCORING_NOW), with its own database unless `dsn` is given."""
    settings = service_settings(
        "scoring",
        dsn or fresh_database(postgres, "scoring"),
        bootstrap,
        broker_kind,
        consumer_concurrency=1,
        **overrides,
    )
    async with serving(create_scoring_app(settings, clock=lambda: SCORING_NOW), "scoring") as service:
        yield service


class MovableClock:
    """A clock tests move forward (waits of days without sleeping)."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, delta: dt.timedelta) -> None:
        self.now += delta


@asynccontextmanager
async def running_journey(
    postgres: LocalPostgres, bootstrap: str, broker_kind: str, clock: MovableClock, **overrides: object
) -> AsyncIterator[RunningService]:
    """A journey service with its own database, on `clock`, polling timers and deliveries every 50 ms, that
    may deliver to the test receivers on loopback (tests.webhook_receiver); `webhook_resolver` stands in for DNS."""
    overrides.setdefault("webhook_allowed_hosts", LOOPBACK_RECEIVERS)
    resolver = overrides.pop("webhook_resolver", None)
    settings = service_settings(
        "journey",
        fresh_database(postgres, "journey"),
        bootstrap,
        broker_kind,
        consumer_concurrency=1,
        journey_tick_s=0.05,
        **overrides,
    )
    app = create_journey_app(settings, clock=clock, webhook_resolver=resolver)  # type: ignore[arg-type]
    async with serving(app, "journey") as service:
        yield service


@asynccontextmanager
async def running_app(
    name: str,
    create_app: Callable[..., FastAPI],
    postgres: LocalPostgres,
    bootstrap: str,
    broker_kind: str,
    dsn: str | None = None,
    app_kwargs: dict[str, Any] | None = None,
    **overrides: object,
) -> AsyncIterator[RunningService]:
    """Any service in-process: its own fresh database (unless `dsn`), one consumer loop, an ASGI client.

    `create_app(settings, **app_kwargs)` is the service's wiring function (e.g. with `clock=`).
    """
    settings = service_settings(
        name, dsn or fresh_database(postgres, name), bootstrap, broker_kind, consumer_concurrency=1, **overrides
    )
    async with serving(create_app(settings, **(app_kwargs or {})), name) as service:
        yield service
