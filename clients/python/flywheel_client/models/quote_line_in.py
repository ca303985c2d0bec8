from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="QuoteLineIn")


@_attrs_define
class QuoteLineIn:
    """
    Attributes:
        quantity (int):
        sku (str):
        unit_price (float | str): Decimal string (or a JSON number up to 10^11), at most 4 decimals.
    """

    quantity: int
    sku: str
    unit_price: float | str

    def to_dict(self) -> dict[str, Any]:
        quantity = self.quantity

        sku = self.sku

        unit_price: float | str
        unit_price = self.unit_price

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "quantity": quantity,
                "sku": sku,
                "unit_price": unit_price,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        quantity = d.pop("quantity")

        sku = d.pop("sku")

        def _parse_unit_price(data: object) -> float | str:
            return cast(float | str, data)

        unit_price = _parse_unit_price(d.pop("unit_price"))

        quote_line_in = cls(
            quantity=quantity,
            sku=sku,
            unit_price=unit_price,
        )

        return quote_line_in
