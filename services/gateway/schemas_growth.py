"""The 360 view's sections from the referral and sales services, as front-end teams see them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _View(BaseModel):
    # Fields the services add later are dropped, so the public surface changes only on purpose.
    model_config = ConfigDict(extra="ignore")


class ReferralCode(_View):
    program_id: str = Field(examples=["p_friends"])
    code: str = Field(description="The customer's stable code in this program.", examples=["ADA-7K2Q"])
    created_at: datetime


class ReferralLink(_View):
    """A referral the customer took part in, as the referrer or as the friend who was referred."""

    role: Literal["referrer", "referred"] = Field(description="The customer's part in it.", examples=["referrer"])
    program_id: str = Field(examples=["p_friends"])
    referrer_id: str = Field(examples=["c_01HZX3K9"])
    referred_id: str = Field(examples=["c_01J0A2B3"])
    code: str | None = Field(None, examples=["ADA-7K2Q"])
    status: str = Field(description="`signed_up`, `purchased` or `rejected`.", examples=["purchased"])
    reason: str | None = Field(None, description="Why it was rejected (e.g. self-referral).")
    attributed_at: datetime


class ReferralReward(_View):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    reward_id: str
    program_id: str = Field(examples=["p_friends"])
    role: Literal["referrer", "friend"] = Field(examples=["referrer"])
    kind: str = Field(description="`amount`, `percent` or `points`.", examples=["amount"])
    value: str = Field(description="Decimal string.", examples=["10.00"])
    status: str = Field(description="`granted`, `reversed`, `held` (for review) or `rejected`.", examples=["granted"])
    reason: str | None = None
    created_at: datetime


class CustomerDeal(_View):
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


class CustomerTask(_View):
    task_id: str = Field(examples=["t_9a0b"])
    title: str = Field(examples=["Advisor follow-up: win back Ada"])
    status: Literal["open", "done"] = Field(examples=["open"])
    assignee: str | None = Field(None, examples=["ana"])
    due_at: datetime | None = None
    source: str = Field(description="`journey`, `sop`, `manual` or `signal`.", examples=["journey"])
    deal_id: str | None = None
    created_at: datetime
    completed_at: datetime | None = None


class _ReferredBy(_View):
    referrer_id: str
    program_id: str
    code: str | None = None
    status: str = "signed_up"
    reason: str | None = None
    attributed_at: datetime


class _Referred(_View):
    customer_id: str
    program_id: str
    code: str | None = None
    status: str
    reason: str | None = None
    attributed_at: datetime


class ReferralsAnswer(_View):
    """What the referral service answers for one customer; `links()` gives the 360 view's `referrals`."""

    customer_id: str
    codes: list[ReferralCode] = Field(default_factory=list)
    referred_by: _ReferredBy | None = None
    referred: list[_Referred] = Field(default_factory=list)
    rewards: list[ReferralReward] = Field(default_factory=list)

    def links(self) -> list[ReferralLink]:
        made = [
            ReferralLink(
                role="referrer",
                referrer_id=self.customer_id,
                referred_id=friend.customer_id,
                **friend.model_dump(exclude={"customer_id"}),
            )
            for friend in self.referred
        ]
        if self.referred_by is None:
            return made
        by = self.referred_by
        return [ReferralLink(role="referred", referred_id=self.customer_id, **by.model_dump()), *made]
