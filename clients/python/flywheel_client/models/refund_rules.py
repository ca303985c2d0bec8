from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.refund_rules_shortfall import RefundRulesShortfall
from ..types import UNSET, Unset

T = TypeVar("T", bound="RefundRules")


@_attrs_define
class RefundRules:
    """
    Attributes:
        shortfall (RefundRulesShortfall | Unset): When a refund takes back more points than the member has:
            negative_balance lets the balance go below zero; debt keeps it at zero and records the rest as debt, paid from
            the next points earned. Default: RefundRulesShortfall.NEGATIVE_BALANCE.
    """

    shortfall: RefundRulesShortfall | Unset = RefundRulesShortfall.NEGATIVE_BALANCE

    def to_dict(self) -> dict[str, Any]:
        shortfall: str | Unset = UNSET
        if not isinstance(self.shortfall, Unset):
            shortfall = self.shortfall.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if shortfall is not UNSET:
            field_dict["shortfall"] = shortfall

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _shortfall = d.pop("shortfall", UNSET)
        shortfall: RefundRulesShortfall | Unset
        if isinstance(_shortfall, Unset):
            shortfall = UNSET
        else:
            shortfall = RefundRulesShortfall(_shortfall)

        refund_rules = cls(
            shortfall=shortfall,
        )

        return refund_rules
