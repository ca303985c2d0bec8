"""Profile's internal API of the tracking plan (the workspace's own event types): declare a new version of a type,
list the plan with the events accepted and refused per type, and take the gateway's counts of events it refused
(422) before publishing them. The gateway reads the list (cached briefly) to check custom events at ingestion."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from fastapi import status as http_status

from contracts.http import profile as http
from contracts.tracking_plan import MAX_NAME_LENGTH, InvalidPlan, name_problem
from runtime.problems import PROBLEM_RESPONSES, ProblemError, problem_responses
from services.profile import tracking
from services.profile.api_common import WorkspacePath, context_of

router = APIRouter(prefix="/internal/v1/workspaces/{workspace}", tags=["profile"], responses=PROBLEM_RESPONSES)

NamePath = Annotated[str, Path(min_length=1, max_length=MAX_NAME_LENGTH)]


@router.get(
    "/event-types",
    response_model=http.EventTypeList,
    response_model_by_alias=True,
    summary="The tracking plan: built-in and custom event types, with the events accepted and refused per type",
)
async def list_event_types(request: Request, workspace: WorkspacePath) -> http.EventTypeList:
    async with context_of(request).pool.acquire() as conn:
        return await tracking.list_event_types(conn, workspace)


@router.put(
    "/event-types/{name}",
    response_model=http.EventTypeInfo,
    response_model_by_alias=True,
    responses=problem_responses(409),
    summary="A new version of a custom event type (a new type counts against the quota `event_types`, a version "
    "against `event_type_versions`: 409 beyond them)",
)
async def put_event_type(
    request: Request, workspace: WorkspacePath, name: NamePath, body: http.EventTypeIn
) -> http.EventTypeInfo:
    problem = name_problem(name)
    if problem is not None:
        raise ProblemError(422, f"name: {problem}", errors=[{"field": "name", "message": problem}])
    context = context_of(request)
    try:
        async with context.pool.acquire() as conn:
            return await tracking.put_event_type(conn, context.settings, workspace, name, body)
    except InvalidPlan as exc:
        raise ProblemError(422, str(exc), errors=[{"field": exc.field, "message": exc.message}]) from None


@router.post(
    "/event-types/rejections",
    status_code=http_status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Add events the gateway refused against the plan (422) to their types' counts of rejected events",
)
async def post_rejections(request: Request, workspace: WorkspacePath, body: http.EventTypeRejections) -> Response:
    async with context_of(request).pool.acquire() as conn:
        await tracking.record_rejections(conn, workspace, body)
    return Response(status_code=204)
