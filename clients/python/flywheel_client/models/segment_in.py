from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.all_of_segment_leaf import AllOfSegmentLeaf
    from ..models.any_of_segment_leaf import AnyOfSegmentLeaf
    from ..models.not_of_segment_leaf import NotOfSegmentLeaf
    from ..models.segment_leaf import SegmentLeaf


T = TypeVar("T", bound="SegmentIn")


@_attrs_define
class SegmentIn:
    """
    Attributes:
        condition (AllOfSegmentLeaf | AnyOfSegmentLeaf | NotOfSegmentLeaf | SegmentLeaf):
        name (str):
        description (None | str | Unset):
    """

    condition: AllOfSegmentLeaf | AnyOfSegmentLeaf | NotOfSegmentLeaf | SegmentLeaf
    name: str
    description: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.all_of_segment_leaf import AllOfSegmentLeaf  # noqa: PLC0415
        from ..models.any_of_segment_leaf import AnyOfSegmentLeaf  # noqa: PLC0415
        from ..models.segment_leaf import SegmentLeaf  # noqa: PLC0415

        condition: dict[str, Any]
        if isinstance(self.condition, SegmentLeaf):
            condition = self.condition.to_dict()
        elif isinstance(self.condition, AllOfSegmentLeaf):
            condition = self.condition.to_dict()
        elif isinstance(self.condition, AnyOfSegmentLeaf):
            condition = self.condition.to_dict()
        else:
            condition = self.condition.to_dict()

        name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "condition": condition,
                "name": name,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.all_of_segment_leaf import AllOfSegmentLeaf  # noqa: PLC0415
        from ..models.any_of_segment_leaf import AnyOfSegmentLeaf  # noqa: PLC0415
        from ..models.not_of_segment_leaf import NotOfSegmentLeaf  # noqa: PLC0415
        from ..models.segment_leaf import SegmentLeaf  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_condition(data: object) -> AllOfSegmentLeaf | AnyOfSegmentLeaf | NotOfSegmentLeaf | SegmentLeaf:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_segment_condition_type_0 = SegmentLeaf.from_dict(data)

                return componentsschemas_segment_condition_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_segment_condition_type_1 = AllOfSegmentLeaf.from_dict(data)

                return componentsschemas_segment_condition_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_segment_condition_type_2 = AnyOfSegmentLeaf.from_dict(data)

                return componentsschemas_segment_condition_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_segment_condition_type_3 = NotOfSegmentLeaf.from_dict(data)

            return componentsschemas_segment_condition_type_3

        condition = _parse_condition(d.pop("condition"))

        name = d.pop("name")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        segment_in = cls(
            condition=condition,
            name=name,
            description=description,
        )

        return segment_in
