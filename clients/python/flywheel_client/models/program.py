from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.program_document import ProgramDocument


T = TypeVar("T", bound="Program")


@_attrs_define
class Program:
    """A referral program: its document, normalised, and the version that goes up with every change.

    Attributes:
        created_at (datetime.datetime):
        document (ProgramDocument):
        name (str):
        program_id (str):
        updated_at (datetime.datetime):
        version (int): Goes up with every change of the document.
    """

    created_at: datetime.datetime
    document: ProgramDocument
    name: str
    program_id: str
    updated_at: datetime.datetime
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        document = self.document.to_dict()

        name = self.name

        program_id = self.program_id

        updated_at = self.updated_at.isoformat()

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "document": document,
                "name": name,
                "program_id": program_id,
                "updated_at": updated_at,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.program_document import ProgramDocument  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        document = ProgramDocument.from_dict(d.pop("document"))

        name = d.pop("name")

        program_id = d.pop("program_id")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        program = cls(
            created_at=created_at,
            document=document,
            name=name,
            program_id=program_id,
            updated_at=updated_at,
            version=version,
        )

        program.additional_properties = d
        return program

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
