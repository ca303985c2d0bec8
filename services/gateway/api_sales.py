"""Pipelines, deals and their move rules, quotes with manager approval, and the sales settings, served
from the sales service's internal API (tasks, owners, teams and signals are in api_sales_work).

The workspace always comes from the API key; a deal or quote id of another workspace is not found.
Deciding a quote (approve, reject) and setting the sales settings (the approval policy: threshold, managers)
need `sales:approve`; the approver recorded is the deciding key's owner, never a name from the body, and each
decision is written to the audit log (services/gateway/audit.py: before the call, completed from the answer).
Pipeline documents pass through as JSON: the sales service validates them, and its 422 names every bad
field. A move refused by the pipeline's rules is a 409 listing its `blockers`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Query, Request

from services.gateway import audit
from services.gateway.deps import IdempotencyKey, gateway_state, require
from services.gateway.domain import CUSTOMERS_READ, MAX_PAGE, SALES_APPROVE, SALES_WRITE, Principal
from services.gateway.request_types import Cursor
from services.gateway.schemas import problems, quota_conflict
from services.gateway.schemas_sales import (
    EXAMPLE_PIPELINE,
    IDENTIFIER_PATTERN,
    CloseIn,
    Deal,
    DealIn,
    DealPage,
    DealPatch,
    DecisionIn,
    LossIn,
    MoveIn,
    Pipeline,
    PipelineList,
    Quote,
    QuoteIn,
    SalesSettings,
    SalesSettingsIn,
)
from services.gateway.service_client import (
    ServiceClient,
    idempotency_headers,
    page_params,
    parse,
    segment,
    workspace_path,
)

sales_router = APIRouter(tags=["sales"])

PIPELINE_NOT_FOUND = "no such pipeline in this workspace"
DEAL_NOT_FOUND = "no such deal in this workspace"
QUOTE_NOT_FOUND = "no such quote in this workspace"
ID_PATTERN = r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$"  # not "." or "..": never another path of the sales service
PipelineId = Annotated[
    str, Path(min_length=1, max_length=64, pattern=IDENTIFIER_PATTERN, examples=["repurchase_upsell"])
]
DealId = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN, examples=["d_5c1e0a9b8f7d6c5b4a3e"])]
QuoteId = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN, examples=["q_4e1b0c9d2a7f3e58a1b2"])]
Reader = Annotated[Principal, Depends(require(CUSTOMERS_READ))]
Writer = Annotated[Principal, Depends(require(SALES_WRITE))]
Approver = Annotated[Principal, Depends(require(SALES_APPROVE))]
Limit = Annotated[int | None, Query(ge=1, description=f"Page size (default 50, max {MAX_PAGE}).")]
PipelineDocument = Annotated[
    dict[str, Any],  # passed through as parsed: validating every value as JsonValue cost ~0.5 s per 5 MB
    Body(
        description="A pipeline: `name` and ordered `stages`, each with `id`, `name`, win `probability`, an SOP "
        "`checklist` (`id`, `title`, `due_in_days`, `required`) and `required_fields`.",
        examples=[EXAMPLE_PIPELINE],
    ),
]
WRITE_PROBLEMS = problems(401, 403, 404, 409, 422, 502, 503)
READ_PROBLEMS = problems(401, 403, 404, 422, 502, 503)


def _sales(request: Request) -> ServiceClient:
    return gateway_state(request).sales


def _deal_path(principal: Principal, deal_id: str, suffix: str = "") -> str:
    return workspace_path(principal.workspace, f"/deals/{segment(deal_id)}{suffix}")


def _quote_path(principal: Principal, quote_id: str, suffix: str = "") -> str:
    return workspace_path(principal.workspace, f"/quotes/{segment(quote_id)}{suffix}")


# --- pipelines ------------------------------------------------------------------------------------


@sales_router.get(
    "/v1/pipelines",
    summary="Sales pipelines",
    description="Every pipeline of the workspace, the built-in `repurchase_upsell` and `reactivation` "
    "included (unless replaced). Scope: `customers:read`.",
    response_model=PipelineList,
    responses=problems(401, 403, 502, 503),
)
async def list_pipelines(request: Request, principal: Reader) -> PipelineList:
    doc = await _sales(request).get(workspace_path(principal.workspace, "/pipelines"), not_found="not found")
    return parse(PipelineList, doc, "sales")


@sales_router.get(
    "/v1/pipelines/{pipeline_id}",
    summary="One sales pipeline",
    description="Scope: `customers:read`.",
    response_model=Pipeline,
    responses=READ_PROBLEMS,
)
async def get_pipeline(request: Request, pipeline_id: PipelineId, principal: Reader) -> Pipeline:
    doc = await _sales(request).get(
        workspace_path(principal.workspace, f"/pipelines/{segment(pipeline_id)}"), not_found=PIPELINE_NOT_FOUND
    )
    return parse(Pipeline, doc, "sales")


@sales_router.put(
    "/v1/pipelines/{pipeline_id}",
    summary="Create or replace a sales pipeline",
    description="Stores the workspace's own pipeline under this id; under a built-in's id it replaces the "
    "built-in in this workspace. Open deals keep their stage; the new rules apply to their next move. "
    "A new pipeline beyond the workspace's quota `pipelines` (the built-ins count) is a 409. "
    "Scope: `sales:write`.",
    response_model=Pipeline,
    responses={**problems(401, 403, 422, 502, 503), **quota_conflict("pipelines")},
)
async def put_pipeline(
    request: Request,
    pipeline_id: PipelineId,
    body: PipelineDocument,
    principal: Writer,
    idempotency_key: IdempotencyKey = None,
) -> Pipeline:
    del idempotency_key  # a PUT is idempotent by nature
    doc = await _sales(request).put(
        workspace_path(principal.workspace, f"/pipelines/{segment(pipeline_id)}"), body, not_found=PIPELINE_NOT_FOUND
    )
    return parse(Pipeline, doc, "sales")


# --- deals ----------------------------------------------------------------------------------------


@sales_router.post(
    "/v1/deals",
    status_code=201,
    summary="Create a deal",
    description="In the pipeline's first stage unless `stage` says otherwise (a stage the pipeline does not "
    "have is a 422); its checklist becomes tasks for the deal's owner (by default the customer's owner). A "
    "retry with the same `Idempotency-Key` answers the deal the first request made. Scope: `sales:write`.",
    response_model=Deal,
    responses=problems(401, 403, 404, 422, 502, 503),
)
async def create_deal(
    request: Request, body: DealIn, principal: Writer, idempotency_key: IdempotencyKey = None
) -> Deal:
    doc = await _sales(request).post(
        workspace_path(principal.workspace, "/deals"),
        body.model_dump(mode="json"),
        not_found=PIPELINE_NOT_FOUND,
        headers=idempotency_headers(principal, idempotency_key),
    )
    return parse(Deal, doc, "sales")


@sales_router.get(
    "/v1/deals",
    summary="Deals",
    description="Oldest first, optionally of one pipeline, owner, customer or status. Scope: `customers:read`.",
    response_model=DealPage,
    responses=problems(401, 403, 422, 502, 503),
)
async def list_deals(
    request: Request,
    principal: Reader,
    limit: Limit = None,
    cursor: Cursor = None,
    pipeline_id: Annotated[str | None, Query(max_length=64)] = None,
    owner: Annotated[str | None, Query(max_length=100)] = None,
    customer_id: Annotated[str | None, Query(max_length=64)] = None,
    status: Annotated[Literal["open", "won", "lost"] | None, Query()] = None,
) -> DealPage:
    filters = {"pipeline_id": pipeline_id, "owner": owner, "customer_id": customer_id, "status": status}
    params = page_params(limit, cursor) | {k: v for k, v in filters.items() if v is not None}
    doc = await _sales(request).get(workspace_path(principal.workspace, "/deals"), params=params, not_found="none")
    return parse(DealPage, doc, "sales")


@sales_router.get(
    "/v1/deals/{deal_id}",
    summary="One deal",
    description="With its products, fields, `blockers` (what keeps it in its stage) and stage history. "
    "Scope: `customers:read`.",
    response_model=Deal,
    responses=READ_PROBLEMS,
)
async def get_deal(request: Request, deal_id: DealId, principal: Reader) -> Deal:
    doc = await _sales(request).get(_deal_path(principal, deal_id), not_found=DEAL_NOT_FOUND)
    return parse(Deal, doc, "sales")


@sales_router.patch(
    "/v1/deals/{deal_id}",
    summary="Change a deal",
    description="Only the fields sent change; `fields` are merged (null removes one). The stage changes "
    "only by `move`. Scope: `sales:write`.",
    response_model=Deal,
    responses=WRITE_PROBLEMS,
)
async def patch_deal(
    request: Request, deal_id: DealId, body: DealPatch, principal: Writer, idempotency_key: IdempotencyKey = None
) -> Deal:
    del idempotency_key  # the same change twice leaves the same deal
    doc = await _sales(request).patch(
        _deal_path(principal, deal_id), body.model_dump(mode="json", exclude_unset=True), not_found=DEAL_NOT_FOUND
    )
    return parse(Deal, doc, "sales")


@sales_router.post(
    "/v1/deals/{deal_id}/move",
    summary="Move a deal to a stage",
    description="The stage must be one of the deal's pipeline's stages (422 otherwise). Forwards only when "
    "the current stage is done (no open required checklist task, every required field set): otherwise 409 "
    "with `blockers`, unless `override_reason` is given (recorded). Backwards is always allowed; won and lost "
    "deals do not move (409). Scope: `sales:write`.",
    response_model=Deal,
    responses=WRITE_PROBLEMS,
)
async def move_deal(
    request: Request, deal_id: DealId, body: MoveIn, principal: Writer, idempotency_key: IdempotencyKey = None
) -> Deal:
    del idempotency_key  # moving to the stage the deal is in re-enters it; retry only on errors
    doc = await _sales(request).post(
        _deal_path(principal, deal_id, "/move"), body.model_dump(mode="json"), not_found=DEAL_NOT_FOUND
    )
    return parse(Deal, doc, "sales")


@sales_router.post(
    "/v1/deals/{deal_id}/won",
    summary="Mark a deal won",
    description="Terminal; winning again changes nothing, a lost deal cannot be won (409). Scope: `sales:write`.",
    response_model=Deal,
    responses=WRITE_PROBLEMS,
)
async def win_deal(
    request: Request,
    deal_id: DealId,
    principal: Writer,
    body: CloseIn | None = None,
    idempotency_key: IdempotencyKey = None,
) -> Deal:
    del idempotency_key  # winning again changes nothing
    payload = body.model_dump(mode="json") if body else {}
    doc = await _sales(request).post(_deal_path(principal, deal_id, "/won"), payload, not_found=DEAL_NOT_FOUND)
    return parse(Deal, doc, "sales")


@sales_router.post(
    "/v1/deals/{deal_id}/lost",
    summary="Mark a deal lost",
    description="Needs a `reason`. Terminal; losing again changes nothing, a won deal cannot be lost (409). "
    "Scope: `sales:write`.",
    response_model=Deal,
    responses=WRITE_PROBLEMS,
)
async def lose_deal(
    request: Request, deal_id: DealId, body: LossIn, principal: Writer, idempotency_key: IdempotencyKey = None
) -> Deal:
    del idempotency_key  # losing again changes nothing
    doc = await _sales(request).post(
        _deal_path(principal, deal_id, "/lost"), body.model_dump(mode="json"), not_found=DEAL_NOT_FOUND
    )
    return parse(Deal, doc, "sales")


# --- quotes ---------------------------------------------------------------------------------------


@sales_router.post(
    "/v1/deals/{deal_id}/quotes",
    status_code=201,
    summary="Quote a deal",
    description="Subtotal and total are computed (rounded to cents; lines adding up to more than 18 digits "
    "before the point are a 422). A discount above the workspace's "
    "threshold makes the quote `pending_approval` until a manager approves it. 409 for a closed deal. A retry "
    "with the same `Idempotency-Key` answers the quote the first request made. Scope: `sales:write`.",
    response_model=Quote,
    responses=WRITE_PROBLEMS,
)
async def create_quote(
    request: Request, deal_id: DealId, body: QuoteIn, principal: Writer, idempotency_key: IdempotencyKey = None
) -> Quote:
    doc = await _sales(request).post(
        _deal_path(principal, deal_id, "/quotes"),
        body.model_dump(mode="json"),
        not_found=DEAL_NOT_FOUND,
        headers=idempotency_headers(principal, idempotency_key),
    )
    return parse(Quote, doc, "sales")


@sales_router.get(
    "/v1/quotes/{quote_id}",
    summary="One quote",
    description="Scope: `customers:read`.",
    response_model=Quote,
    responses=READ_PROBLEMS,
)
async def get_quote(request: Request, quote_id: QuoteId, principal: Reader) -> Quote:
    doc = await _sales(request).get(_quote_path(principal, quote_id), not_found=QUOTE_NOT_FOUND)
    return parse(Quote, doc, "sales")


async def _decide(request: Request, principal: Principal, quote_id: str, action: str, body: DecisionIn | None) -> Quote:
    """The decision, made as the key's owner (the sales service checks the owner is a manager), audited."""
    decision = {
        "approver": principal.owner,
        "approver_key_id": principal.key_id,
        "comment": body.comment if body is not None else "",
    }
    audit_action = audit.QUOTE_APPROVED if action == "approve" else audit.QUOTE_REJECTED
    async with audit.audited(request, principal, audit_action, quote_id):
        doc = await _sales(request).post(
            _quote_path(principal, quote_id, f"/{action}"), decision, not_found=QUOTE_NOT_FOUND
        )
        return parse(Quote, doc, "sales")


