from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.event_type_in_unknown_fields import EventTypeInUnknownFields
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_type_in_schema import EventTypeInSchema


T = TypeVar("T", bound="EventTypeIn")


@_attrs_define
class EventTypeIn:
    """One new version of a custom event type.

    Attributes:
        schema (EventTypeInSchema): JSON Schema (Draft 2020-12) of the event's `data` beyond `customer` (every event
            carries `data.customer`; the schema may not describe it). Budgets: its size, depth and keyword count; references
            only within itself; `pattern` and `patternProperties` run on RE2 (linear time: no back-references or look-
            arounds); `uniqueItems` needs `maxItems` <= 100; `format` is an annotation only.
        description (None | str | Unset):
        unknown_fields (EventTypeInUnknownFields | Unset): Top-level fields of `data` the schema's `properties` do not
            name: kept on the timeline, or the event is refused (422 at the gateway, dead-lettered from Kafka) naming them.
            Default: EventTypeInUnknownFields.KEEP.
    """

    schema: EventTypeInSchema
    description: None | str | Unset = UNSET
    unknown_fields: EventTypeInUnknownFields | Unset = EventTypeInUnknownFields.KEEP

    def to_dict(self) -> dict[str, Any]:
        schema = self.schema.to_dict()

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        unknown_fields: str | Unset = UNSET
        if not isinstance(self.unknown_fields, Unset):
            unknown_fields = self.unknown_fields.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "schema": schema,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if unknown_fields is not UNSET:
            field_dict["unknown_fields"] = unknown_fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_type_in_schema import EventTypeInSchema  # noqa: PLC0415

        d = dict(src_dict)
        schema = EventTypeInSchema.from_dict(d.pop("schema"))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        _unknown_fields = d.pop("unknown_fields", UNSET)
        unknown_fields: EventTypeInUnknownFields | Unset
        if isinstance(_unknown_fields, Unset):
            unknown_fields = UNSET
        else:
            unknown_fields = EventTypeInUnknownFields(_unknown_fields)

        event_type_in = cls(
            schema=schema,
            description=description,
            unknown_fields=unknown_fields,
        )

        return event_type_in
