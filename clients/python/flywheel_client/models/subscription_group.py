from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.subscription_group_default import SubscriptionGroupDefault
from ..types import UNSET, Unset

T = TypeVar("T", bound="SubscriptionGroup")


@_attrs_define
class SubscriptionGroup:
    """
    Attributes:
        channel (str):
        default (SubscriptionGroupDefault):
        group_id (str):
        name (str):
        updated_at (datetime.datetime):
        description (None | str | Unset):
    """

    channel: str
    default: SubscriptionGroupDefault
    group_id: str
    name: str
    updated_at: datetime.datetime
    description: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel

        default = self.default.value

        group_id = self.group_id

        name = self.name

        updated_at = self.updated_at.isoformat()

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channel": channel,
                "default": default,
                "group_id": group_id,
                "name": name,
                "updated_at": updated_at,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        channel = d.pop("channel")

        default = SubscriptionGroupDefault(d.pop("default"))

        group_id = d.pop("group_id")

        name = d.pop("name")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        subscription_group = cls(
            channel=channel,
            default=default,
            group_id=group_id,
            name=name,
            updated_at=updated_at,
            description=description,
        )

        subscription_group.additional_properties = d
        return subscription_group

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
