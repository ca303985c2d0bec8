from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.tier_rules_basis import TierRulesBasis
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.loyalty_tier import LoyaltyTier


T = TypeVar("T", bound="TierRules")


@_attrs_define
class TierRules:
    """
    Attributes:
        basis (TierRulesBasis): spend: net purchases (refunds subtract) in the program's currency; points: points
            earned.
        ladder (list[LoyaltyTier]): Tiers by increasing threshold.
        grace_days (int | Unset): After the tier's anniversary, how long a member below it keeps it. Default: 30.
        window_months (int | Unset): The rolling window the basis is counted over. Default: 12.
    """

    basis: TierRulesBasis
    ladder: list[LoyaltyTier]
    grace_days: int | Unset = 30
    window_months: int | Unset = 12

    def to_dict(self) -> dict[str, Any]:
        basis = self.basis.value

        ladder = []
        for ladder_item_data in self.ladder:
            ladder_item = ladder_item_data.to_dict()
            ladder.append(ladder_item)

        grace_days = self.grace_days

        window_months = self.window_months

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "basis": basis,
                "ladder": ladder,
            }
        )
        if grace_days is not UNSET:
            field_dict["grace_days"] = grace_days
        if window_months is not UNSET:
            field_dict["window_months"] = window_months

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.loyalty_tier import LoyaltyTier  # noqa: PLC0415

        d = dict(src_dict)
        basis = TierRulesBasis(d.pop("basis"))

        ladder = []
        _ladder = d.pop("ladder")
        for ladder_item_data in _ladder:
            ladder_item = LoyaltyTier.from_dict(ladder_item_data)

            ladder.append(ladder_item)

        grace_days = d.pop("grace_days", UNSET)

        window_months = d.pop("window_months", UNSET)

        tier_rules = cls(
            basis=basis,
            ladder=ladder,
            grace_days=grace_days,
            window_months=window_months,
        )

        return tier_rules
