from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.branch_case import BranchCase


T = TypeVar("T", bound="BranchStep")


@_attrs_define
class BranchStep:
    """The first branch whose condition holds for the customer, else `default`.

    Attributes:
        branches (list[BranchCase]):
        default (str):
        type_ (Literal['branch']):
    """

    branches: list[BranchCase]
    default: str
    type_: Literal["branch"]

    def to_dict(self) -> dict[str, Any]:
        branches = []
        for branches_item_data in self.branches:
            branches_item = branches_item_data.to_dict()
            branches.append(branches_item)

        default = self.default

        type_ = self.type_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "branches": branches,
                "default": default,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.branch_case import BranchCase  # noqa: PLC0415

        d = dict(src_dict)
        branches = []
        _branches = d.pop("branches")
        for branches_item_data in _branches:
            branches_item = BranchCase.from_dict(branches_item_data)

            branches.append(branches_item)

        default = d.pop("default")

        type_ = cast(Literal["branch"], d.pop("type"))
        if type_ != "branch":
            raise ValueError(f"type must match const 'branch', got '{type_}'")

        branch_step = cls(
            branches=branches,
            default=default,
            type_=type_,
        )

        return branch_step
