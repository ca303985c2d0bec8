from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.sales_settings_in_high_value_segments_item import SalesSettingsInHighValueSegmentsItem
from ..types import UNSET, Unset

T = TypeVar("T", bound="SalesSettingsIn")


@_attrs_define
class SalesSettingsIn:
    """
    Attributes:
        discount_approval_threshold_percent (float | str | Unset): A quote with a larger discount needs a manager's
            approval. Default: '15'.
        high_value_revenue (float | str | Unset): Customers with at least this revenue count as high value too. Default:
            '1000'.
        high_value_segments (list[SalesSettingsInHighValueSegmentsItem] | Unset): RFM segments whose customers get a
            task when their churn risk turns high.
        managers (list[str] | Unset): Who may approve or reject quotes: owners of API keys with `sales:approve` (see
            `POST /v1/keys`).
        reminder_lead_hours (float | Unset): `sales.task_due` is published this long before a task's due time. Default:
            24.0.
    """

    discount_approval_threshold_percent: float | str | Unset = "15"
    high_value_revenue: float | str | Unset = "1000"
    high_value_segments: list[SalesSettingsInHighValueSegmentsItem] | Unset = UNSET
    managers: list[str] | Unset = UNSET
    reminder_lead_hours: float | Unset = 24.0

    def to_dict(self) -> dict[str, Any]:
        discount_approval_threshold_percent: float | str | Unset
        if isinstance(self.discount_approval_threshold_percent, Unset):
            discount_approval_threshold_percent = UNSET
        else:
            discount_approval_threshold_percent = self.discount_approval_threshold_percent

        high_value_revenue: float | str | Unset
        if isinstance(self.high_value_revenue, Unset):
            high_value_revenue = UNSET
        else:
            high_value_revenue = self.high_value_revenue

        high_value_segments: list[str] | Unset = UNSET
        if not isinstance(self.high_value_segments, Unset):
            high_value_segments = []
            for high_value_segments_item_data in self.high_value_segments:
                high_value_segments_item = high_value_segments_item_data.value
                high_value_segments.append(high_value_segments_item)

        managers: list[str] | Unset = UNSET
        if not isinstance(self.managers, Unset):
            managers = self.managers

        reminder_lead_hours = self.reminder_lead_hours

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if discount_approval_threshold_percent is not UNSET:
            field_dict["discount_approval_threshold_percent"] = discount_approval_threshold_percent
        if high_value_revenue is not UNSET:
            field_dict["high_value_revenue"] = high_value_revenue
        if high_value_segments is not UNSET:
            field_dict["high_value_segments"] = high_value_segments
        if managers is not UNSET:
            field_dict["managers"] = managers
        if reminder_lead_hours is not UNSET:
            field_dict["reminder_lead_hours"] = reminder_lead_hours

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_discount_approval_threshold_percent(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        discount_approval_threshold_percent = _parse_discount_approval_threshold_percent(
            d.pop("discount_approval_threshold_percent", UNSET)
        )

        def _parse_high_value_revenue(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        high_value_revenue = _parse_high_value_revenue(d.pop("high_value_revenue", UNSET))

        _high_value_segments = d.pop("high_value_segments", UNSET)
        high_value_segments: list[SalesSettingsInHighValueSegmentsItem] | Unset = UNSET
        if _high_value_segments is not UNSET:
            high_value_segments = []
            for high_value_segments_item_data in _high_value_segments:
                high_value_segments_item = SalesSettingsInHighValueSegmentsItem(high_value_segments_item_data)

                high_value_segments.append(high_value_segments_item)

        managers = cast(list[str], d.pop("managers", UNSET))

        reminder_lead_hours = d.pop("reminder_lead_hours", UNSET)

        sales_settings_in = cls(
            discount_approval_threshold_percent=discount_approval_threshold_percent,
            high_value_revenue=high_value_revenue,
            high_value_segments=high_value_segments,
            managers=managers,
            reminder_lead_hours=reminder_lead_hours,
        )

        return sales_settings_in
