from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="ActiveWithinDays")


@_attrs_define
class ActiveWithinDays:
    """
    Attributes:
        days (float):
        kind (Literal['active_within_days']):
    """

    days: float
    kind: Literal["active_within_days"]

    def to_dict(self) -> dict[str, Any]:
        days = self.days

        kind = self.kind

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "days": days,
                "kind": kind,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        days = d.pop("days")

        kind = cast(Literal["active_within_days"], d.pop("kind"))
        if kind != "active_within_days":
            raise ValueError(f"kind must match const 'active_within_days', got '{kind}'")

        active_within_days = cls(
            days=days,
            kind=kind,
        )

        return active_within_days
