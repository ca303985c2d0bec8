from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.joined_identifier import JoinedIdentifier


T = TypeVar("T", bound="MergeCause")


@_attrs_define
class MergeCause:
    """What merged the two profiles: the event that carried identifiers of both, and those identifiers.

    Attributes:
        reason (str):
        event_id (None | str | Unset): The event that joined them.
        identifiers (list[JoinedIdentifier] | Unset): The identifiers that event carried.
    """

    reason: str
    event_id: None | str | Unset = UNSET
    identifiers: list[JoinedIdentifier] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        event_id: None | str | Unset
        if isinstance(self.event_id, Unset):
            event_id = UNSET
        else:
            event_id = self.event_id

        identifiers: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.identifiers, Unset):
            identifiers = []
            for identifiers_item_data in self.identifiers:
                identifiers_item = identifiers_item_data.to_dict()
                identifiers.append(identifiers_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "reason": reason,
            }
        )
        if event_id is not UNSET:
            field_dict["event_id"] = event_id
        if identifiers is not UNSET:
            field_dict["identifiers"] = identifiers

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.joined_identifier import JoinedIdentifier  # noqa: PLC0415

        d = dict(src_dict)
        reason = d.pop("reason")

        def _parse_event_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        event_id = _parse_event_id(d.pop("event_id", UNSET))

        _identifiers = d.pop("identifiers", UNSET)
        identifiers: list[JoinedIdentifier] | Unset = UNSET
        if _identifiers is not UNSET:
            identifiers = []
            for identifiers_item_data in _identifiers:
                identifiers_item = JoinedIdentifier.from_dict(identifiers_item_data)

                identifiers.append(identifiers_item)

        merge_cause = cls(
            reason=reason,
            event_id=event_id,
            identifiers=identifiers,
        )

        merge_cause.additional_properties = d
        return merge_cause

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
