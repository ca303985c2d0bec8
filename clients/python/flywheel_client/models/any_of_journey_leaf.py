from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.all_of_journey_leaf import AllOfJourneyLeaf
    from ..models.journey_leaf import JourneyLeaf
    from ..models.not_of_journey_leaf import NotOfJourneyLeaf


T = TypeVar("T", bound="AnyOfJourneyLeaf")


@_attrs_define
class AnyOfJourneyLeaf:
    """
    Attributes:
        any_ (list[AllOfJourneyLeaf | AnyOfJourneyLeaf | JourneyLeaf | NotOfJourneyLeaf]):
    """

    any_: list[AllOfJourneyLeaf | AnyOfJourneyLeaf | JourneyLeaf | NotOfJourneyLeaf]

    def to_dict(self) -> dict[str, Any]:
        from ..models.all_of_journey_leaf import AllOfJourneyLeaf  # noqa: PLC0415
        from ..models.journey_leaf import JourneyLeaf  # noqa: PLC0415

        any_ = []
        for any_item_data in self.any_:
            any_item: dict[str, Any]
            if isinstance(any_item_data, JourneyLeaf):
                any_item = any_item_data.to_dict()
            elif isinstance(any_item_data, AllOfJourneyLeaf):
                any_item = any_item_data.to_dict()
            elif isinstance(any_item_data, AnyOfJourneyLeaf):
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
        from ..models.all_of_journey_leaf import AllOfJourneyLeaf  # noqa: PLC0415
        from ..models.journey_leaf import JourneyLeaf  # noqa: PLC0415
        from ..models.not_of_journey_leaf import NotOfJourneyLeaf  # noqa: PLC0415

        d = dict(src_dict)
        any_ = []
        _any_ = d.pop("any")
        for any_item_data in _any_:

            def _parse_any_item(data: object) -> AllOfJourneyLeaf | AnyOfJourneyLeaf | JourneyLeaf | NotOfJourneyLeaf:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_condition_node_journey_leaf_type_0 = JourneyLeaf.from_dict(data)

                    return componentsschemas_condition_node_journey_leaf_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_condition_node_journey_leaf_type_1 = AllOfJourneyLeaf.from_dict(data)

                    return componentsschemas_condition_node_journey_leaf_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_condition_node_journey_leaf_type_2 = AnyOfJourneyLeaf.from_dict(data)

                    return componentsschemas_condition_node_journey_leaf_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_condition_node_journey_leaf_type_3 = NotOfJourneyLeaf.from_dict(data)

                return componentsschemas_condition_node_journey_leaf_type_3

            any_item = _parse_any_item(any_item_data)

            any_.append(any_item)

        any_of_journey_leaf = cls(
            any_=any_,
        )

        return any_of_journey_leaf
