from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Limits")


@_attrs_define
class Limits:
    """
    Attributes:
        budget (float | None | str | Unset): Most money (kind amount) the program grants and holds in total.
        rewards_per_referrer_per_month (int | None | Unset): Calendar month (UTC) of the event.
    """

    budget: float | None | str | Unset = UNSET
    rewards_per_referrer_per_month: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        budget: float | None | str | Unset
        if isinstance(self.budget, Unset):
            budget = UNSET
        else:
            budget = self.budget

        rewards_per_referrer_per_month: int | None | Unset
        if isinstance(self.rewards_per_referrer_per_month, Unset):
            rewards_per_referrer_per_month = UNSET
        else:
            rewards_per_referrer_per_month = self.rewards_per_referrer_per_month

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if budget is not UNSET:
            field_dict["budget"] = budget
        if rewards_per_referrer_per_month is not UNSET:
            field_dict["rewards_per_referrer_per_month"] = rewards_per_referrer_per_month

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_budget(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        budget = _parse_budget(d.pop("budget", UNSET))

        def _parse_rewards_per_referrer_per_month(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rewards_per_referrer_per_month = _parse_rewards_per_referrer_per_month(
            d.pop("rewards_per_referrer_per_month", UNSET)
        )

        limits = cls(
            budget=budget,
            rewards_per_referrer_per_month=rewards_per_referrer_per_month,
        )

        return limits
