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

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request

from contracts.http.sales.deals import (
    EXAMPLE_PIPELINE,
    IDENTIFIER_PATTERN,
    CloseIn,
    Deal,
    DealIn,
    DealPage,
    DealPatch,
    LossIn,
    MoveIn,
    Pipeline,
    PipelineList,
)
from contracts.http.sales.quotes import (
    DecisionByKey,
    DecisionIn,
    Quote,
    QuoteByKey,
    QuoteIn,
    QuotePage,
    QuoteStatus,
    SalesSettings,
    SalesSettingsIn,
)
from services.gateway import audit
from services.gateway.deps import IdempotencyKey, gateway_context, require
from services.gateway.domain import CUSTOMERS_READ, SALES_APPROVE, SALES_WRITE, Principal
from services.gateway.passthrough import (
    ID_PATTERN,
    IDEMPOTENT_WRITE,
    PAGE,
    PassThrough,
    QueryParam,
    described,
    document_body,
    documented,
    id_path,
    register,
)
from services.gateway.schemas import problems
from services.gateway.service_client import idempotency_headers, parse, segment, workspace_path

sales_router = APIRouter(tags=["sales"])

PIPELINE_NOT_FOUND = "no such pipeline in this workspace"
DEAL_NOT_FOUND = "no such deal in this workspace"
QUOTE_NOT_FOUND = "no such quote in this workspace"
PipelineId = id_path("repurchase_upsell", IDENTIFIER_PATTERN)
DealId = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN, examples=["d_5c1e0a9b8f7d6c5b4a3e"])]
QuoteId = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN, examples=["q_4e1b0c9d2a7f3e58a1b2"])]
Approver = Annotated[Principal, Depends(require(SALES_APPROVE))]
PipelineDocument = document_body("pipeline", EXAMPLE_PIPELINE)
PIPELINE = {"pipeline_id": PipelineId}
DEAL = {"deal_id": DealId}
DEAL_FILTERS = (
    QueryParam("pipeline_id", Annotated[str | None, Query(max_length=64)]),
    QueryParam("owner", Annotated[str | None, Query(max_length=100)]),
    QueryParam("customer_id", Annotated[str | None, Query(max_length=64)]),
    QueryParam("status", Annotated[Literal["open", "won", "lost"] | None, Query()]),
)
QUOTE_FILTERS = (
    QueryParam("status", Annotated[QuoteStatus | None, Query()]),
    QueryParam("deal_id", Annotated[str | None, Query(max_length=64)]),
)

SALES_ROWS = (
    # --- pipelines
    PassThrough("list_pipelines", "GET", "/v1/pipelines", "sales", "/pipelines", CUSTOMERS_READ, PipelineList),
    PassThrough(
        "get_pipeline", "GET", "/v1/pipelines/{pipeline_id}", "sales", "/pipelines/{pipeline_id}", CUSTOMERS_READ,
        Pipeline, PIPELINE_NOT_FOUND, PIPELINE,
    ),
    PassThrough(
        "put_pipeline", "PUT", "/v1/pipelines/{pipeline_id}", "sales", "/pipelines/{pipeline_id}", SALES_WRITE,
        Pipeline, PIPELINE_NOT_FOUND, PIPELINE, body=PipelineDocument, quota="pipelines", creates=True,
    ),
    # --- deals
    PassThrough(
        "create_deal", "POST", "/v1/deals", "sales", "/deals", SALES_WRITE, Deal, PIPELINE_NOT_FOUND, body=DealIn,
        status_code=201, more_problems=(404,), forward_idempotency=True,
    ),
    PassThrough(
        "list_deals", "GET", "/v1/deals", "sales", "/deals", CUSTOMERS_READ, DealPage, "none",
        query=(*PAGE, *DEAL_FILTERS),
    ),
    PassThrough(
        "get_deal", "GET", "/v1/deals/{deal_id}", "sales", "/deals/{deal_id}", CUSTOMERS_READ, Deal, DEAL_NOT_FOUND,
        DEAL,
    ),
    PassThrough(
        "patch_deal", "PATCH", "/v1/deals/{deal_id}", "sales", "/deals/{deal_id}", SALES_WRITE, Deal, DEAL_NOT_FOUND,
        DEAL, body=DealPatch, refusable=True,
    ),
    PassThrough(
        "move_deal", "POST", "/v1/deals/{deal_id}/move", "sales", "/deals/{deal_id}/move", SALES_WRITE, Deal,
        DEAL_NOT_FOUND, DEAL, body=MoveIn, refusable=True,
    ),
    PassThrough(
        "win_deal", "POST", "/v1/deals/{deal_id}/won", "sales", "/deals/{deal_id}/won", SALES_WRITE, Deal,
        DEAL_NOT_FOUND, DEAL, body=CloseIn | None, body_required=False, refusable=True,
    ),
    PassThrough(
        "lose_deal", "POST", "/v1/deals/{deal_id}/lost", "sales", "/deals/{deal_id}/lost", SALES_WRITE, Deal,
        DEAL_NOT_FOUND, DEAL, body=LossIn, refusable=True,
    ),
    # --- quotes
    PassThrough(
        "list_quotes", "GET", "/v1/quotes", "sales", "/quotes", CUSTOMERS_READ, QuotePage, "none",
        query=(*PAGE, *QUOTE_FILTERS),
    ),
    PassThrough(
        "get_quote", "GET", "/v1/quotes/{quote_id}", "sales", "/quotes/{quote_id}", CUSTOMERS_READ, Quote,
        QUOTE_NOT_FOUND, {"quote_id": QuoteId},
    ),
    PassThrough(
        "accept_quote", "POST", "/v1/quotes/{quote_id}/accept", "sales", "/quotes/{quote_id}/accept", SALES_WRITE,
        Quote, QUOTE_NOT_FOUND, {"quote_id": QuoteId}, refusable=True,
    ),
    # --- settings
    PassThrough(
        "get_settings", "GET", "/v1/sales-settings", "sales", "/sales-settings", CUSTOMERS_READ, SalesSettings, "none",
    ),
    PassThrough(
        "put_settings", "PUT", "/v1/sales-settings", "sales", "/sales-settings", SALES_APPROVE, SalesSettings, "none",
        body=SalesSettingsIn,
    ),
)  # fmt: skip
register(sales_router, SALES_ROWS)


