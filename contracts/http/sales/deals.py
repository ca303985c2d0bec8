"""Pipelines, deals, tasks, customers' owners and round-robin teams: what the sales service answers (and the
public API passes through, the 360 view's deal and task sections too) and what clients send, as the public API
documents it. The gateway validates with these; the sales service checks more where it must (it knows the
pipeline)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, JsonValue

from contracts.http import CursorPage, Input, View
from contracts.http.sales.common import Person, SalesView
from contracts.http.types import TIME_DESCRIPTION, Money, RequestTime

# The built-in `repurchase_upsell` pipeline (PUT /v1/pipelines/{pipeline_id}); docs/sales.md has the rules.
EXAMPLE_PIPELINE: dict[str, Any] = {
    "name": "Repurchase / upsell",
    "stages": [
        {
            "id": "identified",
            "name": "Opportunity identified",
            "probability": 0.1,
            "checklist": [
                {"id": "review", "title": "Review purchase history and lead score", "due_in_days": 1, "required": True}
            ],
        },
        {
            "id": "contacted",
            "name": "Contacted",
            "probability": 0.3,
            "checklist": [{"id": "call", "title": "Call the customer about their next order", "due_in_days": 2}],
            "required_fields": ["need"],
        },
        {
            "id": "proposal",
            "name": "Proposal sent",
            "probability": 0.6,
            "checklist": [
                {"id": "quote", "title": "Send a quote", "due_in_days": 1},
                {"id": "follow_up", "title": "Follow up on the quote", "due_in_days": 5, "required": False},
            ],
        },
        {"id": "negotiation", "name": "Negotiation", "probability": 0.8},
    ],
}


# --- the 360 view's sections -----------------------------------------------------------------


class CustomerDeal(View):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    deal_id: str = Field(examples=["d_5c1e"])
    pipeline_id: str = Field(examples=["repurchase"])
    title: str = Field(examples=["Upgrade to the annual plan"])
    stage: str = Field(examples=["proposal"])
    status: Literal["open", "won", "lost"] = Field(examples=["open"])
    amount: str = Field(description="Decimal string.", examples=["1200.00"])
    currency: str = Field(examples=["EUR"])
    owner: str | None = Field(None, examples=["ana"])
    created_at: datetime
    updated_at: datetime


class CustomerTask(View):
    task_id: str = Field(examples=["t_9a0b"])
    title: str = Field(examples=["Advisor follow-up: win back Ada"])
    status: Literal["open", "done"] = Field(examples=["open"])
    assignee: str | None = Field(None, examples=["ana"])
    due_at: datetime | None = None
    source: str = Field(description="`journey`, `sop`, `manual` or `signal`.", examples=["journey"])
    deal_id: str | None = None
    created_at: datetime
    completed_at: datetime | None = None


# --- pipelines ------------------------------------------------------------------------------------


class Pipeline(SalesView):
    pipeline_id: str = Field(examples=["repurchase_upsell"])
    built_in: bool = Field(description="True for a built-in pipeline the workspace has not replaced.")
    document: dict[str, JsonValue] = Field(
        description="Ordered stages, each with its win probability, SOP checklist and required deal fields.",
        examples=[EXAMPLE_PIPELINE],
    )


class PipelineList(SalesView):
    items: list[Pipeline] = Field(description="Every pipeline of the workspace, built-ins included.")
    next_cursor: None = Field(None, description="Always null: the list is never paged.")


# --- deals ----------------------------------------------------------------------------------------


class DealSummary(CustomerDeal):
    customer_id: str | None = Field(None, description="Null once the customer was erased.", examples=["c_01HZX3K9"])


class StageEntry(SalesView):
    stage: str = Field(examples=["contacted"])
    entered_at: datetime
    left_at: datetime | None = None
    override_reason: str | None = Field(None, description="Why the deal left with open requirements.")
    overridden: list[str] = Field(default_factory=list, examples=[["checklist call", "field need"]])


class Deal(DealSummary):
    """A deal with what keeps it in its stage and its stage history."""

    products: list[str] = Field(default_factory=list, examples=[["tea-01"]])
    fields: dict[str, JsonValue] = Field(default_factory=dict, examples=[{"need": "refills"}])
    close_reason: str | None = None
    closed_at: datetime | None = None
    blockers: list[str] = Field(
        default_factory=list,
        description="What keeps the deal in its stage: open required checklist items, missing fields.",
        examples=[["checklist call", "field need"]],
    )
    stage_history: list[StageEntry] = Field(default_factory=list, description="One entry per stage entered.")


class DealPage(CursorPage[DealSummary]):
    items: list[DealSummary] = Field(description="Oldest first.")


# --- tasks, owners and teams ----------------------------------------------------------------------


class Task(CustomerTask):
    customer_id: str | None = Field(None, examples=["c_01HZX3K9"])
    churn_reasons: list[str] = Field(
        default_factory=list,
        description="A task made from a churn signal (source `signal`, or a journey's sales task): why the customer "
        "is at risk, in sentences a salesperson can act on; empty otherwise.",
        examples=[["no purchase for 94 days, 3.1x their usual gap of 30 days"]],
    )
    predicted_clv: Decimal | None = Field(
        None,
        description="The customer's predicted 12-month CLV when the task was made (the workspace's currency), if "
        "known.",
        examples=["1240.50"],
    )


class TaskDetail(Task):
    reason: str = Field("", examples=["asked about the autumn range"])
    team: str | None = Field(None, examples=["advisors"])
    completed_by: str | None = Field(None, examples=["ana"])


class TaskPage(CursorPage[Task]):
    items: list[Task] = Field(description="Open tasks first, by due date.")


class Owner(SalesView):
    customer_id: str = Field(examples=["c_01HZX3K9"])
    owner: str | None = Field(description="Null when the customer has no owner.", examples=["ana"])


class TeamView(SalesView):
    team: str = Field(examples=["advisors"])
    members: list[str] = Field(examples=[["ana", "ben"]])
    next_member: str | None = Field(description="Who the round robin gives the next task to.", examples=["ben"])


# --- what clients send, taken as it is ----------------------------------------------------------


class CloseIn(Input):
    reason: str | None = Field(None, max_length=2000, examples=["closed at the fair"])


class CompleteIn(Input):
    completed_by: Person | None = None


class OwnerIn(Input):
    owner: Person | None = Field(description="The customer's owner; null removes the owner.")


class TeamIn(Input):
    members: list[Person] = Field(
        max_length=500,
        description="In turn order; unique.",
        examples=[["ana", "ben"]],
        json_schema_extra={"uniqueItems": True},
    )


# --- what clients send, as the public API documents it ---------------------------------------------

CUSTOMER_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"
IDENTIFIER_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"  # pipeline, stage, checklist item and field ids
Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=IDENTIFIER_PATTERN)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code.", examples=["EUR"])]


# --- deals ----------------------------------------------------------------------------------------


FieldName = Annotated[str, Field(min_length=1, max_length=64)]


class DealIn(Input):
    customer_id: str = Field(pattern=CUSTOMER_ID_PATTERN, examples=["c_01HZX3K9"])
    title: str = Field(min_length=1, max_length=300, examples=["Refill subscription upgrade"])
    pipeline_id: Identifier = Field("repurchase_upsell", examples=["repurchase_upsell"])
    amount: Money
    currency: Currency
    products: list[Annotated[str, Field(min_length=1, max_length=128)]] = Field(
        default_factory=list, max_length=200, examples=[["tea-01"]]
    )
    owner: Person | None = Field(None, description="Defaults to the customer's owner.")
    fields: dict[FieldName, JsonValue] = Field(
        default_factory=dict,
        max_length=50,
        description="Custom fields that stages may require: at most 50, each value at most 4 KB of JSON nested "
        "at most 8 levels deep.",
        examples=[{"need": "refills"}],
    )
    stage: Identifier | None = Field(None, description="Defaults to the pipeline's first stage.")


class DealPatch(Input):
    title: str | None = Field(None, min_length=1, max_length=300, examples=["Annual refill subscription"])
    amount: Money | None = None
    currency: Currency | None = None
    products: list[Annotated[str, Field(min_length=1, max_length=128)]] | None = Field(None, max_length=200)
    owner: Person | None = None
    fields: dict[FieldName, JsonValue] | None = Field(
        None,
        max_length=50,
        description="Merged into the deal's fields; null removes one. A deal keeps at most 50 fields, each value "
        "at most 4 KB of JSON nested at most 8 levels deep.",
        examples=[{"need": "refills"}],
    )


class MoveIn(Input):
    stage: Identifier = Field(examples=["proposal"])
    override_reason: str | None = Field(
        None,
        max_length=2000,
        description="Leave a stage with open requirements anyway (recorded with what it overrode).",
        examples=["customer asked for the quote on the phone"],
    )


# Some character that is not blank (the sales service strips a reason as Python does: \x1c-\x1f too).
NOT_BLANK = r"[^\s\x1c-\x1f]"


class LossIn(Input):
    reason: str = Field(
        min_length=1, max_length=2000, pattern=NOT_BLANK, description="Why it was lost.",
        examples=["went with a competitor"],
    )  # fmt: skip


# --- tasks and teams ------------------------------------------------------------------------------

TEAM_PATTERN = r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$"
Team = Annotated[str, Field(min_length=1, max_length=64, pattern=TEAM_PATTERN, examples=["advisors"])]


class TaskIn(Input):
    title: str = Field(min_length=1, max_length=300, examples=["Send the catalogue"])
    reason: str = Field("", max_length=2000, examples=["asked about the autumn range"])
    due_at: RequestTime = Field(description=TIME_DESCRIPTION)
    customer_id: str | None = Field(None, pattern=CUSTOMER_ID_PATTERN, examples=["c_01HZX3K9"])
    deal_id: str | None = Field(None, min_length=1, max_length=64, examples=["d_5c1e0a9b8f7d6c5b4a3e"])
    assignee: Person | None = Field(None, description="Given: this person. Otherwise by `assignee_rule`.")
    assignee_rule: Literal["customer_owner", "round_robin"] = Field(
        "customer_owner", description="Without an owner or team member to give it to, the task is unassigned."
    )
    team: Team | None = Field(None, description="The team to round-robin in.")
