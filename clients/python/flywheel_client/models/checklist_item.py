from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ChecklistItem")


@_attrs_define
class ChecklistItem:
    """
    Attributes:
        id (str):
        title (str):
        due_in_days (float | Unset): The task is due this long after entering the stage. Default: 1.0.
        required (bool | Unset): The deal cannot leave the stage while this task is open. Default: True.
    """

    id: str
    title: str
    due_in_days: float | Unset = 1.0
    required: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        title = self.title

        due_in_days = self.due_in_days

        required = self.required

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "title": title,
            }
        )
        if due_in_days is not UNSET:
            field_dict["due_in_days"] = due_in_days
        if required is not UNSET:
            field_dict["required"] = required

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        title = d.pop("title")

        due_in_days = d.pop("due_in_days", UNSET)

        required = d.pop("required", UNSET)

        checklist_item = cls(
            id=id,
            title=title,
            due_in_days=due_in_days,
            required=required,
        )

        return checklist_item
