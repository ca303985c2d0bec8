"""GET /v1/customers/search: a cursor-paginated, filtered and sorted list of the workspace's customers.

It has its own path because the pinned `GET /v1/customers` answers one customer object (a lookup by one
identifier, 422 without one); a list on the same path would need a response that is one of two shapes.

Profile filters on what it holds (traits, tags) and sorts and pages in SQL. Segment and score filters
come from scoring as a set of customer ids (at most MAX_SCORED_MATCHES) that profile's query is
restricted to, so sorting and the cursor stay profile's and stay correct across pages.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from contracts.http.profile import MAX_LISTED_IDS, CustomerPage, CustomerQuery, CustomerSort
from contracts.http.scoring import MatchingCustomers
from contracts.http.types import Cursor
from contracts.scoring import ChurnRisk, RfmSegment
from runtime.problems import ProblemError
from services.gateway.deps import gateway_context, require
from services.gateway.domain import CUSTOMERS_READ, Principal, clamp_limit
from services.gateway.passthrough import PAGE_SIZE, documented
from services.gateway.schemas import problems
from services.gateway.service_client import parse, workspace_path

search_router = APIRouter(tags=["customers"])

MAX_SCORED_MATCHES = MAX_LISTED_IDS  # customers a segment or score filter may match (profile gets their ids)
MAX_TRAIT_FILTERS = 20
TRAIT_PREFIX = "trait."
_TRAIT_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,127}$")

_TRAIT_PARAMETER = {
    "name": "trait.city",
    "in": "query",
    "required": False,
    "description": "A trait filter: `trait.<name>=<value>` for any trait name (this parameter shows the form "
    f"with `city`). The trait's text form must equal the value (`true`, `42`). Up to {MAX_TRAIT_FILTERS}.",
    "schema": {"type": "string", "maxLength": 500},
    "examples": {"city": {"summary": "Customers in Berlin", "value": "Berlin"}},
}


def trait_filters(query: list[tuple[str, str]]) -> dict[str, str]:
    """The `trait.<name>=value` parameters of a query string; ProblemError 422 for a bad one."""
    traits: dict[str, str] = {}
    for key, value in query:
        if not key.startswith(TRAIT_PREFIX):
            continue
        name = key.removeprefix(TRAIT_PREFIX)
        if not _TRAIT_NAME.match(name) or len(value) > 500 or "\x00" in value:
            message = "a trait filter is `trait.<name>=<value>`: a name of letters, digits, _ . -; a value up to 500"
            raise ProblemError(422, message, type_="validation", errors=[{"field": key[:200], "message": message}])
        traits[name] = value
    if len(traits) > MAX_TRAIT_FILTERS:
        message = f"at most {MAX_TRAIT_FILTERS} trait filters"
        raise ProblemError(422, message, type_="validation", errors=[{"field": "trait", "message": message}])
    return traits


@search_router.get(
    "/v1/customers/search",
    **documented("search_customers", CustomerPage, problems(401, 403, 404, 422, 502, 503)),
    openapi_extra={"parameters": [_TRAIT_PARAMETER]},
)
async def search_customers(
    request: Request,
    principal: Annotated[Principal, Depends(require(CUSTOMERS_READ))],
    tag: Annotated[
        list[Annotated[str, Query(min_length=1, max_length=128)]] | None,
        Query(max_length=20, description="A tag every listed customer carries; repeat for several.",
              examples=[["vip"]]),
    ] = None,
    segment: Annotated[
        str | None,
        Query(max_length=64, pattern=r"^[A-Za-z0-9_.-]+$", description="A saved segment's id: its members only.",
              examples=["seg_high_value"]),
    ] = None,
    rfm_segment: Annotated[RfmSegment | None, Query(description="Customers in this RFM segment now.")] = None,
    churn_risk: Annotated[ChurnRisk | None, Query(description="Customers in this churn-risk band now.")] = None,
    sort: Annotated[CustomerSort, Query(description="Order of the list; `-` first for descending.",
                                examples=["-revenue"])] = "-created_at",
    limit: Annotated[int | None, PAGE_SIZE] = None,
    cursor: Cursor = None
) -> CustomerPage:  # fmt: skip
    traits = trait_filters(request.query_params.multi_items())
    if any("\x00" in t for t in tag or ()):  # PostgreSQL text cannot hold NUL: no customer carries such a tag
        return CustomerPage(items=[], next_cursor=None)
    state = gateway_context(request)
    query = CustomerQuery(
        traits=traits, tags=sorted(set(tag or [])), sort=sort, limit=clamp_limit(limit), cursor=cursor
    )
    if segment or rfm_segment or churn_risk:
        scored = {"segment": segment, "rfm_segment": rfm_segment, "churn_risk": churn_risk}
        doc = await state.scoring.get(
            workspace_path(principal.workspace, "/customer-ids"),
            params={k: v for k, v in scored.items() if v} | {"limit": MAX_SCORED_MATCHES},
            not_found="no such segment in this workspace",
        )
        matching = parse(MatchingCustomers, doc, "scoring")
        if matching.more:
            message = f"the segment or score filter matches more than {MAX_SCORED_MATCHES} customers"
            raise ProblemError(422, message, type_="validation", errors=[{"field": "segment", "message": message}])
        if not matching.customer_ids:
            return CustomerPage(items=[], next_cursor=None)
        query.customer_ids = matching.customer_ids
    doc = await state.profile.post(
        workspace_path(principal.workspace, "/customer-queries"),
        query.model_dump(mode="json"),
        not_found="nothing to list in this workspace",
    )
    return parse(CustomerPage, doc)
