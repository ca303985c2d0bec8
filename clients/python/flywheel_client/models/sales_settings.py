from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.sales_settings_high_value_segments_item import SalesSettingsHighValueSegmentsItem

T = TypeVar("T", bound="SalesSettings")


@_attrs_define
class SalesSettings:
    """
    Attributes:
        discount_approval_threshold_percent (str):
        high_value_revenue (str):
        high_value_segments (list[SalesSettingsHighValueSegmentsItem]):
        managers (list[str]):
        reminder_lead_hours (float):
    """

    discount_approval_threshold_percent: str
    high_value_revenue: str
    high_value_segments: list[SalesSettingsHighValueSegmentsItem]
    managers: list[str]
    reminder_lead_hours: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        discount_approval_threshold_percent = self.discount_approval_threshold_percent

        high_value_revenue = self.high_value_revenue

        high_value_segments = []
        for high_value_segments_item_data in self.high_value_segments:
            high_value_segments_item = high_value_segments_item_data.value
            high_value_segments.append(high_value_segments_item)

        managers = self.managers

        reminder_lead_hours = self.reminder_lead_hours

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "discount_approval_threshold_percent": discount_approval_threshold_percent,
                "high_value_revenue": high_value_revenue,
                "high_value_segments": high_value_segments,
                "managers": managers,
                "reminder_lead_hours": reminder_lead_hours,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        discount_approval_threshold_percent = d.pop("discount_approval_threshold_percent")

        high_value_revenue = d.pop("high_value_revenue")

        high_value_segments = []
        _high_value_segments = d.pop("high_value_segments")
        for high_value_segments_item_data in _high_value_segments:
            high_value_segments_item = SalesSettingsHighValueSegmentsItem(high_value_segments_item_data)

            high_value_segments.append(high_value_segments_item)

        managers = cast(list[str], d.pop("managers"))

        reminder_lead_hours = d.pop("reminder_lead_hours")

        sales_settings = cls(
            discount_approval_threshold_percent=discount_approval_threshold_percent,
            high_value_revenue=high_value_revenue,
            high_value_segments=high_value_segments,
            managers=managers,
            reminder_lead_hours=reminder_lead_hours,
        )

        sales_settings.additional_properties = d
        return sales_settings

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
