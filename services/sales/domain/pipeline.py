"""Pipelines as data: ordered stages, each with a win probability, an SOP checklist (tasks created on
entering the stage, due an offset later) and the deal fields required before the deal moves on.

Two built-in pipelines exist in every workspace without being created; a workspace may store its own
document under a built-in's id, which then replaces the built-in there.
"""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field, ValidationError, model_validator

from contracts.codec import field_errors
from contracts.http.sales.deals import Identifier
from contracts.json_document import JsonDocument


class _Model(JsonDocument):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChecklistItem(_Model):
    id: Identifier = Field(examples=["call"])
    title: str = Field(min_length=1, max_length=300, examples=["Call the customer about their next order"])
    due_in_days: float = Field(1.0, ge=0, le=365, description="The task is due this long after entering the stage.")
    required: bool = Field(True, description="The deal cannot leave the stage while this task is open.")


class Stage(_Model):
    id: Identifier = Field(examples=["qualify"])
    name: str = Field(min_length=1, max_length=100, examples=["Qualify"])
    probability: float = Field(ge=0, le=1, description="Chance a deal in this stage is won (weights pipeline value).")
    checklist: list[ChecklistItem] = Field(default_factory=list, max_length=50)
    required_fields: list[Identifier] = Field(
        default_factory=list, max_length=50, description="Deal fields that must be set before the deal moves on."
    )

    @model_validator(mode="after")
    def _unique_items(self) -> Stage:
        ids = [item.id for item in self.checklist]
        if len(ids) != len(set(ids)):
            raise ValueError(f"stage {self.id!r}: checklist item ids must be unique")
        return self


class Pipeline(_Model):
    name: str = Field(min_length=1, max_length=200, examples=["Repurchase / upsell"])
    stages: list[Stage] = Field(min_length=1, max_length=30)

    @model_validator(mode="after")
    def _unique_stages(self) -> Pipeline:
        ids = [stage.id for stage in self.stages]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"stage ids must be unique; repeated: {', '.join(duplicates)}")
        return self

    def position(self, stage_id: str) -> int | None:
        for index, stage in enumerate(self.stages):
            if stage.id == stage_id:
                return index
        return None

    def stage(self, stage_id: str) -> Stage | None:
        position = self.position(stage_id)
        return None if position is None else self.stages[position]

    @property
    def first_stage(self) -> Stage:
        return self.stages[0]


class InvalidPipeline(ValueError):
    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


def parse_pipeline(document: Any) -> Pipeline:
    """A valid pipeline or InvalidPipeline naming every bad field."""
    try:
        return Pipeline.model_validate(document)
    except ValidationError as exc:
        raise InvalidPipeline(field_errors(exc)) from None


BUILT_IN: dict[str, Pipeline] = {
    "repurchase_upsell": Pipeline(
        name="Repurchase / upsell",
        stages=[
            Stage(
                id="identified",
                name="Opportunity identified",
                probability=0.1,
                checklist=[ChecklistItem(id="review", title="Review purchase history and lead score", due_in_days=1)],
            ),
            Stage(
                id="contacted",
                name="Contacted",
                probability=0.3,
                checklist=[ChecklistItem(id="call", title="Call the customer about their next order", due_in_days=2)],
                required_fields=["need"],
            ),
            Stage(
                id="proposal",
                name="Proposal sent",
                probability=0.6,
                checklist=[
                    ChecklistItem(id="quote", title="Send a quote", due_in_days=1),
                    ChecklistItem(id="follow_up", title="Follow up on the quote", due_in_days=5, required=False),
                ],
            ),
            Stage(id="negotiation", name="Negotiation", probability=0.8),
        ],
    ),
    "reactivation": Pipeline(
        name="Reactivation",
        stages=[
            Stage(
                id="at_risk",
                name="At risk",
                probability=0.05,
                checklist=[ChecklistItem(id="reasons", title="Read the churn reasons and last tickets", due_in_days=1)],
            ),
            Stage(
                id="reached",
                name="Reached out",
                probability=0.25,
                checklist=[ChecklistItem(id="call", title="Call the customer", due_in_days=2)],
                required_fields=["churn_reason"],
            ),
            Stage(
                id="offer",
                name="Win-back offer",
                probability=0.5,
                checklist=[ChecklistItem(id="offer", title="Send the win-back offer", due_in_days=1)],
            ),
        ],
    ),
}
