"""A database URL with TLS (`?sslmode=verify-full&sslrootcert=...`) whose certificate file is missing is refused
with a message naming the parameter and the path, before any connection (asyncpg's own error names neither)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from runtime.db import DatabaseConfigurationError, check_tls_files, create_pool, migrate
from runtime.settings import RuntimeSettings

UNREACHABLE = "postgresql://flywheel_profile:secret@127.0.0.1:1/flywheel_profile"  # nothing listens on port 1


async def test_the_migrator_names_a_missing_ca_file(tmp_path: Path) -> None:
    dsn = f"{UNREACHABLE}?sslmode=verify-full&sslrootcert={tmp_path}/postgres-ca/ca.crt"
    with pytest.raises(
        DatabaseConfigurationError, match=re.escape(f"sslrootcert is {tmp_path}/postgres-ca/ca.crt, which cannot")
    ):
        await migrate(dsn, "profile", tmp_path)


async def test_the_pool_names_a_missing_client_key(tmp_path: Path) -> None:
    (tmp_path / "client.crt").write_text("certificate")
    dsn = f"{UNREACHABLE}?sslmode=verify-full&sslcert={tmp_path}/client.crt&sslkey={tmp_path}/client.key"
    with pytest.raises(DatabaseConfigurationError, match=re.escape(f"sslkey is {tmp_path}/client.key")):
        await create_pool(RuntimeSettings(database_url=dsn))


@pytest.mark.parametrize("query", ["", "?sslmode=verify-full&sslrootcert={ca}", "?sslmode=require", "?sslmode=disable"])
def test_readable_files_and_no_files_pass(tmp_path: Path, query: str) -> None:
    (tmp_path / "ca.crt").write_text("-----BEGIN CERTIFICATE-----")
    check_tls_files(UNREACHABLE + query.format(ca=tmp_path / "ca.crt"))
