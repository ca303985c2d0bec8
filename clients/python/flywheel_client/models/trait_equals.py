from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="TraitEquals")


@_attrs_define
class TraitEquals:
    """
    Attributes:
        kind (Literal['trait_equals']):
        trait (str):
        value (Any):
    """

    kind: Literal["trait_equals"]
    trait: str
    value: Any

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        trait = self.trait

        value = self.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "trait": trait,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = cast(Literal["trait_equals"], d.pop("kind"))
        if kind != "trait_equals":
            raise ValueError(f"kind must match const 'trait_equals', got '{kind}'")

        trait = d.pop("trait")

        value = d.pop("value")

        trait_equals = cls(
            kind=kind,
            trait=trait,
            value=value,
        )

        return trait_equals
