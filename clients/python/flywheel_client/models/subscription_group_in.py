from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.subscription_group_in_channel import SubscriptionGroupInChannel
from ..models.subscription_group_in_default import SubscriptionGroupInDefault
from ..types import UNSET, Unset

T = TypeVar("T", bound="SubscriptionGroupIn")


@_attrs_define
class SubscriptionGroupIn:
    """A subscription group: a channel's list (a newsletter by email, promotions by SMS) a journey message may
    name (`subscription_group`); `default` is what a customer with no known choice is: `opt_in` (nothing is sent
    until they subscribe) or `opt_out` (sent until they unsubscribe).

        Attributes:
            channel (SubscriptionGroupInChannel):
            default (SubscriptionGroupInDefault):
            name (str):
            description (None | str | Unset):
    """

    channel: SubscriptionGroupInChannel
    default: SubscriptionGroupInDefault
    name: str
    description: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel.value

        default = self.default.value

        name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "channel": channel,
                "default": default,
                "name": name,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        channel = SubscriptionGroupInChannel(d.pop("channel"))

        default = SubscriptionGroupInDefault(d.pop("default"))

        name = d.pop("name")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        subscription_group_in = cls(
            channel=channel,
            default=default,
            name=name,
            description=description,
        )

        return subscription_group_in
