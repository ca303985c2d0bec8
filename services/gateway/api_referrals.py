"""Referral programs, customers' codes and ledgers, held rewards' review and program numbers, served from
the referral service's internal API (rows of services.gateway.passthrough).

The workspace always comes from the API key; a program or reward id of another workspace is not found.
Program documents pass through as JSON: the referral service validates them, and its 422 names every bad
field (e.g. `referrer_reward.value`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path

from contracts.http.referral import (
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
from contracts.http.types import TIME_DESCRIPTION
from services.gateway.domain import CUSTOMERS_READ, REFERRALS_WRITE
from services.gateway.passthrough import CUSTOMER, PAGE, PassThrough, document_body, id_path, register, time_param

referrals_router = APIRouter(tags=["referrals"])

PROGRAM_NOT_FOUND = "no such referral program in this workspace"
REWARD_NOT_FOUND = "no such reward in this workspace"
# Not "." or "..": an id must never be able to name another path of the referral service.
ProgramId = id_path("p_3f2a9c0d1e4b5a67")
RewardId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=200,
        pattern=r"^[A-Za-z0-9_:-][A-Za-z0-9_.:-]*$",
        examples=["rw_p_3f2a9c0d1e4b5a67_c_01J0A2B3_referrer"],
    ),
]
Document = document_body("referral program", EXAMPLE_PROGRAM)
Review = Annotated[ReviewIn | None, Body(description="An optional comment, kept with the decision.")]
PROGRAM = {"program_id": ProgramId}
REWARD = {"reward_id": RewardId}

REFERRAL_ROWS = (
    # --- programs
    PassThrough(
        "list_programs", "GET", "/v1/referral-programs", "referral", "/programs", CUSTOMERS_READ, ProgramPage,
        query=PAGE,
    ),
    PassThrough(
        "create_program", "POST", "/v1/referral-programs", "referral", "/programs", REFERRALS_WRITE, Program,
        PROGRAM_NOT_FOUND, body=Document, status_code=201, quota="referral_programs", forward_idempotency=True,
    ),
    PassThrough(
        "get_program", "GET", "/v1/referral-programs/{program_id}", "referral", "/programs/{program_id}",
        CUSTOMERS_READ, Program, PROGRAM_NOT_FOUND, PROGRAM,
    ),
    PassThrough(
        "put_program", "PUT", "/v1/referral-programs/{program_id}", "referral", "/programs/{program_id}",
        REFERRALS_WRITE, Program, PROGRAM_NOT_FOUND, PROGRAM, body=Document, replaces_existing_only=True,
    ),
    PassThrough(
        "issue_code", "POST", "/v1/referral-programs/{program_id}/codes", "referral", "/programs/{program_id}/codes",
        REFERRALS_WRITE, ReferralCodeIssued, PROGRAM_NOT_FOUND, PROGRAM, body=CodeIn, refusable=True,
    ),
    PassThrough(
        "program_stats", "GET", "/v1/referral-programs/{program_id}/stats", "referral", "/programs/{program_id}/stats",
        CUSTOMERS_READ, ProgramStats, PROGRAM_NOT_FOUND, PROGRAM,
        query=(
            time_param("from_", f"Start, inclusive: {TIME_DESCRIPTION}"),
            time_param("to", f"End, exclusive: {TIME_DESCRIPTION}"),
        ),
    ),
    # --- a customer's ledger
    PassThrough(
        "customer_ledger", "GET", "/v1/customers/{customer_id}/referral-ledger", "referral",
        "/customers/{customer_id}/ledger", CUSTOMERS_READ, ReferralLedger, "no such customer in this workspace",
        CUSTOMER, PAGE, checks_customer_id=True,
    ),
    # --- held rewards and their review
    PassThrough(
        "list_reviews", "GET", "/v1/referral-reviews", "referral", "/reviews", CUSTOMERS_READ, ReviewPage, query=PAGE,
    ),
    PassThrough(
        "get_reward", "GET", "/v1/referral-rewards/{reward_id}", "referral", "/rewards/{reward_id}", CUSTOMERS_READ,
        ReviewItem, REWARD_NOT_FOUND, REWARD,
    ),
    *(
        PassThrough(
            f"{action}_reward", "POST", f"/v1/referral-rewards/{{reward_id}}/{action}", "referral",
            f"/rewards/{{reward_id}}/{action}", REFERRALS_WRITE, ReviewItem, REWARD_NOT_FOUND, REWARD, body=Review,
            body_required=False, refusable=True,
        )
        for action in ("approve", "reject")
    ),
)  # fmt: skip
register(referrals_router, REFERRAL_ROWS)
