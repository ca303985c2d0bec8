"""Loyalty's internal HTTP API for a member's points (called by the gateway): the points view, redemptions (held
until the order's purchase confirms them) and the workspace's loyalty numbers for the KPI overview.

A customer with no ledger in a workspace with a program has 0 points (200, zeros); a workspace without a program
answers 404 problem+json `type: /problems/loyalty-program-missing` to the points view and 409 with that type to a
redemption; the report answers zeros without a program."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response, status

from contracts.envelope import WORKSPACE_PATTERN
from contracts.http.loyalty import (
    Hold,
    LoyaltyReport,
    MemberPoints,
    PointsLot,
    Redemption,
    RedemptionIn,
    TierCount,
    TierStatus,
)
from runtime.context import context_dependency
from runtime.problems import PROBLEM_RESPONSES, ProblemError, problem_responses
from runtime.quotas import QuotaExceeded, QuotaUsage
from runtime.report_period import PeriodQuery
from services.loyalty import metrics, redemption_store, report_store, service
from services.loyalty.domain import redemption, tiers
from services.loyalty.ledger_book import shown_points
from services.loyalty.redemption_store import StoredRedemption
from services.loyalty.service import (
    HOLDS,
    LoyaltyContext,
    NoProgram,
    OrderTaken,
    PointsState,
    RedemptionRefused,
)

router = APIRouter(prefix="/internal/v1/workspaces/{workspace}", tags=["loyalty"], responses=PROBLEM_RESPONSES)

WorkspacePath = Annotated[str, Path(pattern=WORKSPACE_PATTERN)]
CustomerPath = Annotated[str, Path(min_length=1, max_length=64)]
Context = Annotated[LoyaltyContext, Depends(context_dependency(LoyaltyContext))]

PROGRAM_MISSING = "loyalty-program-missing"
INSUFFICIENT = "insufficient_points"
# A refusal's kind (services/loyalty/domain/redemption.py) -> its problem type (runtime/problem_catalogue.py).
REFUSAL_TYPES = {
    "inactive": "loyalty-program-inactive",
    "below_minimum": "redemption-below-minimum",
    "over_order_share": "redemption-over-order-share",
    "order_total_required": "order-total-required",
    INSUFFICIENT: "insufficient-points",
}


async def quota_usages(request: Request, workspace: str) -> list[QuotaUsage]:
    """The `loyalty_holds` quota (per member): its use is the most open holds any one member has."""
    context = context_dependency(LoyaltyContext)(request)
    async with context.pool.acquire() as conn:
        used = await redemption_store.most_open_holds(conn, workspace)
    return [HOLDS.usage(HOLDS.limit_in(context.settings), used)]


def _decimal(value: object) -> str:
    return format(value, "f")


def _tier_status(state: PointsState) -> TierStatus | None:
    rules = state.program.rules.tiers
    if rules is None:
        return None
    member = state.member
    current = tiers.TierState(
        member.tier if member else None,
        member.tier_since if member else None,
        member.tier_anniversary if member else None,
        member.tier_grace_until if member else None,
    )
    value = state.qualifying_value or Decimal(0)
    progress = tiers.progress(rules, current, value)
    benefits = next((t.benefits for t in rules.ladder if t.name == current.tier), [])
    return TierStatus(
        current=current.tier,
        since=current.since,
        anniversary=current.anniversary,
        in_grace_until=current.grace_until,
        benefits=list(benefits),
        qualifying_value=_decimal(value),
        next_tier=progress.next_tier,
        to_next_tier=_decimal(progress.to_next) if progress.to_next is not None else None,
        progress=progress.share,
    )


def _redemption_out(stored: StoredRedemption, available: int) -> Redemption:
    return Redemption(
        redemption_id=stored.redemption_id,
        customer_id=stored.customer_id,
        points=stored.points,
        value=str(stored.value.quantize(redemption_store.CENT)),
        currency=stored.currency,
        order_id=stored.order_id,
        status=stored.status,
        expires_at=stored.expires_at,
        created_at=stored.created_at,
        available=available,
    )


def _program_missing(status_code: int) -> ProblemError:
    return ProblemError(status_code, str(NoProgram()), type_=PROGRAM_MISSING)


@router.get(
    "/customers/{customer_id}/points",
    response_model=MemberPoints,
    responses=problem_responses(404),
    summary="A member's points: balance, available, debt, value, open lots (the 200 oldest), holds, tier and "
    "progress (zeros for a customer with no ledger; 404 `/problems/loyalty-program-missing` without a program)",
)
async def member_points(context: Context, workspace: WorkspacePath, customer_id: CustomerPath) -> MemberPoints:
    try:
        async with context.pool.acquire() as conn:
            state = await service.points_of(conn, workspace, customer_id, context.now())
    except NoProgram:
        raise _program_missing(404) from None
    program, member = state.program, state.member
    balance = shown_points(program, member.balance, member.debt) if member else 0
    debt = member.debt if member and program.rules.refunds.shortfall == "debt" else 0
    return MemberPoints(
        customer_id=customer_id,
        balance=balance,
        available=service.available(member),
        debt=debt,
        value=str(redemption.value_of(program, max(balance, 0))),
        currency=program.rules.currency,
        lots=[
            PointsLot(
                lot_id=lot.lot_id,
                earned=lot.earned,
                remaining=lot.remaining,
                earned_at=lot.earned_at,
                expires_at=lot.expires_at,
            )
            for lot in state.lots
        ],
        holds=[
            Hold(redemption_id=h.redemption_id, points=h.points, order_id=h.order_id, expires_at=h.expires_at)
            for h in state.holds
        ],
        tier=_tier_status(state),
        program_version=program.version,
    )


@router.post(
    "/customers/{customer_id}/points/redemptions",
    response_model=Redemption,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": Redemption, "description": "The order's redemption already existed: answered unchanged"},
        **problem_responses(409, 422),
    },
    summary="Hold points for an order (redeemed when its purchase arrives, released after the program's "
    "hold_minutes); 409 `/problems/insufficient-points` with `available` when short; 422 below the minimum, over the "
    "order's share or without the order total it needs; 409 beyond the quota `loyalty_holds`",
)
async def redeem(
    context: Context, response: Response, workspace: WorkspacePath, customer_id: CustomerPath, body: RedemptionIn
) -> Redemption:
    max_holds = HOLDS.limit_in(context.settings)
    try:
        async with context.unit_of_work() as work:
            done = await service.redeem(
                work,
                workspace,
                customer_id,
                body.points,
                body.order_id,
                body.order_total,
                context.now(),
                max_holds,
            )
    except NoProgram:
        metrics.count_redemption("refused")
        raise _program_missing(409) from None
    except OrderTaken as exc:
        metrics.count_redemption("refused")
        raise ProblemError(409, str(exc), type_="order-redeemed") from None
    except QuotaExceeded:
        metrics.count_redemption("refused")
        raise
    except RedemptionRefused as refused:
        kind = refused.refusal.kind
        metrics.count_redemption("short" if kind == INSUFFICIENT else "refused")
        status_code = 409 if kind in (INSUFFICIENT, "inactive") else 422
        extra = {"available": refused.refusal.available}
        raise ProblemError(status_code, refused.refusal.detail, type_=REFUSAL_TYPES[kind], extra=extra) from None
    metrics.count_redemption("released", done.released)  # committed: the unit of work is over
    metrics.count_redemption("held" if done.created else "repeated")
    if not done.created:
        response.status_code = status.HTTP_200_OK
    return _redemption_out(done.redemption, done.available)


def _days(start: dt.datetime, end: dt.datetime) -> tuple[dt.date, dt.date]:
    """The UTC days [since, until) a period touches (daily totals are per UTC day)."""
    start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    until = end.date() if end.time() == dt.time(0) else end.date() + dt.timedelta(days=1)
    return start.date(), until


@router.get(
    "/report",
    response_model=LoyaltyReport,
    response_model_by_alias=True,
    summary="Loyalty numbers: the liability now (outstanding points, their value), points earned, redeemed and "
    "expired on the UTC days [from, to) touches, the redemption rate, members by tier",
)
async def loyalty_report(context: Context, workspace: WorkspacePath, period: PeriodQuery) -> LoyaltyReport:
    since, until = _days(period.start, period.end)
    async with context.pool.acquire() as conn:
        counts = await report_store.counts(conn, workspace, since, until)
        try:
            program = await service.current_program(conn, workspace)
        except NoProgram:
            program = None
    liability = redemption.value_of(program, counts.outstanding_points) if program else Decimal("0.00")
    earned, redeemed = counts.points_earned, counts.points_redeemed
    return LoyaltyReport(
        from_=period.start,
        to=period.end,
        members=counts.members,
        outstanding_points=counts.outstanding_points,
        liability_value=_decimal(liability),
        currency=program.rules.currency if program else None,
        points_earned=earned,
        points_redeemed=redeemed,
        points_expired=counts.points_expired,
        redemption_rate=redeemed / earned if earned else None,
        members_by_tier=[TierCount(tier=tier, members=n) for tier, n in counts.members_by_tier],
    )
