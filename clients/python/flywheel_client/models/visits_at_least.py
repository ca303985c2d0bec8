from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="VisitsAtLeast")


@_attrs_define
class VisitsAtLeast:
    """
    Attributes:
        count (int):
        kind (Literal['visits_at_least']):
    """

    count: int
    kind: Literal["visits_at_least"]

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        kind = self.kind

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "count": count,
                "kind": kind,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        kind = cast(Literal["visits_at_least"], d.pop("kind"))
        if kind != "visits_at_least":
            raise ValueError(f"kind must match const 'visits_at_least', got '{kind}'")

        visits_at_least = cls(
            count=count,
            kind=kind,
        )

        return visits_at_least
