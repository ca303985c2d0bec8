from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.event_type_version_unknown_fields import EventTypeVersionUnknownFields
from ..types import UNSET, Unset

T = TypeVar("T", bound="EventTypeVersion")


@_attrs_define
class EventTypeVersion:
    """
    Attributes:
        created_at (datetime.datetime):
        version (int):
        description (None | str | Unset):
        unknown_fields (EventTypeVersionUnknownFields | Unset):  Default: EventTypeVersionUnknownFields.KEEP.
    """

    created_at: datetime.datetime
    version: int
    description: None | str | Unset = UNSET
    unknown_fields: EventTypeVersionUnknownFields | Unset = EventTypeVersionUnknownFields.KEEP
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        version = self.version

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        unknown_fields: str | Unset = UNSET
        if not isinstance(self.unknown_fields, Unset):
            unknown_fields = self.unknown_fields.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "version": version,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if unknown_fields is not UNSET:
            field_dict["unknown_fields"] = unknown_fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        version = d.pop("version")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        _unknown_fields = d.pop("unknown_fields", UNSET)
        unknown_fields: EventTypeVersionUnknownFields | Unset
        if isinstance(_unknown_fields, Unset):
            unknown_fields = UNSET
        else:
            unknown_fields = EventTypeVersionUnknownFields(_unknown_fields)

        event_type_version = cls(
            created_at=created_at,
            version=version,
            description=description,
            unknown_fields=unknown_fields,
        )

        event_type_version.additional_properties = d
        return event_type_version

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
