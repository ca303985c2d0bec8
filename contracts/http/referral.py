"""The referral service's HTTP documents (its internal API, and the public API's referral endpoints and 360
view sections, which pass them through): programs, codes, rewards and their review, ledgers, program numbers."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import ConfigDict, Field, JsonValue

from contracts.http import Input, PeriodReport, View

CUSTOMER_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"

# A referral program document (POST /v1/referral-programs); docs/referral.md describes every field.
EXAMPLE_PROGRAM: dict[str, Any] = {
    "name": "Friends of tea",
    "active": True,
    "code_prefix": "TEA",
    "eligibility": {"who": "segment", "segment": "promoters"},
    "referrer_reward": {"kind": "amount", "value": "10.00", "trigger": "first_purchase", "min_purchase": "20.00"},
    "friend_reward": {"kind": "percent", "value": "15", "trigger": "signup"},
    "tiers": [{"friends": 5, "name": "gold", "reward": {"kind": "points", "value": "500"}}],
    "limits": {"rewards_per_referrer_per_month": 10, "budget": "5000.00"},
    "valid_from": "2026-01-01T00:00:00+00:00",
    "attribution_window_days": 30,
    "fraud": {"window_hours": 24, "max_signups_per_device": 3, "max_signups_per_email_domain": 20},
    "review": {"hold_amount_above": "50.00"},
}


class Program(View):
    """A referral program: its document, normalised, and the version that goes up with every change."""

    program_id: str = Field(examples=["p_3f2a9c0d1e4b5a67"])
    name: str = Field(examples=["Friends of tea"])
    version: int = Field(description="Goes up with every change of the document.", examples=[1])
    document: dict[str, JsonValue] = Field(examples=[EXAMPLE_PROGRAM])
    created_at: datetime
    updated_at: datetime


class ProgramPage(View):
    items: list[Program]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")


class CodeIn(Input):
    """Whose referral code to give (made on the first request, the same ever after)."""

    customer_id: str = Field(pattern=CUSTOMER_ID_PATTERN, examples=["c_01HZX3K9"])


class ReferralCodeIssued(View):
    program_id: str = Field(examples=["p_3f2a9c0d1e4b5a67"])
    customer_id: str = Field(examples=["c_01HZX3K9"])
    code: str = Field(description="The customer's stable code in this program.", examples=["TEA-7K2QXM"])
    created: bool = Field(description="True when this request made the code.", examples=[True])


class Funnel(View):
    invites: int = Field(examples=[20])
    clicks: int = Field(description="Distinct friends who clicked.", examples=[14])
    signups: int = Field(description="Distinct friends who signed up.", examples=[8])
    first_purchases: int = Field(description="Referred new customers (first purchase in the period).", examples=[4])
    click_rate: float | None = Field(None, examples=[0.7])
    signup_rate: float | None = Field(None, examples=[0.57])
    purchase_rate: float | None = Field(None, examples=[0.5])


class LtvComparison(View):
    referred_mean: str | None = Field(
        None, description="Mean net revenue of the period's referred new customers.", examples=["84.20"]
    )
    others_mean: str | None = Field(
        None, description="Mean net revenue of the period's other new customers.", examples=["61.75"]
    )
    referred_customers: int = Field(examples=[4])
    other_customers: int = Field(examples=[6])


class ProgramStats(View):
    """A program's numbers for the period [from, to)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    program_id: str = Field(examples=["p_3f2a9c0d1e4b5a67"])
    from_: datetime = Field(alias="from")
    to: datetime
    new_customers: int = Field(description="Customers whose first purchase falls in the period.", examples=[10])
    referred_new_customers: int = Field(examples=[4])
    referral_share: float | None = Field(None, description="Referred new customers / new customers.", examples=[0.4])
    funnel: Funnel
    referrers: int = Field(description="Distinct referrers who sent invites.", examples=[5])
    invites_per_referrer: float | None = Field(None, examples=[4.0])
    invite_conversion: float | None = Field(None, description="Referred new customers / invites.", examples=[0.2])
    k_factor: float | None = Field(None, description="invites_per_referrer x invite_conversion.", examples=[0.8])
    reward_cost: str = Field(
        description="Money (amount rewards) granted in the period and not reversed.", examples=["40.00"]
    )
    reward_cost_per_acquired_customer: str | None = Field(None, examples=["10.00"])
    ltv: LtvComparison


