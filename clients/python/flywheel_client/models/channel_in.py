from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ChannelIn")


@_attrs_define
class ChannelIn:
    """The workspace's outreach channel: journeys' webhook actions are POSTed here, signed with its secret.

    Attributes:
        webhook_url (str): An http(s) URL whose host resolves to public addresses only (422 otherwise: no loopback,
            private, link-local or other internal address).
        rotate_secret (bool | Unset): Make a new signing secret (returned once, in this answer). Default: False.
        timezone (str | Unset): IANA time zone name for quiet hours (422 for an unknown one). Default: 'UTC'.
    """

    webhook_url: str
    rotate_secret: bool | Unset = False
    timezone: str | Unset = "UTC"

    def to_dict(self) -> dict[str, Any]:
        webhook_url = self.webhook_url

        rotate_secret = self.rotate_secret

        timezone = self.timezone

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "webhook_url": webhook_url,
            }
        )
        if rotate_secret is not UNSET:
            field_dict["rotate_secret"] = rotate_secret
        if timezone is not UNSET:
            field_dict["timezone"] = timezone

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        webhook_url = d.pop("webhook_url")

        rotate_secret = d.pop("rotate_secret", UNSET)

        timezone = d.pop("timezone", UNSET)

        channel_in = cls(
            webhook_url=webhook_url,
            rotate_secret=rotate_secret,
            timezone=timezone,
        )

        return channel_in
