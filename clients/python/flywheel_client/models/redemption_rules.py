from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RedemptionRules")


@_attrs_define
class RedemptionRules:
    """
    Attributes:
        point_value (float | str): What one point is worth in the program's currency.
        hold_minutes (int | Unset): A redemption not confirmed by its order within this is released. Default: 30.
        max_share_of_order (float | str | Unset): Points pay at most this share of an order. Default: 1.0.
        min_points (int | Unset):  Default: 0.
    """

    point_value: float | str
    hold_minutes: int | Unset = 30
    max_share_of_order: float | str | Unset = 1.0
    min_points: int | Unset = 0

    def to_dict(self) -> dict[str, Any]:
        point_value: float | str
        point_value = self.point_value

        hold_minutes = self.hold_minutes

        max_share_of_order: float | str | Unset
        if isinstance(self.max_share_of_order, Unset):
            max_share_of_order = UNSET
        else:
            max_share_of_order = self.max_share_of_order

        min_points = self.min_points

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "point_value": point_value,
            }
        )
        if hold_minutes is not UNSET:
            field_dict["hold_minutes"] = hold_minutes
        if max_share_of_order is not UNSET:
            field_dict["max_share_of_order"] = max_share_of_order
        if min_points is not UNSET:
            field_dict["min_points"] = min_points

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_point_value(data: object) -> float | str:
            return cast(float | str, data)

        point_value = _parse_point_value(d.pop("point_value"))

        hold_minutes = d.pop("hold_minutes", UNSET)

        def _parse_max_share_of_order(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        max_share_of_order = _parse_max_share_of_order(d.pop("max_share_of_order", UNSET))

        min_points = d.pop("min_points", UNSET)

        redemption_rules = cls(
            point_value=point_value,
            hold_minutes=hold_minutes,
            max_share_of_order=max_share_of_order,
            min_points=min_points,
        )

        return redemption_rules
