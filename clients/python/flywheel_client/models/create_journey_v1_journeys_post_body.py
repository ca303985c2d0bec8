from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CreateJourneyV1JourneysPostBody")


@_attrs_define
class CreateJourneyV1JourneysPostBody:
    """A journey document: `name`, `trigger`, `entry_step`, `steps` (wait, condition, split, action, exit), optional `goal`
    and `settings` (re-entry, quiet hours, frequency cap, holdout, priority and when_capped against the workspace's
    caps). Triggers (`type`): event, segment_entered, segment_exited, score_changed, score_crossed (a prediction
    crossing a threshold, once per crossing: `{"type": "score_crossed", "score": "p_alive" or "predicted_clv", "op":
    "lt", "lte", "gt" or "gte", "value": 0.3}`), dormant, date, any.

    """

    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        create_journey_v1_journeys_post_body = cls()

        create_journey_v1_journeys_post_body.additional_properties = d
        return create_journey_v1_journeys_post_body

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
