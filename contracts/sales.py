"""Events the sales service publishes on `flywheel.sales.events`.

Deals moving and closing, tasks created, due, overdue and completed, quotes waiting for approval and
decided. Each is keyed `<workspace>:<customer_id>` of the deal's or task's customer; its id is derived
from what caused it (the task, the deal and its stage entry, the quote), so a replay de-duplicates.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from contracts.envelope import Envelope
from contracts.internal import CustomerId
from contracts.scoring import ChurnReasons, PredictedClv

TaskSource = Literal["journey", "sop", "manual", "signal"]
DealId = str


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TaskData(_Data):
    task_id: str = Field(min_length=1, max_length=64, examples=["t_5b0c1d2e3f4a5b6c7d8e"])
    title: str = Field(min_length=1, max_length=300, examples=["Call back about the renewal"])
    assignee: str | None = Field(None, max_length=100, description="Who does it; null when unassigned.")
    team: str | None = Field(None, max_length=100, description="The team it was round-robined in, if any.")
    due_at: AwareDatetime
    source: TaskSource = Field(description="journey, sop (a stage's checklist), manual, or signal (churn risk).")
    customer_id: CustomerId | None = Field(None, description="The customer the task is about, if any.")
    deal_id: DealId | None = Field(None, max_length=64, description="The deal it belongs to (SOP tasks).")
    churn_reasons: ChurnReasons = Field(
        default_factory=list,
        description="A task made from a churn signal (source signal, or a journey's sales_task): why the customer "
        "is at risk, in sentences a salesperson can act on. Empty (left out) otherwise.",
    )
    predicted_clv: PredictedClv | None = Field(
        None, description="The customer's predicted 12-month CLV when the task was made (decimal string), if known."
    )


class TaskCompletedData(TaskData):
    completed_at: AwareDatetime
    completed_by: str | None = Field(None, max_length=100)


class _Deal(_Data):
    deal_id: DealId = Field(min_length=1, max_length=64, examples=["d_0f1e2d3c4b5a69788796"])
    pipeline_id: str = Field(min_length=1, max_length=64, examples=["repurchase_upsell"])
    customer_id: CustomerId | None = Field(None, description="Null once the customer was erased.")
    owner: str | None = Field(None, max_length=100)
    amount: str = Field(description="Decimal string.", examples=["1200.00"])
    currency: str = Field(pattern=r"^[A-Z]{3}$", examples=["EUR"])


class DealStageChangedData(_Deal):
    previous_stage: str = Field(examples=["qualify"])
    stage: str = Field(examples=["proposal"])
    backwards: bool = Field(description="True when the deal moved back to an earlier stage.")
    override_reason: str | None = Field(
        None, description="Why open required checklist items or missing fields were overridden, when they were."
    )
    overridden: list[str] = Field(default_factory=list, description="What the override skipped.")


class DealClosedData(_Deal):
    stage: str = Field(description="The stage the deal was in when it closed.")
    reason: str | None = Field(None, max_length=2000, examples=["accepted quote q_1"])
    cycle_days: float = Field(ge=0, description="Days from the deal's creation to its close.")


class QuoteData(_Data):
    quote_id: str = Field(min_length=1, max_length=64, examples=["q_7a6b5c4d3e2f1a0b9c8d"])
    deal_id: DealId = Field(min_length=1, max_length=64)
    customer_id: CustomerId | None = None
    discount_percent: str = Field(description="Decimal string.", examples=["20"])
    threshold_percent: str = Field(description="The workspace's approval threshold when it applied.", examples=["15"])
    total: str = Field(description="Total after discount (decimal string).", examples=["960.00"])
    currency: str = Field(pattern=r"^[A-Z]{3}$", examples=["EUR"])


class QuoteDecidedData(QuoteData):
    decision: Literal["approved", "rejected"]
    approver: str = Field(min_length=1, max_length=100, examples=["maria"])
    comment: str = Field("", max_length=2000)


class TaskCreated(Envelope):
    """A task was created (from a journey, a stage's checklist, by hand, or from a churn-risk signal)."""

    type: Literal["sales.task_created"]
    data: TaskData


class TaskDue(Envelope):
    """A reminder: the open task comes due within the workspace's reminder lead (once per task)."""

    type: Literal["sales.task_due"]
    data: TaskData


class TaskOverdue(Envelope):
    """The open task's due time has passed (once per task)."""

    type: Literal["sales.task_overdue"]
    data: TaskData


class TaskCompleted(Envelope):
    """The task was completed."""

    type: Literal["sales.task_completed"]
    data: TaskCompletedData


class DealStageChanged(Envelope):
    """A deal moved to another stage of its pipeline (forwards, backwards, or with an override)."""

    type: Literal["sales.deal_stage_changed"]
    data: DealStageChangedData


class DealWon(Envelope):
    """A deal was won (by hand or by an accepted quote); won is terminal."""

    type: Literal["sales.deal_won"]
    data: DealClosedData


class DealLost(Envelope):
    """A deal was lost, with the reason; lost is terminal."""

    type: Literal["sales.deal_lost"]
    data: DealClosedData


class QuoteApprovalRequested(Envelope):
    """A quote's discount is above the workspace threshold: a manager must approve it before acceptance."""

    type: Literal["sales.quote_approval_requested"]
    data: QuoteData


class QuoteDecided(Envelope):
    """A manager approved or rejected a quote waiting for approval."""

    type: Literal["sales.quote_decided"]
    data: QuoteDecidedData


SALES_EVENT_TYPES: dict[str, type[Envelope]] = {
    "sales.task_created": TaskCreated,
    "sales.task_due": TaskDue,
    "sales.task_overdue": TaskOverdue,
    "sales.task_completed": TaskCompleted,
    "sales.deal_stage_changed": DealStageChanged,
    "sales.deal_won": DealWon,
    "sales.deal_lost": DealLost,
    "sales.quote_approval_requested": QuoteApprovalRequested,
    "sales.quote_decided": QuoteDecided,
}
