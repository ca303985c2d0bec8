from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RfmScores")


@_attrs_define
class RfmScores:
    """
    Attributes:
        f (int):
        m (int):
        r (int):
        segment (str): The named RFM segment (see README).
        recency_days (int | None | Unset): Days since the last purchase day.
    """

    f: int
    m: int
    r: int
    segment: str
    recency_days: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        f = self.f

        m = self.m

        r = self.r

        segment = self.segment

        recency_days: int | None | Unset
        if isinstance(self.recency_days, Unset):
            recency_days = UNSET
        else:
            recency_days = self.recency_days

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "f": f,
                "m": m,
                "r": r,
                "segment": segment,
            }
        )
        if recency_days is not UNSET:
            field_dict["recency_days"] = recency_days

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        f = d.pop("f")

        m = d.pop("m")

        r = d.pop("r")

        segment = d.pop("segment")

        def _parse_recency_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        recency_days = _parse_recency_days(d.pop("recency_days", UNSET))

        rfm_scores = cls(
            f=f,
            m=m,
            r=r,
            segment=segment,
            recency_days=recency_days,
        )

        rfm_scores.additional_properties = d
        return rfm_scores

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
