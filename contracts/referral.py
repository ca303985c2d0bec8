"""Events the referral service publishes on `flywheel.referral.events`.

Codes issued (so messaging can send them), attributions of new customers to their referrer (or why one
was refused), and rewards granted, held for review and reversed, for whatever fulfils them (a shop's
voucher system, a points ledger). Every id is derived from what caused the event (the reward id, the
journey action, the attributed customer), so a replay de-duplicates downstream. The Kafka key is
`<workspace>:<customer_id>` of the customer the event belongs to (the reward's beneficiary, the referrer
of an attribution, the code's owner).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from contracts.envelope import Envelope
from contracts.internal import CustomerId

ProgramId = Annotated[str, Field(min_length=1, max_length=64, examples=["p_friends"])]
RewardKind = Literal["amount", "percent", "points"]
RewardRole = Literal["referrer", "friend"]
RewardTrigger = Literal["signup", "first_purchase", "tier"]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CodeIssuedData(_Data):
    customer_id: CustomerId = Field(description="The referrer who owns the code.")
    program_id: ProgramId
    code: str = Field(min_length=1, max_length=64, description="The referral code.", examples=["REF-7K2QXM"])
    created: bool = Field(description="True when the code was made now; false when an existing code was re-sent.")
    channel: str | None = Field(None, max_length=32, description="Where to send the invite, when asked for one.")
    journey_id: str | None = Field(None, max_length=64, description="The journey whose step asked for the invite.")
    enrolment_id: str | None = Field(None, max_length=128)


class AttributionData(_Data):
    customer_id: CustomerId = Field(description="The referred (new) customer.")
    referrer_id: CustomerId
    program_id: ProgramId
    code: str = Field(min_length=1, max_length=64, examples=["REF-7K2QXM"])
    status: Literal["signed_up", "purchased", "rejected"]
    reason: str | None = Field(
        None, max_length=500, description="Why it was refused.", examples=["self-referral: same email"]
    )
    first_touch_at: AwareDatetime = Field(description="The first touch (click, sign-up or purchase with the code).")


class RewardData(_Data):
    reward_id: str = Field(min_length=1, max_length=200, examples=["rw_p_friends_c_2_referrer"])
    program_id: ProgramId
    customer_id: CustomerId = Field(description="Who receives the reward.")
    role: RewardRole
    kind: RewardKind = Field(description="amount: money off; percent: a percentage coupon; points: loyalty points.")
    value: str = Field(description="Decimal string: the amount, the percentage or the points.", examples=["10.00"])
    trigger: RewardTrigger = Field(description="What earned it: the friend's sign-up, first purchase, or a tier.")
    referrer_id: CustomerId
    friend_id: CustomerId | None = Field(None, description="The referred customer (none for a tier reward).")
    tier: str | None = Field(None, max_length=100, description="The tier reached, for a tier reward.")
    order_id: str | None = Field(None, max_length=512, description="The qualifying purchase, if any.")


class RewardWithReasonData(RewardData):
    reason: str = Field(min_length=1, max_length=500, examples=["qualifying purchase o-17 refunded"])


class CodeIssued(Envelope):
    """A referral code for a referrer: made on request, or re-sent when a journey asked for an invite."""

    type: Literal["referral.code_issued"]
    data: CodeIssuedData


class Attributed(Envelope):
    """A new customer was attributed to a referrer (or refused, with the reason)."""

    type: Literal["referral.attributed"]
    data: AttributionData


class RewardGranted(Envelope):
    """A reward to fulfil: issued once per rule, attribution and role (or tier)."""

    type: Literal["referral.reward_granted"]
    data: RewardData


class RewardHeld(Envelope):
    """A reward held for fraud review (above the program's threshold, or a fraud signal); not to fulfil yet."""

    type: Literal["referral.reward_held"]
    data: RewardWithReasonData


class RewardReversed(Envelope):
    """A granted reward taken back: its qualifying purchase was refunded, or referrer and friend merged."""

    type: Literal["referral.reward_reversed"]
    data: RewardWithReasonData


REFERRAL_EVENT_TYPES: dict[str, type[Envelope]] = {
    "referral.code_issued": CodeIssued,
    "referral.attributed": Attributed,
    "referral.reward_granted": RewardGranted,
    "referral.reward_held": RewardHeld,
    "referral.reward_reversed": RewardReversed,
}
