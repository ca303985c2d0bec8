from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SpendRowIn")


@_attrs_define
class SpendRowIn:
    """One day's spend on a channel (and campaign): sending it again for the same date, channel and campaign
    replaces the amount sent before; a row without a campaign is a key of its own.

        Attributes:
            amount (float | str): Decimal string (or a JSON number up to 10^13), at most 2 decimals.
            channel (str):
            date (datetime.date): The day the money was spent, YYYY-MM-DD (years 1900 to 2999).
            campaign (None | str | Unset):
            currency (None | str | Unset): ISO 4217 code; absent: the workspace's currency.
    """

    amount: float | str
    channel: str
    date: datetime.date
    campaign: None | str | Unset = UNSET
    currency: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        amount: float | str
        amount = self.amount

        channel = self.channel

        date = self.date.isoformat()

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

        field_dict.update(
            {
                "amount": amount,
                "channel": channel,
                "date": date,
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

        def _parse_amount(data: object) -> float | str:
            return cast(float | str, data)

        amount = _parse_amount(d.pop("amount"))

        channel = d.pop("channel")

        date = datetime.date.fromisoformat(d.pop("date"))

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

        spend_row_in = cls(
            amount=amount,
            channel=channel,
            date=date,
            campaign=campaign,
            currency=currency,
        )

        return spend_row_in
