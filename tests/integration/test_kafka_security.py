"""Kafka secured as production runs it (SASL SCRAM-SHA-512 over TLS, the authorizer on): a service whose
credentials or CA the brokers refuse is not ready and says why; the ACLs generated from the topic catalogue
(contracts.kafka_access) let each service do its work and nothing else; mutual TLS works too.

Runs against the session's secured Apache Kafka: FLYWHEEL_TEST_BROKER=kafka FLYWHEEL_TEST_KAFKA_SECURITY=sasl_ssl
(`make test-kafka` does). The session's own clients connect as the super user (tests/conftest.py).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import GroupAuthorizationFailedError, KafkaError, TopicAuthorizationFailedError
from aiokafka.protocol.admin import CreateAclsRequest
from typer.testing import CliRunner

from cli.main import app as cli_app
from contracts.kafka_access import Acl, acls, user_of
from contracts.topics import DEADLETTER, INBOUND, RESOLVED
from devstack.kafka import KafkaSecurity, LocalKafka
from devstack.kafka_tls import make_certificates
from devstack.postgres import LocalPostgres
from runtime.kafka import client_options
from runtime.settings import RuntimeSettings
from tests.helpers import event, kafka_options, publish, read_topic
from tests.integration.conftest import RunningService, running_profile, start_at_end

pytestmark = pytest.mark.kafka_security

PROFILE = user_of("profile")

# Kafka's protocol codes (org.apache.kafka.common.resource and .acl): CreateAcls takes numbers.
RESOURCE_TYPES = {"topic": 2, "group": 3}
OPERATIONS = {"Read": 3, "Write": 4, "Describe": 8}
LITERAL, ALLOW = 3, 3


def as_user(security: KafkaSecurity, user: str, **overrides: Any) -> dict[str, Any]:
    """RuntimeSettings fields of a SASL_SSL client logging in as `user`."""
    fields = {k.removeprefix("FLYWHEEL_").lower(): v for k, v in security.client_settings(user).items()}
    return {**fields, **overrides}


async def apply_acls(bootstrap: str, granted: list[Acl]) -> None:
    """The catalogue's ACLs on the broker, created as the super user (aiokafka has no ACL admin call, so
    the protocol's CreateAcls request, one binding each)."""
    admin = AIOKafkaAdminClient(**kafka_options(bootstrap))
    await admin.start()
    try:
        for acl in granted:
            for operation in acl.operations:
                request = CreateAclsRequest(
                    RESOURCE_TYPES[acl.resource_type],
                    acl.resource,
                    LITERAL,
                    f"User:{acl.principal}",
                    "*",
                    OPERATIONS[operation],
                    ALLOW,
                )
                response = await admin._send_request(request)
                assert [code for code, _ in response.creation_responses] == [0], response
    finally:
        await admin.close()


@pytest.fixture(scope="module")
async def catalogue_acls(topics: str) -> str:
    await apply_acls(topics, acls())
    await asyncio.sleep(0.5)  # the authorizer applies new ACLs from the metadata log, a moment later
    return topics


async def write(bootstrap: str, security: KafkaSecurity, user: str, topic: str) -> None:
    settings = RuntimeSettings.model_validate({"kafka_bootstrap": bootstrap, **as_user(security, user)})
    producer = AIOKafkaProducer(**client_options(settings), enable_idempotence=True, request_timeout_ms=10_000)
    await producer.start()
    try:
        await producer.send_and_wait(topic, b"{}", key=b"acl-test")
    finally:
        await producer.stop()


# ---- wrong credentials or CA: not ready, and the log says which setting to fix ----


@pytest.mark.parametrize(
    ("overrides", "readiness", "log_line"),
    [
        (
            {"kafka_sasl_username": PROFILE, "kafka_sasl_password": "not-the-password"},
            f"authentication failed for user '{PROFILE}' (SCRAM-SHA-512): check FLYWHEEL_KAFKA_SASL_USERNAME/PASSWORD",
            f"Kafka authentication failed for user '{PROFILE}' (SCRAM-SHA-512): "
            "check FLYWHEEL_KAFKA_SASL_USERNAME/PASSWORD",
        ),
        (
            {"kafka_ssl_cafile": "other-ca"},  # a CA that did not sign the brokers' certificates
            "not trusted",
            "check FLYWHEEL_KAFKA_SSL_CAFILE",
        ),
    ],
    ids=["wrong-password", "wrong-ca"],
)
async def test_a_service_the_brokers_refuse_is_not_ready_and_logs_why(
    postgres: LocalPostgres,
    topics: str,
    broker_kind: str,
    kafka_security: KafkaSecurity,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    overrides: dict[str, Any],  # settings of the service, passed on to running_profile's **overrides: Any
    readiness: str,
    log_line: str,
) -> None:
    if overrides.get("kafka_ssl_cafile") == "other-ca":
        overrides = {"kafka_ssl_cafile": str(make_certificates(tmp_path / "other").ca_file)}
    caplog.set_level(logging.ERROR, logger="runtime.service")
    async with running_profile(postgres, topics, broker_kind, **overrides) as service:  # the start does not fail
        answer = await service.operations.get("/readyz")
        assert answer.status_code == 503, answer.text
        checks = answer.json()["checks"]
        assert checks["database"] == "ok"
        assert readiness in checks["broker"]
        assert any(log_line in record.getMessage() for record in caplog.records), caplog.text


