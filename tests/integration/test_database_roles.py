"""One least-privilege PostgreSQL role per service (issue 16, acceptance 3), as devstack and docker-compose's
init make them (deploy/compose/postgres/service-database.sql): the owner of its own database and nothing
more. A compromised service reads no other service's data, runs no program on the server and reads no
server file; yet its migrations (tables, functions, triggers) and its LISTEN/NOTIFY work as that role."""

from __future__ import annotations

import asyncio
import json
import stat
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import pytest

from devstack.postgres import LocalPostgres, service_role
from runtime.db import migrate
from runtime.outbox import COMMIT_CHANNEL
from tests.integration.conftest import SERVICE_NAMES, fresh_database

SERVICES_DIR = Path(__file__).resolve().parents[2] / "services"


def database_of(dsn: str) -> str:
    return urlsplit(dsn).path.lstrip("/")


@asynccontextmanager
async def connected(dsn: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(dsn)
    try:
        yield conn
    finally:
        await conn.close()


@pytest.fixture(scope="module")
async def scoring_dsn(postgres: LocalPostgres) -> str:
    """A scoring database, migrated by the scoring role, with a customer's score in it."""
    dsn = fresh_database(postgres, "scoring")
    await migrate(dsn, "scoring", SERVICES_DIR / "scoring" / "migrations")
    async with connected(dsn) as conn:
        await conn.execute("CREATE TABLE secrets_of_scoring (customer_id text, score int)")
        await conn.execute("INSERT INTO secrets_of_scoring VALUES ('c1', 97)")
    return dsn


async def test_the_profile_role_cannot_connect_to_the_scoring_database(
    postgres: LocalPostgres, scoring_dsn: str
) -> None:
    fresh_database(postgres, "profile")  # the profile role exists, with its own database
    as_profile = postgres.role_dsn(service_role("profile"), database_of(scoring_dsn))
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied for database"):
        await asyncpg.connect(as_profile)
    for maintenance in ("postgres", "template1"):
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied for database"):
            await asyncpg.connect(postgres.role_dsn(service_role("profile"), maintenance))


async def test_the_profile_role_reads_nothing_of_scoring_even_if_let_in_by_mistake(
    postgres: LocalPostgres, scoring_dsn: str
) -> None:
    """Defence in depth: were CONNECT granted by mistake, the schema and its tables stay the scoring role's."""
    fresh_database(postgres, "profile")
    database = database_of(scoring_dsn)
    async with connected(postgres.dsn(database)) as admin:
        await admin.execute(f'GRANT CONNECT ON DATABASE "{database}" TO {service_role("profile")}')
        try:
            async with connected(postgres.role_dsn(service_role("profile"), database)) as intruder:
                with pytest.raises(asyncpg.UndefinedTableError):  # the schema is not even searched
                    await intruder.fetch("SELECT * FROM secrets_of_scoring")
                with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied for schema public"):
                    await intruder.fetch("SELECT * FROM public.secrets_of_scoring")
                with pytest.raises(asyncpg.InsufficientPrivilegeError):
                    await intruder.execute("CREATE TABLE public.planted (x int)")
        finally:
            await admin.execute(f'REVOKE CONNECT ON DATABASE "{database}" FROM {service_role("profile")}')


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("COPY (SELECT 1) TO PROGRAM 'id'", "pg_execute_server_program"),
        ("COPY secrets FROM PROGRAM 'cat /etc/passwd'", "pg_execute_server_program"),
        ("COPY secrets FROM '/etc/passwd'", "pg_read_server_files"),
        ("COPY secrets TO '/tmp/flywheel-exfiltrated'", "pg_write_server_files"),
        ("SELECT pg_read_file('postgresql.conf')", "permission denied for function pg_read_file"),
        ("SELECT pg_ls_dir('.')", "permission denied for function pg_ls_dir"),
        ("CREATE DATABASE flywheel_planted", "permission denied to create database"),
        ("CREATE ROLE flywheel_planted", "permission denied to create role"),
        ("ALTER ROLE CURRENT_USER SUPERUSER", "permission denied to alter role"),
        ("GRANT pg_execute_server_program TO CURRENT_USER", "permission denied to grant role"),
        ("ALTER SYSTEM SET log_statement = 'all'", "permission denied to set parameter"),
        ("CREATE EXTENSION file_fdw", "permission denied to create extension"),
    ],
)
async def test_a_service_role_runs_no_program_and_touches_no_server_file(
    postgres: LocalPostgres, statement: str, refusal: str
) -> None:
    async with connected(fresh_database(postgres, "profile")) as conn:
        await conn.execute("CREATE TABLE IF NOT EXISTS secrets (line text)")
        with pytest.raises(asyncpg.PostgresError, match=refusal):
            await conn.execute(statement)


async def test_a_service_role_is_a_login_and_nothing_more(postgres: LocalPostgres) -> None:
    dsn = fresh_database(postgres, "profile")
    async with connected(dsn) as conn:
        role = await conn.fetchrow(
            """SELECT rolname, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolcanlogin,
                      (SELECT count(*) FROM pg_auth_members WHERE member = pg_roles.oid) AS memberships
                 FROM pg_roles WHERE rolname = current_user"""
        )
        assert role is not None
        assert dict(role) == {
            "rolname": "flywheel_profile",
            "rolsuper": False,
            "rolcreatedb": False,
            "rolcreaterole": False,
            "rolreplication": False,
            "rolbypassrls": False,
            "rolcanlogin": True,
            "memberships": 0,
        }
        owners = await conn.fetchrow(
            """SELECT (SELECT datdba::regrole::text FROM pg_database WHERE datname = current_database()) AS database,
                      (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'public') AS schema"""
        )
        assert owners is not None
        assert dict(owners) == {"database": "flywheel_profile", "schema": "flywheel_profile"}


