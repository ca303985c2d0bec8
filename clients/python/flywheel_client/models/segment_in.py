from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.segment_in_condition import SegmentInCondition


T = TypeVar("T", bound="SegmentIn")


@_attrs_define
class SegmentIn:
    """
    Attributes:
        condition (SegmentInCondition): A condition tree: `all` / `any` / `not` over leaves `{field, op, value}` on
            stats, scores, loyalty (`loyalty.balance`, `loyalty.tier`) and traits (GET /v1/segment-fields lists fields,
            types and operators).
        name (str):
        description (None | str | Unset):
    """

    condition: SegmentInCondition
    name: str
    description: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        condition = self.condition.to_dict()

        name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "condition": condition,
                "name": name,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.segment_in_condition import SegmentInCondition  # noqa: PLC0415

        d = dict(src_dict)
        condition = SegmentInCondition.from_dict(d.pop("condition"))

        name = d.pop("name")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        segment_in = cls(
            condition=condition,
            name=name,
            description=description,
        )

        return segment_in
