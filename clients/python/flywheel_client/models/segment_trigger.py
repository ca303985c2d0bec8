from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.segment_trigger_type import SegmentTriggerType

T = TypeVar("T", bound="SegmentTrigger")


@_attrs_define
class SegmentTrigger:
    """
    Attributes:
        segment_id (str):
        type_ (SegmentTriggerType):
    """

    segment_id: str
    type_: SegmentTriggerType

    def to_dict(self) -> dict[str, Any]:
        segment_id = self.segment_id

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "segment_id": segment_id,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        segment_id = d.pop("segment_id")

        type_ = SegmentTriggerType(d.pop("type"))

        segment_trigger = cls(
            segment_id=segment_id,
            type_=type_,
        )

        return segment_trigger
