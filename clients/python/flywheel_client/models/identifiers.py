from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Identifiers")


@_attrs_define
class Identifiers:
    """
    Attributes:
        anonymous_id (list[str] | Unset):
        email (list[str] | Unset):
        external_id (list[str] | Unset):
        phone (list[str] | Unset):
    """

    anonymous_id: list[str] | Unset = UNSET
    email: list[str] | Unset = UNSET
    external_id: list[str] | Unset = UNSET
    phone: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        anonymous_id: list[str] | Unset = UNSET
        if not isinstance(self.anonymous_id, Unset):
            anonymous_id = self.anonymous_id

        email: list[str] | Unset = UNSET
        if not isinstance(self.email, Unset):
            email = self.email

        external_id: list[str] | Unset = UNSET
        if not isinstance(self.external_id, Unset):
            external_id = self.external_id

        phone: list[str] | Unset = UNSET
        if not isinstance(self.phone, Unset):
            phone = self.phone

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if anonymous_id is not UNSET:
            field_dict["anonymous_id"] = anonymous_id
        if email is not UNSET:
            field_dict["email"] = email
        if external_id is not UNSET:
            field_dict["external_id"] = external_id
        if phone is not UNSET:
            field_dict["phone"] = phone

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        anonymous_id = cast(list[str], d.pop("anonymous_id", UNSET))

        email = cast(list[str], d.pop("email", UNSET))

        external_id = cast(list[str], d.pop("external_id", UNSET))

        phone = cast(list[str], d.pop("phone", UNSET))

        identifiers = cls(
            anonymous_id=anonymous_id,
            email=email,
            external_id=external_id,
            phone=phone,
        )

        identifiers.additional_properties = d
        return identifiers

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
