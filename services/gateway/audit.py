"""The audit log: who (the acting key and its owner) did what, to what, in which request, and how it ended.

Two ways in, by where the change lives:
- A change in the gateway's own database (API keys) writes its row in the same transaction (`record` on the
  transaction's connection): both happen or neither.
- A change in another service's database (quote decisions, journeys, the channel) or a read that hands data out
  (exports, erasures) cannot share a transaction with the gateway's database. `audited` writes the row
  *before* calling the service, as `requested` (no row, no call: a 503 and nothing changed), then completes it
  from the answer: `done`, `refused` (the service answered 4xx: nothing changed), or `unknown` (a 5xx or no
  answer in time: it may have happened). A row still `requested` means the gateway stopped, or lost its
  database, between the call and the completion: the change may have happened, and the row names it.
So no change is ever made without its row; what can be lost is only the outcome, and that is visible.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import asyncpg
from fastapi import Request
from opentelemetry import trace

from runtime.clock import utc_now
from runtime.problems import ProblemError
from services.gateway import audit_store
from services.gateway.audit_store import AuditEntry
from services.gateway.deps import gateway_context
from services.gateway.domain import Principal
from services.gateway.store import Executor

log = logging.getLogger(__name__)

# Actions, as stored and as GET /v1/audit-log shows them.
KEY_CREATED = "key.created"
KEY_ROTATED = "key.rotated"
KEY_REVOKED = "key.revoked"
CUSTOMER_ERASED = "customer.erased"
CUSTOMER_EXPORTED = "customer.exported"
CUSTOMER_RECONSENTED = "customer.reconsented"
QUOTE_APPROVED = "quote.approved"
QUOTE_REJECTED = "quote.rejected"
CHANNEL_CHANGED = "channel.changed"
CHANNEL_SECRET_ROTATED = "channel.secret_rotated"  # noqa: S105 - an action's name
JOURNEY_CREATED = "journey.created"
JOURNEY_UPDATED = "journey.updated"
JOURNEY_ACTIVATED = "journey.activated"
JOURNEY_PAUSED = "journey.paused"
JOURNEY_ARCHIVED = "journey.archived"
KPI_TARGET_CHANGED = "kpi_target.changed"  # set, changed or removed; the target is `metric/period`
REPORT_SETTINGS_CHANGED = "report_settings.changed"  # the target is the workspace's reports
MESSAGING_SETTINGS_CHANGED = "messaging_settings.changed"  # frequency caps across journeys; target `messaging`
ACTIONS = (
    KEY_CREATED,
    KEY_ROTATED,
    KEY_REVOKED,
    CUSTOMER_ERASED,
    CUSTOMER_EXPORTED,
    CUSTOMER_RECONSENTED,
    QUOTE_APPROVED,
    QUOTE_REJECTED,
    CHANNEL_CHANGED,
    CHANNEL_SECRET_ROTATED,
    JOURNEY_CREATED,
    JOURNEY_UPDATED,
    JOURNEY_ACTIVATED,
    JOURNEY_PAUSED,
    JOURNEY_ARCHIVED,
    KPI_TARGET_CHANGED,
    REPORT_SETTINGS_CHANGED,
    MESSAGING_SETTINGS_CHANGED,
)

AuditOutcome = Literal["requested", "done", "refused", "unknown"]
REQUESTED: AuditOutcome = "requested"
DONE: AuditOutcome = "done"
REFUSED: AuditOutcome = "refused"
UNKNOWN: AuditOutcome = "unknown"
NEW_TARGET = "(new)"
"""The target of a create until the service names what it made."""

DATABASE_ERRORS = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError)
AUDIT_DOWN = "the audit log cannot be written, so nothing was changed; try again shortly"


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
    actor_owner: str | None = None,
    outcome: AuditOutcome = DONE,
) -> int:
    """One row (on `db`: a transaction's connection puts it in that transaction); returns its id."""
    at = at or utc_now()
    return await audit_store.insert_entry(
        db, workspace, actor_key_id, actor_owner, action, target, outcome, at, request_id, current_trace_id()
    )


def request_id_of(request: Request) -> str | None:
    return request.headers.get("x-request-id", "")[:200] or None


async def record_request(
    request: Request, principal: Principal, action: str, target: str, outcome: AuditOutcome = DONE
) -> int:
    """A row for what this API request did, on the gateway's pool, at the gateway's clock; 503 when the audit
    log cannot be written (call it before handing anything out)."""
    state = gateway_context(request)
    try:
        return await record(
            state.runtime.pool,
            workspace=principal.workspace,
            actor_key_id=principal.key_id,
            actor_owner=principal.owner or None,
            action=action,
            target=target,
            request_id=request_id_of(request),
            at=state.clock(),
            outcome=outcome,
        )
    except DATABASE_ERRORS as exc:
        log.warning("audit log unavailable", extra={"action": action, "error": repr(exc)})
        raise ProblemError(503, AUDIT_DOWN, headers={"Retry-After": "5"}) from exc


@dataclass
class AuditedChange:
    """The row of a change in progress; set `target` once the service names what it made (a create)."""

    entry_id: int
    target: str


@asynccontextmanager
async def audited(request: Request, principal: Principal, action: str, target: str) -> AsyncIterator[AuditedChange]:
    """Around a call that changes another service's data: the row is written `requested` first (503, and no
    call, when it cannot be), then completed from how the block ends (module docstring)."""
    change = AuditedChange(await record_request(request, principal, action, target, outcome=REQUESTED), target)
    outcome: AuditOutcome = UNKNOWN
    try:
        yield change
        outcome = DONE
    except ProblemError as exc:
        outcome = REFUSED if exc.status < 500 else UNKNOWN
        raise
    finally:
        # Shielded: a client hanging up must not leave the row `requested` when the outcome is known.
        await asyncio.shield(_complete(request, change, outcome))


async def _complete(request: Request, change: AuditedChange, outcome: AuditOutcome) -> None:
    try:
        await audit_store.complete_entry(gateway_context(request).runtime.pool, change.entry_id, outcome, change.target)
    except DATABASE_ERRORS as exc:  # the change stands; its row stays `requested`, which says just that
        log.warning("audit outcome not recorded", extra={"entry_id": change.entry_id, "error": repr(exc)})


async def list_entries(db: Executor, workspace: str, limit: int, before_id: int | None) -> list[AuditEntry]:
    """The workspace's entries, newest first, after the cursor (`before_id`); at most `limit`."""
    return await audit_store.list_entries(db, workspace, limit, before_id)
