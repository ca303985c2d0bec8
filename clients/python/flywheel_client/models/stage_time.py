from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="StageTime")


@_attrs_define
class StageTime:
    """
    Attributes:
        stage (str):
        stays (int): Finished stays in the stage.
        avg_days (float | None | Unset):
    """

    stage: str
    stays: int
    avg_days: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        stage = self.stage

        stays = self.stays

        avg_days: float | None | Unset
        if isinstance(self.avg_days, Unset):
            avg_days = UNSET
        else:
            avg_days = self.avg_days

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "stage": stage,
                "stays": stays,
            }
        )
        if avg_days is not UNSET:
            field_dict["avg_days"] = avg_days

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        stage = d.pop("stage")

        stays = d.pop("stays")

        def _parse_avg_days(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        avg_days = _parse_avg_days(d.pop("avg_days", UNSET))

        stage_time = cls(
            stage=stage,
            stays=stays,
            avg_days=avg_days,
        )

        stage_time.additional_properties = d
        return stage_time

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
