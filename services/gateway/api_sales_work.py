"""Sales tasks, customers' owners and round-robin teams, explained lead scores and their rules, cross-sell
suggestions and pipeline analytics, served from the sales service's internal API (rows of
services.gateway.passthrough).

The workspace always comes from the API key; a task id of another workspace is not found.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from contracts.http.sales.deals import (
    IDENTIFIER_PATTERN,
    TEAM_PATTERN,
    CompleteIn,
    Owner,
    OwnerIn,
    TaskDetail,
    TaskIn,
    TaskPage,
    TeamIn,
    TeamView,
)
from contracts.http.sales.signals import EXAMPLE_LEAD_RULES, CrossSell, LeadRules, LeadScore, SalesAnalytics
from contracts.http.types import TIME_DESCRIPTION
from runtime.budgets import INT4_MAX
from services.gateway.domain import CUSTOMERS_READ, MAX_PAGE, SALES_WRITE, clamp_limit
from services.gateway.passthrough import (
    CUSTOMER,
    PAGE,
    PassThrough,
    QueryParam,
    document_body,
    id_path,
    register,
    time_param,
)

sales_work_router = APIRouter(tags=["sales"])

TASK_NOT_FOUND = "no such task in this workspace"
TEAM_NOT_FOUND = "no such team in this workspace"
CUSTOMER_NOT_FOUND = "no such customer in this workspace"
TaskId = id_path("t_9a0b1c2d3e4f5a6b7c8d")
TeamName = id_path("advisors", TEAM_PATTERN)
RulesDocument = document_body("lead rules", EXAMPLE_LEAD_RULES)
TASK = {"task_id": TaskId}
TEAM = {"team": TeamName}
TASK_FILTERS = (
    QueryParam("assignee", Annotated[str | None, Query(max_length=100)]),
    QueryParam("status", Annotated[Literal["open", "done"] | None, Query()]),
    QueryParam("deal_id", Annotated[str | None, Query(max_length=64)]),
)
CROSS_SELL_FILTERS = (
    QueryParam(
        "category", Annotated[str | None, Query(max_length=512, description="Only suggestions for buyers of this.")]
    ),
    QueryParam(
        "min_support", Annotated[float, Query(ge=0, le=1, description="Least share of buyers with both.")], 0.01
    ),
    QueryParam("min_customers", Annotated[int, Query(ge=1, le=INT4_MAX, description="Least customers with both.")], 2),
    QueryParam(
        "limit",
        Annotated[
            int | None,
            Query(
                ge=1, description=f"Most suggestions (default 50; a larger one than {MAX_PAGE} is taken as {MAX_PAGE})."
            ),
        ],
        send=clamp_limit,
    ),
)
ANALYTICS_FILTERS = (
    QueryParam("pipeline_id", Annotated[str, Query(max_length=64, pattern=IDENTIFIER_PATTERN)], "repurchase_upsell"),
    QueryParam("owner", Annotated[str | None, Query(max_length=100)]),
    time_param("from_", f"Deals created at or after: {TIME_DESCRIPTION}"),
    time_param("to", f"Deals created before: {TIME_DESCRIPTION}"),
)

SALES_WORK_ROWS = (
    # --- tasks
    PassThrough(
        "create_task", "POST", "/v1/tasks", "sales", "/tasks", SALES_WRITE, TaskDetail,
        "no such deal in this workspace", body=TaskIn, status_code=201, more_problems=(404,), forward_idempotency=True,
    ),
    PassThrough(
        "list_tasks", "GET", "/v1/tasks", "sales", "/tasks", CUSTOMERS_READ, TaskPage, "none",
        query=(*PAGE, *TASK_FILTERS),
    ),
    PassThrough(
        "get_task", "GET", "/v1/tasks/{task_id}", "sales", "/tasks/{task_id}", CUSTOMERS_READ, TaskDetail,
        TASK_NOT_FOUND, TASK,
    ),
    PassThrough(
        "complete_task", "POST", "/v1/tasks/{task_id}/complete", "sales", "/tasks/{task_id}/complete", SALES_WRITE,
        TaskDetail, TASK_NOT_FOUND, TASK, body=CompleteIn | None, body_required=False,
    ),
    # --- owners and teams
    PassThrough(
        "get_owner", "GET", "/v1/customers/{customer_id}/owner", "sales", "/customers/{customer_id}/owner",
        CUSTOMERS_READ, Owner, CUSTOMER_NOT_FOUND, CUSTOMER, checks_customer_id=True,
    ),
    PassThrough(
        "put_owner", "PUT", "/v1/customers/{customer_id}/owner", "sales", "/customers/{customer_id}/owner", SALES_WRITE,
        Owner, CUSTOMER_NOT_FOUND, CUSTOMER, body=OwnerIn, checks_customer_id=True,
    ),
    PassThrough(
        "get_team", "GET", "/v1/teams/{team}", "sales", "/teams/{team}", CUSTOMERS_READ, TeamView, TEAM_NOT_FOUND, TEAM,
    ),
    PassThrough(
        "put_team", "PUT", "/v1/teams/{team}", "sales", "/teams/{team}", SALES_WRITE, TeamView, TEAM_NOT_FOUND, TEAM,
        body=TeamIn, creates=True,
    ),
    # --- lead scores
    PassThrough(
        "lead_score", "GET", "/v1/customers/{customer_id}/lead-score", "sales", "/customers/{customer_id}/lead-score",
        CUSTOMERS_READ, LeadScore, "no lead score for this customer", CUSTOMER, checks_customer_id=True,
    ),
    PassThrough("get_lead_rules", "GET", "/v1/lead-rules", "sales", "/lead-rules", CUSTOMERS_READ, LeadRules, "none"),
    PassThrough(
        "put_lead_rules", "PUT", "/v1/lead-rules", "sales", "/lead-rules", SALES_WRITE, LeadRules, "none",
        body=RulesDocument,
    ),
    # --- cross-sell and analytics
    PassThrough(
        "cross_sell", "GET", "/v1/cross-sell-suggestions", "sales", "/cross-sell", CUSTOMERS_READ, CrossSell, "none",
        query=CROSS_SELL_FILTERS,
    ),
    PassThrough(
        "sales_analytics", "GET", "/v1/sales-analytics", "sales", "/analytics", CUSTOMERS_READ, SalesAnalytics,
        "no such pipeline in this workspace", query=ANALYTICS_FILTERS, more_problems=(404,),
    ),
)  # fmt: skip
register(sales_work_router, SALES_WORK_ROWS)
