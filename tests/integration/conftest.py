"""The integration suite's services: started through tests/running.py (shared with the security suite), with
the fixtures and starters its tests use."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from devstack.postgres import LocalPostgres
from runtime.clock import MovableClock
from runtime.db import migrate
from runtime.settings import RuntimeSettings
from services.journey.wiring import create_app as create_journey_app
from services.profile.wiring import create_app as create_profile_app
from services.scoring.wiring import create_app as create_scoring_app
from tests.running import (
    GROUP_TIMINGS,
    SCORING_NOW,
    SERVICE_NAMES,
    RunningService,
    fresh_database,
    operations_client,
    running_app,
    service_client,
    service_settings,
    serving,
    start_at_end,
    token_auth,
)
from tests.webhook_receiver import LOOPBACK_RECEIVERS

__all__ = [
    "GROUP_TIMINGS",
    "SCORING_NOW",
    "SERVICE_NAMES",
    "MovableClock",
    "RunningService",
    "fresh_database",
    "migrated_before",
    "new_workspace",
    "operations_client",
    "running_app",
    "running_journey",
    "running_profile",
    "running_scoring",
    "service_client",
    "service_settings",
    "serving",
    "start_at_end",
    "token_auth",
]


@asynccontextmanager
async def running_profile(
    postgres: LocalPostgres, bootstrap: str, broker_kind: str, *, skip_history: bool = False, **overrides: Any
) -> AsyncIterator[RunningService]:
    """A profile service with its own fresh database and consumer group, consuming the session's broker
    (from the start of every topic; from now on with `skip_history`), with as many consumer loops as in
    production unless `consumer_concurrency` says otherwise."""
    overrides.setdefault("consumer_concurrency", RuntimeSettings.model_fields["consumer_concurrency"].default)
    async with running_app(
        "profile",
        create_profile_app,
        postgres,
        bootstrap,
        broker_kind,
        from_now_on=skip_history,
        default_phone_region="DE",
        **overrides,
    ) as service:
        yield service


@pytest.fixture(scope="module")
async def profile(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[RunningService]:
    # One service per test module (every test has its own workspace): the consumer group joins once, and
    # it skips what earlier tests published (their thousands of events would be resolved again first).
    # One consumer loop: every rebalance of a group costs seconds on the in-memory broker. Concurrent
    # loops have their own tests (test_profile_concurrency.py) and run in the end-to-end suite.
    async with running_profile(postgres, topics, broker_kind, skip_history=True, consumer_concurrency=1) as service:
        yield service


@asynccontextmanager
async def running_scoring(
    postgres: LocalPostgres, bootstrap: str, broker_kind: str, dsn: str | None = None, **overrides: Any
) -> AsyncIterator[RunningService]:
    """A scoring service on a fixed clock (SCORING_NOW), with its own database unless `dsn` is given."""
    app_kwargs = {"clock": lambda: SCORING_NOW}
    async with running_app(
        "scoring", create_scoring_app, postgres, bootstrap, broker_kind, dsn, app_kwargs, **overrides
    ) as service:
        yield service


@pytest.fixture(scope="module")
async def scoring(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[RunningService]:
    # One service per test module (every test has its own workspace, new_workspace()): a consumer group joins
    # only once.
    async with running_scoring(postgres, topics, broker_kind) as service:
        yield service


async def migrated_before(
    postgres: LocalPostgres, service: str, migrations: Path, first_left_out: str, scratch: Path
) -> str:
    """A fresh database of `service` with only its migrations named before `first_left_out` (copied to `scratch`),
    to test a later migration on what the earlier schema held: the database's DSN."""
    dsn = fresh_database(postgres, f"{service}_migrated")
    await migrate(dsn, service, _migrations_before(migrations, first_left_out, scratch))
    return dsn


def _migrations_before(migrations: Path, first_left_out: str, scratch: Path) -> Path:
    before = scratch / "migrations"
    before.mkdir()
    for path in sorted(migrations.glob("*.sql")):
        if path.name < first_left_out:
            shutil.copy(path, before / path.name)
    return before


def new_workspace() -> str:
    """A workspace of a test's own."""
    return f"ws-{uuid.uuid4().hex[:10]}"


@asynccontextmanager
async def running_journey(
    postgres: LocalPostgres, bootstrap: str, broker_kind: str, clock: MovableClock, **overrides: Any
) -> AsyncIterator[RunningService]:
    """A journey service with its own database, on `clock`, polling timers and deliveries every 50 ms, that
    may deliver to the test receivers on loopback (tests.webhook_receiver); `webhook_resolver` stands in for DNS."""
    overrides.setdefault("webhook_allowed_hosts", LOOPBACK_RECEIVERS)
    app_kwargs = {"clock": clock, "webhook_resolver": overrides.pop("webhook_resolver", None)}
    async with running_app(
        "journey",
        create_journey_app,
        postgres,
        bootstrap,
        broker_kind,
        None,
        app_kwargs,
        journey_tick_s=0.05,
        **overrides,
    ) as service:
        yield service
