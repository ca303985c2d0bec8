from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Review")


@_attrs_define
class Review:
    """Rewards above these values are held for review (none: never).

    Attributes:
        hold_amount_above (float | None | str | Unset):
        hold_percent_above (float | None | str | Unset):
        hold_points_above (float | None | str | Unset):
    """

    hold_amount_above: float | None | str | Unset = UNSET
    hold_percent_above: float | None | str | Unset = UNSET
    hold_points_above: float | None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        hold_amount_above: float | None | str | Unset
        if isinstance(self.hold_amount_above, Unset):
            hold_amount_above = UNSET
        else:
            hold_amount_above = self.hold_amount_above

        hold_percent_above: float | None | str | Unset
        if isinstance(self.hold_percent_above, Unset):
            hold_percent_above = UNSET
        else:
            hold_percent_above = self.hold_percent_above

        hold_points_above: float | None | str | Unset
        if isinstance(self.hold_points_above, Unset):
            hold_points_above = UNSET
        else:
            hold_points_above = self.hold_points_above

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if hold_amount_above is not UNSET:
            field_dict["hold_amount_above"] = hold_amount_above
        if hold_percent_above is not UNSET:
            field_dict["hold_percent_above"] = hold_percent_above
        if hold_points_above is not UNSET:
            field_dict["hold_points_above"] = hold_points_above

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_hold_amount_above(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        hold_amount_above = _parse_hold_amount_above(d.pop("hold_amount_above", UNSET))

        def _parse_hold_percent_above(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        hold_percent_above = _parse_hold_percent_above(d.pop("hold_percent_above", UNSET))

        def _parse_hold_points_above(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        hold_points_above = _parse_hold_points_above(d.pop("hold_points_above", UNSET))

        review = cls(
            hold_amount_above=hold_amount_above,
            hold_percent_above=hold_percent_above,
            hold_points_above=hold_points_above,
        )

        return review
