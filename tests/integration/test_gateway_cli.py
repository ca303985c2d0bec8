"""`flywheel workspace|key ...` and the dev-stack bootstrap against the session's PostgreSQL."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from devstack.postgres import LocalPostgres
from services.gateway import store
from services.gateway.domain import Principal, key_prefix
from tests.integration.conftest import fresh_database

runner = CliRunner()


def flywheel(dsn: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--database-url", dsn])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_workspaces_and_keys_round_trip(postgres: LocalPostgres) -> None:
    dsn = fresh_database(postgres, "gateway_cli")
    assert flywheel(dsn, "workspace", "create", "acme")[0] == 0
    code, _, err = flywheel(dsn, "workspace", "create", "acme")
    assert code == 2 and "already exists" in err
    code, _, err = flywheel(dsn, "workspace", "create", "Not Valid")
    assert code == 2 and "invalid workspace name" in err

    code, out, err = flywheel(dsn, "key", "create", "--workspace", "acme", "--name", "shop-web")
    assert code == 0, err
    plain = out.strip()
    assert key_prefix(plain) is not None
    assert "customers:read" in err and "admin" not in err.split("scopes", 1)[1]

    code, out, _ = flywheel(dsn, "key", "create", "-w", "acme", "-s", "events:write", "-s", "admin")
    assert code == 0
    code, _, err = flywheel(dsn, "key", "create", "--workspace", "nope")
    assert code == 2 and "does not exist" in err
    code, _, err = flywheel(dsn, "key", "create", "--workspace", "acme", "--scope", "events:delete")
    assert code == 2 and "unknown scope" in err

    code, out, _ = flywheel(dsn, "key", "list", "--workspace", "acme")
    assert code == 0 and "shop-web" in out and plain not in out
    key_id = re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", out)[0]
    assert flywheel(dsn, "key", "revoke", key_id)[0] == 0
    code, _, err = flywheel(dsn, "key", "revoke", key_id)
    assert code == 0 and "already revoked" in err
    assert flywheel(dsn, "key", "revoke", "not-an-id")[0] == 2
    assert flywheel(dsn, "key", "list", "--workspace", "nope")[0] == 2
    assert "acme" in flywheel(dsn, "workspace", "list")[1]


def test_an_unreachable_database_is_a_message_not_a_traceback() -> None:
    code, _, err = flywheel("postgresql://nobody@127.0.0.1:1/none", "workspace", "list")
    assert code == 1 and "cannot use the gateway database" in err and "Traceback" not in err


def test_the_dev_key_is_created_once_and_replaced_when_revoked(postgres: LocalPostgres, tmp_path: Path) -> None:
    dsn = fresh_database(postgres, "gateway_dev")
    key_file = tmp_path / "dev" / "demo.key"
    first = asyncio.run(store.ensure_workspace_with_key(dsn, "demo", key_file))
    assert key_file.read_text().strip() == first and key_file.stat().st_mode & 0o077 == 0
    assert asyncio.run(store.ensure_workspace_with_key(dsn, "demo", key_file)) == first
    assert asyncio.run(_principal(dsn, first)).owner == store.DEV_KEY_OWNER  # the demo's tasks are theirs

    async def revoke_all() -> None:
        async with store.admin_connection(dsn) as conn:
            for record in await store.list_keys(conn, "demo"):
                await store.revoke_key(conn, record.id)

    asyncio.run(revoke_all())
    second = asyncio.run(store.ensure_workspace_with_key(dsn, "demo", key_file))
    assert second != first and key_file.read_text().strip() == second


def test_a_rotated_key_has_a_new_secret_and_every_change_is_audited(postgres: LocalPostgres) -> None:
    dsn = fresh_database(postgres, "gateway_rotate")
    assert flywheel(dsn, "workspace", "create", "acme")[0] == 0
    code, out, _ = flywheel(dsn, "key", "create", "-w", "acme", "-s", "customers:read")
    old = out.strip()
    key_id = asyncio.run(_principal(dsn, old)).key_id

    code, out, err = flywheel(dsn, "key", "rotate", key_id, "--grace-hours", "0")
    assert code == 0 and "old secret works until" in err, err
    new = out.strip()
    assert key_prefix(new) is not None and new != old
    assert asyncio.run(_principal(dsn, new)).scopes == frozenset({"customers:read"})
    assert asyncio.run(_principal_or_none(dsn, old)) is None  # no grace asked for: gone at once
    assert flywheel(dsn, "key", "rotate", "not-an-id")[0] == 2
    assert flywheel(dsn, "key", "revoke", key_id)[0] == 0
    code, _, err = flywheel(dsn, "key", "rotate", key_id)
    assert code == 2 and "revoked" in err

    async def actions() -> list[tuple[str, str | None]]:
        async with store.admin_connection(dsn) as conn:
            rows = await conn.fetch("SELECT action, actor_key_id FROM audit_log WHERE target = $1 ORDER BY id", key_id)
        return [(r["action"], r["actor_key_id"]) for r in rows]

    assert asyncio.run(actions()) == [("key.created", None), ("key.rotated", None), ("key.revoked", None)]


async def _principal_or_none(dsn: str, plain: str) -> Principal | None:
    async with store.admin_connection(dsn) as conn:
        return await store.find_principal(conn, plain)


async def _principal(dsn: str, plain: str) -> Principal:
    principal = await _principal_or_none(dsn, plain)
    assert principal is not None
    return principal
