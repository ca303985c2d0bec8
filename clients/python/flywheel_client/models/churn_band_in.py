from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.churn_band_in_bands_item import ChurnBandInBandsItem

T = TypeVar("T", bound="ChurnBandIn")


@_attrs_define
class ChurnBandIn:
    """
    Attributes:
        bands (list[ChurnBandInBandsItem]):
        kind (Literal['churn_band_in']):
    """

    bands: list[ChurnBandInBandsItem]
    kind: Literal["churn_band_in"]

    def to_dict(self) -> dict[str, Any]:
        bands = []
        for bands_item_data in self.bands:
            bands_item = bands_item_data.value
            bands.append(bands_item)

        kind = self.kind

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "bands": bands,
                "kind": kind,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        bands = []
        _bands = d.pop("bands")
        for bands_item_data in _bands:
            bands_item = ChurnBandInBandsItem(bands_item_data)

            bands.append(bands_item)

        kind = cast(Literal["churn_band_in"], d.pop("kind"))
        if kind != "churn_band_in":
            raise ValueError(f"kind must match const 'churn_band_in', got '{kind}'")

        churn_band_in = cls(
            bands=bands,
            kind=kind,
        )

        return churn_band_in
