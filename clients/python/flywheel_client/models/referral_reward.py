from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.referral_reward_role import ReferralRewardRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReferralReward")


@_attrs_define
class ReferralReward:
    """
    Attributes:
        created_at (datetime.datetime):
        kind (str): `amount`, `percent` or `points`.
        program_id (str):
        reward_id (str):
        role (ReferralRewardRole):
        status (str): `granted`, `reversed`, `held` (for review) or `rejected`.
        value (str): Decimal string.
        reason (None | str | Unset):
    """

    created_at: datetime.datetime
    kind: str
    program_id: str
    reward_id: str
    role: ReferralRewardRole
    status: str
    value: str
    reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        kind = self.kind

        program_id = self.program_id

        reward_id = self.reward_id

        role = self.role.value

        status = self.status

        value = self.value

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "kind": kind,
                "program_id": program_id,
                "reward_id": reward_id,
                "role": role,
                "status": status,
                "value": value,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        kind = d.pop("kind")

        program_id = d.pop("program_id")

        reward_id = d.pop("reward_id")

        role = ReferralRewardRole(d.pop("role"))

        status = d.pop("status")

        value = d.pop("value")

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        referral_reward = cls(
            created_at=created_at,
            kind=kind,
            program_id=program_id,
            reward_id=reward_id,
            role=role,
            status=status,
            value=value,
            reason=reason,
        )

        referral_reward.additional_properties = d
        return referral_reward

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
