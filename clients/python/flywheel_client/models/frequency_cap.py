from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.frequency_cap_when_capped import FrequencyCapWhenCapped
from ..types import UNSET, Unset

T = TypeVar("T", bound="FrequencyCap")


@_attrs_define
class FrequencyCap:
    """At most `messages` messages per `per` to a customer across all journeys; `when_capped` decides.

    Attributes:
        messages (int):
        per (str):
        when_capped (FrequencyCapWhenCapped | Unset):  Default: FrequencyCapWhenCapped.DEFER.
    """

    messages: int
    per: str
    when_capped: FrequencyCapWhenCapped | Unset = FrequencyCapWhenCapped.DEFER

    def to_dict(self) -> dict[str, Any]:
        messages = self.messages

        per = self.per

        when_capped: str | Unset = UNSET
        if not isinstance(self.when_capped, Unset):
            when_capped = self.when_capped.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "messages": messages,
                "per": per,
            }
        )
        if when_capped is not UNSET:
            field_dict["when_capped"] = when_capped

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        messages = d.pop("messages")

        per = d.pop("per")

        _when_capped = d.pop("when_capped", UNSET)
        when_capped: FrequencyCapWhenCapped | Unset
        if isinstance(_when_capped, Unset):
            when_capped = UNSET
        else:
            when_capped = FrequencyCapWhenCapped(_when_capped)

        frequency_cap = cls(
            messages=messages,
            per=per,
            when_capped=when_capped,
        )

        return frequency_cap
