"""Session-wide infrastructure for the integration tests.

Nothing starts unless a test asks for it: a unit-test run starts no server. Each fixture starts its
server once per session, in pytest's temporary directory on a free port, and stops it at the end.

FLYWHEEL_TEST_BROKER picks the broker: "embedded" (default; the in-memory tansu broker, starts in
milliseconds) or "kafka" (Apache Kafka in KRaft mode; its jars are cached in .flywheel/kafka/lib,
shared with `make run`, so they download once). Tests marked `kafka` run only with the latter.

FLYWHEEL_TEST_KAFKA_SECURITY=sasl_ssl (with FLYWHEEL_TEST_BROKER=kafka) secures that Apache Kafka as
production runs it: SASL SCRAM-SHA-512 over TLS with certificates made for the session, the authorizer on.
The session's FLYWHEEL_KAFKA_* settings then name its super user, so every client the tests make (services,
CLI, helpers) connects securely as is. Tests marked `kafka_security` run only then.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from contracts.kafka_access import PRINCIPALS
from contracts.topics import TOPICS
from devstack.broker import BROKER_KINDS, Broker
from devstack.embedded_broker import EmbeddedBroker
from devstack.kafka import KafkaSecurity, LocalKafka
from devstack.ports import free_port
from devstack.postgres import LocalPostgres
from devstack.topics import ensure_topics

REPO_ROOT = Path(__file__).resolve().parents[1]
KAFKA_LIB_CACHE = REPO_ROOT / ".flywheel" / "kafka" / "lib"


def _broker_kind() -> str:
    kind = os.environ.get("FLYWHEEL_TEST_BROKER", "embedded")
    if kind not in BROKER_KINDS:
        raise pytest.UsageError(f"FLYWHEEL_TEST_BROKER={kind!r}; expected one of {', '.join(BROKER_KINDS)}")
    return kind


KAFKA_SECURITY_MODES = ("plaintext", "sasl_ssl")


def _kafka_security() -> str:
    mode = os.environ.get("FLYWHEEL_TEST_KAFKA_SECURITY", "plaintext")
    if mode not in KAFKA_SECURITY_MODES:
        raise pytest.UsageError(
            f"FLYWHEEL_TEST_KAFKA_SECURITY={mode!r}; expected one of {', '.join(KAFKA_SECURITY_MODES)}"
        )
    if mode != "plaintext" and _broker_kind() != "kafka":
        raise pytest.UsageError(f"FLYWHEEL_TEST_KAFKA_SECURITY={mode} needs FLYWHEEL_TEST_BROKER=kafka")
    return mode


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "kafka_security: needs the secured Apache Kafka (FLYWHEEL_TEST_KAFKA_SECURITY=sasl_ssl)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    needs = {
        "kafka": (_broker_kind() == "kafka", "needs Apache Kafka: run with FLYWHEEL_TEST_BROKER=kafka"),
        "kafka_security": (
            _kafka_security() == "sasl_ssl",
            "needs the secured Apache Kafka: run with FLYWHEEL_TEST_BROKER=kafka FLYWHEEL_TEST_KAFKA_SECURITY=sasl_ssl",
        ),
    }
    for marker, (available, reason) in needs.items():
        if available:
            continue
        for item in items:
            if item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(reason=reason))


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
    """The session's broker. Secured (FLYWHEEL_TEST_KAFKA_SECURITY=sasl_ssl): every principal of
    contracts.kafka_access is a SCRAM user too, and FLYWHEEL_KAFKA_* name the super user for the session."""
    home = tmp_path_factory.mktemp(f"broker-{broker_kind}")
    server: Broker
    security: KafkaSecurity | None = None
    if broker_kind == "kafka":
        if _kafka_security() == "sasl_ssl":
            security = KafkaSecurity.generate(home / "tls", [p.name for p in PRINCIPALS])
        server = LocalKafka(home, free_port(), lib_dir=KAFKA_LIB_CACHE, security=security)
    else:
        server = EmbeddedBroker(home, free_port())
    server.start()
    try:
        with pytest.MonkeyPatch.context() as env:
            for name, value in (security.client_settings() if security else {}).items():
                env.setenv(name, value)
            yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def kafka_security(broker: Broker) -> KafkaSecurity:
    """The secured broker's certificates and users (tests marked kafka_security)."""
    if not isinstance(broker, LocalKafka) or broker.security is None:
        pytest.skip("needs FLYWHEEL_TEST_KAFKA_SECURITY=sasl_ssl")
    return broker.security


@pytest.fixture(scope="session")
def bootstrap(broker: Broker) -> str:
    """`host:port` of the session's broker, for Kafka clients."""
    return broker.bootstrap


@pytest.fixture(scope="session")
async def topics(bootstrap: str) -> str:
    """The session's broker with every topic of the catalogue made; its bootstrap (integration and security)."""
    await ensure_topics(bootstrap, TOPICS)
    return bootstrap
