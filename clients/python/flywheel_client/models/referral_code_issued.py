from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ReferralCodeIssued")


@_attrs_define
class ReferralCodeIssued:
    """
    Attributes:
        code (str): The customer's stable code in this program.
        created (bool): True when this request made the code.
        customer_id (str):
        program_id (str):
    """

    code: str
    created: bool
    customer_id: str
    program_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        created = self.created

        customer_id = self.customer_id

        program_id = self.program_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "created": created,
                "customer_id": customer_id,
                "program_id": program_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        created = d.pop("created")

        customer_id = d.pop("customer_id")

        program_id = d.pop("program_id")

        referral_code_issued = cls(
            code=code,
            created=created,
            customer_id=customer_id,
            program_id=program_id,
        )

        referral_code_issued.additional_properties = d
        return referral_code_issued

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