@pytest.mark.parametrize("service", SERVICE_NAMES)
async def test_each_service_migrates_as_its_role_and_owns_what_it_made(postgres: LocalPostgres, service: str) -> None:
    dsn = fresh_database(postgres, service)
    assert urlsplit(dsn).username == service_role(service)
    assert await migrate(dsn, service, SERVICES_DIR / service / "migrations")
    async with connected(postgres.dsn(database_of(dsn))) as admin:
        foreign = await admin.fetch(
            """SELECT c.relname AS name, c.relowner::regrole::text AS owner FROM pg_class AS c
                WHERE c.relnamespace = 'public'::regnamespace AND c.relowner <> $1::regrole
               UNION ALL
               SELECT p.proname, p.proowner::regrole::text FROM pg_proc AS p
                WHERE p.pronamespace = 'public'::regnamespace AND p.proowner <> $1::regrole""",
            service_role(service),
        )
    assert foreign == []


async def test_change_triggers_notify_the_relay_as_a_service_role(postgres: LocalPostgres, tmp_path: Path) -> None:
    """runtime migration 0004's trigger function writes the outbox and notifies, run by the owner (no superuser)."""
    (tmp_path / "0001_things.sql").write_text(
        "CREATE TABLE things (workspace text NOT NULL, customer_id text);\n"
        "SELECT flywheel_track_customer_changes('things', 'journey', 'customer_id');\n"
    )
    dsn = fresh_database(postgres, "journey")
    await migrate(dsn, "journey", tmp_path)
    heard: asyncio.Queue[str] = asyncio.Queue()
    async with connected(dsn) as listener, connected(dsn) as writer:
        await listener.add_listener(COMMIT_CHANNEL, lambda *args: heard.put_nowait(args[2]))
        await writer.execute("INSERT INTO things VALUES ('w1', 'c1'), ('w1', 'c2')")
        await asyncio.wait_for(heard.get(), timeout=10)
        (value,) = await writer.fetch("SELECT convert_from(value, 'UTF8') AS value FROM flywheel_outbox")
    assert json.loads(value["value"])["data"] == {"customer_ids": ["c1", "c2"]}


async def test_a_database_made_before_roles_is_handed_to_its_role(postgres: LocalPostgres) -> None:
    """A data directory of `make run` from before per-service roles: the superuser owned everything."""
    name = f"sales_legacy_{uuid.uuid4().hex[:8]}"
    postgres.ensure_databases([name])
    async with connected(postgres.dsn(name)) as admin:
        await admin.execute(
            """CREATE TABLE deals (id bigserial PRIMARY KEY, amount int);
               CREATE TABLE notes (id int GENERATED ALWAYS AS IDENTITY, body text);
               CREATE SEQUENCE quote_numbers;
               CREATE VIEW big_deals AS SELECT * FROM deals WHERE amount > 100;
               CREATE TYPE stage AS ENUM ('open', 'won');
               CREATE FUNCTION double(x int) RETURNS int LANGUAGE sql AS 'SELECT 2 * x';
               INSERT INTO deals (amount) VALUES (500);"""
        )
    dsn = postgres.ensure_service_database(service_role("sales"), name)
    async with connected(dsn) as conn:
        await conn.execute(
            """INSERT INTO deals (amount) VALUES (7); INSERT INTO notes (body) VALUES ('n');
               ALTER TABLE deals ADD COLUMN stage stage; DROP VIEW big_deals; DROP FUNCTION double(int);"""
        )
        assert await conn.fetchval("SELECT nextval('quote_numbers')") == 1
        assert await conn.fetchval("SELECT sum(amount) FROM deals") == 507


async def test_every_connection_needs_its_password(postgres: LocalPostgres) -> None:
    dsn = urlsplit(fresh_database(postgres, "gateway"))
    without = dsn._replace(netloc=f"{dsn.username}@{dsn.hostname}:{dsn.port}").geturl()
    wrong = dsn._replace(netloc=f"{dsn.username}:guessed@{dsn.hostname}:{dsn.port}").geturl()
    superuser = f"postgresql://{postgres.user}@{dsn.hostname}:{dsn.port}/postgres"
    for attempt in (without, wrong, superuser):
        with pytest.raises(asyncpg.InvalidPasswordError):
            await asyncpg.connect(attempt)
    # Kept beside the data directory, for its owner's eyes only.
    assert stat.S_IMODE(postgres.passwords_file.stat().st_mode) == 0o600


async def test_the_role_is_made_once_and_kept(postgres: LocalPostgres) -> None:
    """Each fresh database of a service reuses its role (the integration tests make hundreds of databases)."""
    first, second = fresh_database(postgres, "referral"), fresh_database(postgres, "referral")
    assert urlsplit(first).password == urlsplit(second).password
    async with connected(first) as one, connected(second) as other:
        assert await one.fetchval("SELECT current_user") == await other.fetchval("SELECT current_user")
    async with connected(postgres.dsn()) as admin:
        assert await admin.fetchval("SELECT count(*) FROM pg_roles WHERE rolname = 'flywheel_referral'") == 1
