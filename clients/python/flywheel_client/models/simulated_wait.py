from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SimulatedWait")


@_attrs_define
class SimulatedWait:
    """
    Attributes:
        since (datetime.datetime):
        step_id (str):
        until (datetime.datetime):
        why (str): e.g. "wait 2d", "wait for purchase (none comes in a simulation: times out after 3d)", "quiet_hours",
            or the cap that deferred a message ("frequency_cap", "workspace_cap:email", "priority: ...").
    """

    since: datetime.datetime
    step_id: str
    until: datetime.datetime
    why: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        since = self.since.isoformat()

        step_id = self.step_id

        until = self.until.isoformat()

        why = self.why

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "since": since,
                "step_id": step_id,
                "until": until,
                "why": why,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        since = datetime.datetime.fromisoformat(d.pop("since"))

        step_id = d.pop("step_id")

        until = datetime.datetime.fromisoformat(d.pop("until"))

        why = d.pop("why")

        simulated_wait = cls(
            since=since,
            step_id=step_id,
            until=until,
            why=why,
        )

        simulated_wait.additional_properties = d
        return simulated_wait

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
