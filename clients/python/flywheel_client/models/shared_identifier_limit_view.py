from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.shared_identifier_limit_view_kind import SharedIdentifierLimitViewKind
from ..models.shared_identifier_limit_view_other_kind import SharedIdentifierLimitViewOtherKind

T = TypeVar("T", bound="SharedIdentifierLimitView")


@_attrs_define
class SharedIdentifierLimitView:
    """
    Attributes:
        kind (SharedIdentifierLimitViewKind):
        max_distinct (int):
        other_kind (SharedIdentifierLimitViewOtherKind):
        window_days (int):
    """

    kind: SharedIdentifierLimitViewKind
    max_distinct: int
    other_kind: SharedIdentifierLimitViewOtherKind
    window_days: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        max_distinct = self.max_distinct

        other_kind = self.other_kind.value

        window_days = self.window_days

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
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
        kind = SharedIdentifierLimitViewKind(d.pop("kind"))

        max_distinct = d.pop("max_distinct")

        other_kind = SharedIdentifierLimitViewOtherKind(d.pop("other_kind"))

        window_days = d.pop("window_days")

        shared_identifier_limit_view = cls(
            kind=kind,
            max_distinct=max_distinct,
            other_kind=other_kind,
            window_days=window_days,
        )

        shared_identifier_limit_view.additional_properties = d
        return shared_identifier_limit_view

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
