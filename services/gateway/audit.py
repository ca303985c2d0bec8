"""The audit log: who changed which API key, and who erased which customer, in which request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fastapi import Request
from opentelemetry import trace

from runtime.clock import utc_now
from services.gateway.deps import gateway_state
from services.gateway.domain import Principal
from services.gateway.store import Executor

# Actions, as stored and as GET /v1/audit-log shows them.
KEY_CREATED = "key.created"
KEY_ROTATED = "key.rotated"
KEY_REVOKED = "key.revoked"
CUSTOMER_ERASED = "customer.erased"


@dataclass(frozen=True)
class AuditEntry:
    id: int
    workspace: str
    actor_key_id: str | None
    action: str
    target: str
    at: datetime
    request_id: str | None
    trace_id: str | None


def current_trace_id() -> str | None:
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


async def record(
    db: Executor,
    *,
    workspace: str,
    actor_key_id: str | None,
    action: str,
    target: str,
    request_id: str | None = None,
    at: datetime | None = None,
) -> None:
    await db.execute(
        """INSERT INTO audit_log (workspace, actor_key_id, action, target, at, request_id, trace_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7)""",
        workspace,
        actor_key_id,
        action,
        target,
        at or utc_now(),
        request_id,
        current_trace_id(),
    )


def request_id_of(request: Request) -> str | None:
    return request.headers.get("x-request-id", "")[:200] or None


async def record_request(request: Request, principal: Principal, action: str, target: str) -> None:
    """An audit row for what this API request did, on the gateway's pool, at the gateway's clock."""
    state = gateway_state(request)
    await record(
        state.runtime.pool,
        workspace=principal.workspace,
        actor_key_id=principal.key_id,
        action=action,
        target=target,
        request_id=request_id_of(request),
        at=state.clock(),
    )


async def list_entries(db: Executor, workspace: str, limit: int, before_id: int | None) -> list[AuditEntry]:
    """The workspace's entries, newest first, after the cursor (`before_id`); at most `limit`."""
    rows = await db.fetch(
        """SELECT id, workspace, actor_key_id, action, target, at, request_id, trace_id FROM audit_log
           WHERE workspace = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3""",
        workspace,
        before_id,
        limit,
    )
    return [AuditEntry(**dict(row)) for row in rows]
