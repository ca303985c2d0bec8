"""Profile's internal HTTP API (called by the gateway; not reachable from outside the cluster)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, status
from pydantic import Field, model_validator

from contracts.http import profile as http
from contracts.json_document import JsonDocument
from runtime import quotas
from runtime.context import Runtime
from runtime.problems import PROBLEM_RESPONSES, ProblemError, problem_responses
from runtime.quotas import QuotaUsage
from runtime.report_period import PeriodQuery
from services.profile import attribute_store, event_type_store, service, spend_store, store, view_store
from services.profile.api_common import Cursor, CustomerPath, Limit, WorkspacePath, context_of
from services.profile.domain import (
    AttributeDefinition,
    AttributeType,
    InvalidIdentifier,
    normalize_email,
    normalize_phone,
)
from services.profile.ledger import hasher_of
from services.profile.settings import ProfileServiceSettings

router = APIRouter(prefix="/internal/v1/workspaces/{workspace}", tags=["profile"], responses=PROBLEM_RESPONSES)


class AttributeIn(JsonDocument):
    """The public AttributeDefinitionIn (contracts/http/profile.py), either branch, read as one flat document."""

    type: AttributeType
    enum_values: list[http.EnumValue] | None = Field(None, max_length=http.MAX_ENUM_VALUES)
    description: str | None = Field(None, max_length=500)

    @model_validator(mode="after")
    def _enum_needs_values(self) -> AttributeIn:
        if self.type == "enum" and not self.enum_values:
            raise ValueError("an enum attribute needs enum_values")
        if self.type != "enum" and self.enum_values:
            raise ValueError("enum_values only apply to type enum")
        return self


def _runtime(request: Request) -> Runtime[ProfileServiceSettings]:
    return context_of(request).runtime


def _not_found(customer_id: str) -> ProblemError:
    return ProblemError(404, f"no customer {customer_id!r} in this workspace")


@router.get("/customers", response_model=http.CustomerView, summary="Find a customer by one identifier")
async def find_customer(
    request: Request,
    workspace: WorkspacePath,
    email: str | None = None,
    phone: str | None = None,
    external_id: str | None = None,
    anonymous_id: str | None = None,
) -> http.CustomerView:
    given = {
        k: v
        for k, v in (("external_id", external_id), ("email", email), ("phone", phone), ("anonymous_id", anonymous_id))
        if v
    }
    if len(given) != 1:
        raise ProblemError(422, "give exactly one of email, phone, external_id, anonymous_id")
    ((kind, value),) = given.items()
    runtime = _runtime(request)
    try:
        if kind == "email":
            value = normalize_email(value)
        elif kind == "phone":
            value = normalize_phone(value, runtime.settings.default_phone_region)
    except InvalidIdentifier as exc:
        raise ProblemError(422, str(exc), errors=[{"field": kind, "message": str(exc)}]) from None
    async with runtime.pool.acquire() as conn:
        customer_id = await view_store.find_by_identifier(conn, workspace, kind, value.strip())
        view = await view_store.customer_view(conn, workspace, customer_id) if customer_id else None
    if view is None:
        raise ProblemError(404, f"no customer with that {kind} in this workspace")
    return view


@router.get("/customers/{customer_id}", response_model=http.CustomerView, summary="One customer's profile")
async def get_customer(request: Request, workspace: WorkspacePath, customer_id: CustomerPath) -> http.CustomerView:
    async with _runtime(request).pool.acquire() as conn:
        view = await view_store.customer_view(conn, workspace, customer_id)
    if view is None:
        raise _not_found(customer_id)
    return view


@router.get("/customers/{customer_id}/timeline", response_model=http.TimelinePage, summary="Events, newest first")
async def get_timeline(
    request: Request,
    workspace: WorkspacePath,
    customer_id: CustomerPath,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> http.TimelinePage:
    async with _runtime(request).pool.acquire() as conn:
        live = await store.resolve_id(conn, workspace, customer_id)
        if live is None:
            raise _not_found(customer_id)
        return await view_store.timeline_page(conn, workspace, live, limit, cursor)


@router.delete(
    "/customers/{customer_id}",
    response_model=http.ErasureAccepted,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Erase the customer (right to be forgotten); publishes profile.erased",
)
async def erase_customer(request: Request, workspace: WorkspacePath, customer_id: CustomerPath) -> http.ErasureAccepted:
    context = context_of(request)
    try:
        async with context.unit_of_work() as work:
            live, erased_ids = await service.erase_customer(
                work, workspace, customer_id, hasher_of(context.settings), context.now()
            )
    except service.CustomerMissing:
        raise _not_found(customer_id) from None
    return http.ErasureAccepted(customer_id=live, erased_ids=erased_ids)


@router.get("/attributes", response_model=http.AttributeList, summary="Custom attribute definitions")
async def list_attributes(request: Request, workspace: WorkspacePath) -> http.AttributeList:
    async with _runtime(request).pool.acquire() as conn:
        definitions = await attribute_store.list_definitions(conn, workspace)
    return http.AttributeList(
        items=[
            http.AttributeDefinition(
                name=d.name, type=d.type, enum_values=list(d.enum_values) or None, description=d.description
            )
            for d in sorted(definitions, key=lambda d: d.name)
        ]
    )


@router.put(
    "/attributes/{name}",
    response_model=http.AttributeDefinition,
    responses=problem_responses(409),
    summary="Define or change a custom attribute (a new one counts against the quota `attributes`: 409 beyond it)",
)
async def put_attribute(
    request: Request,
    workspace: WorkspacePath,
    name: Annotated[str, Path(min_length=1, max_length=128, pattern=r"^[A-Za-z_][A-Za-z0-9_.-]*$")],
    body: AttributeIn,
) -> http.AttributeDefinition:
    runtime = _runtime(request)
    definition = AttributeDefinition(name, body.type, tuple(body.enum_values or ()), body.description)
    async with runtime.pool.acquire() as conn:
        await attribute_store.put_definition(conn, workspace, definition, runtime.settings.quota_attributes)
    return http.AttributeDefinition(name=name, **body.model_dump())


async def quota_usages(request: Request, workspace: str) -> list[QuotaUsage]:
    """`attributes`: definitions held. `trait_value_bytes` limits each value on its own (nothing accumulates),
    so its `used` is always 0: the limit is what matters."""
    runtime = _runtime(request)
    async with runtime.pool.acquire() as conn:
        attributes = await attribute_store.count_definitions(conn, workspace)
        spend_rows = await spend_store.count_rows(conn, workspace)
        event_types = await event_type_store.count_types(conn, workspace)
    return [
        quotas.ATTRIBUTES.usage(runtime.settings.quota_attributes, attributes),
        quotas.TRAIT_VALUE_BYTES.usage(runtime.settings.quota_trait_value_bytes, 0),
        quotas.MARKETING_SPEND_ROWS.usage(runtime.settings.quota_marketing_spend_rows, spend_rows),
        quotas.EVENT_TYPES.usage(runtime.settings.quota_event_types, event_types),
        # Counted per type: `used` is 0 here, as for trait_value_bytes; the limit is what matters.
        quotas.EVENT_TYPE_VERSIONS.usage(runtime.settings.quota_event_type_versions, 0),
    ]


@router.post(
    "/marketing-spend",
    response_model=http.SpendAccepted,
    responses=problem_responses(409),
    summary="Store spend rows, replacing those sent before for the same date, channel and campaign (new rows count "
    "against the quota `marketing_spend_rows`: 409 beyond it)",
)
async def put_spend(request: Request, workspace: WorkspacePath, body: http.SpendIn) -> http.SpendAccepted:
    runtime = _runtime(request)
    async with runtime.pool.acquire() as conn:
        stored = await spend_store.put_rows(conn, workspace, body.rows, runtime.settings.quota_marketing_spend_rows)
    return http.SpendAccepted(stored=stored.stored, replaced=stored.replaced)


def _period(since: date | None, until: date | None) -> None:
    if since is not None and until is not None and since >= until:
        raise ProblemError(422, "`from` must be before `to`", errors=[{"field": "from", "message": "after `to`"}])


@router.get("/marketing-spend", response_model=http.SpendPage, summary="Spend rows with dates in [from, to), by date")
async def list_spend(
    request: Request,
    workspace: WorkspacePath,
    since: Annotated[date | None, Query(alias="from")] = None,
    until: Annotated[date | None, Query(alias="to")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> http.SpendPage:
    _period(since, until)
    async with _runtime(request).pool.acquire() as conn:
        return await spend_store.page(conn, workspace, since, until, limit, cursor)


@router.get(
    "/marketing-spend/totals",
    response_model=http.SpendTotals,
    response_model_by_alias=True,
    summary="Spend per channel, campaign and currency over the days [from, to) (for the acquisition report)",
)
async def spend_totals(
    request: Request,
    workspace: WorkspacePath,
    since: Annotated[date, Query(alias="from")],
    until: Annotated[date, Query(alias="to")],
) -> http.SpendTotals:
    _period(since, until)
    async with _runtime(request).pool.acquire() as conn:
        return await spend_store.totals(conn, workspace, since, until)


@router.post("/customer-queries", response_model=http.CustomerPage, summary="A page of customers matching filters")
async def query_customers(request: Request, workspace: WorkspacePath, body: http.CustomerQuery) -> http.CustomerPage:
    async with _runtime(request).pool.acquire() as conn:
        return await view_store.list_customers(conn, workspace, body)


@router.get(
    "/report",
    response_model=http.CustomerReport,
    response_model_by_alias=True,
    summary="The workspace's customer numbers for a period [from, to)",
)
async def customer_report(
    request: Request,
    workspace: WorkspacePath,
    period: PeriodQuery,
) -> http.CustomerReport:
    async with _runtime(request).pool.acquire() as conn:
        return await view_store.workspace_report(conn, workspace, period.start, period.end)


@router.get(
    "/acquisition-report",
    response_model=http.NewCustomersReport,
    response_model_by_alias=True,
    summary="The period's new customers [from, to) by acquisition source and campaign",
)
async def acquisition_report(
    request: Request,
    workspace: WorkspacePath,
    period: PeriodQuery,
) -> http.NewCustomersReport:
    async with _runtime(request).pool.acquire() as conn:
        return await view_store.acquisition_report(conn, workspace, period.start, period.end)
