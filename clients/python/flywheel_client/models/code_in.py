from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="CodeIn")


@_attrs_define
class CodeIn:
    """Whose referral code to give (made on the first request, the same ever after).

    Attributes:
        customer_id (str):
    """

    customer_id: str

    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "customer_id": customer_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        code_in = cls(
            customer_id=customer_id,
        )

        return code_in
