"""The gateway's audit log in SQL: entries written before and completed after the change they record, and
the workspace's entries, newest first (services/gateway/audit.py says what is recorded and when)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.gateway.store import Executor


@dataclass(frozen=True)
class AuditEntry:
    id: int
    workspace: str
    actor_key_id: str | None
    actor_owner: str | None
    action: str
    target: str
    outcome: str
    at: datetime
    request_id: str | None
    trace_id: str | None


async def insert_entry(
    db: Executor,
    workspace: str,
    actor_key_id: str | None,
    actor_owner: str | None,
    action: str,
    target: str,
    outcome: str,
    at: datetime,
    request_id: str | None,
    trace_id: str | None,
) -> int:
    """One row (on `db`: a transaction's connection puts it in that transaction); returns its id."""
    entry_id: int = await db.fetchval(
        """INSERT INTO audit_log
                  (workspace, actor_key_id, actor_owner, action, target, outcome, at, request_id, trace_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id""",
        workspace,
        actor_key_id,
        actor_owner,
        action,
        target,
        outcome,
        at,
        request_id,
        trace_id,
    )
    return entry_id


async def complete_entry(db: Executor, entry_id: int, outcome: str, target: str) -> None:
    await db.execute("UPDATE audit_log SET outcome = $2, target = $3 WHERE id = $1", entry_id, outcome, target)


async def list_entries(db: Executor, workspace: str, limit: int, before_id: int | None) -> list[AuditEntry]:
    """The workspace's entries, newest first, after the cursor (`before_id`); at most `limit`."""
    rows = await db.fetch(
        """SELECT id, workspace, actor_key_id, actor_owner, action, target, outcome, at, request_id, trace_id
             FROM audit_log
            WHERE workspace = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3""",
        workspace,
        before_id,
        limit,
    )
    return [AuditEntry(**dict(row)) for row in rows]
