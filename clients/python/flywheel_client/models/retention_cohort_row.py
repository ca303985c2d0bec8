from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RetentionCohortRow")


@_attrs_define
class RetentionCohortRow:
    """The customers whose first purchase falls in one month or ISO week; index k of each list is the k-th period
    after the cohort's own (0: its own); a cell is null while its period has not ended.

        Attributes:
            cohort (str): `YYYY-MM` for months, ISO `YYYY-Www` for weeks.
            repurchase_rate (list[float | None]): Share of the cohort with a second purchase day by the end of period k.
            retained (list[float | None]): Share of the cohort with a purchase in period k.
            revenue_per_member (list[None | str]): The cohort's purchase amounts in period k (before refunds) / size:
                decimal strings.
            size (int): Customers in the cohort.
            start (datetime.datetime): The cohort period's first instant (UTC).
    """

    cohort: str
    repurchase_rate: list[float | None]
    retained: list[float | None]
    revenue_per_member: list[None | str]
    size: int
    start: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cohort = self.cohort

        repurchase_rate = []
        for repurchase_rate_item_data in self.repurchase_rate:
            repurchase_rate_item: float | None
            repurchase_rate_item = repurchase_rate_item_data
            repurchase_rate.append(repurchase_rate_item)

        retained = []
        for retained_item_data in self.retained:
            retained_item: float | None
            retained_item = retained_item_data
            retained.append(retained_item)

        revenue_per_member = []
        for revenue_per_member_item_data in self.revenue_per_member:
            revenue_per_member_item: None | str
            revenue_per_member_item = revenue_per_member_item_data
            revenue_per_member.append(revenue_per_member_item)

        size = self.size

        start = self.start.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cohort": cohort,
                "repurchase_rate": repurchase_rate,
                "retained": retained,
                "revenue_per_member": revenue_per_member,
                "size": size,
                "start": start,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cohort = d.pop("cohort")

        repurchase_rate = []
        _repurchase_rate = d.pop("repurchase_rate")
        for repurchase_rate_item_data in _repurchase_rate:

            def _parse_repurchase_rate_item(data: object) -> float | None:
                if data is None:
                    return data
                return cast(float | None, data)

            repurchase_rate_item = _parse_repurchase_rate_item(repurchase_rate_item_data)

            repurchase_rate.append(repurchase_rate_item)

        retained = []
        _retained = d.pop("retained")
        for retained_item_data in _retained:

            def _parse_retained_item(data: object) -> float | None:
                if data is None:
                    return data
                return cast(float | None, data)

            retained_item = _parse_retained_item(retained_item_data)

            retained.append(retained_item)

        revenue_per_member = []
        _revenue_per_member = d.pop("revenue_per_member")
        for revenue_per_member_item_data in _revenue_per_member:

            def _parse_revenue_per_member_item(data: object) -> None | str:
                if data is None:
                    return data
                return cast(None | str, data)

            revenue_per_member_item = _parse_revenue_per_member_item(revenue_per_member_item_data)

            revenue_per_member.append(revenue_per_member_item)

        size = d.pop("size")

        start = datetime.datetime.fromisoformat(d.pop("start"))

        retention_cohort_row = cls(
            cohort=cohort,
            repurchase_rate=repurchase_rate,
            retained=retained,
            revenue_per_member=revenue_per_member,
            size=size,
            start=start,
        )

        retention_cohort_row.additional_properties = d
        return retention_cohort_row

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
