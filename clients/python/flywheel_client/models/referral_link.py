from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.referral_link_role import ReferralLinkRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReferralLink")


@_attrs_define
class ReferralLink:
    """A referral the customer took part in, as the referrer or as the friend who was referred.

    Attributes:
        attributed_at (datetime.datetime):
        program_id (str):
        referred_id (str):
        referrer_id (str):
        role (ReferralLinkRole): The customer's part in it.
        status (str): `signed_up`, `purchased` or `rejected`.
        code (None | str | Unset):
        reason (None | str | Unset): Why it was rejected (e.g. self-referral).
    """

    attributed_at: datetime.datetime
    program_id: str
    referred_id: str
    referrer_id: str
    role: ReferralLinkRole
    status: str
    code: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attributed_at = self.attributed_at.isoformat()

        program_id = self.program_id

        referred_id = self.referred_id

        referrer_id = self.referrer_id

        role = self.role.value

        status = self.status

        code: None | str | Unset
        if isinstance(self.code, Unset):
            code = UNSET
        else:
            code = self.code

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attributed_at": attributed_at,
                "program_id": program_id,
                "referred_id": referred_id,
                "referrer_id": referrer_id,
                "role": role,
                "status": status,
            }
        )
        if code is not UNSET:
            field_dict["code"] = code
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attributed_at = datetime.datetime.fromisoformat(d.pop("attributed_at"))

        program_id = d.pop("program_id")

        referred_id = d.pop("referred_id")

        referrer_id = d.pop("referrer_id")

        role = ReferralLinkRole(d.pop("role"))

        status = d.pop("status")

        def _parse_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        code = _parse_code(d.pop("code", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        referral_link = cls(
            attributed_at=attributed_at,
            program_id=program_id,
            referred_id=referred_id,
            referrer_id=referrer_id,
            role=role,
            status=status,
            code=code,
            reason=reason,
        )

        referral_link.additional_properties = d
        return referral_link

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
