from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.segment_status import SegmentStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.segment_condition_object import SegmentConditionObject
    from ..models.segment_failure import SegmentFailure


T = TypeVar("T", bound="Segment")


@_attrs_define
class Segment:
    """
    Attributes:
        condition (SegmentConditionObject):
        created_at (datetime.datetime):
        members (int): Current number of members.
        name (str):
        segment_id (str):
        updated_at (datetime.datetime):
        description (None | str | Unset):
        failure (None | SegmentFailure | Unset): Why it is failing; null while active.
        status (SegmentStatus | Unset): failing: evaluating it took longer than the workspace's budget of database time;
            it is skipped (its members stay as they were) until it is saved again. Default: SegmentStatus.ACTIVE.
    """

    condition: SegmentConditionObject
    created_at: datetime.datetime
    members: int
    name: str
    segment_id: str
    updated_at: datetime.datetime
    description: None | str | Unset = UNSET
    failure: None | SegmentFailure | Unset = UNSET
    status: SegmentStatus | Unset = SegmentStatus.ACTIVE
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.segment_failure import SegmentFailure  # noqa: PLC0415

        condition = self.condition.to_dict()

        created_at = self.created_at.isoformat()

        members = self.members

        name = self.name

        segment_id = self.segment_id

        updated_at = self.updated_at.isoformat()

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        failure: dict[str, Any] | None | Unset
        if isinstance(self.failure, Unset):
            failure = UNSET
        elif isinstance(self.failure, SegmentFailure):
            failure = self.failure.to_dict()
        else:
            failure = self.failure

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "condition": condition,
                "created_at": created_at,
                "members": members,
                "name": name,
                "segment_id": segment_id,
                "updated_at": updated_at,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if failure is not UNSET:
            field_dict["failure"] = failure
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.segment_condition_object import SegmentConditionObject  # noqa: PLC0415
        from ..models.segment_failure import SegmentFailure  # noqa: PLC0415

        d = dict(src_dict)
        condition = SegmentConditionObject.from_dict(d.pop("condition"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        members = d.pop("members")

        name = d.pop("name")

        segment_id = d.pop("segment_id")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_failure(data: object) -> None | SegmentFailure | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                failure_type_0 = SegmentFailure.from_dict(data)

                return failure_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SegmentFailure | Unset, data)

        failure = _parse_failure(d.pop("failure", UNSET))

        _status = d.pop("status", UNSET)
        status: SegmentStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = SegmentStatus(_status)

        segment = cls(
            condition=condition,
            created_at=created_at,
            members=members,
            name=name,
            segment_id=segment_id,
            updated_at=updated_at,
            description=description,
            failure=failure,
            status=status,
        )

        segment.additional_properties = d
        return segment

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
