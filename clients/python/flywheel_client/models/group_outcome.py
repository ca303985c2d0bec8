from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="GroupOutcome")


@_attrs_define
class GroupOutcome:
    """
    Attributes:
        conversion_rate (float | None): converted / customers; null for an empty group.
        converted (int): Of them, converted (the journey's goal).
        customers (int): Customers in the group (each counted once, by their first enrolment).
        revenue_per_customer (float | None): Mean of each customer's purchases within the window after entry; null for
            an empty group.
    """

    conversion_rate: float | None
    converted: int
    customers: int
    revenue_per_customer: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        conversion_rate: float | None
        conversion_rate = self.conversion_rate

        converted = self.converted

        customers = self.customers

        revenue_per_customer: float | None
        revenue_per_customer = self.revenue_per_customer

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conversion_rate": conversion_rate,
                "converted": converted,
                "customers": customers,
                "revenue_per_customer": revenue_per_customer,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_conversion_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        conversion_rate = _parse_conversion_rate(d.pop("conversion_rate"))

        converted = d.pop("converted")

        customers = d.pop("customers")

        def _parse_revenue_per_customer(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        revenue_per_customer = _parse_revenue_per_customer(d.pop("revenue_per_customer"))

        group_outcome = cls(
            conversion_rate=conversion_rate,
            converted=converted,
            customers=customers,
            revenue_per_customer=revenue_per_customer,
        )

        group_outcome.additional_properties = d
        return group_outcome

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