@sales_router.post(
    "/v1/deals/{deal_id}/quotes",
    status_code=201,
    dependencies=[IDEMPOTENT_WRITE],
    **documented("create_quote", Quote, problems(401, 403, 404, 409, 422, 502, 503)),
)
async def create_quote(
    request: Request,
    deal_id: DealId,
    body: QuoteIn,
    principal: Annotated[Principal, Depends(require(SALES_WRITE))],
    idempotency_key: IdempotencyKey = None,
) -> Quote:
    """POST /v1/deals/{deal_id}/quotes: not a pass-through, the quote is asked for as the key's owner (never a
    name from the body)."""
    quote = QuoteByKey(**body.model_dump(), requested_by=principal.owner or None, requested_key_id=principal.key_id)
    doc = await gateway_context(request).sales.post(
        workspace_path(principal.workspace, f"/deals/{segment(deal_id)}/quotes"),
        quote.model_dump(mode="json"),
        not_found=DEAL_NOT_FOUND,
        headers=idempotency_headers(principal, idempotency_key),
    )
    return parse(Quote, doc, "sales")


async def _decide(request: Request, principal: Principal, quote_id: str, action: str, body: DecisionIn | None) -> Quote:
    """The decision, made as the key's owner (the sales service checks the owner is a manager), audited."""
    decision = DecisionByKey(
        approver=principal.owner, approver_key_id=principal.key_id, comment=body.comment if body is not None else ""
    )
    audit_action = audit.QUOTE_APPROVED if action == "approve" else audit.QUOTE_REJECTED
    async with audit.audited(request, principal, audit_action, quote_id):
        doc = await gateway_context(request).sales.post(
            workspace_path(principal.workspace, f"/quotes/{segment(quote_id)}/{action}"),
            decision.model_dump(mode="json"),
            not_found=QUOTE_NOT_FOUND,
        )
        return parse(Quote, doc, "sales")


def _decision_route(action: str) -> None:
    """POST /v1/quotes/{quote_id}/<action>: a decision on a quote's discount, not a pass-through (the approver is
    the key's owner, never the body's)."""

    async def decide(
        request: Request,
        quote_id: QuoteId,
        principal: Approver,
        body: DecisionIn | None = None,
    ) -> Quote:
        return await _decide(request, principal, quote_id, action, body)

    decide.__name__ = decide.__qualname__ = f"{action}_quote"  # the operation id
    sales_router.add_api_route(
        f"/v1/quotes/{{quote_id}}/{action}",
        decide,
        methods=["POST"],
        dependencies=[IDEMPOTENT_WRITE],  # a second decision is a 409; nothing changes
        **described(f"{action}_quote"),
        response_model=Quote,
        responses=problems(401, 403, 404, 409, 422, 502, 503),
    )


_decision_route("approve")
_decision_route("reject")
