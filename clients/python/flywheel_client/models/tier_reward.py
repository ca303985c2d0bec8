from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.tier_reward_kind import TierRewardKind

T = TypeVar("T", bound="TierReward")


@_attrs_define
class TierReward:
    """
    Attributes:
        kind (TierRewardKind):
        value (float | str):
    """

    kind: TierRewardKind
    value: float | str

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        value: float | str
        value = self.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = TierRewardKind(d.pop("kind"))

        def _parse_value(data: object) -> float | str:
            return cast(float | str, data)

        value = _parse_value(d.pop("value"))

        tier_reward = cls(
            kind=kind,
            value=value,
        )

        return tier_reward
