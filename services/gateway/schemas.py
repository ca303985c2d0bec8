"""Request and response documents of the public API, as they appear in /openapi.json."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from contracts.http.journey import CustomerJourney
from contracts.http.loyalty import MemberPoints
from contracts.http.profile import CustomerView
from contracts.http.referral import ReferralCode, ReferralLink, ReferralReward
from contracts.http.sales.deals import CustomerDeal, CustomerTask
from contracts.http.scoring import CustomerScores, CustomerSegment
from runtime.problems import Problem, problem_responses

problems = problem_responses


def quota_conflict(quota: str) -> dict[int | str, dict[str, Any]]:
    """The 409 of a creation counted against a workspace quota (runtime.quotas)."""
    description = (
        f"The workspace's quota `{quota}` is reached (the problem names it, with its limit and use), or a "
        "request with this Idempotency-Key is still in progress"
    )
    return {409: {"model": Problem, "description": description}}


# --- events -------------------------------------------------------------------------------------


class EventsAccepted(BaseModel):
    accepted: list[str] = Field(description="Ids of the events published, in body order.", examples=[["evt-1"]])
    rejected: list[str] = Field(default_factory=list, description="Always empty on 202.", examples=[[]])


class EventError(BaseModel):
    index: int | None = Field(
        None,
        description="Position of the event in the batch (0 for a single event); absent for an error of the "
        "request itself (a header).",
        examples=[1],
    )
    id: str | None = Field(None, description="The event's id, when it has a readable one.", examples=["evt-2"])
    field: str = Field(examples=["data.amount"])
    message: str = Field(examples=["Input should be greater than or equal to 0"])


class EventsRejected(Problem):
    """Some events were invalid: every bad field of every bad event; the valid ones were still published."""

    # Defaulted: a 422 the gateway gives before reading the events (an Idempotency-Key reused for another
    # body) has no `accepted`.
    accepted: list[str] = Field(
        default_factory=list, description="Ids of the valid events that were published.", examples=[["evt-1"]]
    )
    errors: list[EventError] | None = None  # type: ignore[assignment]


# --- customers ----------------------------------------------------------------------------------


class Customer360(CustomerView):
    """The 360° view: profile's customer plus the sections other services own."""

    scores: CustomerScores | None = Field(
        None, description="RFM, LTV and churn (as GET /v1/customers/{id}/scores); null until scored."
    )
    segments: list[CustomerSegment] = Field(default_factory=list, description="Dynamic segments the customer is in.")
    journeys: list[CustomerJourney] = Field(
        default_factory=list, description="Journey enrolments and their state, newest first."
    )
    referrals: list[ReferralLink] = Field(
        default_factory=list, description="Referrals the customer made, and the one that brought them in."
    )
    referral_codes: list[ReferralCode] = Field(default_factory=list, description="The customer's referral codes.")
    referral_rewards: list[ReferralReward] = Field(
        default_factory=list, description="Rewards the customer earned as referrer or friend, with their status."
    )
    deals: list[CustomerDeal] = Field(default_factory=list, description="The customer's deals, oldest first.")
    tasks: list[CustomerTask] = Field(
        default_factory=list, description="Sales tasks about the customer: open ones first, by due date."
    )
    loyalty: MemberPoints | None = Field(
        None,
        description="Loyalty points, lots, tier and progress (as GET /v1/customers/{id}/points); null while the "
        "workspace has no loyalty program.",
    )
    degraded: list[str] = Field(
        default_factory=list, description="Backing services that did not answer; their sections are empty."
    )
