"""The loyalty program, customers' points and redemptions, served from the loyalty service's internal API.

The workspace always comes from the API key. The program document passes through as JSON (a row of
services.gateway.passthrough): the loyalty service validates it, and its 422 names every bad field. A customer's
points and redemptions are written out: loyalty keeps a ledger only for customers who earned something, so the
customer is looked up in profile first. A customer id of another workspace, an erased one or one that names no
customer answers 404 as everywhere (loyalty is never asked), and a merged-away id answers for the survivor.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Request, Response
from pydantic import Field

from contracts.http.loyalty import EXAMPLE_PROGRAM, LoyaltyProgram, MemberPoints, Redemption, RedemptionIn
from runtime.problems import Problem, ProblemError
from services.gateway.deps import GatewayContext, gateway_context, require
from services.gateway.domain import CUSTOMERS_READ, LOYALTY_WRITE, Principal, is_plausible_customer_id
from services.gateway.passthrough import (
    CUSTOMER_NOT_FOUND,
    IDEMPOTENT_WRITE,
    PassThrough,
    document_body,
    documented,
    register,
)
from services.gateway.schemas import problems
from services.gateway.service_client import parse, segment, workspace_path

loyalty_router = APIRouter(tags=["loyalty"])

NO_PROGRAM = "this workspace has no loyalty program"
Document = document_body("loyalty program", EXAMPLE_PROGRAM)
CustomerId = Annotated[
    str,
    Path(max_length=64, description="A customer id (merged-away ids answer the survivor).", examples=["c_01HZX3K9"]),
]
RedemptionBody = Annotated[RedemptionIn, Body(examples=[{"points": 500, "order_id": "o-1042", "order_total": "59.90"}])]
Reader = Annotated[Principal, Depends(require(CUSTOMERS_READ))]
Writer = Annotated[Principal, Depends(require(LOYALTY_WRITE))]

LOYALTY_ROWS = (
    PassThrough(
        "put_loyalty_program", "PUT", "/v1/loyalty-program", "loyalty", "/program", LOYALTY_WRITE, LoyaltyProgram,
        NO_PROGRAM, body=Document, creates=True,
    ),
    PassThrough(
        "get_loyalty_program", "GET", "/v1/loyalty-program", "loyalty", "/program", CUSTOMERS_READ, LoyaltyProgram,
        NO_PROGRAM, more_problems=(404,),
    ),
)  # fmt: skip
register(loyalty_router, LOYALTY_ROWS)


class PointsShort(Problem):
    """The member has fewer points free than asked for: `available` says how many they could spend."""

    available: int | None = Field(None, description="The member's points free to redeem now.", examples=[320])


async def _member_id(state: GatewayContext, principal: Principal, customer_id: str) -> str:
    """The id loyalty keeps the customer's ledger under: profile's (a merged-away id's survivor); 404 for an id of
    no live customer of the key's workspace."""
    if not is_plausible_customer_id(customer_id):
        raise ProblemError(404, CUSTOMER_NOT_FOUND)  # cannot name a customer; do not forward it
    path = workspace_path(principal.workspace, f"/customers/{segment(customer_id)}")
    customer = await state.profile.get(path, not_found=CUSTOMER_NOT_FOUND)
    found = customer.get("customer_id") if isinstance(customer, dict) else None
    if not isinstance(found, str):
        raise ProblemError(502, "the profile service gave an unexpected answer")
    return found


def points_path(workspace: str, customer_id: str) -> str:
    return workspace_path(workspace, f"/customers/{segment(customer_id)}/points")


@loyalty_router.get(
    "/v1/customers/{customer_id}/points",
    **documented("get_points", MemberPoints, problems(401, 403, 404, 422, 502, 503)),
)
async def get_points(request: Request, customer_id: CustomerId, principal: Reader) -> MemberPoints:
    state = gateway_context(request)
    member = await _member_id(state, principal, customer_id)
    doc = await state.loyalty.get(points_path(principal.workspace, member), not_found=NO_PROGRAM)
    return parse(MemberPoints, doc, "loyalty")


@loyalty_router.post(
    "/v1/customers/{customer_id}/points/redemptions",
    dependencies=[IDEMPOTENT_WRITE],
    status_code=201,
    **documented(
        "redeem_points",
        Redemption,
        {
            200: {"model": Redemption, "description": "The order already had a redemption: that one, unchanged"},
            **problems(401, 403, 404, 422, 502, 503),
            409: {
                "model": PointsShort,
                "description": "Too few points free (`available` says how many), the program is not active, or the "
                "customer's quota of open holds is reached (the problem names it), or a request with this "
                "Idempotency-Key is still in progress",
            },
        },
    ),
)
async def redeem_points(
    request: Request, customer_id: CustomerId, body: RedemptionBody, principal: Writer
) -> Response | Redemption:
    state = gateway_context(request)
    member = await _member_id(state, principal, customer_id)
    status, doc = await state.loyalty.send_counted(
        "POST",
        points_path(principal.workspace, member) + "/redemptions",
        body.model_dump(mode="json"),
        not_found=NO_PROGRAM,
    )
    redemption = parse(Redemption, doc, "loyalty")
    if status == 200:  # a repeat for the same order: answered as it is, not created again
        return Response(redemption.model_dump_json(), status_code=200, media_type="application/json")
    return redemption
