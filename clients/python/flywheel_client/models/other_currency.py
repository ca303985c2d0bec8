from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OtherCurrency")


@_attrs_define
class OtherCurrency:
    """
    Attributes:
        currency (str):
        open_deals (int):
        pipeline_amount (str):
        weighted_deals (str):
    """

    currency: str
    open_deals: int
    pipeline_amount: str
    weighted_deals: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        open_deals = self.open_deals

        pipeline_amount = self.pipeline_amount

        weighted_deals = self.weighted_deals

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "open_deals": open_deals,
                "pipeline_amount": pipeline_amount,
                "weighted_deals": weighted_deals,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        currency = d.pop("currency")

        open_deals = d.pop("open_deals")

        pipeline_amount = d.pop("pipeline_amount")

        weighted_deals = d.pop("weighted_deals")

        other_currency = cls(
            currency=currency,
            open_deals=open_deals,
            pipeline_amount=pipeline_amount,
            weighted_deals=weighted_deals,
        )

        other_currency.additional_properties = d
        return other_currency

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
