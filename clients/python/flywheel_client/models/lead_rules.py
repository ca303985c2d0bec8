from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.lead_rules_rules_item import LeadRulesRulesItem


T = TypeVar("T", bound="LeadRules")


@_attrs_define
class LeadRules:
    """
    Attributes:
        default (bool): True while the workspace uses the default rule set.
        rules (list[LeadRulesRulesItem]): Each rule's `id`, `description`, `points` and condition `when`.
    """

    default: bool
    rules: list[LeadRulesRulesItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        default = self.default

        rules = []
        for rules_item_data in self.rules:
            rules_item = rules_item_data.to_dict()
            rules.append(rules_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "default": default,
                "rules": rules,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.lead_rules_rules_item import LeadRulesRulesItem  # noqa: PLC0415

        d = dict(src_dict)
        default = d.pop("default")

        rules = []
        _rules = d.pop("rules")
        for rules_item_data in _rules:
            rules_item = LeadRulesRulesItem.from_dict(rules_item_data)

            rules.append(rules_item)

        lead_rules = cls(
            default=default,
            rules=rules,
        )

        lead_rules.additional_properties = d
        return lead_rules

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
