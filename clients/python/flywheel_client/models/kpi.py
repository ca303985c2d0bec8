from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.kpi_source import KpiSource
from ..models.kpi_unit import KpiUnit
from ..types import UNSET, Unset

T = TypeVar("T", bound="Kpi")


@_attrs_define
class Kpi:
    """One headline number over the period, beside the same number over the previous period.

    Attributes:
        change (float | None): Relative change from `previous` to `value` ((value - previous) / previous, 4 decimals);
            null when either is null or `previous` is 0.
        previous (float | int | None | str): Over the previous period of the same length; null for snapshots.
        source (KpiSource): The service the number comes from (named in `degraded` when it could not answer).
        unit (KpiUnit): count, ratio (0-1), money (decimal string) or days.
        value (float | int | None | str): Over the period (money as a decimal string); null when its service is degraded
            or there is nothing to compute it from (e.g. a rate over zero customers).
        snapshot (bool | Unset): A number as of now rather than over the period: `previous` and `change` are null.
            Default: False.
    """

    change: float | None
    previous: float | int | None | str
    source: KpiSource
    unit: KpiUnit
    value: float | int | None | str
    snapshot: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        change: float | None
        change = self.change

        previous: float | int | None | str
        previous = self.previous

        source = self.source.value

        unit = self.unit.value

        value: float | int | None | str
        value = self.value

        snapshot = self.snapshot

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "change": change,
                "previous": previous,
                "source": source,
                "unit": unit,
                "value": value,
            }
        )
        if snapshot is not UNSET:
            field_dict["snapshot"] = snapshot

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_change(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        change = _parse_change(d.pop("change"))

        def _parse_previous(data: object) -> float | int | None | str:
            if data is None:
                return data
            return cast(float | int | None | str, data)

        previous = _parse_previous(d.pop("previous"))

        source = KpiSource(d.pop("source"))

        unit = KpiUnit(d.pop("unit"))

        def _parse_value(data: object) -> float | int | None | str:
            if data is None:
                return data
            return cast(float | int | None | str, data)

        value = _parse_value(d.pop("value"))

        snapshot = d.pop("snapshot", UNSET)

        kpi = cls(
            change=change,
            previous=previous,
            source=source,
            unit=unit,
            value=value,
            snapshot=snapshot,
        )

        kpi.additional_properties = d
        return kpi

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
