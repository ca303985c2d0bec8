from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SpendRow")


@_attrs_define
class SpendRow:
    """
    Attributes:
        amount (str): Decimal string.
        channel (str):
        date (datetime.date): The day the money was spent, YYYY-MM-DD (years 1900 to 2999).
        updated_at (datetime.datetime):
        campaign (None | str | Unset):
        currency (None | str | Unset):
    """

    amount: str
    channel: str
    date: datetime.date
    updated_at: datetime.datetime
    campaign: None | str | Unset = UNSET
    currency: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        channel = self.channel

        date = self.date.isoformat()

        updated_at = self.updated_at.isoformat()

        campaign: None | str | Unset
        if isinstance(self.campaign, Unset):
            campaign = UNSET
        else:
            campaign = self.campaign

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "channel": channel,
                "date": date,
                "updated_at": updated_at,
            }
        )
        if campaign is not UNSET:
            field_dict["campaign"] = campaign
        if currency is not UNSET:
            field_dict["currency"] = currency

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        channel = d.pop("channel")

        date = datetime.date.fromisoformat(d.pop("date"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_campaign(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        campaign = _parse_campaign(d.pop("campaign", UNSET))

        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        spend_row = cls(
            amount=amount,
            channel=channel,
            date=date,
            updated_at=updated_at,
            campaign=campaign,
            currency=currency,
        )

        spend_row.additional_properties = d
        return spend_row

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
