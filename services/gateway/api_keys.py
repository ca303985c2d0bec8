"""The workspace's API keys (create, list, rotate, revoke) and its audit log, scope `admin`; and the key a request
is made with (`GET /v1/keys/current`), which any valid key may read of itself.

A key acts for its owner (a person or a system, fixed at creation; `key:<id>` when none is named): approvals
record it. Every key change is written to the audit log in the same transaction. A key revoked or rotated here is
forgotten by this process's key cache at once; other gateway replicas notice within their cache's 30 s.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from contracts.http.types import Cursor
from runtime import quotas
from runtime.db import Connection
from runtime.pagination import decode_cursor, encode_cursor
from runtime.problems import ProblemError
from services.gateway import audit, store
from services.gateway.deps import (
    INVALID_KEY,
    INVALID_KEY_CHALLENGE,
    GatewayContext,
    authenticate,
    gateway_context,
    require,
)
from services.gateway.domain import (
    ADMIN,
    MAX_PAGE,
    AdminError,
    Principal,
    UnknownKey,
    clamp_limit,
    default_owner,
)
from services.gateway.passthrough import IDEMPOTENT_WRITE, described, documented
from services.gateway.routing import ANSWER_HOLDS_SECRET
from services.gateway.schemas import problems
from services.gateway.schemas_keys import AuditEntry, AuditPage, CurrentKey, Key, KeyIn, KeyPage, KeyWithSecret

keys_router = APIRouter(tags=["keys"])

Admin = Annotated[Principal, Depends(require(ADMIN))]
AnyKey = Annotated[Principal, Depends(authenticate)]
KeyId = Annotated[str, Path(min_length=1, max_length=64, description="The key's id.")]
Limit = Annotated[
    int | None, Query(ge=1, description=f"Page size (default 50; a larger one than {MAX_PAGE} is taken as {MAX_PAGE}).")
]
KEY_NOT_FOUND = "no such key in this workspace"


def _key(record: store.KeyRecord) -> Key:
    return Key(**{f.name: getattr(record, f.name) for f in dataclasses.fields(record) if f.name != "workspace"})


@asynccontextmanager
async def _audited(state: GatewayContext) -> AsyncIterator[Connection]:
    """One transaction for a key change and its audit row; unknown keys answer 404, refusals 422/409."""
    try:
        async with state.runtime.pool.acquire() as conn, conn.transaction():
            yield conn
    except UnknownKey:
        raise ProblemError(404, KEY_NOT_FOUND) from None


async def _record(conn: Connection, request: Request, principal: Principal, action: str, target: str) -> None:
    await audit.record(
        conn,
        workspace=principal.workspace,
        actor_key_id=principal.key_id,
        actor_owner=principal.owner or None,
        action=action,
        target=target,
        request_id=audit.request_id_of(request),
        at=gateway_context(request).clock(),
    )


@keys_router.post(
    "/v1/keys",
    dependencies=[IDEMPOTENT_WRITE],
    status_code=201,
    **documented("create_key", KeyWithSecret, problems(401, 403, 409, 415, 422, 429)),
    openapi_extra=ANSWER_HOLDS_SECRET,
)
async def create_key(request: Request, body: KeyIn, principal: Admin) -> KeyWithSecret:
    state = gateway_context(request)
    try:
        async with _audited(state) as conn:
            limit = state.runtime.settings.quota_api_keys
            await quotas.API_KEYS.enforce(conn, principal.workspace, limit, store.LIVE_KEYS_SQL)
            record, plain = await store.create_key(
                conn, principal.workspace, body.name, list[str](body.scopes), owner=body.owner
            )
            await _record(conn, request, principal, audit.KEY_CREATED, record.id)
    except AdminError as exc:
        raise ProblemError(422, str(exc)) from None
    return KeyWithSecret(**_key(record).model_dump(), key=plain)


@keys_router.get("/v1/keys", **described("list_keys"), response_model=KeyPage, responses=problems(401, 403, 422, 429))
async def list_keys(request: Request, principal: Admin, limit: Limit = None, cursor: Cursor = None) -> KeyPage:
    records = await store.list_keys(gateway_context(request).runtime.pool, principal.workspace)
    start = 0
    if cursor is not None:
        (after_id,) = decode_cursor(cursor, 1)
        start = next((i + 1 for i, r in enumerate(records) if r.id == after_id), len(records))
    page = records[start : start + clamp_limit(limit)]
    more = start + len(page) < len(records)
    return KeyPage(items=[_key(r) for r in page], next_cursor=encode_cursor(page[-1].id) if more and page else None)


@keys_router.get("/v1/keys/current", **documented("get_current_key", CurrentKey, problems(401, 429)))
async def get_current_key(request: Request, principal: AnyKey) -> CurrentKey:
    try:
        record = await store.get_key(gateway_context(request).runtime.pool, principal.key_id, principal.workspace)
    except UnknownKey:
        record = None
    if record is None or record.revoked_at is not None:
        # Revoked on another replica or by the CLI while this replica's key cache still knew the key: it is gone.
        raise ProblemError(401, INVALID_KEY, headers=INVALID_KEY_CHALLENGE)
    return CurrentKey(
        id=record.id,
        name=record.name,
        workspace=record.workspace,
        prefix=record.prefix,
        scopes=list(record.scopes),
        owner=None if record.owner == default_owner(record.id) else record.owner,
        created_at=record.created_at,
        rotated_at=record.rotated_at,
        expires_at=principal.expires_at,
    )


@keys_router.post(
    "/v1/keys/{key_id}/rotate",
    dependencies=[IDEMPOTENT_WRITE],
    **documented("rotate_key", KeyWithSecret, problems(401, 403, 404, 409, 429)),
    openapi_extra=ANSWER_HOLDS_SECRET,
)
async def rotate_key(request: Request, key_id: KeyId, principal: Admin) -> KeyWithSecret:
    state = gateway_context(request)
    grace = timedelta(hours=state.runtime.settings.key_rotation_grace_hours)
    try:
        async with _audited(state) as conn:
            await store.guard_key_change(conn, principal.workspace, key_id, principal.key_id, "rotate")
            record, plain = await store.rotate_key(
                conn, key_id, grace, workspace=principal.workspace, now=state.clock()
            )
            await _record(conn, request, principal, audit.KEY_ROTATED, record.id)
    except AdminError as exc:
        raise ProblemError(409, str(exc)) from None
    state.keys.forget(record.id)  # the cached old secret must learn its expiry
    return KeyWithSecret(**_key(record).model_dump(), key=plain)


@keys_router.delete(
    "/v1/keys/{key_id}",
    dependencies=[IDEMPOTENT_WRITE],
    **described("revoke_key"),
    response_model=Key,
    responses=problems(401, 403, 404, 409, 429),
)
async def revoke_key(request: Request, key_id: KeyId, principal: Admin) -> Key:
    state = gateway_context(request)
    try:
        async with _audited(state) as conn:
            await store.guard_key_change(conn, principal.workspace, key_id, principal.key_id, "revoke")
            record, revoked_now = await store.revoke_key(conn, key_id, principal.workspace)
            if revoked_now:
                await _record(conn, request, principal, audit.KEY_REVOKED, record.id)
    except store.WouldLockOut as exc:
        raise ProblemError(409, str(exc)) from None
    state.keys.forget(record.id)
    return _key(record)


@keys_router.get("/v1/audit-log", tags=["audit"], **documented("audit_log", AuditPage, problems(401, 403, 422, 429)))
async def audit_log(request: Request, principal: Admin, limit: Limit = None, cursor: Cursor = None) -> AuditPage:
    before_id = None
    if cursor is not None:
        (last,) = decode_cursor(cursor, 1)
        if not last.isdigit():
            raise ProblemError(422, "cursor is not one this API returned")
        before_id = int(last)
    size = clamp_limit(limit)
    entries = await audit.list_entries(gateway_context(request).runtime.pool, principal.workspace, size + 1, before_id)
    page = entries[:size]
    items = [AuditEntry(**{k: v for k, v in dataclasses.asdict(e).items() if k != "workspace"}) for e in page]
    more = len(entries) > size
    return AuditPage(items=items, next_cursor=encode_cursor(str(page[-1].id)) if more else None)
