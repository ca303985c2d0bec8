"""TLS to PostgreSQL is configured in the DSN alone (`?sslmode=verify-full&sslrootcert=<CA file>`), and every
connection a service opens honours it: the migrator, the pool and the outbox relay's LISTEN connection.

PostgreSQL here sits behind a proxy that terminates TLS with a certificate of the test's own CA and turns
away clients that do not ask for TLS (tests/postgres_tls.py): a connection path that ignored the DSN's
TLS parameters would either be turned away or would not check the certificate, which the tests with a CA
that did not sign it, or a certificate of another host name, would show.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from devstack.postgres import LocalPostgres
from runtime.db import create_pool, migrate
from runtime.outbox import OutboxRelay
from runtime.settings import RuntimeSettings
from services.referral.wiring import create_app as create_referral_app
from tests.helpers import wait_for
from tests.integration.conftest import fresh_database, running_app
from tests.postgres_tls import ServerAuthority, TlsTerminator, tls_terminator

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "referral" / "migrations"


@dataclass(frozen=True)
class Authorities:
    trusted: ServerAuthority  # signs the proxy's certificate
    other: ServerAuthority  # a CA that signed nothing the proxy shows


@pytest.fixture(scope="module")
def authorities(tmp_path_factory: pytest.TempPathFactory) -> Authorities:
    directory = tmp_path_factory.mktemp("postgres-tls")
    return Authorities(ServerAuthority.create(directory, "trusted"), ServerAuthority.create(directory, "other"))


@pytest.fixture
async def proxy(postgres: LocalPostgres, authorities: Authorities) -> AsyncIterator[TlsTerminator]:
    async with tls_terminator(postgres.port, authorities.trusted.server_context("127.0.0.1")) as running:
        yield running


def through(dsn: str, proxy: TlsTerminator, **parameters: str | Path) -> str:
    """`dsn` sent through the proxy, with `parameters` as its query (sslmode, sslrootcert, ...)."""
    parts = urlsplit(dsn)
    netloc = parts.netloc.rsplit(":", 1)[0] + f":{proxy.port}"
    query = "&".join(f"{name}={value}" for name, value in parameters.items())
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def verify_full(dsn: str, proxy: TlsTerminator, authority: ServerAuthority) -> str:
    return through(dsn, proxy, sslmode="verify-full", sslrootcert=authority.ca_file)


async def listeners(postgres: LocalPostgres, database: str) -> int:
    """Backends of `database` whose last statement was the outbox relay's LISTEN."""
    conn = await asyncpg.connect(postgres.dsn("postgres"))
    try:
        count: int = await conn.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'LISTEN%'", database
        )
        return count
    finally:
        await conn.close()


async def test_a_service_runs_with_every_connection_over_verified_tls(
    postgres: LocalPostgres, topics: str, broker_kind: str, proxy: TlsTerminator, authorities: Authorities
) -> None:
    dsn = verify_full(fresh_database(postgres, "referral_tls"), proxy, authorities.trusted)
    async with running_app("referral", create_referral_app, postgres, topics, broker_kind, dsn=dsn) as referral:
        database = urlsplit(dsn).path.lstrip("/")
        # The relay's own connection hears commits: it went through the proxy, so over TLS.
        await wait_for(lambda: listeners(postgres, database), within=10, what="the outbox relay's LISTEN")
        answer = await referral.client.get("/internal/v1/workspaces/tls/programs")  # the pool's connections
        assert answer.status_code == 200, answer.text
    assert proxy.refused == 0 and proxy.failed == 0
    assert proxy.handshakes >= 3  # the migrator, the pool (at least two), the listener


async def test_the_migrator_refuses_a_server_its_ca_did_not_sign(
    postgres: LocalPostgres, proxy: TlsTerminator, authorities: Authorities
) -> None:
    dsn = verify_full(fresh_database(postgres, "referral_tls"), proxy, authorities.other)
    with pytest.raises(ssl.SSLCertVerificationError):
        await migrate(dsn, "referral", MIGRATIONS)
    await proxy.settled()
    assert proxy.handshakes == 0 and proxy.failed == 1


async def test_the_pool_refuses_a_server_its_ca_did_not_sign(
    postgres: LocalPostgres, proxy: TlsTerminator, authorities: Authorities
) -> None:
    dsn = verify_full(fresh_database(postgres, "referral_tls"), proxy, authorities.other)
    with pytest.raises(ssl.SSLCertVerificationError):
        await create_pool(RuntimeSettings(database_url=dsn, db_pool_min=1))
    await proxy.settled()
    assert proxy.handshakes == 0 and proxy.failed >= 1


@contextlib.asynccontextmanager
async def relay_running(pool: asyncpg.Pool, listen_dsn: str) -> AsyncIterator[None]:
    """An outbox relay with nothing to publish (so no producer), listening for commits on `listen_dsn`."""
    relay = OutboxRelay(pool, None, "referral", 100, 0.05, listen_dsn=listen_dsn)
    stopping = asyncio.Event()
    task = asyncio.create_task(relay.run(stopping))
    try:
        yield
    finally:
        stopping.set()
        await task


async def test_the_relay_listens_only_to_a_server_its_ca_signed(
    postgres: LocalPostgres, proxy: TlsTerminator, authorities: Authorities, caplog: pytest.LogCaptureFixture
) -> None:
    plain = fresh_database(postgres, "referral_tls")
    database = urlsplit(plain).path.lstrip("/")
    await migrate(plain, "referral", MIGRATIONS)
    pool = await create_pool(RuntimeSettings(database_url=plain, db_pool_min=1))
    refused = "outbox relay cannot listen for commits; polling only"

    async def refusal_logged() -> bool:
        return refused in caplog.text

    try:
        with caplog.at_level(logging.WARNING, logger="runtime.outbox"):
            async with relay_running(pool, verify_full(plain, proxy, authorities.other)):
                await wait_for(refusal_logged, within=10, what="the relay giving up on the untrusted server")
                assert await listeners(postgres, database) == 0
            caplog.clear()
            async with relay_running(pool, verify_full(plain, proxy, authorities.trusted)):
                await wait_for(lambda: listeners(postgres, database), within=10, what="the relay's LISTEN")
            assert not await refusal_logged()
    finally:
        await pool.close()


async def test_verify_full_checks_the_host_name(postgres: LocalPostgres, authorities: Authorities) -> None:
    """A certificate of the right CA for another host: verify-ca accepts it, verify-full does not."""
    dsn = fresh_database(postgres, "referral_tls")
    async with tls_terminator(postgres.port, authorities.trusted.server_context("db.example")) as proxy:
        with pytest.raises(ssl.SSLCertVerificationError, match="IP address mismatch"):
            await asyncpg.connect(verify_full(dsn, proxy, authorities.trusted))
        conn = await asyncpg.connect(through(dsn, proxy, sslmode="verify-ca", sslrootcert=authorities.trusted.ca_file))
        await conn.close()
        await proxy.settled()
    assert proxy.failed == 1 and proxy.handshakes == 1


async def test_a_client_without_tls_is_turned_away(postgres: LocalPostgres, proxy: TlsTerminator) -> None:
    dsn = through(fresh_database(postgres, "referral_tls"), proxy, sslmode="disable")
    with pytest.raises((ConnectionError, asyncpg.PostgresError)):
        await asyncpg.connect(dsn, timeout=5)
    await proxy.settled()
    assert proxy.refused == 1
