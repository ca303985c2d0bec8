from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ticket_data_status import TicketDataStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.customer_ref import CustomerRef


T = TypeVar("T", bound="TicketData")


@_attrs_define
class TicketData:
    """
    Attributes:
        customer (CustomerRef): Identifiers of the customer an event is about; at least one is required.
        status (TicketDataStatus):
        ticket_id (str):
        category (None | str | Unset):
        csat (int | None | Unset):
        nps (int | None | Unset):
        priority (None | str | Unset):
    """

    customer: CustomerRef
    status: TicketDataStatus
    ticket_id: str
    category: None | str | Unset = UNSET
    csat: int | None | Unset = UNSET
    nps: int | None | Unset = UNSET
    priority: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customer = self.customer.to_dict()

        status = self.status.value

        ticket_id = self.ticket_id

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        else:
            category = self.category

        csat: int | None | Unset
        if isinstance(self.csat, Unset):
            csat = UNSET
        else:
            csat = self.csat

        nps: int | None | Unset
        if isinstance(self.nps, Unset):
            nps = UNSET
        else:
            nps = self.nps

        priority: None | str | Unset
        if isinstance(self.priority, Unset):
            priority = UNSET
        else:
            priority = self.priority

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer": customer,
                "status": status,
                "ticket_id": ticket_id,
            }
        )
        if category is not UNSET:
            field_dict["category"] = category
        if csat is not UNSET:
            field_dict["csat"] = csat
        if nps is not UNSET:
            field_dict["nps"] = nps
        if priority is not UNSET:
            field_dict["priority"] = priority

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer_ref import CustomerRef  # noqa: PLC0415

        d = dict(src_dict)
        customer = CustomerRef.from_dict(d.pop("customer"))

        status = TicketDataStatus(d.pop("status"))

        ticket_id = d.pop("ticket_id")

        def _parse_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category = _parse_category(d.pop("category", UNSET))

        def _parse_csat(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        csat = _parse_csat(d.pop("csat", UNSET))

        def _parse_nps(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        nps = _parse_nps(d.pop("nps", UNSET))

        def _parse_priority(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        priority = _parse_priority(d.pop("priority", UNSET))

        ticket_data = cls(
            customer=customer,
            status=status,
            ticket_id=ticket_id,
            category=category,
            csat=csat,
            nps=nps,
            priority=priority,
        )

        ticket_data.additional_properties = d
        return ticket_data

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
