from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.churn_scores import ChurnScores
    from ..models.customer_segment import CustomerSegment
    from ..models.ltv_scores import LtvScores
    from ..models.rfm_scores import RfmScores


T = TypeVar("T", bound="CustomerScores")


@_attrs_define
class CustomerScores:
    """
    Attributes:
        as_of (datetime.datetime): When these scores were computed.
        churn (ChurnScores):
        customer_id (str):
        ltv (LtvScores):
        rfm (None | RfmScores): Null until the customer's first purchase.
        dormant_since (datetime.datetime | None | Unset): Set while the customer is dormant.
        segments (list[CustomerSegment] | Unset):
    """

    as_of: datetime.datetime
    churn: ChurnScores
    customer_id: str
    ltv: LtvScores
    rfm: None | RfmScores
    dormant_since: datetime.datetime | None | Unset = UNSET
    segments: list[CustomerSegment] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.rfm_scores import RfmScores  # noqa: PLC0415

        as_of = self.as_of.isoformat()

        churn = self.churn.to_dict()

        customer_id = self.customer_id

        ltv = self.ltv.to_dict()

        rfm: dict[str, Any] | None
        if isinstance(self.rfm, RfmScores):
            rfm = self.rfm.to_dict()
        else:
            rfm = self.rfm

        dormant_since: None | str | Unset
        if isinstance(self.dormant_since, Unset):
            dormant_since = UNSET
        elif isinstance(self.dormant_since, datetime.datetime):
            dormant_since = self.dormant_since.isoformat()
        else:
            dormant_since = self.dormant_since

        segments: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.segments, Unset):
            segments = []
            for segments_item_data in self.segments:
                segments_item = segments_item_data.to_dict()
                segments.append(segments_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "churn": churn,
                "customer_id": customer_id,
                "ltv": ltv,
                "rfm": rfm,
            }
        )
        if dormant_since is not UNSET:
            field_dict["dormant_since"] = dormant_since
        if segments is not UNSET:
            field_dict["segments"] = segments

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.churn_scores import ChurnScores  # noqa: PLC0415
        from ..models.customer_segment import CustomerSegment  # noqa: PLC0415
        from ..models.ltv_scores import LtvScores  # noqa: PLC0415
        from ..models.rfm_scores import RfmScores  # noqa: PLC0415

        d = dict(src_dict)
        as_of = datetime.datetime.fromisoformat(d.pop("as_of"))

        churn = ChurnScores.from_dict(d.pop("churn"))

        customer_id = d.pop("customer_id")

        ltv = LtvScores.from_dict(d.pop("ltv"))

        def _parse_rfm(data: object) -> None | RfmScores:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                rfm_type_0 = RfmScores.from_dict(data)

                return rfm_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RfmScores, data)

        rfm = _parse_rfm(d.pop("rfm"))

        def _parse_dormant_since(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                dormant_since_type_0 = datetime.datetime.fromisoformat(data)

                return dormant_since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        dormant_since = _parse_dormant_since(d.pop("dormant_since", UNSET))

        _segments = d.pop("segments", UNSET)
        segments: list[CustomerSegment] | Unset = UNSET
        if _segments is not UNSET:
            segments = []
            for segments_item_data in _segments:
                segments_item = CustomerSegment.from_dict(segments_item_data)

                segments.append(segments_item)

        customer_scores = cls(
            as_of=as_of,
            churn=churn,
            customer_id=customer_id,
            ltv=ltv,
            rfm=rfm,
            dormant_since=dormant_since,
            segments=segments,
        )

        customer_scores.additional_properties = d
        return customer_scores

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
