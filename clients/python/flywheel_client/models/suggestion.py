from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Suggestion")


@_attrs_define
class Suggestion:
    """
    Attributes:
        category (str): What the customer bought (A).
        confidence (float): Of A's buyers, the share who bought B.
        customers (int): Customers who bought both.
        lift (float): Confidence over B's overall share; above 1: bought together beyond chance.
        suggested (str): What to offer (B).
        support (float): Share of all buying customers who bought both.
    """

    category: str
    confidence: float
    customers: int
    lift: float
    suggested: str
    support: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category = self.category

        confidence = self.confidence

        customers = self.customers

        lift = self.lift

        suggested = self.suggested

        support = self.support

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "category": category,
                "confidence": confidence,
                "customers": customers,
                "lift": lift,
                "suggested": suggested,
                "support": support,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = d.pop("category")

        confidence = d.pop("confidence")

        customers = d.pop("customers")

        lift = d.pop("lift")

        suggested = d.pop("suggested")

        support = d.pop("support")

        suggestion = cls(
            category=category,
            confidence=confidence,
            customers=customers,
            lift=lift,
            suggested=suggested,
            support=support,
        )

        suggestion.additional_properties = d
        return suggestion

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
