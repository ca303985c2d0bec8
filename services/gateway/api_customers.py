"""Customer reads and erasure, served from the profile service's internal API.

The workspace always comes from the API key, never from the request: a customer id of another
workspace is simply not found in this one (404).
"""

from __future__ import annotations

import logging
import time
from typing import Annotated

import asyncpg
from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fastapi.responses import StreamingResponse

from contracts.export import SERVICE_SECTIONS
from contracts.http.profile import (
    CustomerView,
    ErasureAccepted,
    MergePage,
    MergeUndoIn,
    MergeUndone,
    Reconsented,
    ReconsentIn,
    TimelinePage,
)
from runtime.logs import error_kind
from runtime.problems import ProblemError
from services.gateway import audit, customer_360, idempotency_store
from services.gateway.change_feed import VIEW_READS
from services.gateway.customer_360 import NOT_FOUND
from services.gateway.customer_export import export_document, export_head
from services.gateway.deps import gateway_context, require
from services.gateway.domain import (
    CUSTOMERS_ERASE,
    CUSTOMERS_READ,
    Principal,
    is_plausible_customer_id,
    single_identifier,
)
from services.gateway.passthrough import (
    IDEMPOTENT_WRITE,
    PAGE,
    Audited,
    PassThrough,
    described,
    documented,
    id_path,
    register,
)
from services.gateway.schemas import Customer360, problems
from services.gateway.service_client import ServiceClient, parse, segment, workspace_path

customers_router = APIRouter(tags=["customers"])
log = logging.getLogger(__name__)

CustomerId = Annotated[str, Path(description="A customer id (merged-away ids answer the survivor).")]
Reader = Annotated[Principal, Depends(require(CUSTOMERS_READ))]
Eraser = Annotated[Principal, Depends(require(CUSTOMERS_ERASE))]


def _customer_path(principal: Principal, customer_id: str, suffix: str = "") -> str:
    if not is_plausible_customer_id(customer_id):
        raise ProblemError(404, NOT_FOUND)  # cannot name a customer; do not forward it
    return workspace_path(principal.workspace, f"/customers/{segment(customer_id)}{suffix}")


def _profile(request: Request) -> ServiceClient:
    return gateway_context(request).profile


@customers_router.get(
    "/v1/customers", **documented("find_customer", CustomerView, problems(401, 403, 404, 422, 502, 503))
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
    "/v1/customers/{customer_id}", **documented("get_customer", Customer360, problems(401, 403, 404, 422, 502, 503))
)
async def get_customer(
    request: Request,
    customer_id: CustomerId,
    principal: Reader,
    cache_control: Annotated[
        str | None,
        Header(
            max_length=200,
            description="`no-cache`: assemble the view from the services now rather than serve a cached one.",
            examples=["no-cache"],
        ),
    ] = None,
) -> Response:
    state = gateway_context(request)
    path = _customer_path(principal, customer_id)
    views, workspace = state.views, principal.workspace
    from_cache = views.live and not (cache_control is not None and "no-cache" in cache_control.lower())
    cached = views.get(workspace, customer_id, time.monotonic()) if from_cache else None
    if cached is not None and cached.complete:
        VIEW_READS.labels("hit").inc()
        return Response(customer_360.answer(cached.sections, []), media_type="application/json")
    VIEW_READS.labels("partial" if cached is not None else "miss" if from_cache else "bypass").inc()
    fill = views.begin(workspace, customer_id)
    assembled = None
    try:
        assembled = await customer_360.assemble(state, principal, customer_id, path, cached)
        return Response(assembled.body, media_type="application/json")
    finally:
        if assembled is None:
            views.end(fill, None, {}, time.monotonic())
        else:
            views.end(fill, assembled.live_id, assembled.fetched, time.monotonic())


TIMELINE = PassThrough(
               "get_timeline", "GET", "/v1/customers/{customer_id}/timeline", "profile",
               "/customers/{customer_id}/timeline", CUSTOMERS_READ, TimelinePage, NOT_FOUND,
               {"customer_id": CustomerId}, PAGE, checks_customer_id=True,
           )  # fmt: skip
MERGE_NOT_FOUND = "no such merge in this workspace"
MergeId = id_path("m_5f0c1e2d3b4a59687766554433221100")
MERGES = PassThrough(
               "list_merges", "GET", "/v1/customers/{customer_id}/merges", "profile", "/customers/{customer_id}/merges",
               CUSTOMERS_READ, MergePage, NOT_FOUND, {"customer_id": CustomerId}, PAGE, checks_customer_id=True,
           )  # fmt: skip
