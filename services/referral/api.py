"""Referral's internal HTTP API (called by the gateway): programs, codes, a customer's referrals and
ledger, held rewards and their review, and a program's numbers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Header, Path, Query, Request, Response, status
from pydantic import JsonValue

from contracts.envelope import WORKSPACE_PATTERN
from contracts.http.referral import (
    EXAMPLE_PROGRAM,
    CodeIn,
    CustomerReferrals,
    LedgerTotal,
    Program,
    ProgramPage,
    ProgramStats,
    ReferralCodeIssued,
    ReferralLedger,
    ReferralReport,
    ReferralReward,
    ReviewIn,
    ReviewItem,
    ReviewPage,
)
from runtime.budgets import BoundedTime
from runtime.context import context_dependency
from runtime.errors import Conflict, NotFound
from runtime.pagination import decode_cursor, encode_cursor
from runtime.problems import PROBLEM_RESPONSES, ProblemError, problem_responses
from runtime.quotas import REFERRAL_PROGRAMS, QuotaUsage
from runtime.report_period import PeriodQuery
from services.referral import service, stats_store, store
from services.referral.domain.engine import RewardEntry
from services.referral.domain.numbers import numbers
from services.referral.domain.program import InvalidProgram, parse_program
from services.referral.domain.program import Program as ProgramRules
from services.referral.events import value_text
from services.referral.service import CodeRefused, ProgramMissing, ReferralContext

router = APIRouter(prefix="/internal/v1/workspaces/{workspace}", tags=["referral"], responses=PROBLEM_RESPONSES)

WorkspacePath = Annotated[str, Path(pattern=WORKSPACE_PATTERN)]
IdPath = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.:-]+$")]
ProgramPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
CustomerPath = Annotated[str, Path(min_length=1, max_length=64)]
Limit = Annotated[int, Query(ge=1, le=500)]
Cursor = Annotated[str | None, Query(max_length=500)]
DocumentBody = Annotated[
    dict[str, JsonValue], Body(description="A referral program document.", examples=[EXAMPLE_PROGRAM])
]
CONFLICT = problem_responses(409)


Context = Annotated[ReferralContext, Depends(context_dependency(ReferralContext))]


def _quota(context: ReferralContext) -> int:
    return REFERRAL_PROGRAMS.limit_in(context.settings)


async def quota_usages(request: Request, workspace: str) -> list[QuotaUsage]:
    context = context_dependency(ReferralContext)(request)
    async with context.pool.acquire() as conn:
        used = await store.count_programs(conn, workspace)
    return [REFERRAL_PROGRAMS.usage(_quota(context), used)]


def _parse(document: object) -> ProgramRules:
    try:
        return parse_program(document)
    except InvalidProgram as exc:
        raise ProblemError(422, f"invalid program: {len(exc.errors)} problem(s)", errors=exc.errors) from None


def _program_out(program: store.StoredProgram) -> Program:
    return Program.model_validate(program, from_attributes=True)


def _reward_out(reward: RewardEntry) -> ReferralReward:
    return ReferralReward(
        reward_id=reward.reward_id,
        program_id=reward.program_id,
        role=reward.role,
        kind=reward.kind,
        value=value_text(reward.kind, reward.value),
        status=reward.status,
        reason=reward.reason,
        created_at=reward.created_at,
    )


def _review_item(reward: RewardEntry, comment: str | None = None) -> ReviewItem:
    return ReviewItem(
        **_reward_out(reward).model_dump(),
        customer_id=reward.beneficiary_id,
        referrer_id=reward.referrer_id,
        friend_id=reward.friend_id,
        trigger=reward.trigger,
        review_comment=comment,
    )


def _program_missing(program_id: str) -> ProblemError:
    return ProblemError(404, str(ProgramMissing(program_id)))


def _page_key(cursor: str | None) -> tuple[str, str] | None:
    if not cursor:
        return None
    created, reward_id = decode_cursor(cursor, 2)
    try:
        dt.datetime.fromisoformat(created)
    except ValueError:
        raise ProblemError(422, "cursor is not one this API returned") from None
    return created, reward_id


def _next(items: list[RewardEntry], limit: int) -> str | None:
    if len(items) <= limit:
        return None
    last = items[limit - 1]
    return encode_cursor(last.created_at.isoformat(), last.reward_id)


@router.post(
    "/programs",
    response_model=Program,
    status_code=status.HTTP_201_CREATED,
    responses=CONFLICT,
    summary="Create a program (an Idempotency-Key header makes a retry answer the same program; 409 beyond the "
    "quota `referral_programs`)",
)
async def create_program(
    context: Context,
    workspace: WorkspacePath,
    body: DocumentBody,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> Program:
    program = _parse(body)
    async with context.pool.acquire() as conn:
        return _program_out(await store.create_program(conn, workspace, program, idempotency_key, _quota(context)))


@router.get("/programs", response_model=ProgramPage, summary="The workspace's programs")
async def list_programs(
    context: Context, workspace: WorkspacePath, limit: Limit = 50, cursor: Cursor = None
) -> ProgramPage:
    after = decode_cursor(cursor, 1)[0] if cursor else None
    async with context.pool.acquire() as conn:
        programs = await store.list_programs(conn, workspace, limit, after)
    items = [_program_out(p) for p in programs[:limit]]
    return ProgramPage(items=items, next_cursor=encode_cursor(items[-1].program_id) if len(programs) > limit else None)


@router.get("/programs/{program_id}", response_model=Program, summary="A program")
async def get_program(context: Context, workspace: WorkspacePath, program_id: ProgramPath) -> Program:
    async with context.pool.acquire() as conn:
        program = await store.get_program(conn, workspace, program_id)
    if program is None:
        raise _program_missing(program_id)
    return _program_out(program)


@router.put(
    "/programs/{program_id}",
    response_model=Program,
    responses={201: {"model": Program, "description": "Created under this id"}, **CONFLICT},
    summary="Create the program under this id (409 beyond the quota `referral_programs`), or replace its document "
    "(the version goes up when it changed)",
)
async def put_program(
    context: Context, response: Response, workspace: WorkspacePath, program_id: ProgramPath, body: DocumentBody
) -> Program:
    program = _parse(body)
    async with context.pool.acquire() as conn:
        stored, created = await store.put_program(conn, workspace, program_id, program, _quota(context))
    if created:
        response.status_code = status.HTTP_201_CREATED
    return _program_out(stored)


@router.post(
    "/programs/{program_id}/codes",
    response_model=ReferralCodeIssued,
    responses=CONFLICT,
    summary="The customer's referral code in the program (made on the first request, the same ever after)",
)
async def issue_code(
    context: Context, workspace: WorkspacePath, program_id: ProgramPath, body: CodeIn
) -> ReferralCodeIssued:
    try:
        async with context.unit_of_work() as work:
            code, created = await service.issue_code(work, workspace, program_id, body.customer_id, context.now())
    except ProgramMissing as exc:
        raise ProblemError(404, str(exc)) from None
    except CodeRefused as exc:
        raise ProblemError(409, str(exc)) from None
    return ReferralCodeIssued(program_id=program_id, customer_id=body.customer_id, code=code, created=created)


@router.get(
    "/programs/{program_id}/stats",
    response_model=ProgramStats,
    response_model_by_alias=True,
    summary="The program's numbers for [from, to): share of new customers, funnel, K-factor, cost, LTV",
)
async def program_stats(
    context: Context,
    workspace: WorkspacePath,
    program_id: ProgramPath,
    from_: Annotated[BoundedTime | None, Query(alias="from")] = None,
    to: Annotated[BoundedTime | None, Query()] = None,
) -> ProgramStats:
    until = to or context.now()
    since = from_ or until - dt.timedelta(days=30)
    if since >= until:
        raise ProblemError(422, "from must be before to", errors=[{"field": "from", "message": "not before to"}])
    async with context.pool.acquire() as conn:
        if await store.get_program(conn, workspace, program_id) is None:
            raise _program_missing(program_id)
        counts = await stats_store.program_counts(conn, workspace, program_id, since, until)
    return ProgramStats.model_validate({"program_id": program_id, "from": since, "to": until, **numbers(counts)})


@router.get(
    "/customers/{customer_id}/referrals",
    response_model=CustomerReferrals,
    summary="A customer's codes, who referred them, whom they referred, and their rewards (empty when unknown)",
)
async def customer_referrals(
    context: Context, workspace: WorkspacePath, customer_id: CustomerPath
) -> CustomerReferrals:
    async with context.pool.acquire() as conn:
        found = await store.customer_referrals(conn, workspace, customer_id)
    return CustomerReferrals(
        customer_id=customer_id,
        codes=found.codes,
        referred_by=found.referred_by,
        referred=found.referred,
        rewards=[_reward_out(r) for r in found.rewards],
    )


@router.get(
    "/customers/{customer_id}/ledger", response_model=ReferralLedger, summary="A customer's rewards and totals per kind"
)
async def customer_ledger(
    context: Context, workspace: WorkspacePath, customer_id: CustomerPath, limit: Limit = 50, cursor: Cursor = None
) -> ReferralLedger:
    async with context.pool.acquire() as conn:
        totals, entries = await store.ledger(conn, workspace, customer_id, limit, _page_key(cursor))
    return ReferralLedger(
        customer_id=customer_id,
        totals=[
            LedgerTotal(
                kind=t.kind,
                granted=value_text(t.kind, t.granted),
                reversed=value_text(t.kind, t.reversed),
                held=value_text(t.kind, t.held),
                balance=value_text(t.kind, t.balance),
            )
            for t in totals
        ],
        items=[_reward_out(r) for r in entries[:limit]],
        next_cursor=_next(entries, limit),
    )


@router.get("/reviews", response_model=ReviewPage, summary="Rewards held for review, oldest first, with the reason")
async def list_reviews(
    context: Context, workspace: WorkspacePath, limit: Limit = 50, cursor: Cursor = None
) -> ReviewPage:
    async with context.pool.acquire() as conn:
        held = await store.held_rewards(conn, workspace, limit, _page_key(cursor))
    return ReviewPage(items=[_review_item(r) for r in held[:limit]], next_cursor=_next(held, limit))


@router.get("/rewards/{reward_id}", response_model=ReviewItem, summary="One reward, with its reason and review")
async def get_reward(context: Context, workspace: WorkspacePath, reward_id: IdPath) -> ReviewItem:
    async with context.pool.acquire() as conn:
        found = await store.get_reward(conn, workspace, reward_id)
    if found is None:
        raise ProblemError(404, f"no reward {reward_id!r} in this workspace")
    return _review_item(*found)


async def _review(
    context: ReferralContext, workspace: str, reward_id: str, approve: bool, body: ReviewIn | None
) -> ReviewItem:
    comment = body.comment if body else None
    try:
        async with context.unit_of_work() as work:
            reward = await service.review_reward(work, workspace, reward_id, approve, comment, context.now())
    except NotFound:
        raise ProblemError(404, f"no reward {reward_id!r} in this workspace") from None
    except Conflict as exc:
        raise ProblemError(409, str(exc)) from None
    return _review_item(reward, comment or "")


@router.post(
    "/rewards/{reward_id}/approve",
    response_model=ReviewItem,
    responses=CONFLICT,
    summary="Grant a held reward (announced as referral.reward_granted); repeating it is a no-op",
)
async def approve_reward(
    context: Context, workspace: WorkspacePath, reward_id: IdPath, body: ReviewIn | None = None
) -> ReviewItem:
    return await _review(context, workspace, reward_id, True, body)


@router.post(
    "/rewards/{reward_id}/reject",
    response_model=ReviewItem,
    responses=CONFLICT,
    summary="Refuse a held reward; repeating it is a no-op",
)
async def reject_reward(
    context: Context, workspace: WorkspacePath, reward_id: IdPath, body: ReviewIn | None = None
) -> ReviewItem:
    return await _review(context, workspace, reward_id, False, body)


@router.get(
    "/report",
    response_model=ReferralReport,
    response_model_by_alias=True,
    summary="Referral share of new customers in [from, to), across programs",
)
async def referral_report(
    context: Context,
    workspace: WorkspacePath,
    period: PeriodQuery,
) -> ReferralReport:
    since, until = period.start, period.end
    async with context.pool.acquire() as conn:
        counts = await stats_store.workspace_counts(conn, workspace, since, until)
    new, referred = counts.new_customers, counts.referred_new_customers
    return ReferralReport(
        from_=since,
        to=until,
        new_customers=new,
        referred_new_customers=referred,
        referral_share=referred / new if new else None,
        reward_cost=counts.reward_cost,
    )
