from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.bonus_on import BonusOn
from ..types import UNSET, Unset

T = TypeVar("T", bound="Bonus")


@_attrs_define
class Bonus:
    """Extra points: `points` once (the first purchase ever; the first purchase of each birthday month; each survey
    answer), and/or a `multiplier` of a purchase's points (first purchase, birthday month).

        Attributes:
            on (BonusOn):
            multiplier (float | None | str | Unset):
            name (None | str | Unset): Names the rule in the ledger.
            points (int | Unset):  Default: 0.
    """

    on: BonusOn
    multiplier: float | None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    points: int | Unset = 0

    def to_dict(self) -> dict[str, Any]:
        on = self.on.value

        multiplier: float | None | str | Unset
        if isinstance(self.multiplier, Unset):
            multiplier = UNSET
        else:
            multiplier = self.multiplier

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        points = self.points

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "on": on,
            }
        )
        if multiplier is not UNSET:
            field_dict["multiplier"] = multiplier
        if name is not UNSET:
            field_dict["name"] = name
        if points is not UNSET:
            field_dict["points"] = points

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        on = BonusOn(d.pop("on"))

        def _parse_multiplier(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        multiplier = _parse_multiplier(d.pop("multiplier", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        points = d.pop("points", UNSET)

        bonus = cls(
            on=on,
            multiplier=multiplier,
            name=name,
            points=points,
        )

        return bonus
