"""The erasure ledger's SQL (services/profile/ledger.py has its rules)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from runtime.db import Connection
from services.profile.ledger import LedgerEntry


async def record_erasure(conn: Connection, workspace: str, hashes: Collection[str], at: dt.datetime) -> None:
    """Enter the hashes; an identifier erased again after a re-consent is erased again (the re-consent goes)."""
    if hashes:
        await conn.execute(
            """INSERT INTO erasure_ledger (workspace, identifier_hash, erased_at)
               SELECT $1, h, $3 FROM unnest($2::text[]) AS h
               ON CONFLICT (workspace, identifier_hash) DO UPDATE SET erased_at = $3, reconsented_at = NULL""",
            workspace,
            sorted(set(hashes)),
            at,
        )


async def entries(conn: Connection, workspace: str, hashes: Collection[str]) -> dict[str, LedgerEntry]:
    if not hashes:
        return {}
    rows = await conn.fetch(
        """SELECT identifier_hash, erased_at, reconsented_at FROM erasure_ledger
            WHERE workspace = $1 AND identifier_hash = ANY($2::text[])""",
        workspace,
        sorted(set(hashes)),
    )
    return {r["identifier_hash"]: LedgerEntry(r["erased_at"], r["reconsented_at"]) for r in rows}


async def reconsent(conn: Connection, workspace: str, identifier_hash: str, at: dt.datetime) -> LedgerEntry | None:
    """Lift the entry for events from `at` on; a repeated re-consent keeps the first one's time. None when the
    identifier was never erased in this workspace."""
    row = await conn.fetchrow(
        """UPDATE erasure_ledger SET reconsented_at = COALESCE(reconsented_at, $3)
            WHERE workspace = $1 AND identifier_hash = $2
        RETURNING erased_at, reconsented_at""",
        workspace,
        identifier_hash,
        at,
    )
    return None if row is None else LedgerEntry(row["erased_at"], row["reconsented_at"])


async def erased_customer_ids(conn: Connection, workspace: str, customer_ids: Collection[str]) -> set[str]:
    """Those of these ids that were erased (tombstones), merged-away ids of an erased customer included."""
    if not customer_ids:
        return set()
    rows = await conn.fetch(
        """SELECT customer_id FROM customers
            WHERE workspace = $1 AND customer_id = ANY($2::text[]) AND erased_at IS NOT NULL""",
        workspace,
        sorted(customer_ids),
    )
    return {r["customer_id"] for r in rows}
