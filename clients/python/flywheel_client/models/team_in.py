from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="TeamIn")


@_attrs_define
class TeamIn:
    """
    Attributes:
        members (list[str]): In turn order; unique.
    """

    members: list[str]

    def to_dict(self) -> dict[str, Any]:
        members = self.members

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "members": members,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        members = cast(list[str], d.pop("members"))

        team_in = cls(
            members=members,
        )

        return team_in
