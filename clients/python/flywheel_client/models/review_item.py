from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.review_item_role import ReviewItemRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReviewItem")


@_attrs_define
class ReviewItem:
    """A reward with who would receive it, the referral it comes from and its review.

    Attributes:
        created_at (datetime.datetime):
        customer_id (str): Who would receive the reward.
        kind (str): `amount`, `percent` or `points`.
        program_id (str):
        referrer_id (str):
        reward_id (str):
        role (ReviewItemRole):
        status (str): `granted`, `reversed`, `held` (for review) or `rejected`.
        trigger (str):
        value (str): Decimal string.
        friend_id (None | str | Unset):
        reason (None | str | Unset):
        review_comment (None | str | Unset):
    """

    created_at: datetime.datetime
    customer_id: str
    kind: str
    program_id: str
    referrer_id: str
    reward_id: str
    role: ReviewItemRole
    status: str
    trigger: str
    value: str
    friend_id: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET
    review_comment: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        customer_id = self.customer_id

        kind = self.kind

        program_id = self.program_id

        referrer_id = self.referrer_id

        reward_id = self.reward_id

        role = self.role.value

        status = self.status

        trigger = self.trigger

        value = self.value

        friend_id: None | str | Unset
        if isinstance(self.friend_id, Unset):
            friend_id = UNSET
        else:
            friend_id = self.friend_id

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        review_comment: None | str | Unset
        if isinstance(self.review_comment, Unset):
            review_comment = UNSET
        else:
            review_comment = self.review_comment

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "customer_id": customer_id,
                "kind": kind,
                "program_id": program_id,
                "referrer_id": referrer_id,
                "reward_id": reward_id,
                "role": role,
                "status": status,
                "trigger": trigger,
                "value": value,
            }
        )
        if friend_id is not UNSET:
            field_dict["friend_id"] = friend_id
        if reason is not UNSET:
            field_dict["reason"] = reason
        if review_comment is not UNSET:
            field_dict["review_comment"] = review_comment

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        customer_id = d.pop("customer_id")

        kind = d.pop("kind")

        program_id = d.pop("program_id")

        referrer_id = d.pop("referrer_id")

        reward_id = d.pop("reward_id")

        role = ReviewItemRole(d.pop("role"))

        status = d.pop("status")

        trigger = d.pop("trigger")

        value = d.pop("value")

        def _parse_friend_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        friend_id = _parse_friend_id(d.pop("friend_id", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_review_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        review_comment = _parse_review_comment(d.pop("review_comment", UNSET))

        review_item = cls(
            created_at=created_at,
            customer_id=customer_id,
            kind=kind,
            program_id=program_id,
            referrer_id=referrer_id,
            reward_id=reward_id,
            role=role,
            status=status,
            trigger=trigger,
            value=value,
            friend_id=friend_id,
            reason=reason,
            review_comment=review_comment,
        )

        review_item.additional_properties = d
        return review_item

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
