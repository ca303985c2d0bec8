"""Certificates for a local Apache Kafka with TLS: a throw-away CA, the broker's certificate and, for mutual
TLS, a client's, written as PEM files (Kafka 4 reads PEM key stores: ssl.keystore.type=PEM).

For tests and local runs only: the CA key is never written (no certificate is added later) and nothing is
revoked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from devstack.certificates import CLIENT, SERVER, CertificateAuthority, write_private


@dataclass(frozen=True)
class KafkaCertificates:
    ca_file: Path  # the CA certificate: the clients' FLYWHEEL_KAFKA_SSL_CAFILE and the broker's trust store
    broker_keystore: Path  # the broker's private key, then its certificate (ssl.keystore.type=PEM)
    client_cert: Path  # a client certificate for mutual TLS (FLYWHEEL_KAFKA_SSL_CERTFILE)
    client_key: Path  # its private key (FLYWHEEL_KAFKA_SSL_KEYFILE)
    client_name: str  # the client certificate's common name: its Kafka principal on a mutual TLS listener


def make_certificates(
    directory: Path, host: str = "127.0.0.1", *, broker_name: str = "broker", client_name: str = "flywheel"
) -> KafkaCertificates:
    """A CA, a broker certificate valid for `host` (and localhost) and a client certificate, written under
    `directory` (keys readable by the owner only). The common names are the principals of the broker (it
    also connects to itself: inter-broker and controller traffic use mutual TLS) and of the client."""
    directory.mkdir(parents=True, exist_ok=True)
    authority = CertificateAuthority.create("Flywheel local Kafka CA")
    broker = authority.issue(broker_name, ("localhost", host), SERVER + CLIENT)
    client = authority.issue(client_name, (), CLIENT)
    ca = authority.certificate_pem()
    return KafkaCertificates(
        ca_file=write_private(directory / "ca.pem", ca),
        broker_keystore=write_private(
            directory / "broker-keystore.pem", broker.key_pem() + broker.certificate_pem() + ca
        ),
        client_cert=write_private(directory / "client.pem", client.certificate_pem() + ca),
        client_key=write_private(directory / "client-key.pem", client.key_pem()),
        client_name=client_name,
    )
