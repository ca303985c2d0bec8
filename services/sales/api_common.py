"""What every sales router shares: path and page parameters, the pool and clock, idempotent ids, and
domain refusals as problem+json."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import asyncpg
from fastapi import Depends, Header, Path, Query, Request

from contracts.envelope import WORKSPACE_PATTERN
from runtime.context import context_dependency
from runtime.errors import NotFound
from runtime.problems import ProblemError, problem_responses
from runtime.unit_of_work import Work
from services.sales.domain.moves import MoveRefused
from services.sales.domain.quotes import QuoteRuleError
from services.sales.events import stable_id
from services.sales.service import SalesContext

WorkspacePath = Annotated[str, Path(pattern=WORKSPACE_PATTERN)]
IdPath = Annotated[str, Path(min_length=1, max_length=64)]
Limit = Annotated[int, Query(ge=1, le=500)]
Cursor = Annotated[str | None, Query(max_length=500)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="Repeating a create with the same key (per workspace) returns the first result.",
    ),
]
CONFLICT = problem_responses(409)


context_of = context_dependency(SalesContext)
Context = Annotated[SalesContext, Depends(context_of)]


def pool_of(request: Request) -> asyncpg.Pool:
    return context_of(request).pool


def now_of(request: Request) -> dt.datetime:
    return context_of(request).now()


def new_id(prefix: str, workspace: str, idempotency_key: str | None) -> str:
    """The id a create gets: derived from the Idempotency-Key when there is one, so a retry finds it."""
    if idempotency_key:
        return stable_id(prefix, workspace, "key", idempotency_key)
    return f"{prefix}_{uuid.uuid4().hex[:20]}"


@asynccontextmanager
async def transaction(request: Request) -> AsyncIterator[Work]:
    """A unit of work (runtime.unit_of_work) whose domain refusals become problems."""
    try:
        async with context_of(request).unit_of_work() as work:
            yield work
    except NotFound as exc:
        raise ProblemError(404, str(exc)) from None
    except MoveRefused as exc:
        extra = {"blockers": exc.blockers} if exc.blockers else None
        raise ProblemError(exc.status, exc.detail, extra=extra) from None
    except QuoteRuleError as exc:
        raise ProblemError(exc.status, exc.detail) from None


def not_found(what: str, identifier: str) -> ProblemError:
    return ProblemError(404, f"no {what} {identifier!r} in this workspace")
