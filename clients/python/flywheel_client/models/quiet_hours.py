from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="QuietHours")


@_attrs_define
class QuietHours:
    """
    Attributes:
        end (str | Unset):  Default: '08:00'.
        start (str | Unset):  Default: '21:00'.
    """

    end: str | Unset = "08:00"
    start: str | Unset = "21:00"

    def to_dict(self) -> dict[str, Any]:
        end = self.end

        start = self.start

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if end is not UNSET:
            field_dict["end"] = end
        if start is not UNSET:
            field_dict["start"] = start

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        end = d.pop("end", UNSET)

        start = d.pop("start", UNSET)

        quiet_hours = cls(
            end=end,
            start=start,
        )

        return quiet_hours
