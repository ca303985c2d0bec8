from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ledger_total_kind import LedgerTotalKind

T = TypeVar("T", bound="LedgerTotal")


@_attrs_define
class LedgerTotal:
    """
    Attributes:
        balance (str): granted - reversed.
        granted (str): Ever granted (including what was reversed later).
        held (str): Held for review: not granted yet.
        kind (LedgerTotalKind):
        reversed_ (str):
    """

    balance: str
    granted: str
    held: str
    kind: LedgerTotalKind
    reversed_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        balance = self.balance

        granted = self.granted

        held = self.held

        kind = self.kind.value

        reversed_ = self.reversed_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "balance": balance,
                "granted": granted,
                "held": held,
                "kind": kind,
                "reversed": reversed_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        balance = d.pop("balance")

        granted = d.pop("granted")

        held = d.pop("held")

        kind = LedgerTotalKind(d.pop("kind"))

        reversed_ = d.pop("reversed")

        ledger_total = cls(
            balance=balance,
            granted=granted,
            held=held,
            kind=kind,
            reversed_=reversed_,
        )

        ledger_total.additional_properties = d
        return ledger_total

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
