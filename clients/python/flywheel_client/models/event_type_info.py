from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.event_type_info_unknown_fields_type_0 import EventTypeInfoUnknownFieldsType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_type_counts import EventTypeCounts
    from ..models.event_type_info_schema_type_0 import EventTypeInfoSchemaType0
    from ..models.event_type_version import EventTypeVersion


T = TypeVar("T", bound="EventTypeInfo")


@_attrs_define
class EventTypeInfo:
    """A built-in type (`builtin: true`, no schema: the contract, events.md, describes it) or a custom one with
    its current version's schema and every version.

        Attributes:
            name (str):
            builtin (bool | Unset):  Default: False.
            counts (EventTypeCounts | Unset):
            description (None | str | Unset):
            schema (EventTypeInfoSchemaType0 | None | Unset): The current version's schema.
            unknown_fields (EventTypeInfoUnknownFieldsType0 | None | Unset):
            version (int | None | Unset): The current version (custom types).
            versions (list[EventTypeVersion] | Unset): Every version, oldest first.
    """

    name: str
    builtin: bool | Unset = False
    counts: EventTypeCounts | Unset = UNSET
    description: None | str | Unset = UNSET
    schema: EventTypeInfoSchemaType0 | None | Unset = UNSET
    unknown_fields: EventTypeInfoUnknownFieldsType0 | None | Unset = UNSET
    version: int | None | Unset = UNSET
    versions: list[EventTypeVersion] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.event_type_info_schema_type_0 import EventTypeInfoSchemaType0  # noqa: PLC0415

        name = self.name

        builtin = self.builtin

        counts: dict[str, Any] | Unset = UNSET
        if not isinstance(self.counts, Unset):
            counts = self.counts.to_dict()

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        schema: dict[str, Any] | None | Unset
        if isinstance(self.schema, Unset):
            schema = UNSET
        elif isinstance(self.schema, EventTypeInfoSchemaType0):
            schema = self.schema.to_dict()
        else:
            schema = self.schema

        unknown_fields: None | str | Unset
        if isinstance(self.unknown_fields, Unset):
            unknown_fields = UNSET
        elif isinstance(self.unknown_fields, EventTypeInfoUnknownFieldsType0):
            unknown_fields = self.unknown_fields.value
        else:
            unknown_fields = self.unknown_fields

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        versions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.versions, Unset):
            versions = []
            for versions_item_data in self.versions:
                versions_item = versions_item_data.to_dict()
                versions.append(versions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
            }
        )
        if builtin is not UNSET:
            field_dict["builtin"] = builtin
        if counts is not UNSET:
            field_dict["counts"] = counts
        if description is not UNSET:
            field_dict["description"] = description
        if schema is not UNSET:
            field_dict["schema"] = schema
        if unknown_fields is not UNSET:
            field_dict["unknown_fields"] = unknown_fields
        if version is not UNSET:
            field_dict["version"] = version
        if versions is not UNSET:
            field_dict["versions"] = versions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_type_counts import EventTypeCounts  # noqa: PLC0415
        from ..models.event_type_info_schema_type_0 import EventTypeInfoSchemaType0  # noqa: PLC0415
        from ..models.event_type_version import EventTypeVersion  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        builtin = d.pop("builtin", UNSET)

        _counts = d.pop("counts", UNSET)
        counts: EventTypeCounts | Unset
        if isinstance(_counts, Unset):
            counts = UNSET
        else:
            counts = EventTypeCounts.from_dict(_counts)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_schema(data: object) -> EventTypeInfoSchemaType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                schema_type_0 = EventTypeInfoSchemaType0.from_dict(data)

                return schema_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EventTypeInfoSchemaType0 | None | Unset, data)

        schema = _parse_schema(d.pop("schema", UNSET))

        def _parse_unknown_fields(data: object) -> EventTypeInfoUnknownFieldsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                unknown_fields_type_0 = EventTypeInfoUnknownFieldsType0(data)

                return unknown_fields_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EventTypeInfoUnknownFieldsType0 | None | Unset, data)

        unknown_fields = _parse_unknown_fields(d.pop("unknown_fields", UNSET))

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        _versions = d.pop("versions", UNSET)
        versions: list[EventTypeVersion] | Unset = UNSET
        if _versions is not UNSET:
            versions = []
            for versions_item_data in _versions:
                versions_item = EventTypeVersion.from_dict(versions_item_data)

                versions.append(versions_item)

        event_type_info = cls(
            name=name,
            builtin=builtin,
            counts=counts,
            description=description,
            schema=schema,
            unknown_fields=unknown_fields,
            version=version,
            versions=versions,
        )

        event_type_info.additional_properties = d
        return event_type_info

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
