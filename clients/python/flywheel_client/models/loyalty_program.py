from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.loyalty_program_document import LoyaltyProgramDocument


T = TypeVar("T", bound="LoyaltyProgram")


@_attrs_define
class LoyaltyProgram:
    """The workspace's program: its document, normalised, and its version (up with every change).

    Attributes:
        active (bool):
        created_at (datetime.datetime):
        document (LoyaltyProgramDocument):
        name (str):
        updated_at (datetime.datetime):
        version (int):
    """

    active: bool
    created_at: datetime.datetime
    document: LoyaltyProgramDocument
    name: str
    updated_at: datetime.datetime
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        active = self.active

        created_at = self.created_at.isoformat()

        document = self.document.to_dict()

        name = self.name

        updated_at = self.updated_at.isoformat()

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "active": active,
                "created_at": created_at,
                "document": document,
                "name": name,
                "updated_at": updated_at,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.loyalty_program_document import LoyaltyProgramDocument  # noqa: PLC0415

        d = dict(src_dict)
        active = d.pop("active")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        document = LoyaltyProgramDocument.from_dict(d.pop("document"))

        name = d.pop("name")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        loyalty_program = cls(
            active=active,
            created_at=created_at,
            document=document,
            name=name,
            updated_at=updated_at,
            version=version,
        )

        loyalty_program.additional_properties = d
        return loyalty_program

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
