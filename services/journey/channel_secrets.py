"""A workspace's webhook signing secrets: made, kept sealed at rest, rotated with an overlap, opened to sign.

- Made on the channel's first put and on `rotate_secret`: 256 random bits, shown to the client once.
- Stored sealed (runtime/secrets_at_rest.py, keys FLYWHEEL_SECRETS_KEYS), bound to the workspace: the database
  never holds one in plain text.
- A rotation keeps the secret before it for webhooks.SECRET_ROTATION_OVERLAP (24 h, journey's clock): meanwhile
  every delivery is signed with both (two `v1=`), so receivers switch over without dropping a message. Rotating
  again within the overlap ends the older secret's overlap at once: only one previous secret is kept.
- `seal_stored_secrets` (at start-up, then hourly) seals plain secrets left from before, re-seals secrets sealed
  with a key that is no longer the first of FLYWHEEL_SECRETS_KEYS, and forgets previous secrets past their
  overlap.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from prometheus_client import Counter

from runtime.db import Connection
from runtime.secrets_at_rest import FORMAT, Keyring, UnsealError
from services.journey import channel_store
from services.journey.channel_store import ChannelRow, SealedSecrets
from services.journey.delivery_store import StoredSecrets
from services.journey.webhooks import SECRET_ROTATION_OVERLAP

log = logging.getLogger(__name__)

SEAL_BATCH = 100

UNSEALABLE = Counter(
    "flywheel_journey_secrets_unsealable",
    "Webhook secrets that did not open (their key is not in FLYWHEEL_SECRETS_KEYS, or the value was altered), "
    "when signing a delivery or re-sealing; the delivery waits and is tried again.",
)  # exposed as flywheel_journey_secrets_unsealable_total


def context_of(workspace: str) -> str:
    """What a workspace's sealed secrets are bound to: they open for this workspace's row only."""
    return f"journey.webhook_secret:{workspace}"


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class SigningSecrets:
    current: bytes
    previous: bytes | None  # while a rotation's overlap lasts


async def put_channel(
    conn: Connection,
    keyring: Keyring,
    workspace: str,
    webhook_url: str,
    timezone: str,
    rotate_secret: bool,
    now: dt.datetime,
) -> tuple[ChannelRow, str | None]:
    """Save the channel; a secret is made on the first put and on `rotate_secret`. Returns the channel and the
    plain secret when one was made now (else None): the only time it is ever seen."""
    context = context_of(workspace)
    async with conn.transaction():
        current = await channel_store.get_channel(conn, workspace, lock=True)
        if current is None:
            plain = _new_secret()
            made = await channel_store.insert_channel(
                conn, workspace, webhook_url, timezone, keyring.seal(plain, context)
            )
            if made is not None:
                return made, plain
            current = await channel_store.get_channel(conn, workspace, lock=True)  # a concurrent first put won
            assert current is not None
        row = await channel_store.update_channel(conn, workspace, webhook_url, timezone)
        if not rotate_secret:
            return row, None
        plain = _new_secret()
        rotated = SealedSecrets(
            current=keyring.seal(plain, context),
            previous=_current_sealed(keyring, current),
            previous_until=now + SECRET_ROTATION_OVERLAP,
        )
        await channel_store.store_secrets(conn, workspace, rotated, rotated_at=now)
        return row, plain


def _current_sealed(keyring: Keyring, row: ChannelRow) -> str:
    """The channel's current secret sealed with the primary key (a plain one from before sealed now)."""
    context = context_of(row.workspace)
    if row.plain_secret is not None:
        return keyring.seal(row.plain_secret, context)
    assert row.secret_sealed is not None  # the table's check: one of the two is set
    return keyring.reseal(row.secret_sealed, context)


def signing_secrets(keyring: Keyring, stored: StoredSecrets, now: dt.datetime) -> SigningSecrets:
    """The secrets a delivery is signed with now, from its claimed channel's (delivery_store.StoredSecrets);
    UnsealError (counted) when one does not open."""
    context = context_of(stored.workspace)
    try:
        plain = stored.webhook_secret
        if plain is not None:
            current = plain.encode()
        else:
            assert stored.secret_sealed is not None  # the table's check: one of the two is set
            current = keyring.unseal(stored.secret_sealed, context)
        previous = None
        until = stored.previous_secret_until
        if plain is None and stored.previous_secret_sealed is not None and until is not None and now < until:
            previous = keyring.unseal(stored.previous_secret_sealed, context)
    except UnsealError:
        UNSEALABLE.inc()
        raise
    return SigningSecrets(current, previous)


def _resealed(keyring: Keyring, row: ChannelRow, now: dt.datetime) -> SealedSecrets:
    overlapping = row.previous_secret_until is not None and now < row.previous_secret_until
    previous = row.previous_secret_sealed if overlapping and row.plain_secret is None else None
    return SealedSecrets(
        current=_current_sealed(keyring, row),
        previous=keyring.reseal(previous, context_of(row.workspace)) if previous is not None else None,
        previous_until=row.previous_secret_until if previous is not None else None,
    )


async def seal_stored_secrets(pool: Any, keyring: Keyring, now: dt.datetime) -> int:
    """Seal plain secrets, re-seal those sealed with a key other than the primary, forget previous secrets past
    their overlap; returns how many channels changed. A channel whose secret does not open is logged, counted
    and left as it is (its key may come back to FLYWHEEL_SECRETS_KEYS); the others go on."""
    prefix = f"{FORMAT}.{keyring.primary}."
    changed, after = 0, ""
    while True:
        async with pool.acquire() as conn:
            rows = await channel_store.channels_to_seal(conn, prefix, now, after, SEAL_BATCH)
            for row in rows:
                try:
                    secrets_now = _resealed(keyring, row, now)
                except UnsealError as exc:
                    UNSEALABLE.inc()
                    log.error("webhook secret does not open", extra={"workspace": row.workspace, "reason": str(exc)})
                    continue
                changed += await channel_store.replace_secrets_if_unchanged(conn, row, secrets_now)
        if len(rows) < SEAL_BATCH:
            break
        after = rows[-1].workspace
    if changed:
        log.info("webhook secrets sealed", extra={"channels": changed})
    return changed
