from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="OwnerIn")


@_attrs_define
class OwnerIn:
    """
    Attributes:
        owner (None | str): The customer's owner; null removes the owner.
    """

    owner: None | str

    def to_dict(self) -> dict[str, Any]:
        owner: None | str
        owner = self.owner

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "owner": owner,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_owner(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        owner = _parse_owner(d.pop("owner"))

        owner_in = cls(
            owner=owner,
        )

        return owner_in
