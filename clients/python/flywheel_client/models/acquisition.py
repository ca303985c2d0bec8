from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Acquisition")


@_attrs_define
class Acquisition:
    """Where the customer came from: `referral` (with `program_id`) when a referral program attributed them; else
    the `utm_source` (and `utm_campaign`) of their earliest event carrying one; else the `channel` of their first
    purchase; else `direct`. Earliest by event time, so late events and merges do not change it.

        Attributes:
            at (datetime.datetime | None | Unset): Event time of the touch that decided it (none for `direct`).
            campaign (None | str | Unset): The utm_campaign of the deciding touch.
            program_id (None | str | Unset): The referral program, for `referral`.
            source (str | Unset):  Default: 'direct'.
    """

    at: datetime.datetime | None | Unset = UNSET
    campaign: None | str | Unset = UNSET
    program_id: None | str | Unset = UNSET
    source: str | Unset = "direct"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at: None | str | Unset
        if isinstance(self.at, Unset):
            at = UNSET
        elif isinstance(self.at, datetime.datetime):
            at = self.at.isoformat()
        else:
            at = self.at

        campaign: None | str | Unset
        if isinstance(self.campaign, Unset):
            campaign = UNSET
        else:
            campaign = self.campaign

        program_id: None | str | Unset
        if isinstance(self.program_id, Unset):
            program_id = UNSET
        else:
            program_id = self.program_id

        source = self.source

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if at is not UNSET:
            field_dict["at"] = at
        if campaign is not UNSET:
            field_dict["campaign"] = campaign
        if program_id is not UNSET:
            field_dict["program_id"] = program_id
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                at_type_0 = datetime.datetime.fromisoformat(data)

                return at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        at = _parse_at(d.pop("at", UNSET))

        def _parse_campaign(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        campaign = _parse_campaign(d.pop("campaign", UNSET))

        def _parse_program_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        program_id = _parse_program_id(d.pop("program_id", UNSET))

        source = d.pop("source", UNSET)

        acquisition = cls(
            at=at,
            campaign=campaign,
            program_id=program_id,
            source=source,
        )

        acquisition.additional_properties = d
        return acquisition

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
