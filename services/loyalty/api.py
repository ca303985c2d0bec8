"""Loyalty's internal HTTP API (called by the gateway): the workspace's program, versioned (every PUT makes a new
version; events are applied under the version current when they are applied). The points view and redemptions
are api_points.py's."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import ValidationError

from contracts.envelope import WORKSPACE_PATTERN
from contracts.http.loyalty import EXAMPLE_PROGRAM, LoyaltyProgram, LoyaltyProgramIn
from runtime.context import context_dependency
from runtime.problems import PROBLEM_RESPONSES, ProblemError, problem_responses
from runtime.quotas import LOYALTY_PROGRAM_VERSIONS, QuotaUsage
from services.loyalty import program_store
from services.loyalty.program_store import ProgramVersion
from services.loyalty.service import LoyaltyContext

router = APIRouter(prefix="/internal/v1/workspaces/{workspace}", tags=["loyalty"], responses=PROBLEM_RESPONSES)

WorkspacePath = Annotated[str, Path(pattern=WORKSPACE_PATTERN)]
Context = Annotated[LoyaltyContext, Depends(context_dependency(LoyaltyContext))]

# A program's budget: its lists are bounded by the model (contracts/http/loyalty.py: 200 multipliers, 20 bonuses,
# 20 tiers), and its body by this many bytes of JSON, refused with 413 before it is parsed.
MAX_PROGRAM_BYTES = 256 * 1024
NO_PROGRAM = "this workspace has no loyalty program (PUT one first)"


def _quota(context: LoyaltyContext) -> int:
    return LOYALTY_PROGRAM_VERSIONS.limit_in(context.settings)


async def quota_usages(request: Request, workspace: str) -> list[QuotaUsage]:
    context = context_dependency(LoyaltyContext)(request)
    async with context.pool.acquire() as conn:
        used = await program_store.count_versions(conn, workspace)
    return [LOYALTY_PROGRAM_VERSIONS.usage(_quota(context), used)]


async def _bounded_body(request: Request) -> bytes:
    refused = ProblemError(413, f"a loyalty program document is at most {MAX_PROGRAM_BYTES} bytes of JSON")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_PROGRAM_BYTES:
        raise refused
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_PROGRAM_BYTES:
            raise refused
    return bytes(body)


def parse_program(body: bytes) -> LoyaltyProgramIn:
    """The document, validated: 422 naming each field in error (never its value)."""
    try:
        document: Any = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise ProblemError(422, "the body is not JSON") from None
    try:
        return LoyaltyProgramIn.model_validate(document)
    except ValidationError as exc:
        errors = [
            {"field": ".".join(str(p) for p in err["loc"]) or "(document)", "message": err["msg"]}
            for err in exc.errors(include_url=False, include_input=False)
        ]
        raise ProblemError(422, f"invalid loyalty program: {len(errors)} problem(s)", errors=errors) from None


def program_out(stored: ProgramVersion) -> LoyaltyProgram:
    return LoyaltyProgram(
        name=stored.name,
        version=stored.version,
        active=stored.active,
        document=stored.document,
        created_at=stored.created_at,
        updated_at=stored.updated_at,
    )


@router.put(
    "/program",
    response_model=LoyaltyProgram,
    responses=problem_responses(409, 413, 422),
    summary="Replace the workspace's loyalty program: a new version (events from now on are applied under it; 409 "
    "beyond the quota `loyalty_program_versions`)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"type": "object", "description": "A loyalty program document (LoyaltyProgramIn)."},
                    "example": EXAMPLE_PROGRAM,
                }
            },
        }
    },
)
async def put_program(context: Context, workspace: WorkspacePath, request: Request) -> LoyaltyProgram:
    rules = parse_program(await _bounded_body(request))
    async with context.pool.acquire() as conn:
        stored = await program_store.put(conn, workspace, rules, context.now(), _quota(context))
    return program_out(stored)


@router.get("/program", response_model=LoyaltyProgram, summary="The workspace's loyalty program (its current version)")
async def get_program(context: Context, workspace: WorkspacePath) -> LoyaltyProgram:
    async with context.pool.acquire() as conn:
        stored = await program_store.current(conn, workspace)
    if stored is None:
        raise ProblemError(404, NO_PROGRAM)
    return program_out(stored)


@router.get(
    "/program/versions",
    response_model=list[LoyaltyProgram],
    summary="The workspace's program versions, newest first (loyalty keeps every one)",
)
async def program_versions(
    context: Context, workspace: WorkspacePath, limit: Annotated[int, Query(ge=1, le=100)] = 20
) -> list[LoyaltyProgram]:
    async with context.pool.acquire() as conn:
        stored = await program_store.versions(conn, workspace, limit)
    if not stored:
        raise ProblemError(404, NO_PROGRAM)
    return [program_out(s) for s in stored]
