from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.customer_ref import CustomerRef
    from ..models.line_item import LineItem


T = TypeVar("T", bound="PurchaseData")


@_attrs_define
class PurchaseData:
    """
    Attributes:
        amount (float | str): Decimal string (or number), never negative.
        customer (CustomerRef): Identifiers of the customer an event is about; at least one is required.
        order_id (str): Unique per workspace.
        channel (None | str | Unset):
        coupon (None | str | Unset):
        currency (None | str | Unset):
        items (list[LineItem] | Unset):
        referral_code (None | str | Unset):
        utm_campaign (None | str | Unset):
        utm_source (None | str | Unset):
    """

    amount: float | str
    customer: CustomerRef
    order_id: str
    channel: None | str | Unset = UNSET
    coupon: None | str | Unset = UNSET
    currency: None | str | Unset = UNSET
    items: list[LineItem] | Unset = UNSET
    referral_code: None | str | Unset = UNSET
    utm_campaign: None | str | Unset = UNSET
    utm_source: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount: float | str
        amount = self.amount

        customer = self.customer.to_dict()

        order_id = self.order_id

        channel: None | str | Unset
        if isinstance(self.channel, Unset):
            channel = UNSET
        else:
            channel = self.channel

        coupon: None | str | Unset
        if isinstance(self.coupon, Unset):
            coupon = UNSET
        else:
            coupon = self.coupon

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        items: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.items, Unset):
            items = []
            for items_item_data in self.items:
                items_item = items_item_data.to_dict()
                items.append(items_item)

        referral_code: None | str | Unset
        if isinstance(self.referral_code, Unset):
            referral_code = UNSET
        else:
            referral_code = self.referral_code

        utm_campaign: None | str | Unset
        if isinstance(self.utm_campaign, Unset):
            utm_campaign = UNSET
        else:
            utm_campaign = self.utm_campaign

        utm_source: None | str | Unset
        if isinstance(self.utm_source, Unset):
            utm_source = UNSET
        else:
            utm_source = self.utm_source

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "customer": customer,
                "order_id": order_id,
            }
        )
        if channel is not UNSET:
            field_dict["channel"] = channel
        if coupon is not UNSET:
            field_dict["coupon"] = coupon
        if currency is not UNSET:
            field_dict["currency"] = currency
        if items is not UNSET:
            field_dict["items"] = items
        if referral_code is not UNSET:
            field_dict["referral_code"] = referral_code
        if utm_campaign is not UNSET:
            field_dict["utm_campaign"] = utm_campaign
        if utm_source is not UNSET:
            field_dict["utm_source"] = utm_source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer_ref import CustomerRef  # noqa: PLC0415
        from ..models.line_item import LineItem  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_amount(data: object) -> float | str:
            return cast(float | str, data)

        amount = _parse_amount(d.pop("amount"))

        customer = CustomerRef.from_dict(d.pop("customer"))

        order_id = d.pop("order_id")

        def _parse_channel(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        channel = _parse_channel(d.pop("channel", UNSET))

        def _parse_coupon(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        coupon = _parse_coupon(d.pop("coupon", UNSET))

        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        _items = d.pop("items", UNSET)
        items: list[LineItem] | Unset = UNSET
        if _items is not UNSET:
            items = []
            for items_item_data in _items:
                items_item = LineItem.from_dict(items_item_data)

                items.append(items_item)

        def _parse_referral_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        referral_code = _parse_referral_code(d.pop("referral_code", UNSET))

        def _parse_utm_campaign(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        utm_campaign = _parse_utm_campaign(d.pop("utm_campaign", UNSET))

        def _parse_utm_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        utm_source = _parse_utm_source(d.pop("utm_source", UNSET))

        purchase_data = cls(
            amount=amount,
            customer=customer,
            order_id=order_id,
            channel=channel,
            coupon=coupon,
            currency=currency,
            items=items,
            referral_code=referral_code,
            utm_campaign=utm_campaign,
            utm_source=utm_source,
        )

        purchase_data.additional_properties = d
        return purchase_data

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
