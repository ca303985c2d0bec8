from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="HeldBackMessage")


@_attrs_define
class HeldBackMessage:
    """
    Attributes:
        action_id (str):
        at (datetime.datetime):
        channel (None | str):
        kind (str):
        reason (str): holdout; a cap that skipped it (frequency_cap, workspace_cap:<channel>, priority: lost to journey
            <id>); or consent:<why> (erased, suppressed, unsubscribed:<group>, no_consent:<group>, unknown_group:<group>).
        step_id (str):
    """

    action_id: str
    at: datetime.datetime
    channel: None | str
    kind: str
    reason: str
    step_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action_id = self.action_id

        at = self.at.isoformat()

        channel: None | str
        channel = self.channel

        kind = self.kind

        reason = self.reason

        step_id = self.step_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action_id": action_id,
                "at": at,
                "channel": channel,
                "kind": kind,
                "reason": reason,
                "step_id": step_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action_id = d.pop("action_id")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        def _parse_channel(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        channel = _parse_channel(d.pop("channel"))

        kind = d.pop("kind")

        reason = d.pop("reason")

        step_id = d.pop("step_id")

        held_back_message = cls(
            action_id=action_id,
            at=at,
            channel=channel,
            kind=kind,
            reason=reason,
            step_id=step_id,
        )

        held_back_message.additional_properties = d
        return held_back_message

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