UNDO_MERGE = PassThrough(
               "undo_merge", "POST", "/v1/merges/{merge_id}/undo", "profile", "/merges/{merge_id}/undo",
               CUSTOMERS_ERASE, MergeUndone, MERGE_NOT_FOUND, {"merge_id": MergeId},
               body=MergeUndoIn, body_required=False, refusable=True,
               audited=Audited(audit.MERGE_UNDONE, "merge_id"),
           )  # fmt: skip
register(customers_router, (TIMELINE, MERGES, UNDO_MERGE))


@customers_router.get(
    "/v1/customers/{customer_id}/export",
    **described("export_customer"),
    response_model=None,
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {
                "application/json": {
                    "schema": {"type": "object", "additionalProperties": True},
                    "example": {
                        "customer": {"customer_id": "c_01HZX3K9"},
                        "timeline": [],
                        "orders": [],
                        "refunds": [],
                        "tickets": [],
                        "survey_answers": [],
                        "scores": None,
                        "journeys": [],
                        "referrals": None,
                        "deals": [],
                        "tasks": [],
                        "scoring": {section: [] for section in SERVICE_SECTIONS["scoring"]},
                        "journey": {section: [] for section in SERVICE_SECTIONS["journey"]},
                        "referral": {section: [] for section in SERVICE_SECTIONS["referral"]},
                        "sales": {section: [] for section in SERVICE_SECTIONS["sales"]},
                        "loyalty": {section: [] for section in SERVICE_SECTIONS["loyalty"]},
                        "exported_at": "2026-12-06T10:00:00Z",
                    },
                }
            }
        },
        **problems(401, 403, 404, 422, 502, 503),
    },
)
async def export_customer(request: Request, customer_id: CustomerId, principal: Reader) -> StreamingResponse:
    customer = await _profile(request).get(_customer_path(principal, customer_id), not_found=NOT_FOUND)
    if not isinstance(customer, dict) or not isinstance(customer.get("customer_id"), str):
        raise ProblemError(502, "the profile service gave an unexpected answer")
    state = gateway_context(request)
    head = await export_head(state, principal.workspace, customer)
    # Logged before the first byte leaves (a 503 when the log cannot be written): no export goes unrecorded.
    await audit.record_request(request, principal, audit.CUSTOMER_EXPORTED, str(customer["customer_id"]))
    return StreamingResponse(export_document(state, principal.workspace, head), media_type="application/json")


@customers_router.delete(
    "/v1/customers/{customer_id}",
    dependencies=[IDEMPOTENT_WRITE],
    status_code=202,
    **documented("erase_customer", ErasureAccepted, problems(401, 403, 404, 422, 502, 503)),
)
async def erase_customer(request: Request, customer_id: CustomerId, principal: Eraser) -> ErasureAccepted:
    path = _customer_path(principal, customer_id)
    pool = gateway_context(request).runtime.pool
    async with audit.audited(request, principal, audit.CUSTOMER_ERASED, customer_id):
        # Stored answers naming the customer are redacted before the erasure (a 503 then, and nothing erased,
        # when that fails), and those naming the ids merged into them once profile has said which they are.
        await _forget_answers(pool, principal.workspace, [customer_id], required=True)
        erased = parse(ErasureAccepted, await _profile(request).delete(path, not_found=NOT_FOUND))
        await _forget_answers(pool, principal.workspace, erased.erased_ids, required=False)
        return erased


async def _forget_answers(pool: asyncpg.Pool, workspace: str, customer_ids: list[str], *, required: bool) -> None:
    try:
        await idempotency_store.forget_answers_naming(pool, workspace, customer_ids)
    except audit.DATABASE_ERRORS as exc:
        if required:
            unavailable = "the gateway's database is unavailable; retry"
            raise ProblemError(503, unavailable, headers={"Retry-After": "1"}) from exc
        # The erasure stands; these answers expire with FLYWHEEL_IDEMPOTENCY_TTL_HOURS.
        log.warning("stored answers of merged ids not redacted", extra={"error": error_kind(exc)})


@customers_router.post(
    "/v1/customers/reconsent",
    dependencies=[IDEMPOTENT_WRITE],
    **documented("reconsent", Reconsented, problems(401, 403, 404, 422, 502, 503)),
)
async def reconsent(request: Request, body: ReconsentIn, principal: Eraser) -> Reconsented:
    given = body.model_dump(exclude_none=True)  # exactly one (ReconsentIn)
    async with audit.audited(request, principal, audit.CUSTOMER_RECONSENTED, next(iter(given))) as change:
        doc = await _profile(request).post(
            workspace_path(principal.workspace, "/reconsents"),
            given,
            not_found="no erased customer of this workspace had that identifier: nothing to lift",
        )
        answer = parse(Reconsented, doc)
        if isinstance(doc, dict) and isinstance(doc.get("ledger_entry"), str):
            change.target = f"{answer.identifier} {doc['ledger_entry'][:16]}"
        return answer
