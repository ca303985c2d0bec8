from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TrackingAccepted")


@_attrs_define
class TrackingAccepted:
    """Every message was taken: its event is durable in Kafka (or it was a call Flywheel ignores).

    Attributes:
        accepted (list[str]): Event ids (the messages' messageIds) published, in body order.
        ignored (list[str] | Unset): messageIds of `group` calls, accepted and ignored.
        success (bool | Unset):  Default: True.
    """

    accepted: list[str]
    ignored: list[str] | Unset = UNSET
    success: bool | Unset = True
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        accepted = self.accepted

        ignored: list[str] | Unset = UNSET
        if not isinstance(self.ignored, Unset):
            ignored = self.ignored

        success = self.success

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accepted": accepted,
            }
        )
        if ignored is not UNSET:
            field_dict["ignored"] = ignored
        if success is not UNSET:
            field_dict["success"] = success

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        accepted = cast(list[str], d.pop("accepted"))

        ignored = cast(list[str], d.pop("ignored", UNSET))

        success = d.pop("success", UNSET)

        tracking_accepted = cls(
            accepted=accepted,
            ignored=ignored,
            success=success,
        )

        tracking_accepted.additional_properties = d
        return tracking_accepted

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
