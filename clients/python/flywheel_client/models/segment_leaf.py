from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.segment_leaf_op import SegmentLeafOp
from ..types import UNSET, Unset

T = TypeVar("T", bound="SegmentLeaf")


@_attrs_define
class SegmentLeaf:
    """A segment's leaf: the grammar's, checked against the field catalogue and the segments' budgets; an event
    count (`events.<type>.count`) may take a window, `within_last` (e.g. "7d").

        Attributes:
            field (str):
            op (SegmentLeafOp):
            value (bool | float | int | list[bool | float | int | str] | None | str | Unset):
            within_last (None | str | Unset):
    """

    field: str
    op: SegmentLeafOp
    value: bool | float | int | list[bool | float | int | str] | None | str | Unset = UNSET
    within_last: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        field = self.field

        op = self.op.value

        value: bool | float | int | list[bool | float | int | str] | None | str | Unset
        if isinstance(self.value, Unset):
            value = UNSET
        elif isinstance(self.value, list):
            value = []
            for value_type_4_item_data in self.value:
                value_type_4_item: bool | float | int | str
                value_type_4_item = value_type_4_item_data
                value.append(value_type_4_item)

        else:
            value = self.value

        within_last: None | str | Unset
        if isinstance(self.within_last, Unset):
            within_last = UNSET
        else:
            within_last = self.within_last

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "field": field,
                "op": op,
            }
        )
        if value is not UNSET:
            field_dict["value"] = value
        if within_last is not UNSET:
            field_dict["within_last"] = within_last

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        field = d.pop("field")

        op = SegmentLeafOp(d.pop("op"))

        def _parse_value(data: object) -> bool | float | int | list[bool | float | int | str] | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                value_type_4 = []
                _value_type_4 = data
                for value_type_4_item_data in _value_type_4:

                    def _parse_value_type_4_item(data: object) -> bool | float | int | str:
                        return cast(bool | float | int | str, data)

                    value_type_4_item = _parse_value_type_4_item(value_type_4_item_data)

                    value_type_4.append(value_type_4_item)

                return value_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(bool | float | int | list[bool | float | int | str] | None | str | Unset, data)

        value = _parse_value(d.pop("value", UNSET))

        def _parse_within_last(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        within_last = _parse_within_last(d.pop("within_last", UNSET))

        segment_leaf = cls(
            field=field,
            op=op,
            value=value,
            within_last=within_last,
        )

        return segment_leaf
