"""Why a Kafka client cannot connect, in words an operator can act on.

aiokafka reports every failed bootstrap as the same KafkaConnectionError ("Unable to bootstrap from ..."),
whether the broker is down, refuses the credentials or presents a certificate nobody trusts. Opening one
connection ourselves, with the same settings, tells which: a wrong password or CA is a setting to fix, not
a broker to wait for, so a service says so (in its readiness and its logs) instead of retrying silently.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass
from typing import Literal

from aiokafka.conn import collect_hosts, create_conn
from aiokafka.errors import (
    IllegalSaslStateError,
    KafkaConnectionError,
    SaslAuthenticationFailed,
    UnsupportedSaslMechanismError,
)

from runtime.kafka import TLS_PROTOCOLS, security_options
from runtime.settings import RuntimeSettings

ProblemKind = Literal["authentication", "tls", "unreachable"]

CREDENTIALS_HINT = "check FLYWHEEL_KAFKA_SASL_USERNAME/PASSWORD"


@dataclass(frozen=True)
class BrokerProblem:
    kind: ProblemKind
    detail: str  # what failed, e.g. "authentication failed for user 'profile' (SCRAM-SHA-512)"
    hint: str  # which settings to check

    @property
    def permanent(self) -> bool:
        """Retrying with the same settings cannot help (a broker that is down may come back)."""
        return self.kind != "unreachable"

    @property
    def message(self) -> str:
        return f"{self.detail}: {self.hint}"

    @property
    def log_line(self) -> str:
        return f"Kafka {self.message}"


async def diagnose(settings: RuntimeSettings, timeout_s: float = 5.0) -> BrokerProblem | None:
    """Connect to each bootstrap server in turn (TLS handshake and SASL authentication included) and name
    the first server's problem when none accepts; None when one does (the failure was elsewhere)."""
    options = security_options(settings)
    first: BrokerProblem | None = None
    for host, port, _family in collect_hosts(settings.kafka_bootstrap, randomize=False):
        try:
            async with asyncio.timeout(timeout_s):
                conn = await create_conn(
                    host,
                    port,
                    client_id=f"flywheel-{settings.service_name}-probe",
                    request_timeout_ms=int(timeout_s * 1000),
                    **options,
                )
        except Exception as exc:  # every failure is classified; none escapes the diagnosis
            first = first or classify(settings, f"{host}:{port}", exc)
            continue
        conn.close()
        return None
    return first


def classify(settings: RuntimeSettings, address: str, exc: BaseException) -> BrokerProblem:
    mechanism = settings.kafka_sasl_mechanism
    if isinstance(exc, SaslAuthenticationFailed):
        return BrokerProblem(
            "authentication",
            f"authentication failed for user {settings.kafka_sasl_username!r} ({mechanism})",
            CREDENTIALS_HINT,
        )
    if isinstance(exc, UnsupportedSaslMechanismError):
        return BrokerProblem(
            "authentication",
            f"{address} does not offer SASL mechanism {mechanism}",
            "check FLYWHEEL_KAFKA_SASL_MECHANISM",
        )
    if isinstance(exc, IllegalSaslStateError):
        return BrokerProblem(
            "authentication", f"{address} refused the SASL handshake", "check FLYWHEEL_KAFKA_SECURITY_PROTOCOL"
        )
    if isinstance(exc, ssl.SSLCertVerificationError):
        return BrokerProblem(
            "tls",
            f"TLS certificate of {address} not trusted ({exc.verify_message})",
            "check FLYWHEEL_KAFKA_SSL_CAFILE and that FLYWHEEL_KAFKA_BOOTSTRAP names a host the certificate names",
        )
    if isinstance(exc, ssl.SSLError):
        return BrokerProblem(
            "tls",
            f"TLS handshake with {address} failed ({exc.reason or exc})",
            "check FLYWHEEL_KAFKA_SECURITY_PROTOCOL and, for mutual TLS, FLYWHEEL_KAFKA_SSL_CERTFILE/KEYFILE",
        )
    if isinstance(exc, KafkaConnectionError) and settings.kafka_security_protocol in TLS_PROTOCOLS:
        # A listener that wants a client certificate refuses one without it after the handshake (TLS 1.3):
        # the client only sees the connection close, as on a listener of another protocol.
        return BrokerProblem(
            "unreachable",
            f"{address} closed the connection",
            "check FLYWHEEL_KAFKA_SECURITY_PROTOCOL matches the listener and, for mutual TLS, "
            "FLYWHEEL_KAFKA_SSL_CERTFILE/KEYFILE",
        )
    text = str(exc)
    what = text if text.startswith(type(exc).__name__) else f"{type(exc).__name__}{f': {text}' if text else ''}"
    return BrokerProblem(
        "unreachable",
        f"broker unreachable at {address} ({what})",
        "check FLYWHEEL_KAFKA_BOOTSTRAP and FLYWHEEL_KAFKA_SECURITY_PROTOCOL",
    )
