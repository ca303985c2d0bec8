from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bonus import Bonus
    from ..models.multiplier import Multiplier


T = TypeVar("T", bound="EarnRules")


@_attrs_define
class EarnRules:
    """
    Attributes:
        points_per_unit (float | str): Points per unit of the program's currency spent (rounded down).
        bonuses (list[Bonus] | Unset):
        max_points_per_day (int | None | Unset): Cap of one member's earned points per day in the program's time zone.
        max_points_per_order (int | None | Unset): Cap of one order's points, bonuses included.
        multipliers (list[Multiplier] | Unset):
    """

    points_per_unit: float | str
    bonuses: list[Bonus] | Unset = UNSET
    max_points_per_day: int | None | Unset = UNSET
    max_points_per_order: int | None | Unset = UNSET
    multipliers: list[Multiplier] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        points_per_unit: float | str
        points_per_unit = self.points_per_unit

        bonuses: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.bonuses, Unset):
            bonuses = []
            for bonuses_item_data in self.bonuses:
                bonuses_item = bonuses_item_data.to_dict()
                bonuses.append(bonuses_item)

        max_points_per_day: int | None | Unset
        if isinstance(self.max_points_per_day, Unset):
            max_points_per_day = UNSET
        else:
            max_points_per_day = self.max_points_per_day

        max_points_per_order: int | None | Unset
        if isinstance(self.max_points_per_order, Unset):
            max_points_per_order = UNSET
        else:
            max_points_per_order = self.max_points_per_order

        multipliers: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.multipliers, Unset):
            multipliers = []
            for multipliers_item_data in self.multipliers:
                multipliers_item = multipliers_item_data.to_dict()
                multipliers.append(multipliers_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "points_per_unit": points_per_unit,
            }
        )
        if bonuses is not UNSET:
            field_dict["bonuses"] = bonuses
        if max_points_per_day is not UNSET:
            field_dict["max_points_per_day"] = max_points_per_day
        if max_points_per_order is not UNSET:
            field_dict["max_points_per_order"] = max_points_per_order
        if multipliers is not UNSET:
            field_dict["multipliers"] = multipliers

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bonus import Bonus  # noqa: PLC0415
        from ..models.multiplier import Multiplier  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_points_per_unit(data: object) -> float | str:
            return cast(float | str, data)

        points_per_unit = _parse_points_per_unit(d.pop("points_per_unit"))

        _bonuses = d.pop("bonuses", UNSET)
        bonuses: list[Bonus] | Unset = UNSET
        if _bonuses is not UNSET:
            bonuses = []
            for bonuses_item_data in _bonuses:
                bonuses_item = Bonus.from_dict(bonuses_item_data)

                bonuses.append(bonuses_item)

        def _parse_max_points_per_day(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_points_per_day = _parse_max_points_per_day(d.pop("max_points_per_day", UNSET))

        def _parse_max_points_per_order(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_points_per_order = _parse_max_points_per_order(d.pop("max_points_per_order", UNSET))

        _multipliers = d.pop("multipliers", UNSET)
        multipliers: list[Multiplier] | Unset = UNSET
        if _multipliers is not UNSET:
            multipliers = []
            for multipliers_item_data in _multipliers:
                multipliers_item = Multiplier.from_dict(multipliers_item_data)

                multipliers.append(multipliers_item)

        earn_rules = cls(
            points_per_unit=points_per_unit,
            bonuses=bonuses,
            max_points_per_day=max_points_per_day,
            max_points_per_order=max_points_per_order,
            multipliers=multipliers,
        )

        return earn_rules
