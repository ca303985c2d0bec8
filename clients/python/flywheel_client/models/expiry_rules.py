from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExpiryRules")


@_attrs_define
class ExpiryRules:
    """
    Attributes:
        months (int | None | Unset): Points expire at the end of the day (program time zone) N months after they were
            earned; null: never. Default: 24.
        notice_days (int | Unset): `loyalty.points_expiring` is sent this many days before. Default: 30.
    """

    months: int | None | Unset = 24
    notice_days: int | Unset = 30

    def to_dict(self) -> dict[str, Any]:
        months: int | None | Unset
        if isinstance(self.months, Unset):
            months = UNSET
        else:
            months = self.months

        notice_days = self.notice_days

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if months is not UNSET:
            field_dict["months"] = months
        if notice_days is not UNSET:
            field_dict["notice_days"] = notice_days

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_months(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        months = _parse_months(d.pop("months", UNSET))

        notice_days = d.pop("notice_days", UNSET)

        expiry_rules = cls(
            months=months,
            notice_days=notice_days,
        )

        return expiry_rules
