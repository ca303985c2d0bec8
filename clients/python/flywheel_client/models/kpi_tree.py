from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.kpi_tree_behaviour import KpiTreeBehaviour
    from ..models.kpi_tree_financial import KpiTreeFinancial
    from ..models.kpi_tree_scale import KpiTreeScale
    from ..models.period import Period


T = TypeVar("T", bound="KpiTree")


@_attrs_define
class KpiTree:
    """
    Attributes:
        behaviour (KpiTreeBehaviour): How customers behave: repurchase_rate, retention_90d, visit_frequency, nps.
        currency (None | str): The workspace's report currency (`PUT /v1/report-settings`); null: not set.
        financial (KpiTreeFinancial): What they bring: revenue, average_order_value, ltv, cac, ltv_to_cac,
            referral_share, reward_cost.
        period (Period):
        previous_period (Period):
        scale (KpiTreeScale): The customer base: customers, new_customers, active, dormant, reactivated.
        target_period (None | str): The year, quarter or month whose targets apply: `period` as asked, or the one
            spanning exactly [from, to); null when [from, to) is no such period (every status is then no_target).
        degraded (list[str] | Unset): Services that were down, slower than the per-call budget or out of contract: the
            numbers computed from them are null (status unknown).
    """

    behaviour: KpiTreeBehaviour
    currency: None | str
    financial: KpiTreeFinancial
    period: Period
    previous_period: Period
    scale: KpiTreeScale
    target_period: None | str
    degraded: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        behaviour = self.behaviour.to_dict()

        currency: None | str
        currency = self.currency

        financial = self.financial.to_dict()

        period = self.period.to_dict()

        previous_period = self.previous_period.to_dict()

        scale = self.scale.to_dict()

        target_period: None | str
        target_period = self.target_period

        degraded: list[str] | Unset = UNSET
        if not isinstance(self.degraded, Unset):
            degraded = self.degraded

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "behaviour": behaviour,
                "currency": currency,
                "financial": financial,
                "period": period,
                "previous_period": previous_period,
                "scale": scale,
                "target_period": target_period,
            }
        )
        if degraded is not UNSET:
            field_dict["degraded"] = degraded

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.kpi_tree_behaviour import KpiTreeBehaviour  # noqa: PLC0415
        from ..models.kpi_tree_financial import KpiTreeFinancial  # noqa: PLC0415
        from ..models.kpi_tree_scale import KpiTreeScale  # noqa: PLC0415
        from ..models.period import Period  # noqa: PLC0415

        d = dict(src_dict)
        behaviour = KpiTreeBehaviour.from_dict(d.pop("behaviour"))

        def _parse_currency(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        currency = _parse_currency(d.pop("currency"))

        financial = KpiTreeFinancial.from_dict(d.pop("financial"))

        period = Period.from_dict(d.pop("period"))

        previous_period = Period.from_dict(d.pop("previous_period"))

        scale = KpiTreeScale.from_dict(d.pop("scale"))

        def _parse_target_period(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        target_period = _parse_target_period(d.pop("target_period"))

        degraded = cast(list[str], d.pop("degraded", UNSET))

        kpi_tree = cls(
            behaviour=behaviour,
            currency=currency,
            financial=financial,
            period=period,
            previous_period=previous_period,
            scale=scale,
            target_period=target_period,
            degraded=degraded,
        )

        kpi_tree.additional_properties = d
        return kpi_tree

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