@sales_router.post(
    "/v1/quotes/{quote_id}/approve",
    summary="Approve a quote's discount",
    description="Approves as the API key's owner (see `POST /v1/keys`), who must be one of the managers in the "
    "sales settings (403 otherwise), while the quote is `pending_approval` (409 otherwise). The quote records the "
    "owner (`approver`) and the key (`approver_key_id`), and the audit log the decision. The approver is never "
    "taken from the body: a body naming one is a 422. Scope: `sales:approve` (403 without it, whatever else the "
    "key may do).",
    response_model=Quote,
    responses=WRITE_PROBLEMS,
)
async def approve_quote(
    request: Request,
    quote_id: QuoteId,
    principal: Approver,
    body: DecisionIn | None = None,
    idempotency_key: IdempotencyKey = None,
) -> Quote:
    del idempotency_key  # a second decision is a 409; nothing changes
    return await _decide(request, principal, quote_id, "approve", body)


@sales_router.post(
    "/v1/quotes/{quote_id}/reject",
    summary="Reject a quote's discount",
    description="As approve; a rejected quote cannot be accepted. Scope: `sales:approve`.",
    response_model=Quote,
    responses=WRITE_PROBLEMS,
)
async def reject_quote(
    request: Request,
    quote_id: QuoteId,
    principal: Approver,
    body: DecisionIn | None = None,
    idempotency_key: IdempotencyKey = None,
) -> Quote:
    del idempotency_key  # a second decision is a 409; nothing changes
    return await _decide(request, principal, quote_id, "reject", body)


