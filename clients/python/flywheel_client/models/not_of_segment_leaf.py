from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.all_of_segment_leaf import AllOfSegmentLeaf
    from ..models.any_of_segment_leaf import AnyOfSegmentLeaf
    from ..models.segment_leaf import SegmentLeaf


T = TypeVar("T", bound="NotOfSegmentLeaf")


@_attrs_define
class NotOfSegmentLeaf:
    """
    Attributes:
        not_ (AllOfSegmentLeaf | AnyOfSegmentLeaf | NotOfSegmentLeaf | SegmentLeaf):
    """

    not_: AllOfSegmentLeaf | AnyOfSegmentLeaf | NotOfSegmentLeaf | SegmentLeaf

    def to_dict(self) -> dict[str, Any]:
        from ..models.all_of_segment_leaf import AllOfSegmentLeaf  # noqa: PLC0415
        from ..models.any_of_segment_leaf import AnyOfSegmentLeaf  # noqa: PLC0415
        from ..models.segment_leaf import SegmentLeaf  # noqa: PLC0415

        not_: dict[str, Any]
        if isinstance(self.not_, SegmentLeaf):
            not_ = self.not_.to_dict()
        elif isinstance(self.not_, AllOfSegmentLeaf):
            not_ = self.not_.to_dict()
        elif isinstance(self.not_, AnyOfSegmentLeaf):
            not_ = self.not_.to_dict()
        else:
            not_ = self.not_.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "not": not_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.all_of_segment_leaf import AllOfSegmentLeaf  # noqa: PLC0415
        from ..models.any_of_segment_leaf import AnyOfSegmentLeaf  # noqa: PLC0415
        from ..models.segment_leaf import SegmentLeaf  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_not_(data: object) -> AllOfSegmentLeaf | AnyOfSegmentLeaf | NotOfSegmentLeaf | SegmentLeaf:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_condition_node_segment_leaf_type_0 = SegmentLeaf.from_dict(data)

                return componentsschemas_condition_node_segment_leaf_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_condition_node_segment_leaf_type_1 = AllOfSegmentLeaf.from_dict(data)

                return componentsschemas_condition_node_segment_leaf_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_condition_node_segment_leaf_type_2 = AnyOfSegmentLeaf.from_dict(data)

                return componentsschemas_condition_node_segment_leaf_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_condition_node_segment_leaf_type_3 = NotOfSegmentLeaf.from_dict(data)

            return componentsschemas_condition_node_segment_leaf_type_3

        not_ = _parse_not_(d.pop("not"))

        not_of_segment_leaf = cls(
            not_=not_,
        )

        return not_of_segment_leaf
