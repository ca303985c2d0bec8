from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.rule_points import RulePoints


T = TypeVar("T", bound="LeadScore")


@_attrs_define
class LeadScore:
    """A lead score, explained: every rule of the workspace's set with what it added.

    Attributes:
        customer_id (str):
        rules (list[RulePoints]):
        rules_are_default (bool): True while the workspace uses the default rule set.
        score (int):
    """

    customer_id: str
    rules: list[RulePoints]
    rules_are_default: bool
    score: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        rules = []
        for rules_item_data in self.rules:
            rules_item = rules_item_data.to_dict()
            rules.append(rules_item)

        rules_are_default = self.rules_are_default

        score = self.score

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer_id": customer_id,
                "rules": rules,
                "rules_are_default": rules_are_default,
                "score": score,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rule_points import RulePoints  # noqa: PLC0415

        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        rules = []
        _rules = d.pop("rules")
        for rules_item_data in _rules:
            rules_item = RulePoints.from_dict(rules_item_data)

            rules.append(rules_item)

        rules_are_default = d.pop("rules_are_default")

        score = d.pop("score")

        lead_score = cls(
            customer_id=customer_id,
            rules=rules,
            rules_are_default=rules_are_default,
            score=score,
        )

        lead_score.additional_properties = d
        return lead_score

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
