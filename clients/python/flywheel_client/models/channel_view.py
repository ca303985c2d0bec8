from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ChannelView")


@_attrs_define
class ChannelView:
    """
    Attributes:
        timezone (str):
        updated_at (datetime.datetime):
        webhook_url (str):
        has_secret (bool | Unset): Deliveries are always signed. Default: True.
        secret (None | str | Unset): The webhook signing secret: only in the PUT answer that made it (the first PUT, or
            one with `rotate_secret`); never shown again.
    """

    timezone: str
    updated_at: datetime.datetime
    webhook_url: str
    has_secret: bool | Unset = True
    secret: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        timezone = self.timezone

        updated_at = self.updated_at.isoformat()

        webhook_url = self.webhook_url

        has_secret = self.has_secret

        secret: None | str | Unset
        if isinstance(self.secret, Unset):
            secret = UNSET
        else:
            secret = self.secret

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "timezone": timezone,
                "updated_at": updated_at,
                "webhook_url": webhook_url,
            }
        )
        if has_secret is not UNSET:
            field_dict["has_secret"] = has_secret
        if secret is not UNSET:
            field_dict["secret"] = secret

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        timezone = d.pop("timezone")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        webhook_url = d.pop("webhook_url")

        has_secret = d.pop("has_secret", UNSET)

        def _parse_secret(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        secret = _parse_secret(d.pop("secret", UNSET))

        channel_view = cls(
            timezone=timezone,
            updated_at=updated_at,
            webhook_url=webhook_url,
            has_secret=has_secret,
            secret=secret,
        )

        channel_view.additional_properties = d
        return channel_view

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
