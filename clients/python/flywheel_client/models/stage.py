from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.checklist_item import ChecklistItem


T = TypeVar("T", bound="Stage")


@_attrs_define
class Stage:
    """
    Attributes:
        id (str):
        name (str):
        probability (float): Chance a deal in this stage is won (weights pipeline value).
        checklist (list[ChecklistItem] | Unset):
        required_fields (list[str] | Unset): Deal fields that must be set before the deal moves on.
    """

    id: str
    name: str
    probability: float
    checklist: list[ChecklistItem] | Unset = UNSET
    required_fields: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        probability = self.probability

        checklist: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.checklist, Unset):
            checklist = []
            for checklist_item_data in self.checklist:
                checklist_item = checklist_item_data.to_dict()
                checklist.append(checklist_item)

        required_fields: list[str] | Unset = UNSET
        if not isinstance(self.required_fields, Unset):
            required_fields = self.required_fields

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "name": name,
                "probability": probability,
            }
        )
        if checklist is not UNSET:
            field_dict["checklist"] = checklist
        if required_fields is not UNSET:
            field_dict["required_fields"] = required_fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.checklist_item import ChecklistItem  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        probability = d.pop("probability")

        _checklist = d.pop("checklist", UNSET)
        checklist: list[ChecklistItem] | Unset = UNSET
        if _checklist is not UNSET:
            checklist = []
            for checklist_item_data in _checklist:
                checklist_item = ChecklistItem.from_dict(checklist_item_data)

                checklist.append(checklist_item)

        required_fields = cast(list[str], d.pop("required_fields", UNSET))

        stage = cls(
            id=id,
            name=name,
            probability=probability,
            checklist=checklist,
            required_fields=required_fields,
        )

        return stage
