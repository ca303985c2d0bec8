"""Referral programs, customers' codes and ledgers, held rewards' review and program numbers, served from
the referral service's internal API.

The workspace always comes from the API key; a program or reward id of another workspace is not found.
Program documents pass through as JSON: the referral service validates them, and its 422 names every bad
field (e.g. `referrer_reward.value`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from pydantic import JsonValue

from runtime.problems import ProblemError
from services.gateway.deps import IdempotencyKey, gateway_state, require
from services.gateway.domain import CUSTOMERS_READ, MAX_PAGE, REFERRALS_WRITE, Principal, is_plausible_customer_id
from services.gateway.request_types import TIME_DESCRIPTION, Cursor, RequestTime
from services.gateway.schemas import problems, quota_conflict
from services.gateway.schemas_referrals import (
    EXAMPLE_PROGRAM,
    CodeIn,
    Program,
    ProgramPage,
    ProgramStats,
    ReferralCodeIssued,
    ReferralLedger,
    ReviewIn,
    ReviewItem,
    ReviewPage,
)
from services.gateway.service_client import (
    ServiceClient,
    idempotency_headers,
    page_params,
    parse,
    segment,
    workspace_path,
)

referrals_router = APIRouter(tags=["referrals"])

PROGRAM_NOT_FOUND = "no such referral program in this workspace"
REWARD_NOT_FOUND = "no such reward in this workspace"
CUSTOMER_NOT_FOUND = "no such customer in this workspace"
# Not "." or "..": an id must never be able to name another path of the referral service.
ProgramId = Annotated[
    str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$", examples=["p_3f2a9c0d1e4b5a67"])
]
RewardId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=200,
        pattern=r"^[A-Za-z0-9_:-][A-Za-z0-9_.:-]*$",
        examples=["rw_p_3f2a9c0d1e4b5a67_c_01J0A2B3_referrer"],
    ),
]
CustomerId = Annotated[str, Path(max_length=64, description="A customer id.", examples=["c_01HZX3K9"])]
Reader = Annotated[Principal, Depends(require(CUSTOMERS_READ))]
Writer = Annotated[Principal, Depends(require(REFERRALS_WRITE))]
Limit = Annotated[int | None, Query(ge=1, description=f"Page size (default 50, max {MAX_PAGE}).")]
Document = Annotated[
    dict[str, Any],  # passed through as parsed: validating every value as JsonValue cost ~0.5 s per 5 MB
    Body(
        description="A referral program document: `name`, `active`, `code_prefix`, `eligibility`, "
        "`referrer_reward` and `friend_reward` (kind, value, trigger, min_purchase), `tiers`, `limits`, "
        "`valid_from`/`valid_until`, `attribution_window_days`, `fraud` and `review` thresholds.",
        examples=[EXAMPLE_PROGRAM],
    ),
]
Review = Annotated[ReviewIn | None, Body(description="An optional comment, kept with the decision.")]
WRITE_PROBLEMS = problems(401, 403, 404, 409, 422, 502, 503)
READ_PROBLEMS = problems(401, 403, 404, 422, 502, 503)


def _referral(request: Request) -> ServiceClient:
    return gateway_state(request).referral


def _program_path(principal: Principal, program_id: str, suffix: str = "") -> str:
    return workspace_path(principal.workspace, f"/programs/{segment(program_id)}{suffix}")


def _reward_path(principal: Principal, reward_id: str, suffix: str = "") -> str:
    return workspace_path(principal.workspace, f"/rewards/{segment(reward_id)}{suffix}")


# --- programs -------------------------------------------------------------------------------------


@referrals_router.get(
    "/v1/referral-programs",
    summary="Referral programs",
    description="The workspace's programs in id order, with their documents. Scope: `customers:read`.",
    response_model=ProgramPage,
    responses=problems(401, 403, 422, 502, 503),
)
async def list_programs(request: Request, principal: Reader, limit: Limit = None, cursor: Cursor = None) -> ProgramPage:
    doc = await _referral(request).get(
        workspace_path(principal.workspace, "/programs"), params=page_params(limit, cursor), not_found="not found"
    )
    return parse(ProgramPage, doc, "referral")


@referrals_router.post(
    "/v1/referral-programs",
    status_code=201,
    summary="Create a referral program",
    description="The document is validated (a 422 names every bad field) and stored as version 1. A retry "
    "with the same `Idempotency-Key` answers the program the first request made. A program beyond the "
    "workspace's quota `referral_programs` is a 409. Scope: `referrals:write`.",
    response_model=Program,
    responses={**problems(401, 403, 422, 502, 503), **quota_conflict("referral_programs")},
)
async def create_program(
    request: Request, body: Document, principal: Writer, idempotency_key: IdempotencyKey = None
) -> Program:
    doc = await _referral(request).post(
        workspace_path(principal.workspace, "/programs"),
        body,
        not_found=PROGRAM_NOT_FOUND,
        headers=idempotency_headers(principal, idempotency_key),
    )
    return parse(Program, doc, "referral")


@referrals_router.get(
    "/v1/referral-programs/{program_id}",
    summary="One referral program",
    description="Scope: `customers:read`.",
    response_model=Program,
    responses=READ_PROBLEMS,
)
async def get_program(request: Request, program_id: ProgramId, principal: Reader) -> Program:
    doc = await _referral(request).get(_program_path(principal, program_id), not_found=PROGRAM_NOT_FOUND)
    return parse(Program, doc, "referral")


@referrals_router.put(
    "/v1/referral-programs/{program_id}",
    summary="Replace a referral program's document",
    description="The new document is validated like a new one; `version` goes up when it changed. Codes, "
    "attributions and rewards already made stay. Scope: `referrals:write`.",
    response_model=Program,
    responses=problems(401, 403, 404, 422, 502, 503),
)
async def put_program(
    request: Request, program_id: ProgramId, body: Document, principal: Writer, idempotency_key: IdempotencyKey = None
) -> Program:
    del idempotency_key  # a PUT is idempotent by nature
    path = _program_path(principal, program_id)
    referral = _referral(request)
    await referral.get(path, not_found=PROGRAM_NOT_FOUND)  # only existing programs are replaced through the API
    doc = await referral.put(path, body, not_found=PROGRAM_NOT_FOUND)
    return parse(Program, doc, "referral")


@referrals_router.post(
    "/v1/referral-programs/{program_id}/codes",
    summary="A customer's referral code in a program",
    description="Made on the first request (and announced as `referral.code_issued`), the same code ever "
    "after: retrying is safe. 409 when the customer may not refer (e.g. not in the program's eligible "
    "segment, or the program is not running). Scope: `referrals:write`.",
    response_model=ReferralCodeIssued,
    responses=WRITE_PROBLEMS,
)
async def issue_code(
    request: Request, program_id: ProgramId, body: CodeIn, principal: Writer, idempotency_key: IdempotencyKey = None
) -> ReferralCodeIssued:
    del idempotency_key  # the code is derived from (program, customer): a retry gets the same one
    doc = await _referral(request).post(
        _program_path(principal, program_id, "/codes"), body.model_dump(mode="json"), not_found=PROGRAM_NOT_FOUND
    )
    return parse(ReferralCodeIssued, doc, "referral")


@referrals_router.get(
    "/v1/referral-programs/{program_id}/stats",
    summary="A referral program's numbers",
    description="For the period [`from`, `to`) (default: the 30 days before `to`, which defaults to now): "
    "referral share of new customers, the funnel (invites, clicks, sign-ups, first purchases), K-factor, "
    "reward cost per acquired customer, and referred customers' LTV against the others'. `from` must be "
    "before `to` (422). Scope: `customers:read`.",
    response_model=ProgramStats,
    responses=READ_PROBLEMS,
)
async def program_stats(
    request: Request,
    program_id: ProgramId,
    principal: Reader,
    from_: Annotated[
        RequestTime | None, Query(alias="from", description=f"Start, inclusive: {TIME_DESCRIPTION}")
    ] = None,
    to: Annotated[RequestTime | None, Query(description=f"End, exclusive: {TIME_DESCRIPTION}")] = None,
) -> ProgramStats:
    params = {name: value.isoformat() for name, value in (("from", from_), ("to", to)) if value is not None}
    doc = await _referral(request).get(
        _program_path(principal, program_id, "/stats"), params=params, not_found=PROGRAM_NOT_FOUND
    )
    return parse(ProgramStats, doc, "referral")


# --- a customer's ledger --------------------------------------------------------------------------


@referrals_router.get(
    "/v1/customers/{customer_id}/referral-ledger",
    summary="A customer's referral rewards and totals",
    description="Totals per reward kind (granted, reversed, held, balance) and the rewards the customer "
    "earned as referrer or friend, oldest first; empty for a customer without any. Scope: `customers:read`.",
    response_model=ReferralLedger,
    responses=READ_PROBLEMS,
)
async def customer_ledger(
    request: Request, customer_id: CustomerId, principal: Reader, limit: Limit = None, cursor: Cursor = None
) -> ReferralLedger:
    if not is_plausible_customer_id(customer_id):
        raise ProblemError(404, CUSTOMER_NOT_FOUND)  # cannot name a customer; do not forward it
    doc = await _referral(request).get(
        workspace_path(principal.workspace, f"/customers/{segment(customer_id)}/ledger"),
        params=page_params(limit, cursor),
        not_found=CUSTOMER_NOT_FOUND,
    )
    return parse(ReferralLedger, doc, "referral")


# --- held rewards and their review ----------------------------------------------------------------


@referrals_router.get(
    "/v1/referral-reviews",
    summary="Rewards held for review",
    description="Rewards a fraud check or a review threshold held, oldest first, each with the reason. "
    "Scope: `customers:read`.",
    response_model=ReviewPage,
    responses=problems(401, 403, 422, 502, 503),
)
async def list_reviews(request: Request, principal: Reader, limit: Limit = None, cursor: Cursor = None) -> ReviewPage:
    doc = await _referral(request).get(
        workspace_path(principal.workspace, "/reviews"), params=page_params(limit, cursor), not_found="not found"
    )
    return parse(ReviewPage, doc, "referral")


@referrals_router.get(
    "/v1/referral-rewards/{reward_id}",
    summary="One referral reward",
    description="Its status, the reason it was held or refused, and the review comment. Scope: `customers:read`.",
    response_model=ReviewItem,
    responses=READ_PROBLEMS,
)
async def get_reward(request: Request, reward_id: RewardId, principal: Reader) -> ReviewItem:
    doc = await _referral(request).get(_reward_path(principal, reward_id), not_found=REWARD_NOT_FOUND)
    return parse(ReviewItem, doc, "referral")


@referrals_router.post(
    "/v1/referral-rewards/{reward_id}/approve",
    summary="Grant a held reward",
    description="The reward is granted and announced (`referral.reward_granted`) for fulfilment. Approving "
    "again changes nothing; approving a rejected reward is 409. Scope: `referrals:write`.",
    response_model=ReviewItem,
    responses=WRITE_PROBLEMS,
)
async def approve_reward(
    request: Request,
    reward_id: RewardId,
    principal: Writer,
    body: Review = None,
    idempotency_key: IdempotencyKey = None,
) -> ReviewItem:
    del idempotency_key  # repeating a decision is a no-op
    doc = await _referral(request).post(
        _reward_path(principal, reward_id, "/approve"), _review_body(body), not_found=REWARD_NOT_FOUND
    )
    return parse(ReviewItem, doc, "referral")


@referrals_router.post(
    "/v1/referral-rewards/{reward_id}/reject",
    summary="Refuse a held reward",
    description="The reward is never granted. Rejecting again changes nothing; rejecting a granted reward is "
    "409. Scope: `referrals:write`.",
    response_model=ReviewItem,
    responses=WRITE_PROBLEMS,
)
async def reject_reward(
    request: Request,
    reward_id: RewardId,
    principal: Writer,
    body: Review = None,
    idempotency_key: IdempotencyKey = None,
) -> ReviewItem:
    del idempotency_key  # repeating a decision is a no-op
    doc = await _referral(request).post(
        _reward_path(principal, reward_id, "/reject"), _review_body(body), not_found=REWARD_NOT_FOUND
    )
    return parse(ReviewItem, doc, "referral")


def _review_body(body: ReviewIn | None) -> dict[str, JsonValue]:
    return body.model_dump(mode="json") if body else {}
