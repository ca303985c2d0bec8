"""Customer reads and erasure, served from the profile service's internal API.

The workspace always comes from the API key, never from the request: a customer id of another
workspace is simply not found in this one (404).
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import TypeAdapter, ValidationError

from runtime.problems import ProblemError
from services.gateway.api_journeys import enrolments_path
from services.gateway.api_segments import scores_path
from services.gateway.deps import IdempotencyKey, gateway_state, require
from services.gateway.domain import (
    CUSTOMERS_ERASE,
    CUSTOMERS_READ,
    MAX_PAGE,
    Principal,
    clamp_limit,
    is_plausible_customer_id,
    single_identifier,
)
from services.gateway.schemas import (
    Customer360,
    CustomerJourney,
    CustomerScores,
    CustomerView,
    ErasureAccepted,
    TimelinePage,
    problems,
)
from services.gateway.service_client import ServiceClient, parse, segment, workspace_path

customers_router = APIRouter(tags=["customers"])
_JOURNEYS = TypeAdapter(list[CustomerJourney])

NOT_FOUND = "no such customer in this workspace"
CustomerId = Annotated[str, Path(description="A customer id (merged-away ids answer the survivor).")]
Reader = Annotated[Principal, Depends(require(CUSTOMERS_READ))]


def _customer_path(principal: Principal, customer_id: str, suffix: str = "") -> str:
    if not is_plausible_customer_id(customer_id):
        raise ProblemError(404, NOT_FOUND)  # cannot name a customer; do not forward it
    return workspace_path(principal.workspace, f"/customers/{segment(customer_id)}{suffix}")


def _profile(request: Request) -> ServiceClient:
    return gateway_state(request).profile


@customers_router.get(
    "/v1/customers",
    summary="Find a customer by an identifier",
    description="Give exactly one of `email`, `phone`, `external_id`, `anonymous_id`. Emails match "
    "case-insensitively. Scope: `customers:read`.",
    response_model=CustomerView,
    responses=problems(401, 403, 404, 422, 502, 503),
)
async def find_customer(
    request: Request,
    principal: Reader,
    email: Annotated[str | None, Query(max_length=320, examples=["ada@example.com"])] = None,
    phone: Annotated[str | None, Query(max_length=40, examples=["+4915112345678"])] = None,
    external_id: Annotated[str | None, Query(max_length=512)] = None,
    anonymous_id: Annotated[str | None, Query(max_length=512)] = None,
) -> CustomerView:
    given = {"email": email, "phone": phone, "external_id": external_id, "anonymous_id": anonymous_id}
    try:
        kind, value = single_identifier(given)
    except ValueError as exc:
        raise ProblemError(
            422, str(exc), type_="validation", errors=[{"field": "query", "message": str(exc)}]
        ) from None
    doc = await _profile(request).get(
        workspace_path(principal.workspace, "/customers"),
        params={kind: value},
        not_found=f"no customer with this {kind} in this workspace",
    )
    return parse(CustomerView, doc)


@customers_router.get(
    "/v1/customers/{customer_id}",
    summary="The 360° view of a customer",
    description="Identity, traits, tags and stats from profile, plus the sections other services own "
    "(scores and segments from scoring, journey enrolments from journey; referrals, deals and tasks as those "
    "services arrive), fetched concurrently. A service that is down or slower than the gateway's per-call "
    "budget leaves its section empty and is named in `degraded`; if profile is down the answer is 503. "
    "Scope: `customers:read`.",
    response_model=Customer360,
    responses=problems(401, 403, 404, 422, 502, 503),
)
async def get_customer(request: Request, customer_id: CustomerId, principal: Reader) -> Customer360:
    state = gateway_state(request)
    path = _customer_path(principal, customer_id)
    # Sections of other services are fetched while profile answers; each is optional.
    scores_task = asyncio.create_task(_section(state.scoring, scores_path(principal, customer_id), state.budget_s))
    journeys_task = asyncio.create_task(
        _section(state.journey, enrolments_path(principal, customer_id), state.budget_s)
    )
    try:
        doc = await state.profile.get(path, not_found=NOT_FOUND)
    except BaseException:
        scores_task.cancel()
        journeys_task.cancel()
        raise
    (scores_doc, scoring_down), (journeys_doc, journey_down) = await asyncio.gather(scores_task, journeys_task)
    view = parse(CustomerView, doc)
    scores = parse(CustomerScores, scores_doc, "scoring") if scores_doc is not None else None
    journeys: list[CustomerJourney] = []
    if journeys_doc is not None:
        try:
            journeys = _JOURNEYS.validate_python(journeys_doc)
        except ValidationError:  # a contract breach of an optional section degrades it rather than the view
            journey_down = True
    degraded = [name for name, down in (("scoring", scoring_down), ("journey", journey_down)) if down]
    return Customer360(
        **view.model_dump(),
        scores=scores,
        segments=scores.segments if scores else [],
        journeys=journeys,
        degraded=degraded,
    )


async def _section(client: ServiceClient, path: str, budget_s: float) -> tuple[Any, bool]:
    """(the answer or None, whether the service failed) within the budget: a slow or failing service
    leaves its section empty rather than failing the view."""
    try:
        async with asyncio.timeout(budget_s):
            return await client.get(path, not_found="none"), False
    except ProblemError as exc:
        return None, exc.status != 404
    except TimeoutError:
        return None, True


@customers_router.get(
    "/v1/customers/{customer_id}/timeline",
    summary="A customer's events, newest first",
    description=f"Cursor pagination: `limit` (default 50; values above {MAX_PAGE} are treated as {MAX_PAGE}) "
    "and the `next_cursor` of the previous page. Scope: `customers:read`.",
    response_model=TimelinePage,
    responses=problems(401, 403, 404, 422, 502, 503),
)
async def get_timeline(
    request: Request,
    customer_id: CustomerId,
    principal: Reader,
    limit: Annotated[int | None, Query(ge=1, description="Page size (default 50, max 500).")] = None,
    cursor: Annotated[str | None, Query(max_length=1024, description="`next_cursor` of the previous page.")] = None,
) -> TimelinePage:
    params: dict[str, Any] = {"limit": clamp_limit(limit)}
    if cursor:
        params["cursor"] = cursor
    doc = await _profile(request).get(
        _customer_path(principal, customer_id, "/timeline"), params=params, not_found=NOT_FOUND
    )
    return parse(TimelinePage, doc)


@customers_router.get(
    "/v1/customers/{customer_id}/export",
    summary="Everything held on a customer (data-subject access)",
    description="A JSON document with every record held on the customer. Scope: `customers:read`.",
    response_model=dict[str, Any],
    responses={
        200: {"content": {"application/json": {"example": {"customer": {"customer_id": "c_01HZX3K9"}, "events": []}}}},
        **problems(401, 403, 404, 422, 502, 503),
    },
)
async def export_customer(request: Request, customer_id: CustomerId, principal: Reader) -> dict[str, Any]:
    doc = await _profile(request).get(_customer_path(principal, customer_id, "/export"), not_found=NOT_FOUND)
    if not isinstance(doc, dict):
        raise ProblemError(502, "the profile service gave an unexpected answer")
    return doc


@customers_router.delete(
    "/v1/customers/{customer_id}",
    status_code=202,
    summary="Erase a customer everywhere (right to be forgotten)",
    description="Erases the customer and every id merged into it; other services follow from the erasure "
    "event. Scope: `customers:erase`.",
    response_model=ErasureAccepted,
    responses=problems(401, 403, 404, 422, 502, 503),
)
async def erase_customer(
    request: Request,
    customer_id: CustomerId,
    principal: Annotated[Principal, Depends(require(CUSTOMERS_ERASE))],
    idempotency_key: IdempotencyKey = None,
) -> ErasureAccepted:
    del idempotency_key  # erasure is idempotent by nature: a second call answers 404
    doc = await _profile(request).delete(_customer_path(principal, customer_id), not_found=NOT_FOUND)
    return parse(ErasureAccepted, doc)
