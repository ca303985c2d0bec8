from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.stage import Stage


T = TypeVar("T", bound="PipelineIn")


@_attrs_define
class PipelineIn:
    """
    Attributes:
        name (str):
        stages (list[Stage]):
    """

    name: str
    stages: list[Stage]

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        stages = []
        for stages_item_data in self.stages:
            stages_item = stages_item_data.to_dict()
            stages.append(stages_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "stages": stages,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.stage import Stage  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        stages = []
        _stages = d.pop("stages")
        for stages_item_data in _stages:
            stages_item = Stage.from_dict(stages_item_data)

            stages.append(stages_item)

        pipeline_in = cls(
            name=name,
            stages=stages,
        )

        return pipeline_in
