from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.acquisition_row import AcquisitionRow
    from ..models.period import Period
    from ..models.spend_amount import SpendAmount


T = TypeVar("T", bound="AcquisitionReport")


@_attrs_define
class AcquisitionReport:
    """
    Attributes:
        channels (list[AcquisitionRow]): The same per channel (campaign null), in channel order.
        currency (None | str): The workspace's report currency (`PUT /v1/report-settings`); null when not set.
        items (list[AcquisitionRow]): Every channel and campaign with new customers or spend in the period, in channel,
            then campaign order (no campaign first).
        period (Period):
        total (AcquisitionRow): One acquisition channel and campaign (an item), one channel with all its campaigns
            (campaign null), or the
            whole period (channel `all`).
        unconverted_spend (list[SpendAmount]): Spend recorded in a currency other than the report currency, per
            currency: left out of `spend` and CAC (no exchange rates are applied).
        degraded (list[str] | Unset): Services that were down, slow or out of contract: the figures they give are null.
    """

    channels: list[AcquisitionRow]
    currency: None | str
    items: list[AcquisitionRow]
    period: Period
    total: AcquisitionRow
    unconverted_spend: list[SpendAmount]
    degraded: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channels = []
        for channels_item_data in self.channels:
            channels_item = channels_item_data.to_dict()
            channels.append(channels_item)

        currency: None | str
        currency = self.currency

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        period = self.period.to_dict()

        total = self.total.to_dict()

        unconverted_spend = []
        for unconverted_spend_item_data in self.unconverted_spend:
            unconverted_spend_item = unconverted_spend_item_data.to_dict()
            unconverted_spend.append(unconverted_spend_item)

        degraded: list[str] | Unset = UNSET
        if not isinstance(self.degraded, Unset):
            degraded = self.degraded

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channels": channels,
                "currency": currency,
                "items": items,
                "period": period,
                "total": total,
                "unconverted_spend": unconverted_spend,
            }
        )
        if degraded is not UNSET:
            field_dict["degraded"] = degraded

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.acquisition_row import AcquisitionRow  # noqa: PLC0415
        from ..models.period import Period  # noqa: PLC0415
        from ..models.spend_amount import SpendAmount  # noqa: PLC0415

        d = dict(src_dict)
        channels = []
        _channels = d.pop("channels")
        for channels_item_data in _channels:
            channels_item = AcquisitionRow.from_dict(channels_item_data)

            channels.append(channels_item)

        def _parse_currency(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        currency = _parse_currency(d.pop("currency"))

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = AcquisitionRow.from_dict(items_item_data)

            items.append(items_item)

        period = Period.from_dict(d.pop("period"))

        total = AcquisitionRow.from_dict(d.pop("total"))

        unconverted_spend = []
        _unconverted_spend = d.pop("unconverted_spend")
        for unconverted_spend_item_data in _unconverted_spend:
            unconverted_spend_item = SpendAmount.from_dict(unconverted_spend_item_data)

            unconverted_spend.append(unconverted_spend_item)

        degraded = cast(list[str], d.pop("degraded", UNSET))

        acquisition_report = cls(
            channels=channels,
            currency=currency,
            items=items,
            period=period,
            total=total,
            unconverted_spend=unconverted_spend,
            degraded=degraded,
        )

        acquisition_report.additional_properties = d
        return acquisition_report

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
