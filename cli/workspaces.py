"""`flywheel workspace ...` and `flywheel key ...`: tenants and their API keys in the gateway database.

The logic lives in services.gateway (store + domain) so `make run` and the CLI share it; this module
only parses options, prints, and turns failures into messages and exit codes (never a traceback).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Annotated, NoReturn, TypeVar

import asyncpg
import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Column, Table

from services.gateway import audit, store
from services.gateway.domain import ALL_SCOPES, DEFAULT_KEY_SCOPES, PRIVILEGED_SCOPES, AdminError
from services.gateway.settings import GatewayServiceSettings

T = TypeVar("T")

workspace_app = typer.Typer(help="Workspaces (tenants).", no_args_is_help=True)
key_app = typer.Typer(help="API keys of a workspace.", no_args_is_help=True)

out = Console()
err = Console(stderr=True)

EXIT_FAILED = 1  # the operation could not be done (database unreachable, ...)
EXIT_BAD_INPUT = 2  # the request was wrong (unknown workspace, bad name, ...); same code as usage errors

DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", help="Gateway database DSN (default: FLYWHEEL_DATABASE_URL).", show_default=False),
]
WorkspaceOpt = Annotated[str, typer.Option("--workspace", "-w", help="Workspace name.")]


def _fail(message: str, code: int) -> NoReturn:
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def _run(database_url: str | None, work: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
    """Run `work` on a migrated gateway database connection, mapping every failure to a message."""

    async def main() -> T:
        dsn = database_url or GatewayServiceSettings().database_url  # inside: bad FLYWHEEL_* values are reported too
        async with store.admin_connection(dsn) as conn:
            return await work(conn)

    try:
        return asyncio.run(main())
    except AdminError as exc:
        _fail(str(exc), EXIT_BAD_INPUT)
    except (TimeoutError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        _fail(f"cannot use the gateway database: {type(exc).__name__}: {exc}", EXIT_FAILED)
    except Exception as exc:  # e.g. a malformed DSN: still a message, not a traceback
        _fail(f"{type(exc).__name__}: {exc}", EXIT_FAILED)


def _print_rows(headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    """A table on a terminal; tab-separated lines when piped, so scripts can `cut` them."""
    if not out.is_terminal:
        for row in rows:
            print("\t".join(row))
        return
    # The first column (names, ids copied into other commands) is never wrapped nor truncated.
    table = Table(Column(headers[0], no_wrap=True), *(Column(h, overflow="fold") for h in headers[1:]), box=box.SIMPLE)
    for row in rows:
        table.add_row(*row)
    out.print(table)


@workspace_app.command("create")
def workspace_create(
    name: Annotated[str, typer.Argument(help="Lowercase letters, digits, '-' and '_'; at most 63.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Create a workspace."""
    _run(database_url, lambda conn: store.create_workspace(conn, name))
    err.print(f"created workspace [bold]{name}[/bold]; next: flywheel key create --workspace {name}")


@workspace_app.command("list")
def workspace_list(database_url: DatabaseUrl = None) -> None:
    """List workspaces and how many live keys each has."""
    rows = _run(database_url, store.list_workspaces)
    _print_rows(("workspace", "created", "live keys"), [(n, f"{c:%Y-%m-%d %H:%M}", str(k)) for n, c, k in rows])


