from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.eligibility import Eligibility
    from ..models.fraud import Fraud
    from ..models.limits import Limits
    from ..models.review import Review
    from ..models.reward import Reward
    from ..models.tier import Tier


T = TypeVar("T", bound="ReferralProgramIn")


@_attrs_define
class ReferralProgramIn:
    """
    Attributes:
        name (str):
        active (bool | Unset):  Default: True.
        attribution_window_days (float | Unset):  Default: 30.0.
        code_prefix (str | Unset):  Default: 'REF'.
        eligibility (Eligibility | Unset): Who may refer: everyone, or members of one of scoring's segments (by segment
            id or name).
        fraud (Fraud | Unset):
        friend_reward (None | Reward | Unset):
        limits (Limits | Unset):
        referrer_reward (None | Reward | Unset):
        review (Review | Unset): Rewards above these values are held for review (none: never).
        tiers (list[Tier] | Unset):
        valid_from (datetime.datetime | None | Unset):
        valid_until (datetime.datetime | None | Unset):
    """

    name: str
    active: bool | Unset = True
    attribution_window_days: float | Unset = 30.0
    code_prefix: str | Unset = "REF"
    eligibility: Eligibility | Unset = UNSET
    fraud: Fraud | Unset = UNSET
    friend_reward: None | Reward | Unset = UNSET
    limits: Limits | Unset = UNSET
    referrer_reward: None | Reward | Unset = UNSET
    review: Review | Unset = UNSET
    tiers: list[Tier] | Unset = UNSET
    valid_from: datetime.datetime | None | Unset = UNSET
    valid_until: datetime.datetime | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.reward import Reward  # noqa: PLC0415

        name = self.name

        active = self.active

        attribution_window_days = self.attribution_window_days

        code_prefix = self.code_prefix

        eligibility: dict[str, Any] | Unset = UNSET
        if not isinstance(self.eligibility, Unset):
            eligibility = self.eligibility.to_dict()

        fraud: dict[str, Any] | Unset = UNSET
        if not isinstance(self.fraud, Unset):
            fraud = self.fraud.to_dict()

        friend_reward: dict[str, Any] | None | Unset
        if isinstance(self.friend_reward, Unset):
            friend_reward = UNSET
        elif isinstance(self.friend_reward, Reward):
            friend_reward = self.friend_reward.to_dict()
        else:
            friend_reward = self.friend_reward

        limits: dict[str, Any] | Unset = UNSET
        if not isinstance(self.limits, Unset):
            limits = self.limits.to_dict()

        referrer_reward: dict[str, Any] | None | Unset
        if isinstance(self.referrer_reward, Unset):
            referrer_reward = UNSET
        elif isinstance(self.referrer_reward, Reward):
            referrer_reward = self.referrer_reward.to_dict()
        else:
            referrer_reward = self.referrer_reward

        review: dict[str, Any] | Unset = UNSET
        if not isinstance(self.review, Unset):
            review = self.review.to_dict()

        tiers: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tiers, Unset):
            tiers = []
            for tiers_item_data in self.tiers:
                tiers_item = tiers_item_data.to_dict()
                tiers.append(tiers_item)

        valid_from: None | str | Unset
        if isinstance(self.valid_from, Unset):
            valid_from = UNSET
        elif isinstance(self.valid_from, datetime.datetime):
            valid_from = self.valid_from.isoformat()
        else:
            valid_from = self.valid_from

        valid_until: None | str | Unset
        if isinstance(self.valid_until, Unset):
            valid_until = UNSET
        elif isinstance(self.valid_until, datetime.datetime):
            valid_until = self.valid_until.isoformat()
        else:
            valid_until = self.valid_until

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if active is not UNSET:
            field_dict["active"] = active
        if attribution_window_days is not UNSET:
            field_dict["attribution_window_days"] = attribution_window_days
        if code_prefix is not UNSET:
            field_dict["code_prefix"] = code_prefix
        if eligibility is not UNSET:
            field_dict["eligibility"] = eligibility
        if fraud is not UNSET:
            field_dict["fraud"] = fraud
        if friend_reward is not UNSET:
            field_dict["friend_reward"] = friend_reward
        if limits is not UNSET:
            field_dict["limits"] = limits
        if referrer_reward is not UNSET:
            field_dict["referrer_reward"] = referrer_reward
        if review is not UNSET:
            field_dict["review"] = review
        if tiers is not UNSET:
            field_dict["tiers"] = tiers
        if valid_from is not UNSET:
            field_dict["valid_from"] = valid_from
        if valid_until is not UNSET:
            field_dict["valid_until"] = valid_until

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.eligibility import Eligibility  # noqa: PLC0415
        from ..models.fraud import Fraud  # noqa: PLC0415
        from ..models.limits import Limits  # noqa: PLC0415
        from ..models.review import Review  # noqa: PLC0415
        from ..models.reward import Reward  # noqa: PLC0415
        from ..models.tier import Tier  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        active = d.pop("active", UNSET)

        attribution_window_days = d.pop("attribution_window_days", UNSET)

        code_prefix = d.pop("code_prefix", UNSET)

        _eligibility = d.pop("eligibility", UNSET)
        eligibility: Eligibility | Unset
        if isinstance(_eligibility, Unset):
            eligibility = UNSET
        else:
            eligibility = Eligibility.from_dict(_eligibility)

        _fraud = d.pop("fraud", UNSET)
        fraud: Fraud | Unset
        if isinstance(_fraud, Unset):
            fraud = UNSET
        else:
            fraud = Fraud.from_dict(_fraud)

        def _parse_friend_reward(data: object) -> None | Reward | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                friend_reward_type_0 = Reward.from_dict(data)

                return friend_reward_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Reward | Unset, data)

        friend_reward = _parse_friend_reward(d.pop("friend_reward", UNSET))

        _limits = d.pop("limits", UNSET)
        limits: Limits | Unset
        if isinstance(_limits, Unset):
            limits = UNSET
        else:
            limits = Limits.from_dict(_limits)

        def _parse_referrer_reward(data: object) -> None | Reward | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                referrer_reward_type_0 = Reward.from_dict(data)

                return referrer_reward_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Reward | Unset, data)

        referrer_reward = _parse_referrer_reward(d.pop("referrer_reward", UNSET))

        _review = d.pop("review", UNSET)
        review: Review | Unset
        if isinstance(_review, Unset):
            review = UNSET
        else:
            review = Review.from_dict(_review)

        _tiers = d.pop("tiers", UNSET)
        tiers: list[Tier] | Unset = UNSET
        if _tiers is not UNSET:
            tiers = []
            for tiers_item_data in _tiers:
                tiers_item = Tier.from_dict(tiers_item_data)

                tiers.append(tiers_item)

        def _parse_valid_from(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_from_type_0 = datetime.datetime.fromisoformat(data)

                return valid_from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        valid_from = _parse_valid_from(d.pop("valid_from", UNSET))

        def _parse_valid_until(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_until_type_0 = datetime.datetime.fromisoformat(data)

                return valid_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        valid_until = _parse_valid_until(d.pop("valid_until", UNSET))

        referral_program_in = cls(
            name=name,
            active=active,
            attribution_window_days=attribution_window_days,
            code_prefix=code_prefix,
            eligibility=eligibility,
            fraud=fraud,
            friend_reward=friend_reward,
            limits=limits,
            referrer_reward=referrer_reward,
            review=review,
            tiers=tiers,
            valid_from=valid_from,
            valid_until=valid_until,
        )

        return referral_program_in
