from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.all_of_segment_leaf import AllOfSegmentLeaf
    from ..models.not_of_segment_leaf import NotOfSegmentLeaf
    from ..models.segment_leaf import SegmentLeaf


T = TypeVar("T", bound="AnyOfSegmentLeaf")


@_attrs_define
class AnyOfSegmentLeaf:
    """
    Attributes:
        any_ (list[AllOfSegmentLeaf | AnyOfSegmentLeaf | NotOfSegmentLeaf | SegmentLeaf]):
    """

    any_: list[AllOfSegmentLeaf | AnyOfSegmentLeaf | NotOfSegmentLeaf | SegmentLeaf]

    def to_dict(self) -> dict[str, Any]:
        from ..models.all_of_segment_leaf import AllOfSegmentLeaf  # noqa: PLC0415
        from ..models.segment_leaf import SegmentLeaf  # noqa: PLC0415

        any_ = []
        for any_item_data in self.any_:
            any_item: dict[str, Any]
            if isinstance(any_item_data, SegmentLeaf):
                any_item = any_item_data.to_dict()
            elif isinstance(any_item_data, AllOfSegmentLeaf):
                any_item = any_item_data.to_dict()
            elif isinstance(any_item_data, AnyOfSegmentLeaf):
                any_item = any_item_data.to_dict()
            else:
                any_item = any_item_data.to_dict()

            any_.append(any_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "any": any_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.all_of_segment_leaf import AllOfSegmentLeaf  # noqa: PLC0415
        from ..models.not_of_segment_leaf import NotOfSegmentLeaf  # noqa: PLC0415
        from ..models.segment_leaf import SegmentLeaf  # noqa: PLC0415

        d = dict(src_dict)
        any_ = []
        _any_ = d.pop("any")
        for any_item_data in _any_:

            def _parse_any_item(data: object) -> AllOfSegmentLeaf | AnyOfSegmentLeaf | NotOfSegmentLeaf | SegmentLeaf:
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

            any_item = _parse_any_item(any_item_data)

            any_.append(any_item)

        any_of_segment_leaf = cls(
            any_=any_,
        )

        return any_of_segment_leaf
