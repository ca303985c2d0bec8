from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="HoldoutStats")


@_attrs_define
class HoldoutStats:
    """
    Attributes:
        holdout_converted (int):
        holdout_entered (int):
        treated_converted (int):
        treated_entered (int):
        holdout_rate (float | None | Unset):
        lift (float | None | Unset): (treated rate - holdout rate) / holdout rate; null without a holdout or at a
            holdout rate of 0.
        treated_rate (float | None | Unset):
    """

    holdout_converted: int
    holdout_entered: int
    treated_converted: int
    treated_entered: int
    holdout_rate: float | None | Unset = UNSET
    lift: float | None | Unset = UNSET
    treated_rate: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        holdout_converted = self.holdout_converted

        holdout_entered = self.holdout_entered

        treated_converted = self.treated_converted

        treated_entered = self.treated_entered

        holdout_rate: float | None | Unset
        if isinstance(self.holdout_rate, Unset):
            holdout_rate = UNSET
        else:
            holdout_rate = self.holdout_rate

        lift: float | None | Unset
        if isinstance(self.lift, Unset):
            lift = UNSET
        else:
            lift = self.lift

        treated_rate: float | None | Unset
        if isinstance(self.treated_rate, Unset):
            treated_rate = UNSET
        else:
            treated_rate = self.treated_rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "holdout_converted": holdout_converted,
                "holdout_entered": holdout_entered,
                "treated_converted": treated_converted,
                "treated_entered": treated_entered,
            }
        )
        if holdout_rate is not UNSET:
            field_dict["holdout_rate"] = holdout_rate
        if lift is not UNSET:
            field_dict["lift"] = lift
        if treated_rate is not UNSET:
            field_dict["treated_rate"] = treated_rate

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        holdout_converted = d.pop("holdout_converted")

        holdout_entered = d.pop("holdout_entered")

        treated_converted = d.pop("treated_converted")

        treated_entered = d.pop("treated_entered")

        def _parse_holdout_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        holdout_rate = _parse_holdout_rate(d.pop("holdout_rate", UNSET))

        def _parse_lift(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        lift = _parse_lift(d.pop("lift", UNSET))

        def _parse_treated_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        treated_rate = _parse_treated_rate(d.pop("treated_rate", UNSET))

        holdout_stats = cls(
            holdout_converted=holdout_converted,
            holdout_entered=holdout_entered,
            treated_converted=treated_converted,
            treated_entered=treated_entered,
            holdout_rate=holdout_rate,
            lift=lift,
            treated_rate=treated_rate,
        )

        holdout_stats.additional_properties = d
        return holdout_stats

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
