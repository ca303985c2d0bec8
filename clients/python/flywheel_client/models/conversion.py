from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Conversion")


@_attrs_define
class Conversion:
    """
    Attributes:
        converted (int): Of those, deals that reached to_stage.
        from_stage (str):
        reached (int): Deals that reached from_stage (entered it or a later one, or were won).
        to_stage (str): The next stage, or `won` after the last one.
        rate (float | None | Unset):
    """

    converted: int
    from_stage: str
    reached: int
    to_stage: str
    rate: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        converted = self.converted

        from_stage = self.from_stage

        reached = self.reached

        to_stage = self.to_stage

        rate: float | None | Unset
        if isinstance(self.rate, Unset):
            rate = UNSET
        else:
            rate = self.rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "converted": converted,
                "from_stage": from_stage,
                "reached": reached,
                "to_stage": to_stage,
            }
        )
        if rate is not UNSET:
            field_dict["rate"] = rate

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        converted = d.pop("converted")

        from_stage = d.pop("from_stage")

        reached = d.pop("reached")

        to_stage = d.pop("to_stage")

        def _parse_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        rate = _parse_rate(d.pop("rate", UNSET))

        conversion = cls(
            converted=converted,
            from_stage=from_stage,
            reached=reached,
            to_stage=to_stage,
            rate=rate,
        )

        conversion.additional_properties = d
        return conversion

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
