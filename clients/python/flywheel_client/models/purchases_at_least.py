from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="PurchasesAtLeast")


@_attrs_define
class PurchasesAtLeast:
    """
    Attributes:
        count (int):
        kind (Literal['purchases_at_least']):
    """

    count: int
    kind: Literal["purchases_at_least"]

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        kind = self.kind

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "count": count,
                "kind": kind,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        kind = cast(Literal["purchases_at_least"], d.pop("kind"))
        if kind != "purchases_at_least":
            raise ValueError(f"kind must match const 'purchases_at_least', got '{kind}'")

        purchases_at_least = cls(
            count=count,
            kind=kind,
        )

        return purchases_at_least
