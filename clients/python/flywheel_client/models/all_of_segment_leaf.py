from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.any_of_segment_leaf import AnyOfSegmentLeaf
    from ..models.not_of_segment_leaf import NotOfSegmentLeaf
    from ..models.segment_leaf import SegmentLeaf


T = TypeVar("T", bound="AllOfSegmentLeaf")


@_attrs_define
class AllOfSegmentLeaf:
    """
    Attributes:
        all_ (list[AllOfSegmentLeaf | AnyOfSegmentLeaf | NotOfSegmentLeaf | SegmentLeaf]):
    """

    all_: list[AllOfSegmentLeaf | AnyOfSegmentLeaf | NotOfSegmentLeaf | SegmentLeaf]

    def to_dict(self) -> dict[str, Any]:
        from ..models.any_of_segment_leaf import AnyOfSegmentLeaf  # noqa: PLC0415
        from ..models.segment_leaf import SegmentLeaf  # noqa: PLC0415

        all_ = []
        for all_item_data in self.all_:
            all_item: dict[str, Any]
            if isinstance(all_item_data, SegmentLeaf):
                all_item = all_item_data.to_dict()
            elif isinstance(all_item_data, AllOfSegmentLeaf):
                all_item = all_item_data.to_dict()
            elif isinstance(all_item_data, AnyOfSegmentLeaf):
                all_item = all_item_data.to_dict()
            else:
                all_item = all_item_data.to_dict()

            all_.append(all_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "all": all_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.any_of_segment_leaf import AnyOfSegmentLeaf  # noqa: PLC0415
        from ..models.not_of_segment_leaf import NotOfSegmentLeaf  # noqa: PLC0415
        from ..models.segment_leaf import SegmentLeaf  # noqa: PLC0415

        d = dict(src_dict)
        all_ = []
        _all_ = d.pop("all")
        for all_item_data in _all_:

            def _parse_all_item(data: object) -> AllOfSegmentLeaf | AnyOfSegmentLeaf | NotOfSegmentLeaf | SegmentLeaf:
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

            all_item = _parse_all_item(all_item_data)

            all_.append(all_item)

        all_of_segment_leaf = cls(
            all_=all_,
        )

        return all_of_segment_leaf
