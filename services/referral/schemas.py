"""Request and response bodies of referral's internal HTTP API."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field


class ProgramOut(BaseModel):
    program_id: str = Field(examples=["p_3f2a9c0d1e4b5a67"])
    name: str
    version: int = Field(description="Goes up with every change of the document.")
    document: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime


class ProgramPage(BaseModel):
    items: list[ProgramOut]
    next_cursor: str | None


class CodeIn(BaseModel):
    customer_id: str = Field(min_length=1, max_length=64)


class CodeOut(BaseModel):
    program_id: str
    customer_id: str
    code: str = Field(examples=["REF-7K2QXM"])
    created: bool = Field(description="True when this request made the code.")


class CodeRef(BaseModel):
    program_id: str
    code: str
    created_at: dt.datetime


class ReferredBy(BaseModel):
    referrer_id: str
    program_id: str
    code: str
    status: Literal["signed_up", "purchased"]
    attributed_at: dt.datetime


class Referred(BaseModel):
    customer_id: str
    program_id: str
    code: str | None
    status: Literal["signed_up", "purchased", "rejected"]
    reason: str | None
    attributed_at: dt.datetime


class RewardOut(BaseModel):
    reward_id: str
    program_id: str
    role: Literal["referrer", "friend"]
    kind: Literal["amount", "percent", "points"]
    value: str = Field(examples=["10.00"])
    status: Literal["granted", "reversed", "held", "rejected"]
    reason: str | None
    created_at: dt.datetime


class ReviewItem(RewardOut):
    customer_id: str = Field(description="Who would receive the reward.")
    referrer_id: str
    friend_id: str | None
    trigger: str
    review_comment: str | None = None


class CustomerReferrals(BaseModel):
    customer_id: str
    codes: list[CodeRef]
    referred_by: ReferredBy | None
    referred: list[Referred]
    rewards: list[RewardOut]


class LedgerTotal(BaseModel):
    kind: Literal["amount", "percent", "points"]
    granted: str = Field(description="Ever granted (including what was reversed later).")
    reversed: str
    held: str = Field(description="Held for review: not granted yet.")
    balance: str = Field(description="granted - reversed.")


class Ledger(BaseModel):
    customer_id: str
    totals: list[LedgerTotal]
    items: list[RewardOut]
    next_cursor: str | None


class ReviewPage(BaseModel):
    items: list[ReviewItem]
    next_cursor: str | None


class ReviewIn(BaseModel):
    comment: str | None = Field(None, max_length=2000)


class Funnel(BaseModel):
    invites: int
    clicks: int = Field(description="Distinct friends who clicked.")
    signups: int = Field(description="Distinct friends who signed up.")
    first_purchases: int = Field(description="Referred new customers (first purchase in the period).")
    click_rate: float | None
    signup_rate: float | None
    purchase_rate: float | None


class LtvComparison(BaseModel):
    referred_mean: str | None = Field(description="Mean net revenue of the period's referred new customers.")
    others_mean: str | None = Field(description="Mean net revenue of the period's other new customers.")
    referred_customers: int
    other_customers: int


class ProgramStats(BaseModel):
    program_id: str
    from_: dt.datetime = Field(alias="from")
    to: dt.datetime
    new_customers: int
    referred_new_customers: int
    referral_share: float | None = Field(description="Referred new customers / new customers.")
    funnel: Funnel
    referrers: int = Field(description="Distinct referrers who sent invites.")
    invites_per_referrer: float | None
    invite_conversion: float | None = Field(description="Referred new customers / invites.")
    k_factor: float | None = Field(description="invites_per_referrer x invite_conversion.")
    reward_cost: str = Field(description="Money (amount rewards) granted in the period and not reversed.")
    reward_cost_per_acquired_customer: str | None
    ltv: LtvComparison
