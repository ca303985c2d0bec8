from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SimulatedMessage")


@_attrs_define
class SimulatedMessage:
    """
    Attributes:
        action_id (str):
        at (datetime.datetime):
        channel (None | str):
        kind (str): webhook, survey or referral_invite.
        step_id (str):
        preview (None | str | Unset): The rendered text, its first 500 characters.
        subject (None | str | Unset): Rendered for the customer.
    """

    action_id: str
    at: datetime.datetime
    channel: None | str
    kind: str
    step_id: str
    preview: None | str | Unset = UNSET
    subject: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action_id = self.action_id

        at = self.at.isoformat()

        channel: None | str
        channel = self.channel

        kind = self.kind

        step_id = self.step_id

        preview: None | str | Unset
        if isinstance(self.preview, Unset):
            preview = UNSET
        else:
            preview = self.preview

        subject: None | str | Unset
        if isinstance(self.subject, Unset):
            subject = UNSET
        else:
            subject = self.subject

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action_id": action_id,
                "at": at,
                "channel": channel,
                "kind": kind,
                "step_id": step_id,
            }
        )
        if preview is not UNSET:
            field_dict["preview"] = preview
        if subject is not UNSET:
            field_dict["subject"] = subject

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

        step_id = d.pop("step_id")

        def _parse_preview(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        preview = _parse_preview(d.pop("preview", UNSET))

        def _parse_subject(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))

        simulated_message = cls(
            action_id=action_id,
            at=at,
            channel=channel,
            kind=kind,
            step_id=step_id,
            preview=preview,
            subject=subject,
        )

        simulated_message.additional_properties = d
        return simulated_message

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
