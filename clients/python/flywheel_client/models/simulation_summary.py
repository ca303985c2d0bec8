from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.simulation_summary_ended import SimulationSummaryEnded
    from ..models.simulation_summary_held_back import SimulationSummaryHeldBack
    from ..models.simulation_summary_messages import SimulationSummaryMessages


T = TypeVar("T", bound="SimulationSummary")


@_attrs_define
class SimulationSummary:
    """
    Attributes:
        ended (SimulationSummaryEnded): Runs by how they ended.
        held_back (SimulationSummaryHeldBack): Messages held back by reason.
        messages (SimulationSummaryMessages): Messages by channel.
    """

    ended: SimulationSummaryEnded
    held_back: SimulationSummaryHeldBack
    messages: SimulationSummaryMessages
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ended = self.ended.to_dict()

        held_back = self.held_back.to_dict()

        messages = self.messages.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ended": ended,
                "held_back": held_back,
                "messages": messages,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.simulation_summary_ended import SimulationSummaryEnded  # noqa: PLC0415
        from ..models.simulation_summary_held_back import SimulationSummaryHeldBack  # noqa: PLC0415
        from ..models.simulation_summary_messages import SimulationSummaryMessages  # noqa: PLC0415

        d = dict(src_dict)
        ended = SimulationSummaryEnded.from_dict(d.pop("ended"))

        held_back = SimulationSummaryHeldBack.from_dict(d.pop("held_back"))

        messages = SimulationSummaryMessages.from_dict(d.pop("messages"))

        simulation_summary = cls(
            ended=ended,
            held_back=held_back,
            messages=messages,
        )

        simulation_summary.additional_properties = d
        return simulation_summary

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
