"""Marketing spend (POST/GET /v1/marketing-spend), served from the profile service's internal API (rows of
services.gateway.passthrough). Profile holds spend because acquisition is profile's: the customers' first touches
and the spend per channel meet in its database for the acquisition report's CAC.

A row is keyed by date, channel and campaign (a row without a campaign is a key of its own): sending it again
replaces the amount. New rows count against the quota `marketing_spend_rows`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from contracts.http.profile import SpendAccepted, SpendIn, SpendPage
from contracts.http.types import RequestDate
from services.gateway.domain import CUSTOMERS_READ, REPORTS_WRITE
from services.gateway.passthrough import PAGE, PassThrough, QueryParam, register

spend_router = APIRouter(tags=["reports"])


def _date_param(name: str, description: str) -> QueryParam:
    alias = "from" if name == "from_" else None
    annotation = Annotated[RequestDate | None, Query(alias=alias, description=description)]
    return QueryParam(name, annotation, send=lambda value: value.isoformat() if value is not None else None)


SPEND_ROWS = (
    PassThrough(
        "post_marketing_spend", "POST", "/v1/marketing-spend", "profile", "/marketing-spend", REPORTS_WRITE,
        SpendAccepted, "no such workspace", body=SpendIn, body_name="spend", quota="marketing_spend_rows",
    ),
    PassThrough(
        "list_marketing_spend", "GET", "/v1/marketing-spend", "profile", "/marketing-spend", CUSTOMERS_READ,
        SpendPage, "no such workspace",
        query=(
            _date_param("from_", "First day, inclusive (YYYY-MM-DD)."),
            _date_param("to", "Last day, exclusive (YYYY-MM-DD)."),
            *PAGE,
        ),
    ),
)  # fmt: skip
register(spend_router, SPEND_ROWS)
