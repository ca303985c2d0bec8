from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CustomerSegment")


@_attrs_define
class CustomerSegment:
    """
    Attributes:
        entered_at (datetime.datetime):
        name (str):
        segment_id (str):
    """

    entered_at: datetime.datetime
    name: str
    segment_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        entered_at = self.entered_at.isoformat()

        name = self.name

        segment_id = self.segment_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "entered_at": entered_at,
                "name": name,
                "segment_id": segment_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        entered_at = datetime.datetime.fromisoformat(d.pop("entered_at"))

        name = d.pop("name")

        segment_id = d.pop("segment_id")

        customer_segment = cls(
            entered_at=entered_at,
            name=name,
            segment_id=segment_id,
        )

        customer_segment.additional_properties = d
        return customer_segment

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
