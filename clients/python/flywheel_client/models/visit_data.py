from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.customer_ref import CustomerRef


T = TypeVar("T", bound="VisitData")


@_attrs_define
class VisitData:
    """
    Attributes:
        channel (str):
        customer (CustomerRef): Identifiers of the customer an event is about; at least one is required.
        duration_s (float | None | Unset):
        product_sku (None | str | Unset):
        screen (None | str | Unset):
        url (None | str | Unset):
        utm_campaign (None | str | Unset):
        utm_source (None | str | Unset):
    """

    channel: str
    customer: CustomerRef
    duration_s: float | None | Unset = UNSET
    product_sku: None | str | Unset = UNSET
    screen: None | str | Unset = UNSET
    url: None | str | Unset = UNSET
    utm_campaign: None | str | Unset = UNSET
    utm_source: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel

        customer = self.customer.to_dict()

        duration_s: float | None | Unset
        if isinstance(self.duration_s, Unset):
            duration_s = UNSET
        else:
            duration_s = self.duration_s

        product_sku: None | str | Unset
        if isinstance(self.product_sku, Unset):
            product_sku = UNSET
        else:
            product_sku = self.product_sku

        screen: None | str | Unset
        if isinstance(self.screen, Unset):
            screen = UNSET
        else:
            screen = self.screen

        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

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
                "channel": channel,
                "customer": customer,
            }
        )
        if duration_s is not UNSET:
            field_dict["duration_s"] = duration_s
        if product_sku is not UNSET:
            field_dict["product_sku"] = product_sku
        if screen is not UNSET:
            field_dict["screen"] = screen
        if url is not UNSET:
            field_dict["url"] = url
        if utm_campaign is not UNSET:
            field_dict["utm_campaign"] = utm_campaign
        if utm_source is not UNSET:
            field_dict["utm_source"] = utm_source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer_ref import CustomerRef  # noqa: PLC0415

        d = dict(src_dict)
        channel = d.pop("channel")

        customer = CustomerRef.from_dict(d.pop("customer"))

        def _parse_duration_s(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        duration_s = _parse_duration_s(d.pop("duration_s", UNSET))

        def _parse_product_sku(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        product_sku = _parse_product_sku(d.pop("product_sku", UNSET))

        def _parse_screen(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        screen = _parse_screen(d.pop("screen", UNSET))

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))

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

        visit_data = cls(
            channel=channel,
            customer=customer,
            duration_s=duration_s,
            product_sku=product_sku,
            screen=screen,
            url=url,
            utm_campaign=utm_campaign,
            utm_source=utm_source,
        )

        visit_data.additional_properties = d
        return visit_data

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
