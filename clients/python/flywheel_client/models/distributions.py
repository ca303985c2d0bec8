from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.distributions_churn_risk_type_0 import DistributionsChurnRiskType0
    from ..models.distributions_loyalty_tiers_type_0 import DistributionsLoyaltyTiersType0
    from ..models.distributions_rfm_segments_type_0 import DistributionsRfmSegmentsType0


T = TypeVar("T", bound="Distributions")


@_attrs_define
class Distributions:
    """
    Attributes:
        churn_risk (DistributionsChurnRiskType0 | None): Customers per churn-risk band, now (null when scoring is
            degraded).
        rfm_segments (DistributionsRfmSegmentsType0 | None): Customers per RFM segment, now (null when scoring is
            degraded).
        loyalty_tiers (DistributionsLoyaltyTiersType0 | None | Unset): Loyalty members per tier, now (null when loyalty
            is degraded; empty without a tier ladder).
        scored_at (datetime.datetime | None | Unset): When the latest score was computed.
    """

    churn_risk: DistributionsChurnRiskType0 | None
    rfm_segments: DistributionsRfmSegmentsType0 | None
    loyalty_tiers: DistributionsLoyaltyTiersType0 | None | Unset = UNSET
    scored_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.distributions_churn_risk_type_0 import DistributionsChurnRiskType0  # noqa: PLC0415
        from ..models.distributions_loyalty_tiers_type_0 import DistributionsLoyaltyTiersType0  # noqa: PLC0415
        from ..models.distributions_rfm_segments_type_0 import DistributionsRfmSegmentsType0  # noqa: PLC0415

        churn_risk: dict[str, Any] | None
        if isinstance(self.churn_risk, DistributionsChurnRiskType0):
            churn_risk = self.churn_risk.to_dict()
        else:
            churn_risk = self.churn_risk

        rfm_segments: dict[str, Any] | None
        if isinstance(self.rfm_segments, DistributionsRfmSegmentsType0):
            rfm_segments = self.rfm_segments.to_dict()
        else:
            rfm_segments = self.rfm_segments

        loyalty_tiers: dict[str, Any] | None | Unset
        if isinstance(self.loyalty_tiers, Unset):
            loyalty_tiers = UNSET
        elif isinstance(self.loyalty_tiers, DistributionsLoyaltyTiersType0):
            loyalty_tiers = self.loyalty_tiers.to_dict()
        else:
            loyalty_tiers = self.loyalty_tiers

        scored_at: None | str | Unset
        if isinstance(self.scored_at, Unset):
            scored_at = UNSET
        elif isinstance(self.scored_at, datetime.datetime):
            scored_at = self.scored_at.isoformat()
        else:
            scored_at = self.scored_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "churn_risk": churn_risk,
                "rfm_segments": rfm_segments,
            }
        )
        if loyalty_tiers is not UNSET:
            field_dict["loyalty_tiers"] = loyalty_tiers
        if scored_at is not UNSET:
            field_dict["scored_at"] = scored_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.distributions_churn_risk_type_0 import DistributionsChurnRiskType0  # noqa: PLC0415
        from ..models.distributions_loyalty_tiers_type_0 import DistributionsLoyaltyTiersType0  # noqa: PLC0415
        from ..models.distributions_rfm_segments_type_0 import DistributionsRfmSegmentsType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_churn_risk(data: object) -> DistributionsChurnRiskType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                churn_risk_type_0 = DistributionsChurnRiskType0.from_dict(data)

                return churn_risk_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DistributionsChurnRiskType0 | None, data)

        churn_risk = _parse_churn_risk(d.pop("churn_risk"))

        def _parse_rfm_segments(data: object) -> DistributionsRfmSegmentsType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                rfm_segments_type_0 = DistributionsRfmSegmentsType0.from_dict(data)

                return rfm_segments_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DistributionsRfmSegmentsType0 | None, data)

        rfm_segments = _parse_rfm_segments(d.pop("rfm_segments"))

        def _parse_loyalty_tiers(data: object) -> DistributionsLoyaltyTiersType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                loyalty_tiers_type_0 = DistributionsLoyaltyTiersType0.from_dict(data)

                return loyalty_tiers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DistributionsLoyaltyTiersType0 | None | Unset, data)

        loyalty_tiers = _parse_loyalty_tiers(d.pop("loyalty_tiers", UNSET))

        def _parse_scored_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                scored_at_type_0 = datetime.datetime.fromisoformat(data)

                return scored_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        scored_at = _parse_scored_at(d.pop("scored_at", UNSET))

        distributions = cls(
            churn_risk=churn_risk,
            rfm_segments=rfm_segments,
            loyalty_tiers=loyalty_tiers,
            scored_at=scored_at,
        )

        distributions.additional_properties = d
        return distributions

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
