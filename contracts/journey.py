"""Events the journey service publishes.

`flywheel.journey.actions` carries what a journey asks other services to do: sales creates the task, profile
applies the tag or attribute, referral sends the invite, loyalty credits the points, and a coupon grant is
announced for whatever fulfils coupons. `flywheel.journey.enrolments` tells what happened to each enrolment,
for reports and attribution. Every event carries the canonical customer id in `data.customer_id` and the
journey, version and step it came from; its id is the action id (derived from enrolment and step), so a repeat
of the same action de-duplicates downstream.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, JsonValue

from contracts.envelope import Envelope
from contracts.internal import CustomerId
from contracts.scoring import ChurnReasons, PredictedClv

JourneyId = str


class _Origin(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    customer_id: CustomerId
    journey_id: JourneyId = Field(min_length=1, max_length=64)
    journey_version: int = Field(ge=1)
    enrolment_id: str = Field(min_length=1, max_length=128)
    step_id: str | None = Field(None, max_length=64, description="The step that caused it, when a step did.")


class SalesTaskRequestedData(_Origin):
    title: str = Field(min_length=1, max_length=300, examples=["Advisor follow-up: win back Ada"])
    reason: str = Field("", max_length=2000, examples=["dormant for 94 days; value report and offer unanswered"])
    assignee_rule: Literal["customer_owner", "round_robin"] = "customer_owner"
    team: str | None = Field(None, max_length=100)
    due_at: AwareDatetime
    churn_reasons: ChurnReasons = Field(
        default_factory=list,
        description="The customer's latest churn reasons as the journey knew them (scoring's churn.risk_changed), "
        "for the salesperson; left out when none.",
    )
    predicted_clv: PredictedClv | None = Field(
        None, description="The customer's predicted 12-month CLV as the journey knew it (decimal string)."
    )


class TagsRequestedData(_Origin):
    add: list[str] = Field(default_factory=list)
    remove: list[str] = Field(default_factory=list)


class AttributeRequestedData(_Origin):
    name: str = Field(min_length=1, max_length=128)
    value: JsonValue


class CouponGrantedData(_Origin):
    code: str = Field(min_length=1, max_length=64)
    amount: str | None = Field(None, description="A fixed amount off (decimal string).")
    percent: float | None = Field(None, gt=0, le=100)
    valid_until: AwareDatetime | None = None


class ReferralInviteRequestedData(_Origin):
    program_id: str = Field(min_length=1, max_length=64)
    channel: str | None = Field(None, max_length=32)


class PointsRequestedData(_Origin):
    points: int = Field(ge=1, le=10**9, description="Whole points to credit to the customer's loyalty ledger.")
    reason: str = Field("", max_length=500, examples=["win-back bonus"])


class EnrolmentData(_Origin):
    variant: str | None = Field(None, description="The A/B variant, once a split assigned one.")
    holdout: bool = Field(False, description="In the holdout group: enrolled, but no outreach (measures lift).")


class EnrolmentEndedData(EnrolmentData):
    reason: str = Field(max_length=500, examples=["goal: purchase", "exit: refund", "completed"])


class SalesTaskRequested(Envelope):
    """A journey step asks sales for a task (e.g. an advisor's follow-up call)."""

    type: Literal["sales.task_requested"]
    data: SalesTaskRequestedData


class TagsRequested(Envelope):
    """A journey step adds or removes tags on the customer's profile."""

    type: Literal["profile.tags_requested"]
    data: TagsRequestedData


class AttributeRequested(Envelope):
    """A journey step sets a trait on the customer's profile."""

    type: Literal["profile.attribute_requested"]
    data: AttributeRequestedData


class CouponGranted(Envelope):
    """A journey step granted the customer a coupon."""

    type: Literal["coupon.granted"]
    data: CouponGrantedData


class ReferralInviteRequested(Envelope):
    """A journey step asks the referral service to invite the customer to refer friends."""

    type: Literal["referral.invite_requested"]
    data: ReferralInviteRequestedData


class LoyaltyPointsRequested(Envelope):
    """A journey step credits points to the customer's loyalty ledger (once per action id)."""

    type: Literal["loyalty.points_requested"]
    data: PointsRequestedData


class JourneyEntered(Envelope):
    type: Literal["journey.entered"]
    data: EnrolmentData


class JourneyConverted(Envelope):
    """The enrolment reached the journey's goal (attributed to the journey, version and variant)."""

    type: Literal["journey.converted"]
    data: EnrolmentEndedData


class JourneyExited(Envelope):
    """The enrolment ended without converting: an exit condition, the end of the steps, or an erasure."""

    type: Literal["journey.exited"]
    data: EnrolmentEndedData


JOURNEY_ACTION_TYPES: dict[str, type[Envelope]] = {
    "sales.task_requested": SalesTaskRequested,
    "profile.tags_requested": TagsRequested,
    "profile.attribute_requested": AttributeRequested,
    "coupon.granted": CouponGranted,
    "referral.invite_requested": ReferralInviteRequested,
    "loyalty.points_requested": LoyaltyPointsRequested,
}
JOURNEY_ENROLMENT_TYPES: dict[str, type[Envelope]] = {
    "journey.entered": JourneyEntered,
    "journey.converted": JourneyConverted,
    "journey.exited": JourneyExited,
}
