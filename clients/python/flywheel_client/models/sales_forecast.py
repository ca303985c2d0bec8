from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.forecast_month import ForecastMonth
    from ..models.other_currency import OtherCurrency


T = TypeVar("T", bound="SalesForecast")


@_attrs_define
class SalesForecast:
    """Expected revenue per month from open deals and from predicted repurchase.

    Attributes:
        currency (None | str): The report currency (PUT /v1/report-settings); when the workspace has none, that of its
            deals if they have one, else scoring's.
        degraded (list[str]): Services that did not answer: the figures they give are null.
        from_ (str):
        items (list[ForecastMonth]): One per month, oldest first.
        months (int):
        other_currencies (list[OtherCurrency]): Open deals in other currencies over the same months, not converted (nor
            counted above).
        by (Literal['month'] | Unset):  Default: 'month'.
    """

    currency: None | str
    degraded: list[str]
    from_: str
    items: list[ForecastMonth]
    months: int
    other_currencies: list[OtherCurrency]
    by: Literal["month"] | Unset = "month"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency: None | str
        currency = self.currency

        degraded = self.degraded

        from_ = self.from_

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        months = self.months

        other_currencies = []
        for other_currencies_item_data in self.other_currencies:
            other_currencies_item = other_currencies_item_data.to_dict()
            other_currencies.append(other_currencies_item)

        by = self.by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "degraded": degraded,
                "from": from_,
                "items": items,
                "months": months,
                "other_currencies": other_currencies,
            }
        )
        if by is not UNSET:
            field_dict["by"] = by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.forecast_month import ForecastMonth  # noqa: PLC0415
        from ..models.other_currency import OtherCurrency  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_currency(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        currency = _parse_currency(d.pop("currency"))

        degraded = cast(list[str], d.pop("degraded"))

        from_ = d.pop("from")

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = ForecastMonth.from_dict(items_item_data)

            items.append(items_item)

        months = d.pop("months")

        other_currencies = []
        _other_currencies = d.pop("other_currencies")
        for other_currencies_item_data in _other_currencies:
            other_currencies_item = OtherCurrency.from_dict(other_currencies_item_data)

            other_currencies.append(other_currencies_item)

        by = cast(Literal["month"] | Unset, d.pop("by", UNSET))
        if by != "month" and not isinstance(by, Unset):
            raise ValueError(f"by must match const 'month', got '{by}'")

        sales_forecast = cls(
            currency=currency,
            degraded=degraded,
            from_=from_,
            items=items,
            months=months,
            other_currencies=other_currencies,
            by=by,
        )

        sales_forecast.additional_properties = d
        return sales_forecast

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
