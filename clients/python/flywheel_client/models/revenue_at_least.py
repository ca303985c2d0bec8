from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="RevenueAtLeast")


@_attrs_define
class RevenueAtLeast:
    """
    Attributes:
        amount (float | str):
        kind (Literal['revenue_at_least']):
    """

    amount: float | str
    kind: Literal["revenue_at_least"]

    def to_dict(self) -> dict[str, Any]:
        amount: float | str
        amount = self.amount

        kind = self.kind

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
                "kind": kind,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_amount(data: object) -> float | str:
            return cast(float | str, data)

        amount = _parse_amount(d.pop("amount"))

        kind = cast(Literal["revenue_at_least"], d.pop("kind"))
        if kind != "revenue_at_least":
            raise ValueError(f"kind must match const 'revenue_at_least', got '{kind}'")

        revenue_at_least = cls(
            amount=amount,
            kind=kind,
        )

        return revenue_at_least
