"""asyncpg pool and the forward-only migration runner every service uses."""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias
from urllib.parse import parse_qs, urlsplit

import asyncpg
import orjson
from asyncpg.pool import PoolConnectionProxy

from runtime.settings import RuntimeSettings

log = logging.getLogger(__name__)

# What a handler or store receives: a plain connection or one borrowed from the pool.
Connection: TypeAlias = asyncpg.Connection | PoolConnectionProxy

RUNTIME_MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATION_LOCK = 0x46_57_4D_49  # arbitrary constant: one migrator at a time per database
# DSN parameters naming files asyncpg reads for TLS (sslmode=verify-full&sslrootcert=...): a missing one fails
# the connection with a bare "No such file or directory" naming no file, so they are checked first.
_TLS_FILE_PARAMETERS = ("sslrootcert", "sslcert", "sslkey", "sslcrl")


class DatabaseConfigurationError(RuntimeError):
    """The database URL cannot work as written (said before any connection is tried)."""


def check_tls_files(dsn: str) -> None:
    """Refuse a DSN whose TLS parameters name a file that cannot be read, e.g. a CA certificate whose
    Secret is not mounted where `sslrootcert` says. TLS itself is the DSN's: asyncpg honours sslmode,
    sslrootcert, sslcert, sslkey, sslpassword, sslcrl and ssl_min_protocol_version in the URL."""
    query = parse_qs(urlsplit(dsn).query)
    for parameter in _TLS_FILE_PARAMETERS:
        for path in query.get(parameter, []):
            if not os.access(path, os.R_OK):
                raise DatabaseConfigurationError(
                    f"the database URL's {parameter} is {path}, which cannot be read: is the file there (a Secret "
                    "mounted at that path) and readable by this process?"
                )


async def _init_connection(conn: Connection) -> None:
    # jsonb in binary format (a version byte, then the text) so COPY works with it too. `bytes` are
    # taken as JSON text already (e.g. an event as received), saving a decode and re-encode.
    await conn.set_type_codec(
        "jsonb",
        encoder=lambda v: b"\x01" + (v if isinstance(v, bytes) else orjson.dumps(v)),
        decoder=lambda b: orjson.loads(b[1:]),
        schema="pg_catalog",
        format="binary",
    )
    await conn.set_type_codec(
        "json", encoder=lambda v: orjson.dumps(v).decode(), decoder=orjson.loads, schema="pg_catalog"
    )


async def create_pool(settings: RuntimeSettings) -> asyncpg.Pool:
    check_tls_files(settings.database_url)
    pool = await asyncpg.create_pool(
        settings.database_url,
        min_size=settings.db_pool_min,
        max_size=settings.db_pool_max,
        init=_init_connection,
        reset=_keep_session,
        command_timeout=60,
    )
    assert pool is not None
    return pool


async def _keep_session(conn: Connection) -> None:
    """On release, asyncpg's default reset (`RESET ALL; UNLISTEN *; CLOSE ALL; pg_advisory_unlock_all()`) costs a
    round trip per request: measured, about a tenth of a service's CPU in the gateway's 360 view. Flywheel keeps
    no session state on pooled connections (no SET, LISTEN or cursors; the singleton jobs' advisory lock is
    released in a finally), and asyncpg still rolls back a transaction left open before calling this."""


@dataclass(frozen=True)
class Migration:
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def load_migrations(namespace: str, directory: Path) -> list[Migration]:
    """`NNNN_description.sql` files of a directory, in order, named `<namespace>/<file>`."""
    return [Migration(f"{namespace}/{path.name}", path.read_text()) for path in sorted(directory.glob("*.sql"))]


async def migrate(dsn: str, service: str, service_migrations: Path) -> list[str]:
    """Apply the runtime's and the service's pending migrations; returns the names applied.

    Forward-only: an applied migration is never edited (its checksum is checked) nor undone.
    """
    check_tls_files(dsn)
    pending = load_migrations("runtime", RUNTIME_MIGRATIONS) + load_migrations(service, service_migrations)
    conn = await asyncpg.connect(dsn)
    applied_now: list[str] = []
    try:
        await conn.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK)
        await conn.execute(
            """CREATE TABLE IF NOT EXISTS flywheel_schema_migrations (
                   name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"""
        )
        applied = {
            r["name"]: r["checksum"] for r in await conn.fetch("SELECT name, checksum FROM flywheel_schema_migrations")
        }
        for migration in pending:
            if migration.name in applied:
                if applied[migration.name] != migration.checksum:
                    raise RuntimeError(
                        f"migration {migration.name} was changed after it was applied; "
                        "add a new migration instead of editing an applied one"
                    )
                continue
            async with conn.transaction():
                await conn.execute(migration.sql)
                await conn.execute(
                    "INSERT INTO flywheel_schema_migrations (name, checksum) VALUES ($1, $2)",
                    migration.name,
                    migration.checksum,
                )
            applied_now.append(migration.name)
            log.info("applied migration", extra={"migration": migration.name})
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _MIGRATION_LOCK)
        await conn.close()
    return applied_now


async def prune_processed_events(pool: asyncpg.Pool, retention_hours: int) -> int:
    """Delete de-duplication ids older than the retention; returns how many went."""
    status: str = await pool.execute(
        "DELETE FROM flywheel_processed_events WHERE processed_at < now() - make_interval(hours => $1)",
        retention_hours,
    )
    return int(status.rsplit(maxsplit=1)[-1])
