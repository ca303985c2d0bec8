from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="SuppressionsIn")


@_attrs_define
class SuppressionsIn:
    """Hashed identifiers to add to the workspace's suppression list: no journey message reaches a customer
    carrying one of them, transactional ones included.

        Attributes:
            hashes (list[str]):
    """

    hashes: list[str]

    def to_dict(self) -> dict[str, Any]:
        hashes = self.hashes

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "hashes": hashes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        hashes = cast(list[str], d.pop("hashes"))

        suppressions_in = cls(
            hashes=hashes,
        )

        return suppressions_in