class ReferralCode(View):
    program_id: str = Field(examples=["p_friends"])
    code: str = Field(description="The customer's stable code in this program.", examples=["ADA-7K2Q"])
    created_at: datetime


class ReferralLink(View):
    """A referral the customer took part in, as the referrer or as the friend who was referred."""

    role: Literal["referrer", "referred"] = Field(description="The customer's part in it.", examples=["referrer"])
    program_id: str = Field(examples=["p_friends"])
    referrer_id: str = Field(examples=["c_01HZX3K9"])
    referred_id: str = Field(examples=["c_01J0A2B3"])
    code: str | None = Field(None, examples=["ADA-7K2Q"])
    status: str = Field(description="`signed_up`, `purchased` or `rejected`.", examples=["purchased"])
    reason: str | None = Field(None, description="Why it was rejected (e.g. self-referral).")
    attributed_at: datetime


class ReferralReward(View):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    reward_id: str
    program_id: str = Field(examples=["p_friends"])
    role: Literal["referrer", "friend"] = Field(examples=["referrer"])
    kind: str = Field(description="`amount`, `percent` or `points`.", examples=["amount"])
    value: str = Field(description="Decimal string.", examples=["10.00"])
    status: str = Field(description="`granted`, `reversed`, `held` (for review) or `rejected`.", examples=["granted"])
    reason: str | None = None
    created_at: datetime


class LedgerTotal(View):
    kind: Literal["amount", "percent", "points"] = Field(examples=["amount"])
    granted: str = Field(description="Ever granted (including what was reversed later).", examples=["30.00"])
    reversed: str = Field(examples=["10.00"])
    held: str = Field(description="Held for review: not granted yet.", examples=["0.00"])
    balance: str = Field(description="granted - reversed.", examples=["20.00"])


class ReferralLedger(View):
    customer_id: str = Field(examples=["c_01HZX3K9"])
    totals: list[LedgerTotal] = Field(description="Per reward kind.")
    items: list[ReferralReward] = Field(description="The customer's rewards, oldest first.")
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")


class ReviewItem(ReferralReward):
    """A reward with who would receive it, the referral it comes from and its review."""

    customer_id: str = Field(description="Who would receive the reward.", examples=["c_01HZX3K9"])
    referrer_id: str = Field(examples=["c_01HZX3K9"])
    friend_id: str | None = Field(None, examples=["c_01J0A2B3"])
    trigger: str = Field(examples=["first_purchase"])
    review_comment: str | None = Field(None, examples=["checked the orders: genuine"])


class ReviewPage(View):
    items: list[ReviewItem] = Field(description="Rewards held for review, oldest first, with the reason.")
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")


class ReviewIn(Input):
    comment: str | None = Field(None, max_length=2000, examples=["checked the orders: genuine"])


class ReferredBy(View):
    referrer_id: str
    program_id: str
    code: str | None = None
    status: str = "signed_up"
    reason: str | None = None
    attributed_at: datetime


class Referred(View):
    customer_id: str
    program_id: str
    code: str | None = None
    status: str
    reason: str | None = None
    attributed_at: datetime


class CustomerReferrals(View):
    """A customer's codes, referrals and rewards (the 360 view's sections); `links()` gives its `referrals`."""

    customer_id: str
    codes: list[ReferralCode] = Field(default_factory=list)
    referred_by: ReferredBy | None = None
    referred: list[Referred] = Field(default_factory=list)
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


class ReferralReport(PeriodReport):
    """The referral share of a period's new customers [from, to), across programs, read by the public overview
    report."""

    new_customers: int = Field(description="Customers whose first purchase falls in the period.")
    referred_new_customers: int = Field(description="How many of them a referral brought (any program).")
    referral_share: float | None = Field(description="referred_new_customers / new_customers.")
    reward_cost: Decimal = Field(
        Decimal(0),
        description="Money (amount rewards) granted in the period and not reversed, across programs: the referral "
        "channel's spend in the acquisition report.",
    )