@key_app.command("create")
def key_create(
    workspace: WorkspaceOpt,
    scope: Annotated[
        list[str] | None,
        typer.Option(
            "--scope",
            "-s",
            help=f"Repeatable; one of {', '.join(ALL_SCOPES)}. Default: all but {' and '.join(PRIVILEGED_SCOPES)}.",
            show_default=False,
        ),
    ] = None,
    name: Annotated[str, typer.Option("--name", "-n", help="What the key is for, e.g. 'shop-web'.")] = "default",
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            "-o",
            help="Who the key acts for (a person or system, e.g. maria@shop.example); approvals made with it record "
            "it, and it never changes. Required with sales:approve. Default: the key itself (key:<id>).",
            show_default=False,
        ),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create an API key and print it once (only its hash is stored)."""
    scopes = scope or list(DEFAULT_KEY_SCOPES)

    async def create(conn: asyncpg.Connection) -> tuple[store.KeyRecord, str]:
        async with conn.transaction():
            record, plain = await store.create_key(conn, workspace, name, scopes, owner=owner)
            await _audit(conn, record, audit.KEY_CREATED)
            return record, plain

    record, plain = _run(database_url, create)
    err.print(
        f"created key [bold]{record.id}[/bold] ({escape(record.name)}) for workspace {record.workspace} "
        f"with scopes {', '.join(record.scopes)}, acting for {escape(record.owner)}.\n"
        "[yellow]It is shown only now; store it safely.[/yellow]"
    )
    print(plain)  # alone on stdout, so `KEY=$(flywheel key create ...)` works


@key_app.command("list")
def key_list(workspace: WorkspaceOpt, database_url: DatabaseUrl = None) -> None:
    """List a workspace's keys (never the keys themselves: only their public prefix)."""
    records = _run(database_url, lambda conn: store.list_keys(conn, workspace))
    rows = [
        (
            r.id,
            r.name,
            f"fw_{r.prefix}_…",
            ",".join(r.scopes),
            r.owner,
            f"{r.created_at:%Y-%m-%d %H:%M}",
            f"{r.revoked_at:%Y-%m-%d %H:%M}" if r.revoked_at else "",
        )
        for r in records
    ]
    _print_rows(("id", "name", "prefix", "scopes", "owner", "created", "revoked"), rows)


@key_app.command("revoke")
def key_revoke(
    key_id: Annotated[str, typer.Argument(help="The key's id, from `flywheel key list`.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Revoke a key. Running gateways stop accepting it within 30 s (their key cache lifetime)."""

    async def revoke(conn: asyncpg.Connection) -> tuple[store.KeyRecord, bool]:
        async with conn.transaction():
            record, revoked_now = await store.revoke_key(conn, key_id)
            if revoked_now:
                await _audit(conn, record, audit.KEY_REVOKED)
            return record, revoked_now

    record, revoked_now = _run(database_url, revoke)
    if revoked_now:
        err.print(
            f"revoked key {record.id} ({escape(record.name)}) of workspace {record.workspace}; effective within 30 s"
        )
    else:
        err.print(f"key {record.id} was already revoked")


@key_app.command("rotate")
def key_rotate(
    key_id: Annotated[str, typer.Argument(help="The key's id, from `flywheel key list`.")],
    grace_hours: Annotated[
        float | None,
        typer.Option(
            "--grace-hours",
            min=0,
            help="How long the old secret keeps working (default: FLYWHEEL_KEY_ROTATION_GRACE_HOURS, 24).",
            show_default=False,
        ),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Give a key a new secret (same id and scopes) and print it once; the old one works for the grace period."""

    async def rotate(conn: asyncpg.Connection) -> tuple[store.KeyRecord, str]:
        hours = GatewayServiceSettings().key_rotation_grace_hours if grace_hours is None else grace_hours
        async with conn.transaction():
            record, plain = await store.rotate_key(conn, key_id, timedelta(hours=hours))
            await _audit(conn, record, audit.KEY_ROTATED)
            return record, plain

    record, plain = _run(database_url, rotate)
    until = f"{record.previous_expires_at:%Y-%m-%d %H:%M %Z}" if record.previous_expires_at else "now"
    err.print(
        f"rotated key {record.id} ({escape(record.name)}) of workspace {record.workspace}; "
        f"the old secret works until {until}.\n[yellow]The new one is shown only now; store it safely.[/yellow]"
    )
    print(plain)  # alone on stdout, so `KEY=$(flywheel key rotate ...)` works


async def _audit(conn: asyncpg.Connection, record: store.KeyRecord, action: str) -> None:
    # No API key acts on the command line: the actor is empty, meaning an operator with database access.
    await audit.record(conn, workspace=record.workspace, actor_key_id=None, action=action, target=record.id)
