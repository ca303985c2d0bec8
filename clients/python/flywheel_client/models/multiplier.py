from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Multiplier")


@_attrs_define
class Multiplier:
    """Points on the line items of a category or SKU are multiplied (the SKU's wins over its category's).

    Attributes:
        multiplier (float | str): Decimal string, e.g. "1.5".
        category (None | str | Unset):
        sku (None | str | Unset):
    """

    multiplier: float | str
    category: None | str | Unset = UNSET
    sku: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        multiplier: float | str
        multiplier = self.multiplier

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        else:
            category = self.category

        sku: None | str | Unset
        if isinstance(self.sku, Unset):
            sku = UNSET
        else:
            sku = self.sku

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "multiplier": multiplier,
            }
        )
        if category is not UNSET:
            field_dict["category"] = category
        if sku is not UNSET:
            field_dict["sku"] = sku

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_multiplier(data: object) -> float | str:
            return cast(float | str, data)

        multiplier = _parse_multiplier(d.pop("multiplier"))

        def _parse_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category = _parse_category(d.pop("category", UNSET))

        def _parse_sku(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sku = _parse_sku(d.pop("sku", UNSET))

        multiplier = cls(
            multiplier=multiplier,
            category=category,
            sku=sku,
        )

        return multiplier
