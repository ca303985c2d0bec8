from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.simulated_action_detail import SimulatedActionDetail


T = TypeVar("T", bound="SimulatedAction")


@_attrs_define
class SimulatedAction:
    """An action that is not a message (a tag, a sales task, a coupon, points...), as it would be requested.

    Attributes:
        action_id (str):
        at (datetime.datetime):
        kind (str):
        step_id (str):
        detail (SimulatedActionDetail | Unset):
    """

    action_id: str
    at: datetime.datetime
    kind: str
    step_id: str
    detail: SimulatedActionDetail | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action_id = self.action_id

        at = self.at.isoformat()

        kind = self.kind

        step_id = self.step_id

        detail: dict[str, Any] | Unset = UNSET
        if not isinstance(self.detail, Unset):
            detail = self.detail.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action_id": action_id,
                "at": at,
                "kind": kind,
                "step_id": step_id,
            }
        )
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.simulated_action_detail import SimulatedActionDetail  # noqa: PLC0415

        d = dict(src_dict)
        action_id = d.pop("action_id")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        kind = d.pop("kind")

        step_id = d.pop("step_id")

        _detail = d.pop("detail", UNSET)
        detail: SimulatedActionDetail | Unset
        if isinstance(_detail, Unset):
            detail = UNSET
        else:
            detail = SimulatedActionDetail.from_dict(_detail)

        simulated_action = cls(
            action_id=action_id,
            at=at,
            kind=kind,
            step_id=step_id,
            detail=detail,
        )

        simulated_action.additional_properties = d
        return simulated_action

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
