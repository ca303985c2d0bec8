from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.distributions import Distributions
    from ..models.overview_kpis import OverviewKpis
    from ..models.period import Period


T = TypeVar("T", bound="Overview")


@_attrs_define
class Overview:
    """
    Attributes:
        distributions (Distributions):
        kpis (OverviewKpis): Every KPI of the catalogue in the endpoint's description, by name.
        period (Period):
        previous_period (Period):
        degraded (list[str] | Unset): Services that were down or slower than the per-call budget: their KPIs are null.
    """

    distributions: Distributions
    kpis: OverviewKpis
    period: Period
    previous_period: Period
    degraded: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        distributions = self.distributions.to_dict()

        kpis = self.kpis.to_dict()

        period = self.period.to_dict()

        previous_period = self.previous_period.to_dict()

        degraded: list[str] | Unset = UNSET
        if not isinstance(self.degraded, Unset):
            degraded = self.degraded

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "distributions": distributions,
                "kpis": kpis,
                "period": period,
                "previous_period": previous_period,
            }
        )
        if degraded is not UNSET:
            field_dict["degraded"] = degraded

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.distributions import Distributions  # noqa: PLC0415
        from ..models.overview_kpis import OverviewKpis  # noqa: PLC0415
        from ..models.period import Period  # noqa: PLC0415

        d = dict(src_dict)
        distributions = Distributions.from_dict(d.pop("distributions"))

        kpis = OverviewKpis.from_dict(d.pop("kpis"))

        period = Period.from_dict(d.pop("period"))

        previous_period = Period.from_dict(d.pop("previous_period"))

        degraded = cast(list[str], d.pop("degraded", UNSET))

        overview = cls(
            distributions=distributions,
            kpis=kpis,
            period=period,
            previous_period=previous_period,
            degraded=degraded,
        )

        overview.additional_properties = d
        return overview

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
