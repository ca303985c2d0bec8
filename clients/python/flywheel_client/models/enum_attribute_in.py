from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="EnumAttributeIn")


@_attrs_define
class EnumAttributeIn:
    """An attribute taking one of the listed values.

    Attributes:
        enum_values (list[str]): The allowed values (1 to 200).
        type_ (Literal['enum']):
        description (None | str | Unset):
    """

    enum_values: list[str]
    type_: Literal["enum"]
    description: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        enum_values = self.enum_values

        type_ = self.type_

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "enum_values": enum_values,
                "type": type_,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enum_values = cast(list[str], d.pop("enum_values"))

        type_ = cast(Literal["enum"], d.pop("type"))
        if type_ != "enum":
            raise ValueError(f"type must match const 'enum', got '{type_}'")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        enum_attribute_in = cls(
            enum_values=enum_values,
            type_=type_,
            description=description,
        )

        return enum_attribute_in
