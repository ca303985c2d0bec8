from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.rfm_segment_in_segments_item import RfmSegmentInSegmentsItem

T = TypeVar("T", bound="RfmSegmentIn")


@_attrs_define
class RfmSegmentIn:
    """
    Attributes:
        kind (Literal['rfm_segment_in']):
        segments (list[RfmSegmentInSegmentsItem]):
    """

    kind: Literal["rfm_segment_in"]
    segments: list[RfmSegmentInSegmentsItem]

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        segments = []
        for segments_item_data in self.segments:
            segments_item = segments_item_data.value
            segments.append(segments_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "segments": segments,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = cast(Literal["rfm_segment_in"], d.pop("kind"))
        if kind != "rfm_segment_in":
            raise ValueError(f"kind must match const 'rfm_segment_in', got '{kind}'")

        segments = []
        _segments = d.pop("segments")
        for segments_item_data in _segments:
            segments_item = RfmSegmentInSegmentsItem(segments_item_data)

            segments.append(segments_item)

        rfm_segment_in = cls(
            kind=kind,
            segments=segments,
        )

        return rfm_segment_in
