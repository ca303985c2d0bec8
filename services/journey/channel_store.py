"""SQL of a workspace's webhook channel: where deliveries go, the time zone of quiet hours, and its signing
secrets, stored sealed (services/journey/channel_secrets.py makes, seals, rotates and opens them).

`webhook_secret` is the plain secret of rows from before secrets were sealed: the service seals it and empties
the column (channel_secrets.seal_stored_secrets); only code from before writes it, so a row holding one is
the newest word on its secret.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import asyncpg

from runtime.db import Connection

_COLUMNS = (
    "workspace, webhook_url, timezone, updated_at, webhook_secret, secret_sealed, previous_secret_sealed, "
    "previous_secret_until"
)


@dataclass(frozen=True)
class ChannelRow:
    workspace: str
    webhook_url: str
    timezone: str
    updated_at: dt.datetime
    plain_secret: str | None  # legacy: a row not sealed yet
    secret_sealed: str | None
    previous_secret_sealed: str | None  # the secret before the last rotation, while it overlaps
    previous_secret_until: dt.datetime | None


@dataclass(frozen=True)
class SealedSecrets:
    """What a channel's secret columns are to hold: the current secret sealed, the previous one while it overlaps."""

    current: str
    previous: str | None = None
    previous_until: dt.datetime | None = None


def _row(record: asyncpg.Record) -> ChannelRow:
    return ChannelRow(
        workspace=record["workspace"],
        webhook_url=record["webhook_url"],
        timezone=record["timezone"],
        updated_at=record["updated_at"],
        plain_secret=record["webhook_secret"],
        secret_sealed=record["secret_sealed"],
        previous_secret_sealed=record["previous_secret_sealed"],
        previous_secret_until=record["previous_secret_until"],
    )


async def get_channel(conn: Connection, workspace: str, *, lock: bool = False) -> ChannelRow | None:
    """The workspace's channel; with `lock`, locked until the transaction ends."""
    record = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM workspace_channels WHERE workspace = $1" + (" FOR UPDATE" if lock else ""),  # noqa: S608
        workspace,
    )
    return _row(record) if record is not None else None


async def insert_channel(
    conn: Connection, workspace: str, webhook_url: str, timezone: str, sealed: str
) -> ChannelRow | None:
    """A new channel with its sealed secret; None when the workspace has one already (a concurrent first put)."""
    record = await conn.fetchrow(
        f"""INSERT INTO workspace_channels (workspace, webhook_url, timezone, secret_sealed) VALUES ($1, $2, $3, $4)
            ON CONFLICT (workspace) DO NOTHING RETURNING {_COLUMNS}""",  # noqa: S608
        workspace,
        webhook_url,
        timezone,
        sealed,
    )
    return _row(record) if record is not None else None


async def update_channel(conn: Connection, workspace: str, webhook_url: str, timezone: str) -> ChannelRow:
    record = await conn.fetchrow(
        f"""UPDATE workspace_channels SET webhook_url = $2, timezone = $3, updated_at = now()
            WHERE workspace = $1 RETURNING {_COLUMNS}""",  # noqa: S608
        workspace,
        webhook_url,
        timezone,
    )
    assert record is not None, "update_channel needs the channel locked first"
    return _row(record)


async def store_secrets(
    conn: Connection, workspace: str, secrets: SealedSecrets, rotated_at: dt.datetime | None = None
) -> None:
    """The channel's secret columns replaced by `secrets` (the plain column emptied); `rotated_at` when rotated."""
    await conn.execute(
        """UPDATE workspace_channels
              SET webhook_secret = NULL, secret_sealed = $2, previous_secret_sealed = $3, previous_secret_until = $4,
                  secret_rotated_at = coalesce($5, secret_rotated_at)
            WHERE workspace = $1""",
        workspace,
        secrets.current,
        secrets.previous,
        secrets.previous_until,
        rotated_at,
    )


async def channels_to_seal(
    conn: Connection, sealed_prefix: str, now: dt.datetime, after: str, limit: int
) -> list[ChannelRow]:
    """Channels after workspace `after`, in workspace order, at most `limit`, whose secrets need work: a plain
    secret, a secret not sealed with `sealed_prefix` (the primary key's), or a previous secret past its overlap."""
    records = await conn.fetch(
        f"""SELECT {_COLUMNS} FROM workspace_channels
             WHERE workspace > $3
               AND (webhook_secret IS NOT NULL
                    OR left(secret_sealed, length($1)) <> $1
                    OR left(previous_secret_sealed, length($1)) <> $1
                    OR previous_secret_until <= $2)
             ORDER BY workspace LIMIT $4""",  # noqa: S608
        sealed_prefix,
        now,
        after,
        limit,
    )
    return [_row(r) for r in records]


async def replace_secrets_if_unchanged(conn: Connection, seen: ChannelRow, secrets: SealedSecrets) -> bool:
    """`store_secrets` unless the channel's secrets changed since `seen` was read (a rotation meanwhile wins)."""
    done = await conn.fetchval(
        """UPDATE workspace_channels
              SET webhook_secret = NULL, secret_sealed = $5, previous_secret_sealed = $6, previous_secret_until = $7
            WHERE workspace = $1 AND webhook_secret IS NOT DISTINCT FROM $2
              AND secret_sealed IS NOT DISTINCT FROM $3 AND previous_secret_sealed IS NOT DISTINCT FROM $4
        RETURNING true""",
        seen.workspace,
        seen.plain_secret,
        seen.secret_sealed,
        seen.previous_secret_sealed,
        secrets.current,
        secrets.previous,
        secrets.previous_until,
    )
    return bool(done)
