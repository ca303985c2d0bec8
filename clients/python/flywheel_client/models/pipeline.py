from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.pipeline_document import PipelineDocument


T = TypeVar("T", bound="Pipeline")


@_attrs_define
class Pipeline:
    """
    Attributes:
        built_in (bool): True for a built-in pipeline the workspace has not replaced.
        document (PipelineDocument): Ordered stages, each with its win probability, SOP checklist and required deal
            fields.
        pipeline_id (str):
    """

    built_in: bool
    document: PipelineDocument
    pipeline_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        built_in = self.built_in

        document = self.document.to_dict()

        pipeline_id = self.pipeline_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "built_in": built_in,
                "document": document,
                "pipeline_id": pipeline_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pipeline_document import PipelineDocument  # noqa: PLC0415

        d = dict(src_dict)
        built_in = d.pop("built_in")

        document = PipelineDocument.from_dict(d.pop("document"))

        pipeline_id = d.pop("pipeline_id")

        pipeline = cls(
            built_in=built_in,
            document=document,
            pipeline_id=pipeline_id,
        )

        pipeline.additional_properties = d
        return pipeline

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
