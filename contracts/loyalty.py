"""Events the loyalty service publishes on `flywheel.loyalty.events`.

Every change of a member's points or tier is announced: points earned (purchases, bonuses, referral rewards of
kind `points`, journeys), redeemed, reversed (a refund or a reversed referral reward), adjusted (a merge, an
operator; a redemption hold changes no balance and is not announced), about to expire (once per lot, N days
before), expired; and the tier going up or
down. Each carries the member's balance after it, so a reader (scoring's `loyalty.balance`, journeys) keeps the
latest by `time` without asking. Every id derives from the ledger entry that caused it, and every entry's id
from its cause (the order, the refund, the reward, the journey action, the lot), so a replay publishes the same
ids and consumers de-duplicate. The Kafka key is `<workspace>:<customer_id>`: one member's events stay in order.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from contracts.envelope import Envelope
from contracts.internal import CustomerId

Points = Annotated[int, Field(ge=0, le=10**12, description="Whole points.")]
SignedPoints = Annotated[int, Field(ge=-(10**12), le=10**12, description="Whole points; negative takes away.")]
TierName = Annotated[str, Field(min_length=1, max_length=64, examples=["gold"])]
EntryId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=600,
        description="The ledger entry, its id derived from its cause (e.g. `earn:order:o-17`), so a replay adds "
        "nothing.",
        examples=["earn:order:o-17"],
    ),
]
EarnReason = Literal["purchase", "bonus", "referral_reward", "journey", "adjustment"]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    customer_id: CustomerId
    balance: SignedPoints = Field(
        description="The member's points balance after this entry (negative only where the program lets a "
        "refund take it below zero)."
    )
    program_version: int = Field(ge=1, description="The version of the workspace's loyalty program applied.")


class PointsEarnedData(_Data):
    entry_id: EntryId
    points: Points
    reason: EarnReason = Field(
        description="purchase: points on an order; bonus: a bonus rule (first purchase, birthday month, survey "
        "answer); referral_reward: a referral reward of kind points; journey: granted by a journey step; "
        "adjustment: an operator's credit."
    )
    order_id: str | None = Field(None, max_length=512, description="The order that earned them, if any.")
    rule: str | None = Field(None, max_length=64, description="The bonus rule, for a bonus.", examples=["birthday"])
    expires_at: AwareDatetime | None = Field(None, description="When the lot expires (null: never).")


class PointsRedeemedData(_Data):
    entry_id: EntryId
    redemption_id: str = Field(min_length=1, max_length=200, examples=["rd_3f2a9c0d1e4b5a67"])
    points: Points
    order_id: str | None = Field(None, max_length=512, description="The order the points paid toward.")
    value: str = Field(description="What the points are worth, in the program's currency (decimal).")
    currency: str = Field(pattern=r"^[A-Z]{3}$", examples=["EUR"])


class PointsChangedData(_Data):
    entry_id: EntryId
    points: SignedPoints = Field(description="Positive adds, negative takes away.")
    reason: str = Field(
        min_length=1,
        max_length=500,
        description="Why: a refund of an order, a reversed referral reward, a merge of two members, an operator's "
        "adjustment.",
        examples=["refund of order o-17 (40.00 of 100.00)"],
    )
    order_id: str | None = Field(None, max_length=512)
    debt: Points = Field(0, description="Points owed after this entry, where the program records a shortfall as debt.")


class PointsExpiringData(_Data):
    lot_id: str = Field(min_length=1, max_length=600, description="The lot (the earn entry) about to expire.")
    points: Points = Field(description="What is left of the lot and will expire.")
    expires_at: AwareDatetime


class PointsExpiredData(_Data):
    entry_id: EntryId
    lot_id: str = Field(min_length=1, max_length=600)
    points: Points = Field(description="What was left of the lot, now gone.")


class TierChangedData(_Data):
    previous: TierName | None = Field(None, description="The tier before; null when the member first got one.")
    current: TierName | None = Field(
        None,
        description="The tier now; null (left out): no tier any more, after grace the qualifying value reaches "
        "none (direction down).",
    )
    direction: Literal["up", "down"]
    qualifying_value: str = Field(
        description="The rolling qualifying spend (decimal, program currency) or points that decided it.",
        examples=["1520.00"],
    )
    reason: str = Field(
        min_length=1,
        max_length=500,
        examples=["qualifying spend 1520.00 reached gold (1500)", "below silver at the anniversary and grace"],
    )


class PointsEarned(Envelope):
    """Points credited to a member: a purchase, a bonus, a referral reward, a journey step or an operator."""

    type: Literal["loyalty.points_earned"]
    data: PointsEarnedData


class PointsRedeemed(Envelope):
    """Points spent: a redemption confirmed by its order (a hold alone is not announced)."""

    type: Literal["loyalty.points_redeemed"]
    data: PointsRedeemedData


class PointsReversed(Envelope):
    """Points taken back: an order refunded (in proportion), or a referral reward reversed."""

    type: Literal["loyalty.points_reversed"]
    data: PointsChangedData


class PointsAdjusted(Envelope):
    """The balance changed otherwise: two members merged, an operator's adjustment. (A redemption hold changes no
    balance: neither it nor its release is announced.)"""

    type: Literal["loyalty.points_adjusted"]
    data: PointsChangedData


class PointsExpiring(Envelope):
    """A lot expires within the program's notice days: sent once per lot (journeys send the reminder)."""

    type: Literal["loyalty.points_expiring"]
    data: PointsExpiringData


class PointsExpired(Envelope):
    """What was left of a lot expired (oldest lots first: they are the ones redemption uses first)."""

    type: Literal["loyalty.points_expired"]
    data: PointsExpiredData


class TierChanged(Envelope):
    """The member's tier changed: up as soon as the qualifying value reaches a tier, down only at the tier's
    anniversary after the grace period."""

    type: Literal["loyalty.tier_changed"]
    data: TierChangedData


LOYALTY_EVENT_TYPES: dict[str, type[Envelope]] = {
    "loyalty.points_earned": PointsEarned,
    "loyalty.points_redeemed": PointsRedeemed,
    "loyalty.points_reversed": PointsReversed,
    "loyalty.points_adjusted": PointsAdjusted,
    "loyalty.points_expiring": PointsExpiring,
    "loyalty.points_expired": PointsExpired,
    "loyalty.tier_changed": TierChanged,
}
