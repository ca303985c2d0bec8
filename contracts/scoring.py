"""Events the scoring service publishes on `flywheel.scoring.changes` when a customer's standing changes.

Journeys trigger on these: an RFM segment or churn band that changed, entry to or exit from a dynamic
segment, a customer falling dormant or coming back, and p_alive or predicted CLV moving (`scores.changed`).
Each carries the canonical customer id in `data.customer_id` and is keyed `<workspace>:<customer_id>`, so one
customer's changes stay in order.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from contracts.envelope import Envelope
from contracts.internal import CustomerId

RfmSegment = Literal[
    "Champions",
    "Loyal",
    "Potential Loyalist",
    "New",
    "Promising",
    "Need Attention",
    "About to Sleep",
    "At Risk",
    "Can't Lose Them",
    "Hibernating",
    "Lost",
]
ChurnRisk = Literal["low", "medium", "high"]
Score = Annotated[int, Field(ge=1, le=5)]
MAX_CHURN_REASONS = 20  # what a task carries of a churn signal's reasons (scoring gives at most a handful)
MAX_CHURN_REASON_LENGTH = 500
ChurnReasons = Annotated[
    list[Annotated[str, StringConstraints(max_length=MAX_CHURN_REASON_LENGTH)]],
    Field(
        max_length=MAX_CHURN_REASONS,
        description="Why the customer is at risk of churning, in sentences a salesperson can act on (scoring's "
        "churn.risk_changed reasons).",
        examples=[["no purchase for 94 days, 3.1x their usual gap of 30 days"]],
    ),
]
PredictedClv = Annotated[
    str,
    Field(
        pattern=r"^-?\d{1,13}(\.\d{1,2})?$",
        description="The customer's predicted 12-month CLV (decimal string, the workspace's currency).",
        examples=["1240.50"],
    ),
]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    customer_id: CustomerId


class RfmSegmentChangedData(_Data):
    previous: RfmSegment | None = Field(None, description="The segment before; null for a first purchase.")
    current: RfmSegment | None = Field(
        None, description="The segment now; null once the customer has no purchases left."
    )
    r: Score | None = None
    f: Score | None = None
    m: Score | None = None


class ChurnRiskChangedData(_Data):
    previous: ChurnRisk | None = Field(None, description="The band before; null when first scored.")
    current: ChurnRisk
    p_alive: float | None = Field(None, ge=0, le=1, description="BG/NBD probability the customer is still active.")
    reasons: list[str] = Field(
        default_factory=list,
        description="Why, in sentences a salesperson can act on.",
        examples=[["no purchase for 94 days, 3.1x their usual gap of 30 days"]],
    )
    predicted_clv: str | None = Field(
        None,
        pattern=r"^-?\d{1,13}(\.\d{1,2})?$",
        description="The customer's predicted 12-month CLV when the band changed (decimal string, the workspace's "
        "currency); null when not known.",
        examples=["1240.50"],
    )


class ScoresChangedData(_Data):
    """The customer's p_alive and predicted CLV as scoring last announced them (`previous_*`) and now. Announced
    only when one moved by more than its epsilon since the last announcement (p_alive: 0.01; predicted CLV: 1% of
    the announced value, at least 0.01), so a threshold between the two is crossed exactly once per crossing."""

    previous_p_alive: float | None = Field(None, ge=0, le=1, description="Null when not announced before.")
    p_alive: float | None = Field(None, ge=0, le=1, description="BG/NBD probability the customer is still active.")
    previous_predicted_clv: str | None = Field(
        None, pattern=r"^-?\d{1,13}(\.\d{1,2})?$", description="Decimal string; null when not announced before."
    )
    predicted_clv: str | None = Field(
        None,
        pattern=r"^-?\d{1,13}(\.\d{1,2})?$",
        description="Predicted 12-month CLV (decimal string, the workspace's currency).",
        examples=["1240.50"],
    )


class SegmentMembershipData(_Data):
    segment_id: str = Field(min_length=1, max_length=64)
    segment_name: str = Field(min_length=1, max_length=200)


class CustomerDormantData(_Data):
    last_purchase_at: AwareDatetime
    days_since_last_purchase: int = Field(ge=0)
    threshold_days: int = Field(ge=1, description="The dormancy threshold that applied to this customer.")
    rule: Literal["usual_gap", "fixed_days"] = Field(
        description="usual_gap: a multiple of the customer's own purchase rhythm; fixed_days: the workspace's "
        "fixed threshold (customers with fewer than two purchase days)."
    )


class CustomerReactivatedData(_Data):
    dormant_since: AwareDatetime
    purchased_at: AwareDatetime = Field(description="The purchase that ended the dormancy spell.")


class RfmSegmentChanged(Envelope):
    """The customer's named RFM segment changed (e.g. to At Risk)."""

    type: Literal["rfm.segment_changed"]
    data: RfmSegmentChangedData


class ChurnRiskChanged(Envelope):
    """The customer's churn-risk band changed (e.g. became high), with the reasons."""

    type: Literal["churn.risk_changed"]
    data: ChurnRiskChangedData


class ScoresChanged(Envelope):
    """The customer's p_alive or predicted CLV moved (by more than a small epsilon since last announced):
    journeys' `score_crossed` triggers fire when a threshold lies between the previous and the current value."""

    type: Literal["scores.changed"]
    data: ScoresChangedData


class SegmentEntered(Envelope):
    """The customer now meets a dynamic segment's condition."""

    type: Literal["segment.entered"]
    data: SegmentMembershipData


class SegmentExited(Envelope):
    """The customer no longer meets a dynamic segment's condition (or the customer was merged away)."""

    type: Literal["segment.exited"]
    data: SegmentMembershipData


class CustomerDormant(Envelope):
    """The customer went past their dormancy threshold without buying: published once per dormancy spell."""

    type: Literal["customer.dormant"]
    data: CustomerDormantData


class CustomerReactivated(Envelope):
    """A dormant customer bought again: the dormancy spell is over."""

    type: Literal["customer.reactivated"]
    data: CustomerReactivatedData


SCORING_CHANGE_TYPES: dict[str, type[Envelope]] = {
    "rfm.segment_changed": RfmSegmentChanged,
    "churn.risk_changed": ChurnRiskChanged,
    "segment.entered": SegmentEntered,
    "segment.exited": SegmentExited,
    "customer.dormant": CustomerDormant,
    "customer.reactivated": CustomerReactivated,
    "scores.changed": ScoresChanged,
}
