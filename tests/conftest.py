"""Session-wide infrastructure for the integration tests.

Nothing starts unless a test asks for it: a unit-test run starts no server. Each fixture starts its
server once per session, in pytest's temporary directory on a free port, and stops it at the end.

FLYWHEEL_TEST_BROKER picks the broker: "embedded" (default; the in-memory tansu broker, starts in
milliseconds) or "kafka" (Apache Kafka in KRaft mode; its jars are cached in .flywheel/kafka/lib,
shared with `make run`, so they download once). Tests marked `kafka` run only with the latter.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack.broker import BROKER_KINDS, Broker
from devstack.embedded_broker import EmbeddedBroker
from devstack.kafka import LocalKafka
from devstack.ports import free_port
from devstack.postgres import LocalPostgres

REPO_ROOT = Path(__file__).resolve().parents[1]
KAFKA_LIB_CACHE = REPO_ROOT / ".flywheel" / "kafka" / "lib"


def _broker_kind() -> str:
    kind = os.environ.get("FLYWHEEL_TEST_BROKER", "embedded")
    if kind not in BROKER_KINDS:
        raise pytest.UsageError(f"FLYWHEEL_TEST_BROKER={kind!r}; expected one of {', '.join(BROKER_KINDS)}")
    return kind


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _broker_kind() == "kafka":
        return
    skip = pytest.mark.skip(reason="needs Apache Kafka: run with FLYWHEEL_TEST_BROKER=kafka")
    for item in items:
        if item.get_closest_marker("kafka"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalPostgres]:
    server = LocalPostgres(tmp_path_factory.mktemp("postgres") / "data", free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def broker_kind() -> str:
    """ "embedded" or "kafka", as FLYWHEEL_TEST_BROKER says."""
    return _broker_kind()


@pytest.fixture(scope="session")
def broker(broker_kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    home = tmp_path_factory.mktemp(f"broker-{broker_kind}")
    server: Broker
    if broker_kind == "kafka":
        server = LocalKafka(home, free_port(), lib_dir=KAFKA_LIB_CACHE)
    else:
        server = EmbeddedBroker(home, free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def bootstrap(broker: Broker) -> str:
    """`host:port` of the session's broker, for Kafka clients."""
    return broker.bootstrap