async def test_the_cli_names_refused_credentials_in_one_line(topics: str, kafka_security: KafkaSecurity) -> None:
    env = {"FLYWHEEL_KAFKA_BOOTSTRAP": topics, "FLYWHEEL_KAFKA_SASL_PASSWORD": "not-the-password"}
    result = await asyncio.to_thread(lambda: CliRunner().invoke(cli_app, ["deadletter", "list"], env=env))
    assert result.exit_code == 1, result.output
    assert f"authentication failed for user '{kafka_security.admin}' (SCRAM-SHA-512)" in result.output
    assert "Traceback" not in result.output


# ---- the catalogue's ACLs on a real broker ----


async def test_a_service_may_not_write_a_topic_it_does_not_own(
    catalogue_acls: str, kafka_security: KafkaSecurity
) -> None:
    bootstrap = catalogue_acls
    await write(bootstrap, kafka_security, PROFILE, RESOLVED)  # profile owns resolved
    await write(bootstrap, kafka_security, user_of("scoring"), DEADLETTER)  # every consumer dead-letters
    refused = [
        (PROFILE, INBOUND),  # only the gateway and producers write inbound
        (user_of("scoring"), RESOLVED),  # only profile writes resolved
        (user_of("gateway"), RESOLVED),
        ("flywheel-import", DEADLETTER),
    ]
    for user, topic in refused:
        with pytest.raises(TopicAuthorizationFailedError):
            await write(bootstrap, kafka_security, user, topic)


async def test_a_service_reads_only_in_its_own_group(catalogue_acls: str, kafka_security: KafkaSecurity) -> None:
    settings = RuntimeSettings.model_validate({"kafka_bootstrap": catalogue_acls, **as_user(kafka_security, PROFILE)})
    own = AIOKafkaConsumer(INBOUND, **client_options(settings), group_id="flywheel-profile")
    await own.start()
    try:
        await own.getmany(timeout_ms=500)
        await own.commit()
    finally:
        await own.stop()
    other = AIOKafkaConsumer(INBOUND, **client_options(settings), group_id=f"flywheel-scoring-{uuid.uuid4().hex[:6]}")
    with pytest.raises(GroupAuthorizationFailedError):
        await other.start()  # it finds the group's coordinator first, which needs Describe on the group
    await other.stop()


@pytest.fixture
async def least_privileged_profile(
    postgres: LocalPostgres, catalogue_acls: str, broker_kind: str, kafka_security: KafkaSecurity
) -> AsyncIterator[RunningService]:
    """Profile as production runs it: its own user with the catalogue's ACLs, its own group."""
    group = "flywheel-profile"
    await start_at_end(catalogue_acls, group)
    fields = as_user(kafka_security, PROFILE, consumer_group=group, consumer_concurrency=1)
    async with running_profile(postgres, catalogue_acls, broker_kind, **fields) as service:
        yield service


async def test_profile_does_its_work_with_only_its_acls(
    least_privileged_profile: RunningService, kafka_security: KafkaSecurity
) -> None:
    service = least_privileged_profile
    bootstrap = service.settings.kafka_bootstrap
    answer = await service.operations.get("/readyz")
    assert answer.status_code == 200, answer.text
    ws = f"acl-{uuid.uuid4().hex[:8]}"
    await publish(bootstrap, INBOUND, [event("visit", ws, {"external_id": "u-1"}, {"channel": "web"})])
    resolved = await read_topic(bootstrap, RESOLVED, expect=1, match=lambda r: ws.encode() in r.value)
    assert resolved  # read in its own group, written to the topic it owns


# ---- mutual TLS ----


async def test_a_client_certificate_authenticates_on_the_mutual_tls_listener(
    broker: LocalKafka, kafka_security: KafkaSecurity, topics: str
) -> None:
    certificates = kafka_security.certificates
    settings = RuntimeSettings.model_validate(
        {
            "kafka_bootstrap": broker.mtls_bootstrap,
            "kafka_security_protocol": "SSL",
            "kafka_ssl_cafile": str(certificates.ca_file),
            "kafka_ssl_certfile": str(certificates.client_cert),
            "kafka_ssl_keyfile": str(certificates.client_key),
            "kafka_sasl_username": None,  # the session's SASL settings do not apply here
            "kafka_sasl_password": None,
        }
    )
    producer = AIOKafkaProducer(**client_options(settings))
    await producer.start()
    try:
        metadata = await producer.partitions_for(INBOUND)
    finally:
        await producer.stop()
    assert metadata

    without_certificate = settings.model_copy(update={"kafka_ssl_certfile": None, "kafka_ssl_keyfile": None})
    refused = AIOKafkaProducer(**client_options(without_certificate), request_timeout_ms=5000)
    with pytest.raises(KafkaError):
        await refused.start()
    await refused.stop()
