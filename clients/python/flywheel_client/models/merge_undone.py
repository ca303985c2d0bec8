from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.merge_cause import MergeCause


T = TypeVar("T", bound="MergeUndone")


@_attrs_define
class MergeUndone:
    """The merge, undone: `merged_id` resolves to itself again and is kept apart from `survivor_id` from now on.

    Attributes:
        cause (MergeCause): What merged the two profiles: the event that carried identifiers of both, and those
            identifiers.
        merge_id (str):
        merged_at (datetime.datetime):
        merged_id (str):
        survivor_id (str):
        restored_events (int | Unset): Events taken in after the merge that went back to `merged_id` (by the identifiers
            they carried). Default: 0.
        undo_reason (None | str | Unset):
        undone (bool | Unset):  Default: False.
        undone_at (datetime.datetime | None | Unset):
    """

    cause: MergeCause
    merge_id: str
    merged_at: datetime.datetime
    merged_id: str
    survivor_id: str
    restored_events: int | Unset = 0
    undo_reason: None | str | Unset = UNSET
    undone: bool | Unset = False
    undone_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cause = self.cause.to_dict()

        merge_id = self.merge_id

        merged_at = self.merged_at.isoformat()

        merged_id = self.merged_id

        survivor_id = self.survivor_id

        restored_events = self.restored_events

        undo_reason: None | str | Unset
        if isinstance(self.undo_reason, Unset):
            undo_reason = UNSET
        else:
            undo_reason = self.undo_reason

        undone = self.undone

        undone_at: None | str | Unset
        if isinstance(self.undone_at, Unset):
            undone_at = UNSET
        elif isinstance(self.undone_at, datetime.datetime):
            undone_at = self.undone_at.isoformat()
        else:
            undone_at = self.undone_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cause": cause,
                "merge_id": merge_id,
                "merged_at": merged_at,
                "merged_id": merged_id,
                "survivor_id": survivor_id,
            }
        )
        if restored_events is not UNSET:
            field_dict["restored_events"] = restored_events
        if undo_reason is not UNSET:
            field_dict["undo_reason"] = undo_reason
        if undone is not UNSET:
            field_dict["undone"] = undone
        if undone_at is not UNSET:
            field_dict["undone_at"] = undone_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.merge_cause import MergeCause  # noqa: PLC0415

        d = dict(src_dict)
        cause = MergeCause.from_dict(d.pop("cause"))

        merge_id = d.pop("merge_id")

        merged_at = datetime.datetime.fromisoformat(d.pop("merged_at"))

        merged_id = d.pop("merged_id")

        survivor_id = d.pop("survivor_id")

        restored_events = d.pop("restored_events", UNSET)

        def _parse_undo_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        undo_reason = _parse_undo_reason(d.pop("undo_reason", UNSET))

        undone = d.pop("undone", UNSET)

        def _parse_undone_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                undone_at_type_0 = datetime.datetime.fromisoformat(data)

                return undone_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        undone_at = _parse_undone_at(d.pop("undone_at", UNSET))

        merge_undone = cls(
            cause=cause,
            merge_id=merge_id,
            merged_at=merged_at,
            merged_id=merged_id,
            survivor_id=survivor_id,
            restored_events=restored_events,
            undo_reason=undo_reason,
            undone=undone,
            undone_at=undone_at,
        )

        merge_undone.additional_properties = d
        return merge_undone

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
