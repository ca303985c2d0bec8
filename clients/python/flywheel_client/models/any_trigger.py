from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.date_trigger import DateTrigger
    from ..models.dormant_trigger import DormantTrigger
    from ..models.event_trigger import EventTrigger
    from ..models.score_changed_trigger import ScoreChangedTrigger
    from ..models.score_crossed_trigger import ScoreCrossedTrigger
    from ..models.segment_trigger import SegmentTrigger


T = TypeVar("T", bound="AnyTrigger")


@_attrs_define
class AnyTrigger:
    """Any one of several triggers (e.g. a promoter's NPS answer, or becoming a Champion).

    Attributes:
        triggers (list[DateTrigger | DormantTrigger | EventTrigger | ScoreChangedTrigger | ScoreCrossedTrigger |
            SegmentTrigger]):
        type_ (Literal['any']):
    """

    triggers: list[
        DateTrigger | DormantTrigger | EventTrigger | ScoreChangedTrigger | ScoreCrossedTrigger | SegmentTrigger
    ]
    type_: Literal["any"]

    def to_dict(self) -> dict[str, Any]:
        from ..models.dormant_trigger import DormantTrigger  # noqa: PLC0415
        from ..models.event_trigger import EventTrigger  # noqa: PLC0415
        from ..models.score_changed_trigger import ScoreChangedTrigger  # noqa: PLC0415
        from ..models.score_crossed_trigger import ScoreCrossedTrigger  # noqa: PLC0415
        from ..models.segment_trigger import SegmentTrigger  # noqa: PLC0415

        triggers = []
        for triggers_item_data in self.triggers:
            triggers_item: dict[str, Any]
            if isinstance(triggers_item_data, EventTrigger):
                triggers_item = triggers_item_data.to_dict()
            elif isinstance(triggers_item_data, SegmentTrigger):
                triggers_item = triggers_item_data.to_dict()
            elif isinstance(triggers_item_data, ScoreChangedTrigger):
                triggers_item = triggers_item_data.to_dict()
            elif isinstance(triggers_item_data, ScoreCrossedTrigger):
                triggers_item = triggers_item_data.to_dict()
            elif isinstance(triggers_item_data, DormantTrigger):
                triggers_item = triggers_item_data.to_dict()
            else:
                triggers_item = triggers_item_data.to_dict()

            triggers.append(triggers_item)

        type_ = self.type_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "triggers": triggers,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.date_trigger import DateTrigger  # noqa: PLC0415
        from ..models.dormant_trigger import DormantTrigger  # noqa: PLC0415
        from ..models.event_trigger import EventTrigger  # noqa: PLC0415
        from ..models.score_changed_trigger import ScoreChangedTrigger  # noqa: PLC0415
        from ..models.score_crossed_trigger import ScoreCrossedTrigger  # noqa: PLC0415
        from ..models.segment_trigger import SegmentTrigger  # noqa: PLC0415

        d = dict(src_dict)
        triggers = []
        _triggers = d.pop("triggers")
        for triggers_item_data in _triggers:

            def _parse_triggers_item(
                data: object,
            ) -> (
                DateTrigger | DormantTrigger | EventTrigger | ScoreChangedTrigger | ScoreCrossedTrigger | SegmentTrigger
            ):
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    triggers_item_type_0 = EventTrigger.from_dict(data)

                    return triggers_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    triggers_item_type_1 = SegmentTrigger.from_dict(data)

                    return triggers_item_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    triggers_item_type_2 = ScoreChangedTrigger.from_dict(data)

                    return triggers_item_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    triggers_item_type_3 = ScoreCrossedTrigger.from_dict(data)

                    return triggers_item_type_3
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    triggers_item_type_4 = DormantTrigger.from_dict(data)

                    return triggers_item_type_4
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                triggers_item_type_5 = DateTrigger.from_dict(data)

                return triggers_item_type_5

            triggers_item = _parse_triggers_item(triggers_item_data)

            triggers.append(triggers_item)

        type_ = cast(Literal["any"], d.pop("type"))
        if type_ != "any":
            raise ValueError(f"type must match const 'any', got '{type_}'")

        any_trigger = cls(
            triggers=triggers,
            type_=type_,
        )

        return any_trigger
