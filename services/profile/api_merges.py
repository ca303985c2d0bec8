"""Profile's internal API of merges: a customer's merge history, and undoing one merge (services/profile/undo.py)."""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import APIRouter, Body, Path, Request

from contracts.http import profile as http
from runtime.problems import PROBLEM_RESPONSES, ProblemError, problem_responses
from services.profile import merge_store, store, undo
from services.profile.api_common import Cursor, CustomerPath, Limit, WorkspacePath, context_of
from services.profile.unmerge import UndoRefused

router = APIRouter(prefix="/internal/v1/workspaces/{workspace}", tags=["profile"], responses=PROBLEM_RESPONSES)

MergePath = Annotated[str, Path(min_length=1, max_length=64)]


@router.get(
    "/customers/{customer_id}/merges",
    response_model=http.MergePage,
    summary="The customer's merges (as survivor or merged id, of any id resolving to them), newest first",
)
async def list_merges(
    request: Request,
    workspace: WorkspacePath,
    customer_id: CustomerPath,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> http.MergePage:
    async with context_of(request).pool.acquire() as conn:
        live = await store.resolve_id(conn, workspace, customer_id)
        if live is None:
            raise ProblemError(404, f"no customer {customer_id!r} in this workspace")
        return await merge_store.page(conn, workspace, live, limit, cursor)


@router.post(
    "/merges/{merge_id}/undo",
    response_model=http.MergeUndone,
    responses=problem_responses(409),
    summary="Undo a merge: split the profiles by the identifiers each event carried; publishes profile.unmerged",
)
async def undo_merge(
    request: Request,
    workspace: WorkspacePath,
    merge_id: MergePath,
    body: Annotated[http.MergeUndoIn | None, Body()] = None,
) -> http.MergeUndone:
    context = context_of(request)
    reason = body.reason if body is not None else None
    try:
        async with context.unit_of_work() as work:
            return await undo.undo_merge(
                work,
                workspace,
                merge_id,
                reason,
                context.settings.default_phone_region,
                context.now(),
                context.settings.merge_undo_retention_days,
            )
    except UndoRefused as exc:
        raise ProblemError(exc.status, exc.detail) from None
    except (store.ConcurrentChange, asyncpg.DeadlockDetectedError):
        raise ProblemError(409, "the customers changed meanwhile; retry", headers={"Retry-After": "1"}) from None
