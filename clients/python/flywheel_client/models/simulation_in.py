from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SimulationIn")


@_attrs_define
class SimulationIn:
    """Whom to run a journey for, from when and how far (exactly one of `customer_ids` and `segment_id`).

    Attributes:
        customer_ids (list[str] | None | Unset): The customers to run (at most 1000; ids this workspace's journeys do
            not know are listed in `unknown_customers`).
        horizon (str | Unset): How far to run: a duration up to "365d" (e.g. "30d", "12h", "8w"). Default: '30d'.
        segment_id (None | str | Unset): Or a segment's current members (422 past 1000).
        start_at (datetime.datetime | None | Unset): The moved clock: when they enter (default now).
        version (int | None | Unset): The version to run, draft or active (default the latest).
    """

    customer_ids: list[str] | None | Unset = UNSET
    horizon: str | Unset = "30d"
    segment_id: None | str | Unset = UNSET
    start_at: datetime.datetime | None | Unset = UNSET
    version: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        customer_ids: list[str] | None | Unset
        if isinstance(self.customer_ids, Unset):
            customer_ids = UNSET
        elif isinstance(self.customer_ids, list):
            customer_ids = self.customer_ids

        else:
            customer_ids = self.customer_ids

        horizon = self.horizon

        segment_id: None | str | Unset
        if isinstance(self.segment_id, Unset):
            segment_id = UNSET
        else:
            segment_id = self.segment_id

        start_at: None | str | Unset
        if isinstance(self.start_at, Unset):
            start_at = UNSET
        elif isinstance(self.start_at, datetime.datetime):
            start_at = self.start_at.isoformat()
        else:
            start_at = self.start_at

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if customer_ids is not UNSET:
            field_dict["customer_ids"] = customer_ids
        if horizon is not UNSET:
            field_dict["horizon"] = horizon
        if segment_id is not UNSET:
            field_dict["segment_id"] = segment_id
        if start_at is not UNSET:
            field_dict["start_at"] = start_at
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_customer_ids(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                customer_ids_type_0 = cast(list[str], data)

                return customer_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        customer_ids = _parse_customer_ids(d.pop("customer_ids", UNSET))

        horizon = d.pop("horizon", UNSET)

        def _parse_segment_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        segment_id = _parse_segment_id(d.pop("segment_id", UNSET))

        def _parse_start_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                start_at_type_0 = datetime.datetime.fromisoformat(data)

                return start_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        start_at = _parse_start_at(d.pop("start_at", UNSET))

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        simulation_in = cls(
            customer_ids=customer_ids,
            horizon=horizon,
            segment_id=segment_id,
            start_at=start_at,
            version=version,
        )

        return simulation_in
