from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.tag_action_op import TagActionOp
from ..types import UNSET, Unset

T = TypeVar("T", bound="TagAction")


@_attrs_define
class TagAction:
    """
    Attributes:
        kind (Literal['tag']):
        tag (str):
        op (TagActionOp | Unset):  Default: TagActionOp.ADD.
    """

    kind: Literal["tag"]
    tag: str
    op: TagActionOp | Unset = TagActionOp.ADD

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        tag = self.tag

        op: str | Unset = UNSET
        if not isinstance(self.op, Unset):
            op = self.op.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "tag": tag,
            }
        )
        if op is not UNSET:
            field_dict["op"] = op

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = cast(Literal["tag"], d.pop("kind"))
        if kind != "tag":
            raise ValueError(f"kind must match const 'tag', got '{kind}'")

        tag = d.pop("tag")

        _op = d.pop("op", UNSET)
        op: TagActionOp | Unset
        if isinstance(_op, Unset):
            op = UNSET
        else:
            op = TagActionOp(_op)

        tag_action = cls(
            kind=kind,
            tag=tag,
            op=op,
        )

        return tag_action
