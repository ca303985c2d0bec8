from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.all_of_journey_leaf import AllOfJourneyLeaf
    from ..models.any_of_journey_leaf import AnyOfJourneyLeaf
    from ..models.journey_leaf import JourneyLeaf
    from ..models.not_of_journey_leaf import NotOfJourneyLeaf


T = TypeVar("T", bound="DormantTrigger")


@_attrs_define
class DormantTrigger:
    """
    Attributes:
        type_ (Literal['dormant']):
        conditions (AllOfJourneyLeaf | AnyOfJourneyLeaf | JourneyLeaf | None | NotOfJourneyLeaf | Unset):
    """

    type_: Literal["dormant"]
    conditions: AllOfJourneyLeaf | AnyOfJourneyLeaf | JourneyLeaf | None | NotOfJourneyLeaf | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.all_of_journey_leaf import AllOfJourneyLeaf  # noqa: PLC0415
        from ..models.any_of_journey_leaf import AnyOfJourneyLeaf  # noqa: PLC0415
        from ..models.journey_leaf import JourneyLeaf  # noqa: PLC0415
        from ..models.not_of_journey_leaf import NotOfJourneyLeaf  # noqa: PLC0415

        type_ = self.type_

        conditions: dict[str, Any] | None | Unset
        if isinstance(self.conditions, Unset):
            conditions = UNSET
        elif isinstance(self.conditions, JourneyLeaf):
            conditions = self.conditions.to_dict()
        elif isinstance(self.conditions, AllOfJourneyLeaf):
            conditions = self.conditions.to_dict()
        elif isinstance(self.conditions, AnyOfJourneyLeaf):
            conditions = self.conditions.to_dict()
        elif isinstance(self.conditions, NotOfJourneyLeaf):
            conditions = self.conditions.to_dict()
        else:
            conditions = self.conditions

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
            }
        )
        if conditions is not UNSET:
            field_dict["conditions"] = conditions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.all_of_journey_leaf import AllOfJourneyLeaf  # noqa: PLC0415
        from ..models.any_of_journey_leaf import AnyOfJourneyLeaf  # noqa: PLC0415
        from ..models.journey_leaf import JourneyLeaf  # noqa: PLC0415
        from ..models.not_of_journey_leaf import NotOfJourneyLeaf  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["dormant"], d.pop("type"))
        if type_ != "dormant":
            raise ValueError(f"type must match const 'dormant', got '{type_}'")

        def _parse_conditions(
            data: object,
        ) -> AllOfJourneyLeaf | AnyOfJourneyLeaf | JourneyLeaf | None | NotOfJourneyLeaf | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
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
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_condition_node_journey_leaf_type_3 = NotOfJourneyLeaf.from_dict(data)

                return componentsschemas_condition_node_journey_leaf_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AllOfJourneyLeaf | AnyOfJourneyLeaf | JourneyLeaf | None | NotOfJourneyLeaf | Unset, data)

        conditions = _parse_conditions(d.pop("conditions", UNSET))

        dormant_trigger = cls(
            type_=type_,
            conditions=conditions,
        )

        return dormant_trigger
