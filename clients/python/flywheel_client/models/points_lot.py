from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PointsLot")


@_attrs_define
class PointsLot:
    """Points earned together (one ledger entry), what is left of them and when that expires.

    Attributes:
        earned (int):
        earned_at (datetime.datetime):
        lot_id (str):
        remaining (int):
        expires_at (datetime.datetime | None | Unset): Null: never expires.
    """

    earned: int
    earned_at: datetime.datetime
    lot_id: str
    remaining: int
    expires_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        earned = self.earned

        earned_at = self.earned_at.isoformat()

        lot_id = self.lot_id

        remaining = self.remaining

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "earned": earned,
                "earned_at": earned_at,
                "lot_id": lot_id,
                "remaining": remaining,
            }
        )
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        earned = d.pop("earned")

        earned_at = datetime.datetime.fromisoformat(d.pop("earned_at"))

        lot_id = d.pop("lot_id")

        remaining = d.pop("remaining")

        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))

        points_lot = cls(
            earned=earned,
            earned_at=earned_at,
            lot_id=lot_id,
            remaining=remaining,
            expires_at=expires_at,
        )

        points_lot.additional_properties = d
        return points_lot

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
