from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.date_trigger_repeat import DateTriggerRepeat
from ..types import UNSET, Unset

T = TypeVar("T", bound="DateTrigger")


@_attrs_define
class DateTrigger:
    """Fires on a date held in a trait (birthday, membership_renewal), offset by days, at a time of day.

    Attributes:
        trait (str):
        type_ (Literal['date']):
        at (str | Unset):  Default: '09:00'.
        offset_days (int | Unset):  Default: 0.
        repeat (DateTriggerRepeat | Unset):  Default: DateTriggerRepeat.YEARLY.
    """

    trait: str
    type_: Literal["date"]
    at: str | Unset = "09:00"
    offset_days: int | Unset = 0
    repeat: DateTriggerRepeat | Unset = DateTriggerRepeat.YEARLY

    def to_dict(self) -> dict[str, Any]:
        trait = self.trait

        type_ = self.type_

        at = self.at

        offset_days = self.offset_days

        repeat: str | Unset = UNSET
        if not isinstance(self.repeat, Unset):
            repeat = self.repeat.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "trait": trait,
                "type": type_,
            }
        )
        if at is not UNSET:
            field_dict["at"] = at
        if offset_days is not UNSET:
            field_dict["offset_days"] = offset_days
        if repeat is not UNSET:
            field_dict["repeat"] = repeat

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        trait = d.pop("trait")

        type_ = cast(Literal["date"], d.pop("type"))
        if type_ != "date":
            raise ValueError(f"type must match const 'date', got '{type_}'")

        at = d.pop("at", UNSET)

        offset_days = d.pop("offset_days", UNSET)

        _repeat = d.pop("repeat", UNSET)
        repeat: DateTriggerRepeat | Unset
        if isinstance(_repeat, Unset):
            repeat = UNSET
        else:
            repeat = DateTriggerRepeat(_repeat)

        date_trigger = cls(
            trait=trait,
            type_=type_,
            at=at,
            offset_days=offset_days,
            repeat=repeat,
        )

        return date_trigger
