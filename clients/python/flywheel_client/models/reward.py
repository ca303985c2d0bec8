from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.reward_kind import RewardKind
from ..models.reward_trigger import RewardTrigger
from ..types import UNSET, Unset

T = TypeVar("T", bound="Reward")


@_attrs_define
class Reward:
    """
    Attributes:
        kind (RewardKind): amount: money off; percent: a percentage coupon; points.
        value (float | str):
        min_purchase (float | str | Unset):  Default: 0.0.
        trigger (RewardTrigger | Unset): The friend's sign-up, or the friend's first purchase of at least min_purchase.
            Default: RewardTrigger.FIRST_PURCHASE.
    """

    kind: RewardKind
    value: float | str
    min_purchase: float | str | Unset = 0.0
    trigger: RewardTrigger | Unset = RewardTrigger.FIRST_PURCHASE

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        value: float | str
        value = self.value

        min_purchase: float | str | Unset
        if isinstance(self.min_purchase, Unset):
            min_purchase = UNSET
        else:
            min_purchase = self.min_purchase

        trigger: str | Unset = UNSET
        if not isinstance(self.trigger, Unset):
            trigger = self.trigger.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "value": value,
            }
        )
        if min_purchase is not UNSET:
            field_dict["min_purchase"] = min_purchase
        if trigger is not UNSET:
            field_dict["trigger"] = trigger

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = RewardKind(d.pop("kind"))

        def _parse_value(data: object) -> float | str:
            return cast(float | str, data)

        value = _parse_value(d.pop("value"))

        def _parse_min_purchase(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        min_purchase = _parse_min_purchase(d.pop("min_purchase", UNSET))

        _trigger = d.pop("trigger", UNSET)
        trigger: RewardTrigger | Unset
        if isinstance(_trigger, Unset):
            trigger = UNSET
        else:
            trigger = RewardTrigger(_trigger)

        reward = cls(
            kind=kind,
            value=value,
            min_purchase=min_purchase,
            trigger=trigger,
        )

        return reward
