from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.customer_simulation_ended import CustomerSimulationEnded
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.held_back_message import HeldBackMessage
    from ..models.simulated_action import SimulatedAction
    from ..models.simulated_message import SimulatedMessage
    from ..models.simulated_step import SimulatedStep
    from ..models.simulated_wait import SimulatedWait


T = TypeVar("T", bound="CustomerSimulation")


@_attrs_define
class CustomerSimulation:
    """
    Attributes:
        actions (list[SimulatedAction]):
        customer_id (str):
        ended (CustomerSimulationEnded): How the run ended: the journey's end, the horizon, or the step budget (a
            journey that loops).
        ended_at (datetime.datetime):
        held_back (list[HeldBackMessage]):
        holdout (bool):
        messages (list[SimulatedMessage]): What it would send (nothing is sent).
        path (list[SimulatedStep]):
        steps_run (int):
        waits (list[SimulatedWait]):
        variant (None | str | Unset):
    """

    actions: list[SimulatedAction]
    customer_id: str
    ended: CustomerSimulationEnded
    ended_at: datetime.datetime
    held_back: list[HeldBackMessage]
    holdout: bool
    messages: list[SimulatedMessage]
    path: list[SimulatedStep]
    steps_run: int
    waits: list[SimulatedWait]
    variant: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        actions = []
        for actions_item_data in self.actions:
            actions_item = actions_item_data.to_dict()
            actions.append(actions_item)

        customer_id = self.customer_id

        ended = self.ended.value

        ended_at = self.ended_at.isoformat()

        held_back = []
        for held_back_item_data in self.held_back:
            held_back_item = held_back_item_data.to_dict()
            held_back.append(held_back_item)

        holdout = self.holdout

        messages = []
        for messages_item_data in self.messages:
            messages_item = messages_item_data.to_dict()
            messages.append(messages_item)

        path = []
        for path_item_data in self.path:
            path_item = path_item_data.to_dict()
            path.append(path_item)

        steps_run = self.steps_run

        waits = []
        for waits_item_data in self.waits:
            waits_item = waits_item_data.to_dict()
            waits.append(waits_item)

        variant: None | str | Unset
        if isinstance(self.variant, Unset):
            variant = UNSET
        else:
            variant = self.variant

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actions": actions,
                "customer_id": customer_id,
                "ended": ended,
                "ended_at": ended_at,
                "held_back": held_back,
                "holdout": holdout,
                "messages": messages,
                "path": path,
                "steps_run": steps_run,
                "waits": waits,
            }
        )
        if variant is not UNSET:
            field_dict["variant"] = variant

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.held_back_message import HeldBackMessage  # noqa: PLC0415
        from ..models.simulated_action import SimulatedAction  # noqa: PLC0415
        from ..models.simulated_message import SimulatedMessage  # noqa: PLC0415
        from ..models.simulated_step import SimulatedStep  # noqa: PLC0415
        from ..models.simulated_wait import SimulatedWait  # noqa: PLC0415

        d = dict(src_dict)
        actions = []
        _actions = d.pop("actions")
        for actions_item_data in _actions:
            actions_item = SimulatedAction.from_dict(actions_item_data)

            actions.append(actions_item)

        customer_id = d.pop("customer_id")

        ended = CustomerSimulationEnded(d.pop("ended"))

        ended_at = datetime.datetime.fromisoformat(d.pop("ended_at"))

        held_back = []
        _held_back = d.pop("held_back")
        for held_back_item_data in _held_back:
            held_back_item = HeldBackMessage.from_dict(held_back_item_data)

            held_back.append(held_back_item)

        holdout = d.pop("holdout")

        messages = []
        _messages = d.pop("messages")
        for messages_item_data in _messages:
            messages_item = SimulatedMessage.from_dict(messages_item_data)

            messages.append(messages_item)

        path = []
        _path = d.pop("path")
        for path_item_data in _path:
            path_item = SimulatedStep.from_dict(path_item_data)

            path.append(path_item)

        steps_run = d.pop("steps_run")

        waits = []
        _waits = d.pop("waits")
        for waits_item_data in _waits:
            waits_item = SimulatedWait.from_dict(waits_item_data)

            waits.append(waits_item)

        def _parse_variant(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        variant = _parse_variant(d.pop("variant", UNSET))

        customer_simulation = cls(
            actions=actions,
            customer_id=customer_id,
            ended=ended,
            ended_at=ended_at,
            held_back=held_back,
            holdout=holdout,
            messages=messages,
            path=path,
            steps_run=steps_run,
            waits=waits,
            variant=variant,
        )

        customer_simulation.additional_properties = d
        return customer_simulation

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
