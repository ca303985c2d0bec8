from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TierStatus")


@_attrs_define
class TierStatus:
    """
    Attributes:
        current (None | str): Null while the program has no tiers.
        qualifying_value (str): Rolling qualifying spend or points (decimal).
        anniversary (datetime.datetime | None | Unset): When the tier is next reviewed: kept if still qualified, else
            lost after the grace period.
        benefits (list[str] | Unset):
        in_grace_until (datetime.datetime | None | Unset): Set while below the tier after its anniversary.
        next_tier (None | str | Unset):
        progress (float | None | Unset): Share of the way to the next tier.
        since (datetime.datetime | None | Unset):
        to_next_tier (None | str | Unset): What is still missing for the next tier.
    """

    current: None | str
    qualifying_value: str
    anniversary: datetime.datetime | None | Unset = UNSET
    benefits: list[str] | Unset = UNSET
    in_grace_until: datetime.datetime | None | Unset = UNSET
    next_tier: None | str | Unset = UNSET
    progress: float | None | Unset = UNSET
    since: datetime.datetime | None | Unset = UNSET
    to_next_tier: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        current: None | str
        current = self.current

        qualifying_value = self.qualifying_value

        anniversary: None | str | Unset
        if isinstance(self.anniversary, Unset):
            anniversary = UNSET
        elif isinstance(self.anniversary, datetime.datetime):
            anniversary = self.anniversary.isoformat()
        else:
            anniversary = self.anniversary

        benefits: list[str] | Unset = UNSET
        if not isinstance(self.benefits, Unset):
            benefits = self.benefits

        in_grace_until: None | str | Unset
        if isinstance(self.in_grace_until, Unset):
            in_grace_until = UNSET
        elif isinstance(self.in_grace_until, datetime.datetime):
            in_grace_until = self.in_grace_until.isoformat()
        else:
            in_grace_until = self.in_grace_until

        next_tier: None | str | Unset
        if isinstance(self.next_tier, Unset):
            next_tier = UNSET
        else:
            next_tier = self.next_tier

        progress: float | None | Unset
        if isinstance(self.progress, Unset):
            progress = UNSET
        else:
            progress = self.progress

        since: None | str | Unset
        if isinstance(self.since, Unset):
            since = UNSET
        elif isinstance(self.since, datetime.datetime):
            since = self.since.isoformat()
        else:
            since = self.since

        to_next_tier: None | str | Unset
        if isinstance(self.to_next_tier, Unset):
            to_next_tier = UNSET
        else:
            to_next_tier = self.to_next_tier

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "current": current,
                "qualifying_value": qualifying_value,
            }
        )
        if anniversary is not UNSET:
            field_dict["anniversary"] = anniversary
        if benefits is not UNSET:
            field_dict["benefits"] = benefits
        if in_grace_until is not UNSET:
            field_dict["in_grace_until"] = in_grace_until
        if next_tier is not UNSET:
            field_dict["next_tier"] = next_tier
        if progress is not UNSET:
            field_dict["progress"] = progress
        if since is not UNSET:
            field_dict["since"] = since
        if to_next_tier is not UNSET:
            field_dict["to_next_tier"] = to_next_tier

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_current(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        current = _parse_current(d.pop("current"))

        qualifying_value = d.pop("qualifying_value")

        def _parse_anniversary(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                anniversary_type_0 = datetime.datetime.fromisoformat(data)

                return anniversary_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        anniversary = _parse_anniversary(d.pop("anniversary", UNSET))

        benefits = cast(list[str], d.pop("benefits", UNSET))

        def _parse_in_grace_until(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                in_grace_until_type_0 = datetime.datetime.fromisoformat(data)

                return in_grace_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        in_grace_until = _parse_in_grace_until(d.pop("in_grace_until", UNSET))

        def _parse_next_tier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_tier = _parse_next_tier(d.pop("next_tier", UNSET))

        def _parse_progress(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        progress = _parse_progress(d.pop("progress", UNSET))

        def _parse_since(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                since_type_0 = datetime.datetime.fromisoformat(data)

                return since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        since = _parse_since(d.pop("since", UNSET))

        def _parse_to_next_tier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        to_next_tier = _parse_to_next_tier(d.pop("to_next_tier", UNSET))

        tier_status = cls(
            current=current,
            qualifying_value=qualifying_value,
            anniversary=anniversary,
            benefits=benefits,
            in_grace_until=in_grace_until,
            next_tier=next_tier,
            progress=progress,
            since=since,
            to_next_tier=to_next_tier,
        )

        tier_status.additional_properties = d
        return tier_status

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
