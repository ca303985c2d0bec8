from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.referral_invite_action_channel import ReferralInviteActionChannel
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReferralInviteAction")


@_attrs_define
class ReferralInviteAction:
    """
    Attributes:
        kind (Literal['referral_invite']):
        program_id (str):
        channel (ReferralInviteActionChannel | Unset):  Default: ReferralInviteActionChannel.EMAIL.
    """

    kind: Literal["referral_invite"]
    program_id: str
    channel: ReferralInviteActionChannel | Unset = ReferralInviteActionChannel.EMAIL

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        program_id = self.program_id

        channel: str | Unset = UNSET
        if not isinstance(self.channel, Unset):
            channel = self.channel.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "program_id": program_id,
            }
        )
        if channel is not UNSET:
            field_dict["channel"] = channel

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = cast(Literal["referral_invite"], d.pop("kind"))
        if kind != "referral_invite":
            raise ValueError(f"kind must match const 'referral_invite', got '{kind}'")

        program_id = d.pop("program_id")

        _channel = d.pop("channel", UNSET)
        channel: ReferralInviteActionChannel | Unset
        if isinstance(_channel, Unset):
            channel = UNSET
        else:
            channel = ReferralInviteActionChannel(_channel)

        referral_invite_action = cls(
            kind=kind,
            program_id=program_id,
            channel=channel,
        )

        return referral_invite_action
