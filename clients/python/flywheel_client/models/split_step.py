from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.variant import Variant


T = TypeVar("T", bound="SplitStep")


@_attrs_define
class SplitStep:
    """An A/B(/n) split: each customer always lands in the same variant (a hash), in proportion to weights.

    Attributes:
        type_ (Literal['split']):
        variants (list[Variant]):
    """

    type_: Literal["split"]
    variants: list[Variant]

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        variants = []
        for variants_item_data in self.variants:
            variants_item = variants_item_data.to_dict()
            variants.append(variants_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "variants": variants,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.variant import Variant  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["split"], d.pop("type"))
        if type_ != "split":
            raise ValueError(f"type must match const 'split', got '{type_}'")

        variants = []
        _variants = d.pop("variants")
        for variants_item_data in _variants:
            variants_item = Variant.from_dict(variants_item_data)

            variants.append(variants_item)

        split_step = cls(
            type_=type_,
            variants=variants,
        )

        return split_step
