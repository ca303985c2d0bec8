from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PutLeadRulesV1LeadRulesPutBody")


@_attrs_define
class PutLeadRulesV1LeadRulesPutBody:
    """`rules`: each with `id`, `description`, `points` (-1000..1000) and a condition `when` of kind `visits_at_least`,
    `active_within_days`, `purchases_at_least`, `revenue_at_least`, `trait_equals`, `trait_present`, `rfm_segment_in` or
    `churn_band_in`.

    """

    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        put_lead_rules_v1_lead_rules_put_body = cls()

        put_lead_rules_v1_lead_rules_put_body.additional_properties = d
        return put_lead_rules_v1_lead_rules_put_body

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
