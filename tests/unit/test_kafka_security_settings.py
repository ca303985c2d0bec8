"""The Kafka security settings every client uses (runtime.kafka.security_options): a contradictory or
incomplete configuration fails at start-up naming the variables to fix; and a refused connection is
named for what it is (runtime.kafka_diagnosis)."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import pytest
from aiokafka.errors import KafkaConnectionError, SaslAuthenticationFailed, UnsupportedSaslMechanismError

from devstack.kafka_tls import KafkaCertificates, make_certificates
from devstack.ports import free_port
from runtime.kafka import KafkaSettingsError, security_options
from runtime.kafka_diagnosis import classify, diagnose
from runtime.service import ServiceRuntime
from runtime.settings import RuntimeSettings

PASSWORD = "s3cret"  # noqa: S105 - a test password

SECURITY_FIELDS = (
    "kafka_security_protocol",
    "kafka_sasl_mechanism",
    "kafka_sasl_username",
    "kafka_sasl_password",
    "kafka_ssl_cafile",
    "kafka_ssl_certfile",
    "kafka_ssl_keyfile",
)


def settings(**fields: Any) -> RuntimeSettings:
    """RuntimeSettings with exactly these security fields (nothing from the environment)."""
    defaults: dict[str, Any] = {name: None for name in SECURITY_FIELDS}
    defaults |= {"kafka_security_protocol": "PLAINTEXT", "kafka_sasl_mechanism": "SCRAM-SHA-512"}
    return RuntimeSettings.model_validate({**defaults, **fields, "service_name": "profile"})


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> KafkaCertificates:
    return make_certificates(tmp_path_factory.mktemp("tls"))


def test_plaintext_by_default() -> None:
    assert security_options(settings()) == {"security_protocol": "PLAINTEXT"}


def test_sasl_ssl_uses_the_ca_and_the_credentials(certificates: KafkaCertificates) -> None:
    options = security_options(
        settings(
            kafka_security_protocol="SASL_SSL",
            kafka_sasl_username="flywheel-profile",
            kafka_sasl_password=PASSWORD,
            kafka_ssl_cafile=str(certificates.ca_file),
        )
    )
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert (options["sasl_plain_username"], options["sasl_plain_password"]) == ("flywheel-profile", PASSWORD)
    context = options["ssl_context"]
    assert isinstance(context, ssl.SSLContext)
    assert context.check_hostname and context.verify_mode == ssl.CERT_REQUIRED
    assert [cert["subject"] for cert in context.get_ca_certs()] == [((("commonName", "Flywheel local Kafka CA"),),)]


def test_mutual_tls_loads_the_client_certificate(certificates: KafkaCertificates) -> None:
    options = security_options(
        settings(
            kafka_security_protocol="SSL",
            kafka_ssl_cafile=str(certificates.ca_file),
            kafka_ssl_certfile=str(certificates.client_cert),
            kafka_ssl_keyfile=str(certificates.client_key),
        )
    )
    assert isinstance(options["ssl_context"], ssl.SSLContext)
    assert "sasl_mechanism" not in options


@pytest.mark.parametrize(
    ("fields", "messages"),
    [
        (
            {"kafka_security_protocol": "SASL_SSL"},
            [
                "FLYWHEEL_KAFKA_SECURITY_PROTOCOL=SASL_SSL needs FLYWHEEL_KAFKA_SASL_USERNAME",
                "FLYWHEEL_KAFKA_SECURITY_PROTOCOL=SASL_SSL needs FLYWHEEL_KAFKA_SASL_PASSWORD",
            ],
        ),
        (
            {"kafka_security_protocol": "SASL_PLAINTEXT", "kafka_sasl_username": "u", "kafka_sasl_password": ""},
            ["FLYWHEEL_KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT needs FLYWHEEL_KAFKA_SASL_PASSWORD"],
        ),
        (
            {"kafka_sasl_username": "u", "kafka_sasl_password": "p"},
            [
                "FLYWHEEL_KAFKA_SASL_USERNAME is set, but FLYWHEEL_KAFKA_SECURITY_PROTOCOL=PLAINTEXT does not use SASL",
                "FLYWHEEL_KAFKA_SASL_PASSWORD is set, but FLYWHEEL_KAFKA_SECURITY_PROTOCOL=PLAINTEXT does not use SASL",
            ],
        ),
        (
            {"kafka_ssl_cafile": "/etc/ca.pem"},
            ["FLYWHEEL_KAFKA_SSL_CAFILE is set, but FLYWHEEL_KAFKA_SECURITY_PROTOCOL=PLAINTEXT does not use TLS"],
        ),
        (
            {"kafka_security_protocol": "SSL", "kafka_ssl_certfile": "CLIENT"},
            ["FLYWHEEL_KAFKA_SSL_CERTFILE and FLYWHEEL_KAFKA_SSL_KEYFILE go together (mutual TLS)"],
        ),
        (
            {"kafka_security_protocol": "SSL", "kafka_ssl_cafile": "/nonexistent/ca.pem"},
            ["FLYWHEEL_KAFKA_SSL_CAFILE=/nonexistent/ca.pem cannot be read"],
        ),
    ],
    ids=["sasl-without-user", "sasl-without-password", "credentials-unused", "ca-unused", "cert-without-key", "no-ca"],
)
def test_a_bad_configuration_names_every_variable_to_fix(
    fields: dict[str, str], messages: list[str], certificates: KafkaCertificates
) -> None:
    fields = {k: str(certificates.client_cert) if v == "CLIENT" else v for k, v in fields.items()}
    with pytest.raises(KafkaSettingsError) as refused:
        security_options(settings(**fields))
    for message in messages:
        assert message in str(refused.value)


def test_a_file_that_is_no_certificate_is_refused(tmp_path: Path) -> None:
    garbage = tmp_path / "ca.pem"
    garbage.write_text("not a certificate\n")
    with pytest.raises(KafkaSettingsError, match=f"bad Kafka TLS files \\(FLYWHEEL_KAFKA_SSL_CAFILE={garbage}\\)"):
        security_options(settings(kafka_security_protocol="SSL", kafka_ssl_cafile=str(garbage)))


async def test_a_service_with_a_bad_configuration_fails_its_start_before_anything_else() -> None:
    # The database is not even reached: the settings are checked first.
    runtime = ServiceRuntime(
        "profile",
        settings(kafka_security_protocol="SASL_SSL").model_copy(
            update={"database_url": f"postgresql://nobody@127.0.0.1:{free_port()}/none"}
        ),
        Path("/nonexistent"),
    )
    with pytest.raises(KafkaSettingsError, match="needs FLYWHEEL_KAFKA_SASL_USERNAME"):
        await runtime.start()


# ---- what a refused connection is called ----

SASL = settings(
    kafka_security_protocol="SASL_SSL", kafka_sasl_username="flywheel-profile", kafka_sasl_password=PASSWORD
)


def test_refused_credentials_name_the_user_and_the_settings() -> None:
    problem = classify(SASL, "kafka:9092", SaslAuthenticationFailed("Authentication failed"))
    assert problem.permanent
    assert problem.log_line == (
        "Kafka authentication failed for user 'flywheel-profile' (SCRAM-SHA-512): "
        "check FLYWHEEL_KAFKA_SASL_USERNAME/PASSWORD"
    )


def test_an_untrusted_certificate_names_the_ca_setting() -> None:
    error = ssl.SSLCertVerificationError("certificate verify failed")
    error.verify_message = "self-signed certificate in certificate chain"
    problem = classify(SASL, "kafka:9092", error)
    assert problem.kind == "tls" and problem.permanent
    assert "TLS certificate of kafka:9092 not trusted (self-signed certificate in certificate chain)" in problem.message
    assert "FLYWHEEL_KAFKA_SSL_CAFILE" in problem.message


def test_a_mechanism_the_brokers_do_not_offer_names_the_mechanism() -> None:
    problem = classify(SASL, "kafka:9092", UnsupportedSaslMechanismError("SCRAM-SHA-512"))
    assert (
        problem.message == "kafka:9092 does not offer SASL mechanism SCRAM-SHA-512: check FLYWHEEL_KAFKA_SASL_MECHANISM"
    )


def test_a_closed_connection_is_not_called_a_credentials_problem() -> None:
    problem = classify(SASL, "kafka:9092", KafkaConnectionError("Connection at kafka:9092 closed"))
    assert problem.kind == "unreachable" and not problem.permanent
    assert "FLYWHEEL_KAFKA_SECURITY_PROTOCOL" in problem.hint


async def test_a_broker_that_is_down_is_unreachable() -> None:
    down = settings().model_copy(update={"kafka_bootstrap": f"127.0.0.1:{free_port()}"})
    problem = await diagnose(down, timeout_s=2)
    assert problem is not None and problem.kind == "unreachable" and not problem.permanent
    assert "ConnectionRefusedError" in problem.detail
