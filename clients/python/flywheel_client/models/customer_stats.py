from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CustomerStats")


@_attrs_define
class CustomerStats:
    """
    Attributes:
        average_csat (float | None | Unset):
        average_order_value (None | str | Unset): Decimal string.
        first_purchase_at (datetime.datetime | None | Unset):
        last_nps (int | None | Unset):
        last_purchase_at (datetime.datetime | None | Unset):
        last_visit_at (datetime.datetime | None | Unset):
        open_tickets (int | Unset):  Default: 0.
        orders (int | Unset):  Default: 0.
        revenue (str | Unset): Decimal string. Default: '0'.
        visits (int | Unset):  Default: 0.
    """

    average_csat: float | None | Unset = UNSET
    average_order_value: None | str | Unset = UNSET
    first_purchase_at: datetime.datetime | None | Unset = UNSET
    last_nps: int | None | Unset = UNSET
    last_purchase_at: datetime.datetime | None | Unset = UNSET
    last_visit_at: datetime.datetime | None | Unset = UNSET
    open_tickets: int | Unset = 0
    orders: int | Unset = 0
    revenue: str | Unset = "0"
    visits: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        average_csat: float | None | Unset
        if isinstance(self.average_csat, Unset):
            average_csat = UNSET
        else:
            average_csat = self.average_csat

        average_order_value: None | str | Unset
        if isinstance(self.average_order_value, Unset):
            average_order_value = UNSET
        else:
            average_order_value = self.average_order_value

        first_purchase_at: None | str | Unset
        if isinstance(self.first_purchase_at, Unset):
            first_purchase_at = UNSET
        elif isinstance(self.first_purchase_at, datetime.datetime):
            first_purchase_at = self.first_purchase_at.isoformat()
        else:
            first_purchase_at = self.first_purchase_at

        last_nps: int | None | Unset
        if isinstance(self.last_nps, Unset):
            last_nps = UNSET
        else:
            last_nps = self.last_nps

        last_purchase_at: None | str | Unset
        if isinstance(self.last_purchase_at, Unset):
            last_purchase_at = UNSET
        elif isinstance(self.last_purchase_at, datetime.datetime):
            last_purchase_at = self.last_purchase_at.isoformat()
        else:
            last_purchase_at = self.last_purchase_at

        last_visit_at: None | str | Unset
        if isinstance(self.last_visit_at, Unset):
            last_visit_at = UNSET
        elif isinstance(self.last_visit_at, datetime.datetime):
            last_visit_at = self.last_visit_at.isoformat()
        else:
            last_visit_at = self.last_visit_at

        open_tickets = self.open_tickets

        orders = self.orders

        revenue = self.revenue

        visits = self.visits

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if average_csat is not UNSET:
            field_dict["average_csat"] = average_csat
        if average_order_value is not UNSET:
            field_dict["average_order_value"] = average_order_value
        if first_purchase_at is not UNSET:
            field_dict["first_purchase_at"] = first_purchase_at
        if last_nps is not UNSET:
            field_dict["last_nps"] = last_nps
        if last_purchase_at is not UNSET:
            field_dict["last_purchase_at"] = last_purchase_at
        if last_visit_at is not UNSET:
            field_dict["last_visit_at"] = last_visit_at
        if open_tickets is not UNSET:
            field_dict["open_tickets"] = open_tickets
        if orders is not UNSET:
            field_dict["orders"] = orders
        if revenue is not UNSET:
            field_dict["revenue"] = revenue
        if visits is not UNSET:
            field_dict["visits"] = visits

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_average_csat(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        average_csat = _parse_average_csat(d.pop("average_csat", UNSET))

        def _parse_average_order_value(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        average_order_value = _parse_average_order_value(d.pop("average_order_value", UNSET))

        def _parse_first_purchase_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                first_purchase_at_type_0 = datetime.datetime.fromisoformat(data)

                return first_purchase_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        first_purchase_at = _parse_first_purchase_at(d.pop("first_purchase_at", UNSET))

        def _parse_last_nps(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        last_nps = _parse_last_nps(d.pop("last_nps", UNSET))

        def _parse_last_purchase_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_purchase_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_purchase_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_purchase_at = _parse_last_purchase_at(d.pop("last_purchase_at", UNSET))

        def _parse_last_visit_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_visit_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_visit_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_visit_at = _parse_last_visit_at(d.pop("last_visit_at", UNSET))

        open_tickets = d.pop("open_tickets", UNSET)

        orders = d.pop("orders", UNSET)

        revenue = d.pop("revenue", UNSET)

        visits = d.pop("visits", UNSET)

        customer_stats = cls(
            average_csat=average_csat,
            average_order_value=average_order_value,
            first_purchase_at=first_purchase_at,
            last_nps=last_nps,
            last_purchase_at=last_purchase_at,
            last_visit_at=last_visit_at,
            open_tickets=open_tickets,
            orders=orders,
            revenue=revenue,
            visits=visits,
        )

        customer_stats.additional_properties = d
        return customer_stats

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
