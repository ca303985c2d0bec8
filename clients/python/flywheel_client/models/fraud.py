from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Fraud")


@_attrs_define
class Fraud:
    """
    Attributes:
        ignored_email_domains (list[str] | Unset): Webmail domains many honest friends share: not counted.
        max_signups_per_device (int | None | Unset): Sign-ups from one device id in the window. Default: 3.
        max_signups_per_email_domain (int | None | Unset): Sign-ups from one email domain in the window. Default: 20.
        window_hours (float | Unset): The 'short time' sign-ups are counted in. Default: 24.0.
    """

    ignored_email_domains: list[str] | Unset = UNSET
    max_signups_per_device: int | None | Unset = 3
    max_signups_per_email_domain: int | None | Unset = 20
    window_hours: float | Unset = 24.0

    def to_dict(self) -> dict[str, Any]:
        ignored_email_domains: list[str] | Unset = UNSET
        if not isinstance(self.ignored_email_domains, Unset):
            ignored_email_domains = self.ignored_email_domains

        max_signups_per_device: int | None | Unset
        if isinstance(self.max_signups_per_device, Unset):
            max_signups_per_device = UNSET
        else:
            max_signups_per_device = self.max_signups_per_device

        max_signups_per_email_domain: int | None | Unset
        if isinstance(self.max_signups_per_email_domain, Unset):
            max_signups_per_email_domain = UNSET
        else:
            max_signups_per_email_domain = self.max_signups_per_email_domain

        window_hours = self.window_hours

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if ignored_email_domains is not UNSET:
            field_dict["ignored_email_domains"] = ignored_email_domains
        if max_signups_per_device is not UNSET:
            field_dict["max_signups_per_device"] = max_signups_per_device
        if max_signups_per_email_domain is not UNSET:
            field_dict["max_signups_per_email_domain"] = max_signups_per_email_domain
        if window_hours is not UNSET:
            field_dict["window_hours"] = window_hours

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ignored_email_domains = cast(list[str], d.pop("ignored_email_domains", UNSET))

        def _parse_max_signups_per_device(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_signups_per_device = _parse_max_signups_per_device(d.pop("max_signups_per_device", UNSET))

        def _parse_max_signups_per_email_domain(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_signups_per_email_domain = _parse_max_signups_per_email_domain(d.pop("max_signups_per_email_domain", UNSET))

        window_hours = d.pop("window_hours", UNSET)

        fraud = cls(
            ignored_email_domains=ignored_email_domains,
            max_signups_per_device=max_signups_per_device,
            max_signups_per_email_domain=max_signups_per_email_domain,
            window_hours=window_hours,
        )

        return fraud
