from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.held_back_count_outcome import HeldBackCountOutcome

T = TypeVar("T", bound="HeldBackCount")


@_attrs_define
class HeldBackCount:
    """Messages of the journey a frequency cap held back, by outcome and reason (each message counted once per
    outcome and reason, however often it was re-checked).

        Attributes:
            messages (int):
            outcome (HeldBackCountOutcome):
            reason (str): `frequency_cap` (the journey's own cap), `workspace_cap:<channel>` (the workspace's cap on the
                channel, taken by messages sent earlier in the window) or `priority: lost to journey <id>` (a journey of higher
                priority, or of equal priority and a lower id, took the last slot in the same pass).
    """

    messages: int
    outcome: HeldBackCountOutcome
    reason: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        messages = self.messages

        outcome = self.outcome.value

        reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "messages": messages,
                "outcome": outcome,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        messages = d.pop("messages")

        outcome = HeldBackCountOutcome(d.pop("outcome"))

        reason = d.pop("reason")

        held_back_count = cls(
            messages=messages,
            outcome=outcome,
            reason=reason,
        )

        held_back_count.additional_properties = d
        return held_back_count

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
