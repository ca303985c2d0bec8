"""A workspace's sales settings, and who counts as a high-value customer under them."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from contracts.http.sales.quotes import DEFAULT_HIGH_VALUE_SEGMENTS
from contracts.scoring import RfmSegment

Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=7, decimal_places=4)]


class SalesSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    discount_approval_threshold_percent: Percent = Field(
        Decimal(15), description="A quote with a larger discount needs a manager's approval.", examples=["15"]
    )
    managers: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        default_factory=list, max_length=200, description="Who may approve or reject quotes.", examples=[["maria"]]
    )
    reminder_lead_hours: float = Field(
        24.0, ge=0, le=24 * 30, description="sales.task_due is published this long before a task's due time."
    )
    high_value_segments: list[RfmSegment] = Field(
        default_factory=lambda: list(DEFAULT_HIGH_VALUE_SEGMENTS),
        max_length=20,
        description="RFM segments whose customers get a task when their churn risk turns high.",
    )
    high_value_revenue: Annotated[Decimal, Field(ge=0, max_digits=20, decimal_places=6)] = Field(
        Decimal(1000), description="Customers with at least this revenue count as high value too.", examples=["1000"]
    )

    def is_high_value(self, rfm_segment: str | None, revenue: Decimal) -> bool:
        return rfm_segment in self.high_value_segments or revenue >= self.high_value_revenue
