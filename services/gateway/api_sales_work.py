"""Sales tasks, customers' owners and round-robin teams, explained lead scores and their rules, cross-sell
suggestions and pipeline analytics, served from the sales service's internal API.

The workspace always comes from the API key; a task id of another workspace is not found.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query, Request

from runtime.budgets import INT4_MAX
from runtime.problems import ProblemError
from services.gateway.api_sales import ID_PATTERN, Limit, Reader, Writer
from services.gateway.deps import IdempotencyKey, gateway_state
from services.gateway.domain import MAX_PAGE, Principal, clamp_limit, is_plausible_customer_id
from services.gateway.request_types import TIME_DESCRIPTION, Cursor, RequestTime
from services.gateway.schemas import problems
from services.gateway.schemas_sales import IDENTIFIER_PATTERN
from services.gateway.schemas_sales_work import (
    EXAMPLE_LEAD_RULES,
    TEAM_PATTERN,
    CompleteIn,
    CrossSell,
    LeadRules,
    LeadScore,
    Owner,
    OwnerIn,
    SalesAnalytics,
    TaskDetail,
    TaskIn,
    TaskPage,
    TeamIn,
    TeamView,
)
from services.gateway.service_client import (
    ServiceClient,
    idempotency_headers,
    page_params,
    parse,
    segment,
    workspace_path,
)

sales_work_router = APIRouter(tags=["sales"])

TASK_NOT_FOUND = "no such task in this workspace"
TEAM_NOT_FOUND = "no such team in this workspace"
CUSTOMER_NOT_FOUND = "no such customer in this workspace"
TaskId = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN, examples=["t_9a0b1c2d3e4f5a6b7c8d"])]
TeamName = Annotated[str, Path(min_length=1, max_length=64, pattern=TEAM_PATTERN, examples=["advisors"])]
CustomerId = Annotated[str, Path(max_length=64, description="A customer id.", examples=["c_01HZX3K9"])]
RulesDocument = Annotated[
    dict[str, Any],  # passed through as parsed: validating every value as JsonValue cost ~0.5 s per 5 MB
    Body(
        description="`rules`: each with `id`, `description`, `points` (-1000..1000) and a condition `when` of "
        "kind `visits_at_least`, `active_within_days`, `purchases_at_least`, `revenue_at_least`, "
        "`trait_equals`, `trait_present`, `rfm_segment_in` or `churn_band_in`.",
        examples=[EXAMPLE_LEAD_RULES],
    ),
]
WRITE_PROBLEMS = problems(401, 403, 404, 409, 422, 502, 503)
READ_PROBLEMS = problems(401, 403, 404, 422, 502, 503)


def _sales(request: Request) -> ServiceClient:
    return gateway_state(request).sales


def _task_path(principal: Principal, task_id: str, suffix: str = "") -> str:
    return workspace_path(principal.workspace, f"/tasks/{segment(task_id)}{suffix}")


def _customer_path(principal: Principal, customer_id: str, suffix: str) -> str:
    if not is_plausible_customer_id(customer_id):
        raise ProblemError(404, CUSTOMER_NOT_FOUND)  # cannot name a customer; do not forward it
    return workspace_path(principal.workspace, f"/customers/{segment(customer_id)}{suffix}")


# --- tasks ----------------------------------------------------------------------------------------


@sales_work_router.post(
    "/v1/tasks",
    status_code=201,
    summary="Create a sales task",
    description="Assigned to `assignee`, or by `assignee_rule`: the customer's owner, or the next member of "
    "`team` in turn; unassigned when there is nobody to give it to. Announced as `sales.task_created`, "
    "reminded before it is due. A retry with the same `Idempotency-Key` answers the task the first request "
    "made. Scope: `sales:write`.",
    response_model=TaskDetail,
    responses=problems(401, 403, 404, 422, 502, 503),
)
async def create_task(
    request: Request, body: TaskIn, principal: Writer, idempotency_key: IdempotencyKey = None
) -> TaskDetail:
    doc = await _sales(request).post(
        workspace_path(principal.workspace, "/tasks"),
        body.model_dump(mode="json"),
        not_found="no such deal in this workspace",
        headers=idempotency_headers(principal, idempotency_key),
    )
    return parse(TaskDetail, doc, "sales")


@sales_work_router.get(
    "/v1/tasks",
    summary="Sales tasks",
    description="Open tasks first, by due date; optionally of one assignee, status or deal. Scope: `customers:read`.",
    response_model=TaskPage,
    responses=problems(401, 403, 422, 502, 503),
)
async def list_tasks(
    request: Request,
    principal: Reader,
    limit: Limit = None,
    cursor: Cursor = None,
    assignee: Annotated[str | None, Query(max_length=100)] = None,
    status: Annotated[Literal["open", "done"] | None, Query()] = None,
    deal_id: Annotated[str | None, Query(max_length=64)] = None,
) -> TaskPage:
    filters = {"assignee": assignee, "status": status, "deal_id": deal_id}
    params = page_params(limit, cursor) | {k: v for k, v in filters.items() if v is not None}
    doc = await _sales(request).get(workspace_path(principal.workspace, "/tasks"), params=params, not_found="none")
    return parse(TaskPage, doc, "sales")


@sales_work_router.get(
    "/v1/tasks/{task_id}",
    summary="One sales task",
    description="With its reason, team and who completed it. Scope: `customers:read`.",
    response_model=TaskDetail,
    responses=READ_PROBLEMS,
)
async def get_task(request: Request, task_id: TaskId, principal: Reader) -> TaskDetail:
    doc = await _sales(request).get(_task_path(principal, task_id), not_found=TASK_NOT_FOUND)
    return parse(TaskDetail, doc, "sales")


@sales_work_router.post(
    "/v1/tasks/{task_id}/complete",
    summary="Complete a sales task",
    description="Announced as `sales.task_completed`; no more reminders. Completing it again changes "
    "nothing. Scope: `sales:write`.",
    response_model=TaskDetail,
    responses=READ_PROBLEMS,
)
async def complete_task(
    request: Request,
    task_id: TaskId,
    principal: Writer,
    body: CompleteIn | None = None,
    idempotency_key: IdempotencyKey = None,
) -> TaskDetail:
    del idempotency_key  # completing again changes nothing
    payload = body.model_dump(mode="json") if body else {}
    doc = await _sales(request).post(_task_path(principal, task_id, "/complete"), payload, not_found=TASK_NOT_FOUND)
    return parse(TaskDetail, doc, "sales")


# --- owners and teams -----------------------------------------------------------------------------


@sales_work_router.get(
    "/v1/customers/{customer_id}/owner",
    summary="A customer's owner",
    description="Who the customer's tasks and deals go to by default; `owner` is null when nobody owns the "
    "customer. Scope: `customers:read`.",
    response_model=Owner,
    responses=READ_PROBLEMS,
)
async def get_owner(request: Request, customer_id: CustomerId, principal: Reader) -> Owner:
    doc = await _sales(request).get(_customer_path(principal, customer_id, "/owner"), not_found=CUSTOMER_NOT_FOUND)
    return parse(Owner, doc, "sales")


@sales_work_router.put(
    "/v1/customers/{customer_id}/owner",
    summary="Set a customer's owner",
    description="`null` removes the owner. Open tasks keep their assignee. Scope: `sales:write`.",
    response_model=Owner,
    responses=READ_PROBLEMS,
)
async def put_owner(
    request: Request, customer_id: CustomerId, body: OwnerIn, principal: Writer, idempotency_key: IdempotencyKey = None
) -> Owner:
    del idempotency_key  # a PUT is idempotent by nature
    doc = await _sales(request).put(
        _customer_path(principal, customer_id, "/owner"), body.model_dump(mode="json"), not_found=CUSTOMER_NOT_FOUND
    )
    return parse(Owner, doc, "sales")


@sales_work_router.get(
    "/v1/teams/{team}",
    summary="A sales team",
    description="Its members in turn order and who gets the next round-robin task. Scope: `customers:read`.",
    response_model=TeamView,
    responses=READ_PROBLEMS,
)
async def get_team(request: Request, team: TeamName, principal: Reader) -> TeamView:
    doc = await _sales(request).get(
        workspace_path(principal.workspace, f"/teams/{segment(team)}"), not_found=TEAM_NOT_FOUND
    )
    return parse(TeamView, doc, "sales")


@sales_work_router.put(
    "/v1/teams/{team}",
    summary="Create or replace a sales team",
    description="Members in turn order (unique); round-robin tasks of the team go to them in turn. "
    "Scope: `sales:write`.",
    response_model=TeamView,
    responses=problems(401, 403, 422, 502, 503),
)
async def put_team(
    request: Request, team: TeamName, body: TeamIn, principal: Writer, idempotency_key: IdempotencyKey = None
) -> TeamView:
    del idempotency_key  # a PUT is idempotent by nature
    doc = await _sales(request).put(
        workspace_path(principal.workspace, f"/teams/{segment(team)}"),
        body.model_dump(mode="json"),
        not_found=TEAM_NOT_FOUND,
    )
    return parse(TeamView, doc, "sales")


# --- lead scores ----------------------------------------------------------------------------------


@sales_work_router.get(
    "/v1/customers/{customer_id}/lead-score",
    summary="A customer's lead score, explained",
    description="The sum of the points of the workspace's lead rules that match, listing every rule with what "
    "it added and why. 404 until sales has seen the customer's activity. Scope: `customers:read`.",
    response_model=LeadScore,
    responses=READ_PROBLEMS,
)
async def lead_score(request: Request, customer_id: CustomerId, principal: Reader) -> LeadScore:
    doc = await _sales(request).get(
        _customer_path(principal, customer_id, "/lead-score"), not_found="no lead score for this customer"
    )
    return parse(LeadScore, doc, "sales")


@sales_work_router.get(
    "/v1/lead-rules",
    summary="The workspace's lead-scoring rules",
    description="The default set until the workspace replaces it. Scope: `customers:read`.",
    response_model=LeadRules,
    responses=problems(401, 403, 502, 503),
)
async def get_lead_rules(request: Request, principal: Reader) -> LeadRules:
    doc = await _sales(request).get(workspace_path(principal.workspace, "/lead-rules"), not_found="none")
    return parse(LeadRules, doc, "sales")


@sales_work_router.put(
    "/v1/lead-rules",
    summary="Replace the workspace's lead-scoring rules",
    description="Validated (a 422 names every bad field, e.g. `rules.0.when.count`); scores use them at "
    "once. Scope: `sales:write`.",
    response_model=LeadRules,
    responses=problems(401, 403, 422, 502, 503),
)
async def put_lead_rules(
    request: Request, body: RulesDocument, principal: Writer, idempotency_key: IdempotencyKey = None
) -> LeadRules:
    del idempotency_key  # a PUT is idempotent by nature
    doc = await _sales(request).put(workspace_path(principal.workspace, "/lead-rules"), body, not_found="none")
    return parse(LeadRules, doc, "sales")


# --- cross-sell and analytics ---------------------------------------------------------------------


@sales_work_router.get(
    "/v1/cross-sell-suggestions",
    summary="Cross-sell suggestions",
    description="Association rules A → B over the categories each customer bought: support, confidence and "
    "lift, best lift first; optionally only those starting from one `category`. Scope: `customers:read`.",
    response_model=CrossSell,
    responses=problems(401, 403, 422, 502, 503),
)
async def cross_sell(
    request: Request,
    principal: Reader,
    category: Annotated[str | None, Query(max_length=512, description="Only suggestions for buyers of this.")] = None,
    min_support: Annotated[float, Query(ge=0, le=1, description="Least share of buyers with both.")] = 0.01,
    min_customers: Annotated[int, Query(ge=1, le=INT4_MAX, description="Least customers with both.")] = 2,
    limit: Annotated[int | None, Query(ge=1, description=f"Most suggestions (default 50, max {MAX_PAGE}).")] = None,
) -> CrossSell:
    params: dict[str, str | int | float] = {
        "min_support": min_support,
        "min_customers": min_customers,
        "limit": clamp_limit(limit),
    }
    if category is not None:
        params["category"] = category
    doc = await _sales(request).get(workspace_path(principal.workspace, "/cross-sell"), params=params, not_found="none")
    return parse(CrossSell, doc, "sales")


@sales_work_router.get(
    "/v1/sales-analytics",
    summary="Pipeline analytics",
    description="Over deals of one pipeline created in [`from`, `to`) (default: all), optionally of one owner: "
    "stage-to-stage conversion, average days per stage, cycle time, win rate, and open pipeline value per "
    "currency, total and weighted by stage probability. Scope: `customers:read`.",
    response_model=SalesAnalytics,
    responses=READ_PROBLEMS,
)
async def sales_analytics(
    request: Request,
    principal: Reader,
    pipeline_id: Annotated[str, Query(max_length=64, pattern=IDENTIFIER_PATTERN)] = "repurchase_upsell",
    owner: Annotated[str | None, Query(max_length=100)] = None,
    from_: Annotated[
        RequestTime | None, Query(alias="from", description=f"Deals created at or after: {TIME_DESCRIPTION}")
    ] = None,
    to: Annotated[RequestTime | None, Query(description=f"Deals created before: {TIME_DESCRIPTION}")] = None,
) -> SalesAnalytics:
    params: dict[str, str] = {"pipeline_id": pipeline_id}
    if owner is not None:
        params["owner"] = owner
    params |= {name: value.isoformat() for name, value in (("from", from_), ("to", to)) if value is not None}
    doc = await _sales(request).get(
        workspace_path(principal.workspace, "/analytics"), params=params, not_found="no such pipeline in this workspace"
    )
    return parse(SalesAnalytics, doc, "sales")
