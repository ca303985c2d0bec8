from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.consent_record_status import ConsentRecordStatus

T = TypeVar("T", bound="ConsentRecord")


@_attrs_define
class ConsentRecord:
    """
    Attributes:
        event_id (str):
        group_id (str):
        occurred_at (datetime.datetime):
        source (str):
        status (ConsentRecordStatus):
    """

    event_id: str
    group_id: str
    occurred_at: datetime.datetime
    source: str
    status: ConsentRecordStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event_id = self.event_id

        group_id = self.group_id

        occurred_at = self.occurred_at.isoformat()

        source = self.source

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event_id": event_id,
                "group_id": group_id,
                "occurred_at": occurred_at,
                "source": source,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_id = d.pop("event_id")

        group_id = d.pop("group_id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        source = d.pop("source")

        status = ConsentRecordStatus(d.pop("status"))

        consent_record = cls(
            event_id=event_id,
            group_id=group_id,
            occurred_at=occurred_at,
            source=source,
            status=status,
        )

        consent_record.additional_properties = d
        return consent_record

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
