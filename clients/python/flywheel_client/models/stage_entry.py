from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="StageEntry")


@_attrs_define
class StageEntry:
    """
    Attributes:
        entered_at (datetime.datetime):
        stage (str):
        left_at (datetime.datetime | None | Unset):
        overridden (list[str] | Unset):
        override_reason (None | str | Unset): Why the deal left with open requirements.
    """

    entered_at: datetime.datetime
    stage: str
    left_at: datetime.datetime | None | Unset = UNSET
    overridden: list[str] | Unset = UNSET
    override_reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        entered_at = self.entered_at.isoformat()

        stage = self.stage

        left_at: None | str | Unset
        if isinstance(self.left_at, Unset):
            left_at = UNSET
        elif isinstance(self.left_at, datetime.datetime):
            left_at = self.left_at.isoformat()
        else:
            left_at = self.left_at

        overridden: list[str] | Unset = UNSET
        if not isinstance(self.overridden, Unset):
            overridden = self.overridden

        override_reason: None | str | Unset
        if isinstance(self.override_reason, Unset):
            override_reason = UNSET
        else:
            override_reason = self.override_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "entered_at": entered_at,
                "stage": stage,
            }
        )
        if left_at is not UNSET:
            field_dict["left_at"] = left_at
        if overridden is not UNSET:
            field_dict["overridden"] = overridden
        if override_reason is not UNSET:
            field_dict["override_reason"] = override_reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        entered_at = datetime.datetime.fromisoformat(d.pop("entered_at"))

        stage = d.pop("stage")

        def _parse_left_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                left_at_type_0 = datetime.datetime.fromisoformat(data)

                return left_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        left_at = _parse_left_at(d.pop("left_at", UNSET))

        overridden = cast(list[str], d.pop("overridden", UNSET))

        def _parse_override_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        override_reason = _parse_override_reason(d.pop("override_reason", UNSET))

        stage_entry = cls(
            entered_at=entered_at,
            stage=stage,
            left_at=left_at,
            overridden=overridden,
            override_reason=override_reason,
        )

        stage_entry.additional_properties = d
        return stage_entry

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
