from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LtvComparison")


@_attrs_define
class LtvComparison:
    """
    Attributes:
        other_customers (int):
        referred_customers (int):
        others_mean (None | str | Unset): Mean net revenue of the period's other new customers.
        referred_mean (None | str | Unset): Mean net revenue of the period's referred new customers.
    """

    other_customers: int
    referred_customers: int
    others_mean: None | str | Unset = UNSET
    referred_mean: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        other_customers = self.other_customers

        referred_customers = self.referred_customers

        others_mean: None | str | Unset
        if isinstance(self.others_mean, Unset):
            others_mean = UNSET
        else:
            others_mean = self.others_mean

        referred_mean: None | str | Unset
        if isinstance(self.referred_mean, Unset):
            referred_mean = UNSET
        else:
            referred_mean = self.referred_mean

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "other_customers": other_customers,
                "referred_customers": referred_customers,
            }
        )
        if others_mean is not UNSET:
            field_dict["others_mean"] = others_mean
        if referred_mean is not UNSET:
            field_dict["referred_mean"] = referred_mean

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        other_customers = d.pop("other_customers")

        referred_customers = d.pop("referred_customers")

        def _parse_others_mean(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        others_mean = _parse_others_mean(d.pop("others_mean", UNSET))

        def _parse_referred_mean(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        referred_mean = _parse_referred_mean(d.pop("referred_mean", UNSET))

        ltv_comparison = cls(
            other_customers=other_customers,
            referred_customers=referred_customers,
            others_mean=others_mean,
            referred_mean=referred_mean,
        )

        ltv_comparison.additional_properties = d
        return ltv_comparison

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
