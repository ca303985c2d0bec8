from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Variant")


@_attrs_define
class Variant:
    """
    Attributes:
        name (str):
        next_ (str):
        weight (float):
    """

    name: str
    next_: str
    weight: float

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        next_ = self.next_

        weight = self.weight

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "next": next_,
                "weight": weight,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        next_ = d.pop("next")

        weight = d.pop("weight")

        variant = cls(
            name=name,
            next_=next_,
            weight=weight,
        )

        return variant
