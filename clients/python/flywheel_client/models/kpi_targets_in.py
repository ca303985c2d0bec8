from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.kpi_target_in import KpiTargetIn


T = TypeVar("T", bound="KpiTargetsIn")


@_attrs_define
class KpiTargetsIn:
    """
    Attributes:
        targets (list[KpiTargetIn]): 1 to 100 targets to set (or remove, with `target: null`); a target sent again for
            the same metric and period replaces the earlier one.
    """

    targets: list[KpiTargetIn]

    def to_dict(self) -> dict[str, Any]:
        targets = []
        for targets_item_data in self.targets:
            targets_item = targets_item_data.to_dict()
            targets.append(targets_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "targets": targets,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.kpi_target_in import KpiTargetIn  # noqa: PLC0415

        d = dict(src_dict)
        targets = []
        _targets = d.pop("targets")
        for targets_item_data in _targets:
            targets_item = KpiTargetIn.from_dict(targets_item_data)

            targets.append(targets_item)

        kpi_targets_in = cls(
            targets=targets,
        )

        return kpi_targets_in
