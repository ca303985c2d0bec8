from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.eligibility_who import EligibilityWho
from ..types import UNSET, Unset

T = TypeVar("T", bound="Eligibility")


@_attrs_define
class Eligibility:
    """Who may refer: everyone, or members of one of scoring's segments (by segment id or name).

    Attributes:
        segment (None | str | Unset):
        who (EligibilityWho | Unset):  Default: EligibilityWho.EVERYONE.
    """

    segment: None | str | Unset = UNSET
    who: EligibilityWho | Unset = EligibilityWho.EVERYONE

    def to_dict(self) -> dict[str, Any]:
        segment: None | str | Unset
        if isinstance(self.segment, Unset):
            segment = UNSET
        else:
            segment = self.segment

        who: str | Unset = UNSET
        if not isinstance(self.who, Unset):
            who = self.who.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if segment is not UNSET:
            field_dict["segment"] = segment
        if who is not UNSET:
            field_dict["who"] = who

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_segment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        segment = _parse_segment(d.pop("segment", UNSET))

        _who = d.pop("who", UNSET)
        who: EligibilityWho | Unset
        if isinstance(_who, Unset):
            who = UNSET
        else:
            who = EligibilityWho(_who)

        eligibility = cls(
            segment=segment,
            who=who,
        )

        return eligibility
