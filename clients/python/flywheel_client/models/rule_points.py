from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RulePoints")


@_attrs_define
class RulePoints:
    """
    Attributes:
        description (str):
        detail (str):
        matched (bool):
        points (int): What the rule added: its points when it matched, else 0.
        rule_id (str):
    """

    description: str
    detail: str
    matched: bool
    points: int
    rule_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        description = self.description

        detail = self.detail

        matched = self.matched

        points = self.points

        rule_id = self.rule_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "description": description,
                "detail": detail,
                "matched": matched,
                "points": points,
                "rule_id": rule_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        description = d.pop("description")

        detail = d.pop("detail")

        matched = d.pop("matched")

        points = d.pop("points")

        rule_id = d.pop("rule_id")

        rule_points = cls(
            description=description,
            detail=detail,
            matched=matched,
            points=points,
            rule_id=rule_id,
        )

        rule_points.additional_properties = d
        return rule_points

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
