from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Funnel")


@_attrs_define
class Funnel:
    """
    Attributes:
        clicks (int): Distinct friends who clicked.
        first_purchases (int): Referred new customers (first purchase in the period).
        invites (int):
        signups (int): Distinct friends who signed up.
        click_rate (float | None | Unset):
        purchase_rate (float | None | Unset):
        signup_rate (float | None | Unset):
    """

    clicks: int
    first_purchases: int
    invites: int
    signups: int
    click_rate: float | None | Unset = UNSET
    purchase_rate: float | None | Unset = UNSET
    signup_rate: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        clicks = self.clicks

        first_purchases = self.first_purchases

        invites = self.invites

        signups = self.signups

        click_rate: float | None | Unset
        if isinstance(self.click_rate, Unset):
            click_rate = UNSET
        else:
            click_rate = self.click_rate

        purchase_rate: float | None | Unset
        if isinstance(self.purchase_rate, Unset):
            purchase_rate = UNSET
        else:
            purchase_rate = self.purchase_rate

        signup_rate: float | None | Unset
        if isinstance(self.signup_rate, Unset):
            signup_rate = UNSET
        else:
            signup_rate = self.signup_rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "clicks": clicks,
                "first_purchases": first_purchases,
                "invites": invites,
                "signups": signups,
            }
        )
        if click_rate is not UNSET:
            field_dict["click_rate"] = click_rate
        if purchase_rate is not UNSET:
            field_dict["purchase_rate"] = purchase_rate
        if signup_rate is not UNSET:
            field_dict["signup_rate"] = signup_rate

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        clicks = d.pop("clicks")

        first_purchases = d.pop("first_purchases")

        invites = d.pop("invites")

        signups = d.pop("signups")

        def _parse_click_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        click_rate = _parse_click_rate(d.pop("click_rate", UNSET))

        def _parse_purchase_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        purchase_rate = _parse_purchase_rate(d.pop("purchase_rate", UNSET))

        def _parse_signup_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        signup_rate = _parse_signup_rate(d.pop("signup_rate", UNSET))

        funnel = cls(
            clicks=clicks,
            first_purchases=first_purchases,
            invites=invites,
            signups=signups,
            click_rate=click_rate,
            purchase_rate=purchase_rate,
            signup_rate=signup_rate,
        )

        funnel.additional_properties = d
        return funnel

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
