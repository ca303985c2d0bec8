from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CompleteIn")


@_attrs_define
class CompleteIn:
    """
    Attributes:
        completed_by (None | str | Unset):
    """

    completed_by: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        completed_by: None | str | Unset
        if isinstance(self.completed_by, Unset):
            completed_by = UNSET
        else:
            completed_by = self.completed_by

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if completed_by is not UNSET:
            field_dict["completed_by"] = completed_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_completed_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        completed_by = _parse_completed_by(d.pop("completed_by", UNSET))

        complete_in = cls(
            completed_by=completed_by,
        )

        return complete_in
