from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ErasureAccepted")


@_attrs_define
class ErasureAccepted:
    """
    Attributes:
        customer_id (str):
        erased_ids (list[str]): Every customer id erased (the customer and ids merged into it).
        status (Literal['erased'] | Unset):  Default: 'erased'.
    """

    customer_id: str
    erased_ids: list[str]
    status: Literal["erased"] | Unset = "erased"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        erased_ids = self.erased_ids

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer_id": customer_id,
                "erased_ids": erased_ids,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        erased_ids = cast(list[str], d.pop("erased_ids"))

        status = cast(Literal["erased"] | Unset, d.pop("status", UNSET))
        if status != "erased" and not isinstance(status, Unset):
            raise ValueError(f"status must match const 'erased', got '{status}'")

        erasure_accepted = cls(
            customer_id=customer_id,
            erased_ids=erased_ids,
            status=status,
        )

        erasure_accepted.additional_properties = d
        return erasure_accepted

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
