from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.deal_summary_status import DealSummaryStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="DealSummary")


@_attrs_define
class DealSummary:
    """
    Attributes:
        amount (str): Decimal string.
        created_at (datetime.datetime):
        currency (str):
        deal_id (str):
        pipeline_id (str):
        stage (str):
        status (DealSummaryStatus):
        title (str):
        updated_at (datetime.datetime):
        customer_id (None | str | Unset): Null once the customer was erased.
        owner (None | str | Unset):
    """

    amount: str
    created_at: datetime.datetime
    currency: str
    deal_id: str
    pipeline_id: str
    stage: str
    status: DealSummaryStatus
    title: str
    updated_at: datetime.datetime
    customer_id: None | str | Unset = UNSET
    owner: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        created_at = self.created_at.isoformat()

        currency = self.currency

        deal_id = self.deal_id

        pipeline_id = self.pipeline_id

        stage = self.stage

        status = self.status.value

        title = self.title

        updated_at = self.updated_at.isoformat()

        customer_id: None | str | Unset
        if isinstance(self.customer_id, Unset):
            customer_id = UNSET
        else:
            customer_id = self.customer_id

        owner: None | str | Unset
        if isinstance(self.owner, Unset):
            owner = UNSET
        else:
            owner = self.owner

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "created_at": created_at,
                "currency": currency,
                "deal_id": deal_id,
                "pipeline_id": pipeline_id,
                "stage": stage,
                "status": status,
                "title": title,
                "updated_at": updated_at,
            }
        )
        if customer_id is not UNSET:
            field_dict["customer_id"] = customer_id
        if owner is not UNSET:
            field_dict["owner"] = owner

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = d.pop("currency")

        deal_id = d.pop("deal_id")

        pipeline_id = d.pop("pipeline_id")

        stage = d.pop("stage")

        status = DealSummaryStatus(d.pop("status"))

        title = d.pop("title")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_customer_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        customer_id = _parse_customer_id(d.pop("customer_id", UNSET))

        def _parse_owner(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        owner = _parse_owner(d.pop("owner", UNSET))

        deal_summary = cls(
            amount=amount,
            created_at=created_at,
            currency=currency,
            deal_id=deal_id,
            pipeline_id=pipeline_id,
            stage=stage,
            status=status,
            title=title,
            updated_at=updated_at,
            customer_id=customer_id,
            owner=owner,
        )

        deal_summary.additional_properties = d
        return deal_summary

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
