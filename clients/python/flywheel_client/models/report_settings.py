from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="ReportSettings")


@_attrs_define
class ReportSettings:
    """
    Attributes:
        currency (None | str): The ISO 4217 currency the workspace's reports show money in (orders and spend are taken
            as recorded: spend rows in another currency are left out of CAC and listed by the acquisition report as
            `unconverted_spend`); null: not set, every amount counted as one currency.
    """

    currency: None | str

    def to_dict(self) -> dict[str, Any]:
        currency: None | str
        currency = self.currency

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "currency": currency,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_currency(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        currency = _parse_currency(d.pop("currency"))

        report_settings = cls(
            currency=currency,
        )

        return report_settings
