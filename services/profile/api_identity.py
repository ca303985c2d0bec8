"""Profile's internal HTTP API of the shared-device guard (services/profile/guard.py): a workspace's limits and the
conflicts recorded."""

from __future__ import annotations

from fastapi import APIRouter, Request

from contracts.http import profile as http
from runtime.problems import PROBLEM_RESPONSES, ProblemError
from services.profile import guard_store, store
from services.profile.api_common import Cursor, CustomerPath, Limit, WorkspacePath, context_of
from services.profile.domain import IdentifierKind
from services.profile.guard import (
    SharedLimit,
    limits_by_workspace,
    settings_problems,
    weak_kinds_by_workspace,
    weak_kinds_problems,
)

router = APIRouter(prefix="/internal/v1/workspaces/{workspace}", tags=["identity"], responses=PROBLEM_RESPONSES)


def _view(
    limits: tuple[SharedLimit, ...], weak_kinds: tuple[IdentifierKind, ...], default: bool
) -> http.IdentitySettings:
    return http.IdentitySettings(
        shared_identifier_limits=[
            http.SharedIdentifierLimitView(
                kind=x.kind, other_kind=x.other_kind, max_distinct=x.max_distinct, window_days=x.window_days
            )
            for x in limits
        ],
        weak_identifier_kinds=list(weak_kinds),
        default=default,
    )


@router.get("/identity-settings", response_model=http.IdentitySettings, summary="The shared-identifier limits")
async def get_identity_settings(request: Request, workspace: WorkspacePath) -> http.IdentitySettings:
    async with context_of(request).runtime.pool.acquire() as conn:
        stored = await guard_store.load_settings(conn, [workspace])
    limits = limits_by_workspace({ws: x.limits for ws, x in stored.items()}, [workspace])[workspace]
    weak_kinds = weak_kinds_by_workspace({ws: x.weak_kinds for ws, x in stored.items()}, [workspace])[workspace]
    return _view(limits, weak_kinds, workspace not in stored)


@router.put("/identity-settings", response_model=http.IdentitySettings, summary="Set the shared-identifier limits")
async def put_identity_settings(
    request: Request, workspace: WorkspacePath, body: http.IdentitySettingsIn
) -> http.IdentitySettings:
    limits = tuple(
        SharedLimit(x.kind, x.other_kind, x.max_distinct, x.window_days) for x in body.shared_identifier_limits
    )
    weak = None if body.weak_identifier_kinds is None else list(body.weak_identifier_kinds)
    problems = settings_problems(limits) + weak_kinds_problems(weak or [])
    if problems:
        raise ProblemError(
            422, "; ".join(problems), errors=[{"field": p.split(":")[0], "message": p} for p in problems]
        )
    async with context_of(request).runtime.pool.acquire() as conn:
        await guard_store.put_limits(conn, workspace, limits, weak)
    return _view(limits, weak_kinds_by_workspace({workspace: weak}, [workspace])[workspace], False)


@router.get("/identity-conflicts", response_model=http.IdentityConflictPage, summary="Identity conflicts, newest first")
async def list_identity_conflicts(
    request: Request, workspace: WorkspacePath, limit: Limit = 50, cursor: Cursor = None
) -> http.IdentityConflictPage:
    async with context_of(request).runtime.pool.acquire() as conn:
        return await guard_store.conflicts_page(conn, workspace, None, limit, cursor)


@router.get(
    "/customers/{customer_id}/identity-conflicts",
    response_model=http.IdentityConflictPage,
    summary="A customer's identity conflicts (and those of ids merged into it), newest first",
)
async def customer_identity_conflicts(
    request: Request, workspace: WorkspacePath, customer_id: CustomerPath, limit: Limit = 50, cursor: Cursor = None
) -> http.IdentityConflictPage:
    async with context_of(request).runtime.pool.acquire() as conn:
        live = await store.resolve_id(conn, workspace, customer_id)
        if live is None:
            raise ProblemError(404, f"no customer {customer_id!r} in this workspace")
        ids = await guard_store.customer_ids_of(conn, workspace, live)
        return await guard_store.conflicts_page(conn, workspace, ids, limit, cursor)
