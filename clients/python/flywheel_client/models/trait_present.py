from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="TraitPresent")


@_attrs_define
class TraitPresent:
    """
    Attributes:
        kind (Literal['trait_present']):
        trait (str):
    """

    kind: Literal["trait_present"]
    trait: str

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        trait = self.trait

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "trait": trait,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = cast(Literal["trait_present"], d.pop("kind"))
        if kind != "trait_present":
            raise ValueError(f"kind must match const 'trait_present', got '{kind}'")

        trait = d.pop("trait")

        trait_present = cls(
            kind=kind,
            trait=trait,
        )

        return trait_present