@sales_router.post(
    "/v1/quotes/{quote_id}/accept",
    summary="The customer accepts a quote",
    description="Wins the deal at the quote's total. 409 while the quote waits for approval, or when it was "
    "rejected. Scope: `sales:write`.",
    response_model=Quote,
    responses=WRITE_PROBLEMS,
)
async def accept_quote(
    request: Request, quote_id: QuoteId, principal: Writer, idempotency_key: IdempotencyKey = None
) -> Quote:
    del idempotency_key  # the deal is won once
    doc = await _sales(request).post(_quote_path(principal, quote_id, "/accept"), None, not_found=QUOTE_NOT_FOUND)
    return parse(Quote, doc, "sales")


# --- settings -------------------------------------------------------------------------------------


@sales_router.get(
    "/v1/sales-settings",
    summary="The workspace's sales settings",
    description="Discount approval threshold and managers, reminder lead time, and who counts as a high-value "
    "customer. Scope: `customers:read`.",
    response_model=SalesSettings,
    responses=problems(401, 403, 502, 503),
)
async def get_settings(request: Request, principal: Reader) -> SalesSettings:
    doc = await _sales(request).get(workspace_path(principal.workspace, "/sales-settings"), not_found="none")
    return parse(SalesSettings, doc, "sales")


@sales_router.put(
    "/v1/sales-settings",
    summary="Replace the workspace's sales settings",
    description="Settings left out take their defaults. Quotes made before keep their threshold. The settings are "
    "the approval policy (the discount threshold, who the managers are), so changing them takes what deciding "
    "a quote takes. Scope: `sales:approve`.",
    response_model=SalesSettings,
    responses=problems(401, 403, 422, 502, 503),
)
async def put_settings(
    request: Request, body: SalesSettingsIn, principal: Approver, idempotency_key: IdempotencyKey = None
) -> SalesSettings:
    del idempotency_key  # a PUT is idempotent by nature
    doc = await _sales(request).put(
        workspace_path(principal.workspace, "/sales-settings"), body.model_dump(mode="json"), not_found="none"
    )
    return parse(SalesSettings, doc, "sales")
