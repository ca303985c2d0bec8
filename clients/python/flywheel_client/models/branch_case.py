from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.all_of_journey_leaf import AllOfJourneyLeaf
    from ..models.any_of_journey_leaf import AnyOfJourneyLeaf
    from ..models.journey_leaf import JourneyLeaf
    from ..models.not_of_journey_leaf import NotOfJourneyLeaf


T = TypeVar("T", bound="BranchCase")


@_attrs_define
class BranchCase:
    """
    Attributes:
        condition (AllOfJourneyLeaf | AnyOfJourneyLeaf | JourneyLeaf | NotOfJourneyLeaf):
        next_ (str):
    """

    condition: AllOfJourneyLeaf | AnyOfJourneyLeaf | JourneyLeaf | NotOfJourneyLeaf
    next_: str

    def to_dict(self) -> dict[str, Any]:
        from ..models.all_of_journey_leaf import AllOfJourneyLeaf  # noqa: PLC0415
        from ..models.any_of_journey_leaf import AnyOfJourneyLeaf  # noqa: PLC0415
        from ..models.journey_leaf import JourneyLeaf  # noqa: PLC0415

        condition: dict[str, Any]
        if isinstance(self.condition, JourneyLeaf):
            condition = self.condition.to_dict()
        elif isinstance(self.condition, AllOfJourneyLeaf):
            condition = self.condition.to_dict()
        elif isinstance(self.condition, AnyOfJourneyLeaf):
            condition = self.condition.to_dict()
        else:
            condition = self.condition.to_dict()

        next_ = self.next_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "condition": condition,
                "next": next_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.all_of_journey_leaf import AllOfJourneyLeaf  # noqa: PLC0415
        from ..models.any_of_journey_leaf import AnyOfJourneyLeaf  # noqa: PLC0415
        from ..models.journey_leaf import JourneyLeaf  # noqa: PLC0415
        from ..models.not_of_journey_leaf import NotOfJourneyLeaf  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_condition(data: object) -> AllOfJourneyLeaf | AnyOfJourneyLeaf | JourneyLeaf | NotOfJourneyLeaf:
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

        condition = _parse_condition(d.pop("condition"))

        next_ = d.pop("next")

        branch_case = cls(
            condition=condition,
            next_=next_,
        )

        return branch_case
