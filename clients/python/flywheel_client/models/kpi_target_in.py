from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.kpi_target_in_metric import KpiTargetInMetric

T = TypeVar("T", bound="KpiTargetIn")


@_attrs_define
class KpiTargetIn:
    """
    Attributes:
        metric (KpiTargetInMetric): One of customers, new_customers, active, dormant, reactivated, repurchase_rate,
            retention_90d, visit_frequency, nps, revenue, average_order_value, ltv, cac, ltv_to_cac, referral_share,
            reward_cost.
        period (str): A year (`2026`), a quarter (`2026-Q4`) or a month (`2026-12`), years 1900 to 2999.
        target (float | None): The value aimed at, in the metric's unit (a rate as a share from 0 to 1, money in the
            workspace currency); null removes the target.
    """

    metric: KpiTargetInMetric
    period: str
    target: float | None

    def to_dict(self) -> dict[str, Any]:
        metric = self.metric.value

        period = self.period

        target: float | None
        target = self.target

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "metric": metric,
                "period": period,
                "target": target,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        metric = KpiTargetInMetric(d.pop("metric"))

        period = d.pop("period")

        def _parse_target(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        target = _parse_target(d.pop("target"))

        kpi_target_in = cls(
            metric=metric,
            period=period,
            target=target,
        )

        return kpi_target_in
