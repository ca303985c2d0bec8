from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.kpi_node_sources_item import KpiNodeSourcesItem
from ..models.kpi_node_status import KpiNodeStatus
from ..models.kpi_node_unit import KpiNodeUnit
from ..types import UNSET, Unset

T = TypeVar("T", bound="KpiNode")


@_attrs_define
class KpiNode:
    """One metric of the tree over the period, beside the previous period, measured against its target.

    Attributes:
        bar (float | None): What the value is measured against: the target, or for a flow (`new_customers`,
            `reactivated`, `revenue`, `reward_cost`) in a period still running, the target times the share of the period
            elapsed (4 decimals); null without a target.
        change (float | None): (value - previous) / |previous|, 4 decimals; null when either is null or `previous` is 0.
        previous (float | int | None | str): Over the previous period; null for snapshots (numbers as of now).
        progress (float | None): value / bar, or bar / value where lower is better (4 decimals): 1 or more is on track
            for positive numbers; null without a target or a value, or when the divisor is 0.
        sources (list[KpiNodeSourcesItem]): The services the number is computed from (a degraded one makes it null).
        status (KpiNodeStatus): no_target (none set for this period), unknown (the value is null), on_track (at or
            beyond the bar in the metric's direction) or behind.
        target (float | None): The workspace's target for this metric and exactly this period (`PUT /v1/kpi-targets`);
            null when none is set.
        unit (KpiNodeUnit): count; ratio (a share from 0 to 1); money (the workspace currency, a decimal string); number
            (visits per visitor, NPS from -100 to 100, LTV:CAC as a multiple).
        value (float | int | None | str): Over the period (money as a decimal string to the cent, ratios and numbers to
            4 decimals); null when a service it is computed from is degraded or there is nothing to compute it from (e.g. a
            rate over zero customers).
        lower_is_better (bool | Unset): True for `dormant`, `cac` and `reward_cost`: on track means at or below the bar.
            Default: False.
        snapshot (bool | Unset): A number as of now rather than over the period: `previous` is null. Default: False.
    """

    bar: float | None
    change: float | None
    previous: float | int | None | str
    progress: float | None
    sources: list[KpiNodeSourcesItem]
    status: KpiNodeStatus
    target: float | None
    unit: KpiNodeUnit
    value: float | int | None | str
    lower_is_better: bool | Unset = False
    snapshot: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bar: float | None
        bar = self.bar

        change: float | None
        change = self.change

        previous: float | int | None | str
        previous = self.previous

        progress: float | None
        progress = self.progress

        sources = []
        for sources_item_data in self.sources:
            sources_item = sources_item_data.value
            sources.append(sources_item)

        status = self.status.value

        target: float | None
        target = self.target

        unit = self.unit.value

        value: float | int | None | str
        value = self.value

        lower_is_better = self.lower_is_better

        snapshot = self.snapshot

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bar": bar,
                "change": change,
                "previous": previous,
                "progress": progress,
                "sources": sources,
                "status": status,
                "target": target,
                "unit": unit,
                "value": value,
            }
        )
        if lower_is_better is not UNSET:
            field_dict["lower_is_better"] = lower_is_better
        if snapshot is not UNSET:
            field_dict["snapshot"] = snapshot

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_bar(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        bar = _parse_bar(d.pop("bar"))

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

        def _parse_progress(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        progress = _parse_progress(d.pop("progress"))

        sources = []
        _sources = d.pop("sources")
        for sources_item_data in _sources:
            sources_item = KpiNodeSourcesItem(sources_item_data)

            sources.append(sources_item)

        status = KpiNodeStatus(d.pop("status"))

        def _parse_target(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        target = _parse_target(d.pop("target"))

        unit = KpiNodeUnit(d.pop("unit"))

        def _parse_value(data: object) -> float | int | None | str:
            if data is None:
                return data
            return cast(float | int | None | str, data)

        value = _parse_value(d.pop("value"))

        lower_is_better = d.pop("lower_is_better", UNSET)

        snapshot = d.pop("snapshot", UNSET)

        kpi_node = cls(
            bar=bar,
            change=change,
            previous=previous,
            progress=progress,
            sources=sources,
            status=status,
            target=target,
            unit=unit,
            value=value,
            lower_is_better=lower_is_better,
            snapshot=snapshot,
        )

        kpi_node.additional_properties = d
        return kpi_node

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
