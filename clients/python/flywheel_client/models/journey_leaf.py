from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.journey_leaf_op import JourneyLeafOp
from ..types import UNSET, Unset

T = TypeVar("T", bound="JourneyLeaf")


@_attrs_define
class JourneyLeaf:
    """A journey's leaf: the grammar's, with journey's fields, operators and numbers.

    Attributes:
        field (str):
        op (JourneyLeafOp):
        value (bool | float | int | list[bool | float | int | str] | None | str | Unset):
    """

    field: str
    op: JourneyLeafOp
    value: bool | float | int | list[bool | float | int | str] | None | str | Unset = UNSET

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

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "field": field,
                "op": op,
            }
        )
        if value is not UNSET:
            field_dict["value"] = value

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        field = d.pop("field")

        op = JourneyLeafOp(d.pop("op"))

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

        journey_leaf = cls(
            field=field,
            op=op,
            value=value,
        )

        return journey_leaf
