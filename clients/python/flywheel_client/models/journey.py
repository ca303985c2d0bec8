from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.journey_status import JourneyStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.journey_document import JourneyDocument


T = TypeVar("T", bound="Journey")


@_attrs_define
class Journey:
    """A journey and its latest version's document.

    Attributes:
        created_at (datetime.datetime):
        document (JourneyDocument): The latest version's document, normalised.
        journey_id (str):
        latest_version (int): The version being edited (a draft when newer than active_version).
        name (str):
        status (JourneyStatus):
        updated_at (datetime.datetime):
        active_version (int | None | Unset): The frozen version new enrolments get; null until activated.
        template (None | str | Unset):
    """

    created_at: datetime.datetime
    document: JourneyDocument
    journey_id: str
    latest_version: int
    name: str
    status: JourneyStatus
    updated_at: datetime.datetime
    active_version: int | None | Unset = UNSET
    template: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        document = self.document.to_dict()

        journey_id = self.journey_id

        latest_version = self.latest_version

        name = self.name

        status = self.status.value

        updated_at = self.updated_at.isoformat()

        active_version: int | None | Unset
        if isinstance(self.active_version, Unset):
            active_version = UNSET
        else:
            active_version = self.active_version

        template: None | str | Unset
        if isinstance(self.template, Unset):
            template = UNSET
        else:
            template = self.template

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "document": document,
                "journey_id": journey_id,
                "latest_version": latest_version,
                "name": name,
                "status": status,
                "updated_at": updated_at,
            }
        )
        if active_version is not UNSET:
            field_dict["active_version"] = active_version
        if template is not UNSET:
            field_dict["template"] = template

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.journey_document import JourneyDocument  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        document = JourneyDocument.from_dict(d.pop("document"))

        journey_id = d.pop("journey_id")

        latest_version = d.pop("latest_version")

        name = d.pop("name")

        status = JourneyStatus(d.pop("status"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_active_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        active_version = _parse_active_version(d.pop("active_version", UNSET))

        def _parse_template(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        template = _parse_template(d.pop("template", UNSET))

        journey = cls(
            created_at=created_at,
            document=document,
            journey_id=journey_id,
            latest_version=latest_version,
            name=name,
            status=status,
            updated_at=updated_at,
            active_version=active_version,
            template=template,
        )

        journey.additional_properties = d
        return journey

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
