from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.quote_summary_status import QuoteSummaryStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="QuoteSummary")


@_attrs_define
class QuoteSummary:
    """A quote in a list: its amounts and status, and the deal it is for (without its lines).

    Attributes:
        created_at (datetime.datetime):
        currency (str):
        deal_id (str):
        deal_title (str):
        discount_percent (str):
        quote_id (str):
        status (QuoteSummaryStatus):
        subtotal (str):
        threshold_percent (str): The workspace's approval threshold when quoted.
        total (str):
        approver (None | str | Unset): Who decided, once decided.
        customer_id (None | str | Unset): The deal's customer; null once the customer was erased.
        deal_owner (None | str | Unset): Who owns the deal.
        decided_at (datetime.datetime | None | Unset):
        requested_by (None | str | Unset): The owner of the API key that created the quote.
    """

    created_at: datetime.datetime
    currency: str
    deal_id: str
    deal_title: str
    discount_percent: str
    quote_id: str
    status: QuoteSummaryStatus
    subtotal: str
    threshold_percent: str
    total: str
    approver: None | str | Unset = UNSET
    customer_id: None | str | Unset = UNSET
    deal_owner: None | str | Unset = UNSET
    decided_at: datetime.datetime | None | Unset = UNSET
    requested_by: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        currency = self.currency

        deal_id = self.deal_id

        deal_title = self.deal_title

        discount_percent = self.discount_percent

        quote_id = self.quote_id

        status = self.status.value

        subtotal = self.subtotal

        threshold_percent = self.threshold_percent

        total = self.total

        approver: None | str | Unset
        if isinstance(self.approver, Unset):
            approver = UNSET
        else:
            approver = self.approver

        customer_id: None | str | Unset
        if isinstance(self.customer_id, Unset):
            customer_id = UNSET
        else:
            customer_id = self.customer_id

        deal_owner: None | str | Unset
        if isinstance(self.deal_owner, Unset):
            deal_owner = UNSET
        else:
            deal_owner = self.deal_owner

        decided_at: None | str | Unset
        if isinstance(self.decided_at, Unset):
            decided_at = UNSET
        elif isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at

        requested_by: None | str | Unset
        if isinstance(self.requested_by, Unset):
            requested_by = UNSET
        else:
            requested_by = self.requested_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "currency": currency,
                "deal_id": deal_id,
                "deal_title": deal_title,
                "discount_percent": discount_percent,
                "quote_id": quote_id,
                "status": status,
                "subtotal": subtotal,
                "threshold_percent": threshold_percent,
                "total": total,
            }
        )
        if approver is not UNSET:
            field_dict["approver"] = approver
        if customer_id is not UNSET:
            field_dict["customer_id"] = customer_id
        if deal_owner is not UNSET:
            field_dict["deal_owner"] = deal_owner
        if decided_at is not UNSET:
            field_dict["decided_at"] = decided_at
        if requested_by is not UNSET:
            field_dict["requested_by"] = requested_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = d.pop("currency")

        deal_id = d.pop("deal_id")

        deal_title = d.pop("deal_title")

        discount_percent = d.pop("discount_percent")

        quote_id = d.pop("quote_id")

        status = QuoteSummaryStatus(d.pop("status"))

        subtotal = d.pop("subtotal")

        threshold_percent = d.pop("threshold_percent")

        total = d.pop("total")

        def _parse_approver(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        approver = _parse_approver(d.pop("approver", UNSET))

        def _parse_customer_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        customer_id = _parse_customer_id(d.pop("customer_id", UNSET))

        def _parse_deal_owner(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        deal_owner = _parse_deal_owner(d.pop("deal_owner", UNSET))

        def _parse_decided_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decided_at_type_0 = datetime.datetime.fromisoformat(data)

                return decided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        decided_at = _parse_decided_at(d.pop("decided_at", UNSET))

        def _parse_requested_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        requested_by = _parse_requested_by(d.pop("requested_by", UNSET))

        quote_summary = cls(
            created_at=created_at,
            currency=currency,
            deal_id=deal_id,
            deal_title=deal_title,
            discount_percent=discount_percent,
            quote_id=quote_id,
            status=status,
            subtotal=subtotal,
            threshold_percent=threshold_percent,
            total=total,
            approver=approver,
            customer_id=customer_id,
            deal_owner=deal_owner,
            decided_at=decided_at,
            requested_by=requested_by,
        )

        quote_summary.additional_properties = d
        return quote_summary

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
