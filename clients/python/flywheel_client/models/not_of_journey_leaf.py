from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.all_of_journey_leaf import AllOfJourneyLeaf
    from ..models.any_of_journey_leaf import AnyOfJourneyLeaf
    from ..models.journey_leaf import JourneyLeaf


T = TypeVar("T", bound="NotOfJourneyLeaf")


@_attrs_define
class NotOfJourneyLeaf:
    """
    Attributes:
        not_ (AllOfJourneyLeaf | AnyOfJourneyLeaf | JourneyLeaf | NotOfJourneyLeaf):
    """

    not_: AllOfJourneyLeaf | AnyOfJourneyLeaf | JourneyLeaf | NotOfJourneyLeaf

    def to_dict(self) -> dict[str, Any]:
        from ..models.all_of_journey_leaf import AllOfJourneyLeaf  # noqa: PLC0415
        from ..models.any_of_journey_leaf import AnyOfJourneyLeaf  # noqa: PLC0415
        from ..models.journey_leaf import JourneyLeaf  # noqa: PLC0415

        not_: dict[str, Any]
        if isinstance(self.not_, JourneyLeaf):
            not_ = self.not_.to_dict()
        elif isinstance(self.not_, AllOfJourneyLeaf):
            not_ = self.not_.to_dict()
        elif isinstance(self.not_, AnyOfJourneyLeaf):
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
        from ..models.all_of_journey_leaf import AllOfJourneyLeaf  # noqa: PLC0415
        from ..models.any_of_journey_leaf import AnyOfJourneyLeaf  # noqa: PLC0415
        from ..models.journey_leaf import JourneyLeaf  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_not_(data: object) -> AllOfJourneyLeaf | AnyOfJourneyLeaf | JourneyLeaf | NotOfJourneyLeaf:
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

        not_ = _parse_not_(d.pop("not"))

        not_of_journey_leaf = cls(
            not_=not_,
        )

        return not_of_journey_leaf
