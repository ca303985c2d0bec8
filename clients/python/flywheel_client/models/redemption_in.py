from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RedemptionIn")


@_attrs_define
class RedemptionIn:
    """Points to spend on an order: held now, redeemed when the order's purchase arrives, released otherwise.

    Attributes:
        order_id (str): The order the points pay toward.
        points (int):
        order_total (float | None | str | Unset): The order's total in the program's currency: needed when the program
            caps the share.
    """

    order_id: str
    points: int
    order_total: float | None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        order_id = self.order_id

        points = self.points

        order_total: float | None | str | Unset
        if isinstance(self.order_total, Unset):
            order_total = UNSET
        else:
            order_total = self.order_total

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "order_id": order_id,
                "points": points,
            }
        )
        if order_total is not UNSET:
            field_dict["order_total"] = order_total

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        order_id = d.pop("order_id")

        points = d.pop("points")

        def _parse_order_total(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        order_total = _parse_order_total(d.pop("order_total", UNSET))

        redemption_in = cls(
            order_id=order_id,
            points=points,
            order_total=order_total,
        )

        return redemption_in
