from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="ExitStep")


@_attrs_define
class ExitStep:
    """The end of a path: the enrolment completes.

    Attributes:
        type_ (Literal['exit']):
    """

    type_: Literal["exit"]

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["exit"], d.pop("type"))
        if type_ != "exit":
            raise ValueError(f"type must match const 'exit', got '{type_}'")

        exit_step = cls(
            type_=type_,
        )

        return exit_step
