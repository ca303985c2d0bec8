from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MoveIn")


@_attrs_define
class MoveIn:
    """
    Attributes:
        stage (str):
        override_reason (None | str | Unset): Leave a stage with open requirements anyway (recorded with what it
            overrode).
    """

    stage: str
    override_reason: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        stage = self.stage

        override_reason: None | str | Unset
        if isinstance(self.override_reason, Unset):
            override_reason = UNSET
        else:
            override_reason = self.override_reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "stage": stage,
            }
        )
        if override_reason is not UNSET:
            field_dict["override_reason"] = override_reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        stage = d.pop("stage")

        def _parse_override_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        override_reason = _parse_override_reason(d.pop("override_reason", UNSET))

        move_in = cls(
            stage=stage,
            override_reason=override_reason,
        )

        return move_in
