from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="LoyaltyTier")


@_attrs_define
class LoyaltyTier:
    """
    Attributes:
        name (str):
        threshold (float | str): Qualifying spend (program currency) or points over the window.
        benefits (list[str] | Unset):
        earn_multiplier (float | str | Unset): Decimal string, e.g. "1.5". Default: 1.0.
    """

    name: str
    threshold: float | str
    benefits: list[str] | Unset = UNSET
    earn_multiplier: float | str | Unset = 1.0

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        threshold: float | str
        threshold = self.threshold

        benefits: list[str] | Unset = UNSET
        if not isinstance(self.benefits, Unset):
            benefits = self.benefits

        earn_multiplier: float | str | Unset
        if isinstance(self.earn_multiplier, Unset):
            earn_multiplier = UNSET
        else:
            earn_multiplier = self.earn_multiplier

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "threshold": threshold,
            }
        )
        if benefits is not UNSET:
            field_dict["benefits"] = benefits
        if earn_multiplier is not UNSET:
            field_dict["earn_multiplier"] = earn_multiplier

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_threshold(data: object) -> float | str:
            return cast(float | str, data)

        threshold = _parse_threshold(d.pop("threshold"))

        benefits = cast(list[str], d.pop("benefits", UNSET))

        def _parse_earn_multiplier(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        earn_multiplier = _parse_earn_multiplier(d.pop("earn_multiplier", UNSET))

        loyalty_tier = cls(
            name=name,
            threshold=threshold,
            benefits=benefits,
            earn_multiplier=earn_multiplier,
        )

        return loyalty_tier
