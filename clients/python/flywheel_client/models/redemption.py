from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.redemption_status import RedemptionStatus

T = TypeVar("T", bound="Redemption")


@_attrs_define
class Redemption:
    """
    Attributes:
        available (int): The member's available points after this redemption.
        created_at (datetime.datetime):
        currency (str):
        customer_id (str):
        expires_at (datetime.datetime): When the hold is released unless the order's purchase arrived.
        order_id (str):
        points (int):
        redemption_id (str):
        status (RedemptionStatus):
        value (str): The points' worth in the program's currency (decimal).
    """

    available: int
    created_at: datetime.datetime
    currency: str
    customer_id: str
    expires_at: datetime.datetime
    order_id: str
    points: int
    redemption_id: str
    status: RedemptionStatus
    value: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        available = self.available

        created_at = self.created_at.isoformat()

        currency = self.currency

        customer_id = self.customer_id

        expires_at = self.expires_at.isoformat()

        order_id = self.order_id

        points = self.points

        redemption_id = self.redemption_id

        status = self.status.value

        value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "available": available,
                "created_at": created_at,
                "currency": currency,
                "customer_id": customer_id,
                "expires_at": expires_at,
                "order_id": order_id,
                "points": points,
                "redemption_id": redemption_id,
                "status": status,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        available = d.pop("available")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = d.pop("currency")

        customer_id = d.pop("customer_id")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        order_id = d.pop("order_id")

        points = d.pop("points")

        redemption_id = d.pop("redemption_id")

        status = RedemptionStatus(d.pop("status"))

        value = d.pop("value")

        redemption = cls(
            available=available,
            created_at=created_at,
            currency=currency,
            customer_id=customer_id,
            expires_at=expires_at,
            order_id=order_id,
            points=points,
            redemption_id=redemption_id,
            status=status,
            value=value,
        )

        redemption.additional_properties = d
        return redemption

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
