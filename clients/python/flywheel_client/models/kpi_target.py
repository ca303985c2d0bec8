from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.kpi_target_metric import KpiTargetMetric

T = TypeVar("T", bound="KpiTarget")


@_attrs_define
class KpiTarget:
    """
    Attributes:
        metric (KpiTargetMetric):
        period (str): A year (`2026`), a quarter (`2026-Q4`) or a month (`2026-12`), years 1900 to 2999.
        target (float):
        updated_at (datetime.datetime):
    """

    metric: KpiTargetMetric
    period: str
    target: float
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        metric = self.metric.value

        period = self.period

        target = self.target

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "metric": metric,
                "period": period,
                "target": target,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        metric = KpiTargetMetric(d.pop("metric"))

        period = d.pop("period")

        target = d.pop("target")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        kpi_target = cls(
            metric=metric,
            period=period,
            target=target,
            updated_at=updated_at,
        )

        kpi_target.additional_properties = d
        return kpi_target

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
