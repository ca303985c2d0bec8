from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ChannelCapIn")


@_attrs_define
class ChannelCapIn:
    """At most `messages` messages per `per` to one customer on the channel, every journey together.

    Attributes:
        messages (int):
        per (str): A window from "1m" to "31d" ("m" minutes, "h" hours, "d" days, "w" weeks; 422 beyond).
    """

    messages: int
    per: str

    def to_dict(self) -> dict[str, Any]:
        messages = self.messages

        per = self.per

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "messages": messages,
                "per": per,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        messages = d.pop("messages")

        per = d.pop("per")

        channel_cap_in = cls(
            messages=messages,
            per=per,
        )

        return channel_cap_in
