from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.shared_identifier_limit_kind import SharedIdentifierLimitKind
from ..models.shared_identifier_limit_other_kind import SharedIdentifierLimitOtherKind

T = TypeVar("T", bound="SharedIdentifierLimit")


@_attrs_define
class SharedIdentifierLimit:
    """`kind` seen with more than `max_distinct` distinct `other_kind` identifiers within `window_days` (by event
    time) is shared: it stops merging customers.

        Attributes:
            kind (SharedIdentifierLimitKind):
            max_distinct (int):
            other_kind (SharedIdentifierLimitOtherKind):
            window_days (int):
    """

    kind: SharedIdentifierLimitKind
    max_distinct: int
    other_kind: SharedIdentifierLimitOtherKind
    window_days: int

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        max_distinct = self.max_distinct

        other_kind = self.other_kind.value

        window_days = self.window_days

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "max_distinct": max_distinct,
                "other_kind": other_kind,
                "window_days": window_days,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = SharedIdentifierLimitKind(d.pop("kind"))

        max_distinct = d.pop("max_distinct")

        other_kind = SharedIdentifierLimitOtherKind(d.pop("other_kind"))

        window_days = d.pop("window_days")

        shared_identifier_limit = cls(
            kind=kind,
            max_distinct=max_distinct,
            other_kind=other_kind,
            window_days=window_days,
        )

        return shared_identifier_limit
