from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="SetAttributeAction")


@_attrs_define
class SetAttributeAction:
    """
    Attributes:
        kind (Literal['set_attribute']):
        name (str):
        value (Any):
    """

    kind: Literal["set_attribute"]
    name: str
    value: Any

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        name = self.name

        value = self.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "name": name,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = cast(Literal["set_attribute"], d.pop("kind"))
        if kind != "set_attribute":
            raise ValueError(f"kind must match const 'set_attribute', got '{kind}'")

        name = d.pop("name")

        value = d.pop("value")

        set_attribute_action = cls(
            kind=kind,
            name=name,
            value=value,
        )

        return set_attribute_action
