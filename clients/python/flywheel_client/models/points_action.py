from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PointsAction")


@_attrs_define
class PointsAction:
    """Credits loyalty points to the customer: published as `loyalty.points_requested` (its id the action id, so
    loyalty credits them once), which the loyalty service books as a `journey:<action id>` entry.

        Attributes:
            kind (Literal['points']):
            points (int):
            reason (str | Unset):  Default: ''.
    """

    kind: Literal["points"]
    points: int
    reason: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        points = self.points

        reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "points": points,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = cast(Literal["points"], d.pop("kind"))
        if kind != "points":
            raise ValueError(f"kind must match const 'points', got '{kind}'")

        points = d.pop("points")

        reason = d.pop("reason", UNSET)

        points_action = cls(
            kind=kind,
            points=points,
            reason=reason,
        )

        return points_action
