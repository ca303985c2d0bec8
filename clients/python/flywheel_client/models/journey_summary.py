from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.journey_summary_status import JourneySummaryStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="JourneySummary")


@_attrs_define
class JourneySummary:
    """
    Attributes:
        created_at (datetime.datetime):
        journey_id (str):
        latest_version (int): The version being edited (a draft when newer than active_version).
        name (str):
        status (JourneySummaryStatus):
        updated_at (datetime.datetime):
        versions (int): How many versions the journey has.
        active_version (int | None | Unset): The frozen version new enrolments get; null until activated.
        template (None | str | Unset): The built-in template it was created from, if any.
    """

    created_at: datetime.datetime
    journey_id: str
    latest_version: int
    name: str
    status: JourneySummaryStatus
    updated_at: datetime.datetime
    versions: int
    active_version: int | None | Unset = UNSET
    template: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        journey_id = self.journey_id

        latest_version = self.latest_version

        name = self.name

        status = self.status.value

        updated_at = self.updated_at.isoformat()

        versions = self.versions

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
                "journey_id": journey_id,
                "latest_version": latest_version,
                "name": name,
                "status": status,
                "updated_at": updated_at,
                "versions": versions,
            }
        )
        if active_version is not UNSET:
            field_dict["active_version"] = active_version
        if template is not UNSET:
            field_dict["template"] = template

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        journey_id = d.pop("journey_id")

        latest_version = d.pop("latest_version")

        name = d.pop("name")

        status = JourneySummaryStatus(d.pop("status"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        versions = d.pop("versions")

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

        journey_summary = cls(
            created_at=created_at,
            journey_id=journey_id,
            latest_version=latest_version,
            name=name,
            status=status,
            updated_at=updated_at,
            versions=versions,
            active_version=active_version,
            template=template,
        )

        journey_summary.additional_properties = d
        return journey_summary

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
