from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.any_of_journey_leaf import AnyOfJourneyLeaf
    from ..models.journey_leaf import JourneyLeaf
    from ..models.not_of_journey_leaf import NotOfJourneyLeaf


T = TypeVar("T", bound="AllOfJourneyLeaf")


@_attrs_define
class AllOfJourneyLeaf:
    """
    Attributes:
        all_ (list[AllOfJourneyLeaf | AnyOfJourneyLeaf | JourneyLeaf | NotOfJourneyLeaf]):
    """

    all_: list[AllOfJourneyLeaf | AnyOfJourneyLeaf | JourneyLeaf | NotOfJourneyLeaf]

    def to_dict(self) -> dict[str, Any]:
        from ..models.any_of_journey_leaf import AnyOfJourneyLeaf  # noqa: PLC0415
        from ..models.journey_leaf import JourneyLeaf  # noqa: PLC0415

        all_ = []
        for all_item_data in self.all_:
            all_item: dict[str, Any]
            if isinstance(all_item_data, JourneyLeaf):
                all_item = all_item_data.to_dict()
            elif isinstance(all_item_data, AllOfJourneyLeaf):
                all_item = all_item_data.to_dict()
            elif isinstance(all_item_data, AnyOfJourneyLeaf):
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
        from ..models.any_of_journey_leaf import AnyOfJourneyLeaf  # noqa: PLC0415
        from ..models.journey_leaf import JourneyLeaf  # noqa: PLC0415
        from ..models.not_of_journey_leaf import NotOfJourneyLeaf  # noqa: PLC0415

        d = dict(src_dict)
        all_ = []
        _all_ = d.pop("all")
        for all_item_data in _all_:

            def _parse_all_item(data: object) -> AllOfJourneyLeaf | AnyOfJourneyLeaf | JourneyLeaf | NotOfJourneyLeaf:
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

            all_item = _parse_all_item(all_item_data)

            all_.append(all_item)

        all_of_journey_leaf = cls(
            all_=all_,
        )

        return all_of_journey_leaf
