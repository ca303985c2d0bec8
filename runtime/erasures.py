"""Customers erased, as every consumer of `profile.erased` keeps them (ids only, like profile's tombstones):
an event about an erased id (still in flight, a replayed dead letter, a re-published resolved event, a
journey's request) is dropped rather than bring back a row the erasure deleted. See also runtime.merges."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from runtime.db import Connection


async def record(conn: Connection, workspace: str, customer_ids: Iterable[str]) -> None:
    await conn.execute(
        """INSERT INTO flywheel_erased_customers (workspace, customer_id)
           SELECT $1, c FROM unnest($2::text[]) AS c ON CONFLICT DO NOTHING""",
        workspace,
        sorted(set(customer_ids)),
    )


async def erased(conn: Connection, workspace: str, customer_ids: Iterable[str]) -> set[str]:
    """Those of these ids that were erased."""
    wanted = sorted(set(customer_ids))
    if not wanted:
        return set()
    rows = await conn.fetch(
        "SELECT customer_id FROM flywheel_erased_customers WHERE workspace = $1 AND customer_id = ANY($2::text[])",
        workspace,
        wanted,
    )
    return {r["customer_id"] for r in rows}


def pseudonym(event_id: str, customer_id: str) -> str:
    """What an erased id becomes where a row stays for the numbers (an ended enrolment, a ledger entry): derived
    from the erasure event and the id, so the same within one erasure and traceable to nobody."""
    return "erased_" + hashlib.sha256(f"{event_id}\x1f{customer_id}".encode()).hexdigest()[:20]


async def delete_rows(conn: Connection, workspace: str, tables: Iterable[str], customer_ids: Iterable[str]) -> None:
    """Delete what each of `tables` (a service's own, each keyed by workspace and customer_id) holds on these
    customers: the part of an erasure (or of folding a merged customer away) that is the same everywhere."""
    ids = list(customer_ids)
    for table in tables:
        await conn.execute(
            f"DELETE FROM {table} WHERE workspace = $1 AND customer_id = ANY($2::text[])",  # noqa: S608 (the service's table names)
            workspace,
            ids,
        )
