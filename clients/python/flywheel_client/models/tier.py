from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tier_reward import TierReward


T = TypeVar("T", bound="Tier")


@_attrs_define
class Tier:
    """
    Attributes:
        friends (int): Successful referrals needed.
        name (str):
        reward (None | TierReward | Unset):
    """

    friends: int
    name: str
    reward: None | TierReward | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.tier_reward import TierReward  # noqa: PLC0415

        friends = self.friends

        name = self.name

        reward: dict[str, Any] | None | Unset
        if isinstance(self.reward, Unset):
            reward = UNSET
        elif isinstance(self.reward, TierReward):
            reward = self.reward.to_dict()
        else:
            reward = self.reward

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "friends": friends,
                "name": name,
            }
        )
        if reward is not UNSET:
            field_dict["reward"] = reward

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tier_reward import TierReward  # noqa: PLC0415

        d = dict(src_dict)
        friends = d.pop("friends")

        name = d.pop("name")

        def _parse_reward(data: object) -> None | TierReward | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                reward_type_0 = TierReward.from_dict(data)

                return reward_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TierReward | Unset, data)

        reward = _parse_reward(d.pop("reward", UNSET))

        tier = cls(
            friends=friends,
            name=name,
            reward=reward,
        )

        return tier
