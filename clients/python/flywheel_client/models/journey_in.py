from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.any_trigger import AnyTrigger
    from ..models.date_trigger import DateTrigger
    from ..models.dormant_trigger import DormantTrigger
    from ..models.event_condition import EventCondition
    from ..models.event_trigger import EventTrigger
    from ..models.goal import Goal
    from ..models.journey_in_steps import JourneyInSteps
    from ..models.journey_settings import JourneySettings
    from ..models.score_changed_trigger import ScoreChangedTrigger
    from ..models.score_crossed_trigger import ScoreCrossedTrigger
    from ..models.segment_trigger import SegmentTrigger


T = TypeVar("T", bound="JourneyIn")


@_attrs_define
class JourneyIn:
    """
    Attributes:
        entry_step (str):
        name (str):
        steps (JourneyInSteps):
        trigger (AnyTrigger | DateTrigger | DormantTrigger | EventTrigger | ScoreChangedTrigger | ScoreCrossedTrigger |
            SegmentTrigger):
        description (None | str | Unset):
        exit_on (list[EventCondition] | Unset):
        goal (Goal | None | Unset):
        settings (JourneySettings | Unset):
    """

    entry_step: str
    name: str
    steps: JourneyInSteps
    trigger: (
        AnyTrigger
        | DateTrigger
        | DormantTrigger
        | EventTrigger
        | ScoreChangedTrigger
        | ScoreCrossedTrigger
        | SegmentTrigger
    )
    description: None | str | Unset = UNSET
    exit_on: list[EventCondition] | Unset = UNSET
    goal: Goal | None | Unset = UNSET
    settings: JourneySettings | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.date_trigger import DateTrigger  # noqa: PLC0415
        from ..models.dormant_trigger import DormantTrigger  # noqa: PLC0415
        from ..models.event_trigger import EventTrigger  # noqa: PLC0415
        from ..models.goal import Goal  # noqa: PLC0415
        from ..models.score_changed_trigger import ScoreChangedTrigger  # noqa: PLC0415
        from ..models.score_crossed_trigger import ScoreCrossedTrigger  # noqa: PLC0415
        from ..models.segment_trigger import SegmentTrigger  # noqa: PLC0415

        entry_step = self.entry_step

        name = self.name

        steps = self.steps.to_dict()

        trigger: dict[str, Any]
        if isinstance(self.trigger, EventTrigger):
            trigger = self.trigger.to_dict()
        elif isinstance(self.trigger, SegmentTrigger):
            trigger = self.trigger.to_dict()
        elif isinstance(self.trigger, ScoreChangedTrigger):
            trigger = self.trigger.to_dict()
        elif isinstance(self.trigger, ScoreCrossedTrigger):
            trigger = self.trigger.to_dict()
        elif isinstance(self.trigger, DormantTrigger):
            trigger = self.trigger.to_dict()
        elif isinstance(self.trigger, DateTrigger):
            trigger = self.trigger.to_dict()
        else:
            trigger = self.trigger.to_dict()

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        exit_on: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.exit_on, Unset):
            exit_on = []
            for exit_on_item_data in self.exit_on:
                exit_on_item = exit_on_item_data.to_dict()
                exit_on.append(exit_on_item)

        goal: dict[str, Any] | None | Unset
        if isinstance(self.goal, Unset):
            goal = UNSET
        elif isinstance(self.goal, Goal):
            goal = self.goal.to_dict()
        else:
            goal = self.goal

        settings: dict[str, Any] | Unset = UNSET
        if not isinstance(self.settings, Unset):
            settings = self.settings.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "entry_step": entry_step,
                "name": name,
                "steps": steps,
                "trigger": trigger,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if exit_on is not UNSET:
            field_dict["exit_on"] = exit_on
        if goal is not UNSET:
            field_dict["goal"] = goal
        if settings is not UNSET:
            field_dict["settings"] = settings

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.any_trigger import AnyTrigger  # noqa: PLC0415
        from ..models.date_trigger import DateTrigger  # noqa: PLC0415
        from ..models.dormant_trigger import DormantTrigger  # noqa: PLC0415
        from ..models.event_condition import EventCondition  # noqa: PLC0415
        from ..models.event_trigger import EventTrigger  # noqa: PLC0415
        from ..models.goal import Goal  # noqa: PLC0415
        from ..models.journey_in_steps import JourneyInSteps  # noqa: PLC0415
        from ..models.journey_settings import JourneySettings  # noqa: PLC0415
        from ..models.score_changed_trigger import ScoreChangedTrigger  # noqa: PLC0415
        from ..models.score_crossed_trigger import ScoreCrossedTrigger  # noqa: PLC0415
        from ..models.segment_trigger import SegmentTrigger  # noqa: PLC0415

        d = dict(src_dict)
        entry_step = d.pop("entry_step")

        name = d.pop("name")

        steps = JourneyInSteps.from_dict(d.pop("steps"))

        def _parse_trigger(
            data: object,
        ) -> (
            AnyTrigger
            | DateTrigger
            | DormantTrigger
            | EventTrigger
            | ScoreChangedTrigger
            | ScoreCrossedTrigger
            | SegmentTrigger
        ):
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                trigger_type_0 = EventTrigger.from_dict(data)

                return trigger_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                trigger_type_1 = SegmentTrigger.from_dict(data)

                return trigger_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                trigger_type_2 = ScoreChangedTrigger.from_dict(data)

                return trigger_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                trigger_type_3 = ScoreCrossedTrigger.from_dict(data)

                return trigger_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                trigger_type_4 = DormantTrigger.from_dict(data)

                return trigger_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                trigger_type_5 = DateTrigger.from_dict(data)

                return trigger_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            trigger_type_6 = AnyTrigger.from_dict(data)

            return trigger_type_6

        trigger = _parse_trigger(d.pop("trigger"))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        _exit_on = d.pop("exit_on", UNSET)
        exit_on: list[EventCondition] | Unset = UNSET
        if _exit_on is not UNSET:
            exit_on = []
            for exit_on_item_data in _exit_on:
                exit_on_item = EventCondition.from_dict(exit_on_item_data)

                exit_on.append(exit_on_item)

        def _parse_goal(data: object) -> Goal | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                goal_type_0 = Goal.from_dict(data)

                return goal_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Goal | None | Unset, data)

        goal = _parse_goal(d.pop("goal", UNSET))

        _settings = d.pop("settings", UNSET)
        settings: JourneySettings | Unset
        if isinstance(_settings, Unset):
            settings = UNSET
        else:
            settings = JourneySettings.from_dict(_settings)

        journey_in = cls(
            entry_step=entry_step,
            name=name,
            steps=steps,
            trigger=trigger,
            description=description,
            exit_on=exit_on,
            goal=goal,
            settings=settings,
        )

        return journey_in
