from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ForecastMonth")


@_attrs_define
class ForecastMonth:
    """
    Attributes:
        expected_purchases (float | None): Repurchases expected from the workspace's customers in the month (scoring);
            null without scoring.
        expected_revenue (None | str): weighted_deals + repurchase_revenue; null when either is unknown.
        month (str):
        open_deals (int | None): Open deals expected to close in the month (in the report currency); null without sales.
        pipeline_amount (None | str): Their amounts (decimal string).
        repurchase_revenue (None | str): Their expected revenue (expected purchases x expected spend).
        repurchase_revenue_p10 (None | str): Its 80% interval's low end.
        repurchase_revenue_p90 (None | str): Its 80% interval's high end.
        weighted_deals (None | str): Each open deal's amount times its stage's win probability, summed exactly, then
            rounded to the cent (half up).
    """

    expected_purchases: float | None
    expected_revenue: None | str
    month: str
    open_deals: int | None
    pipeline_amount: None | str
    repurchase_revenue: None | str
    repurchase_revenue_p10: None | str
    repurchase_revenue_p90: None | str
    weighted_deals: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        expected_purchases: float | None
        expected_purchases = self.expected_purchases

        expected_revenue: None | str
        expected_revenue = self.expected_revenue

        month = self.month

        open_deals: int | None
        open_deals = self.open_deals

        pipeline_amount: None | str
        pipeline_amount = self.pipeline_amount

        repurchase_revenue: None | str
        repurchase_revenue = self.repurchase_revenue

        repurchase_revenue_p10: None | str
        repurchase_revenue_p10 = self.repurchase_revenue_p10

        repurchase_revenue_p90: None | str
        repurchase_revenue_p90 = self.repurchase_revenue_p90

        weighted_deals: None | str
        weighted_deals = self.weighted_deals

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "expected_purchases": expected_purchases,
                "expected_revenue": expected_revenue,
                "month": month,
                "open_deals": open_deals,
                "pipeline_amount": pipeline_amount,
                "repurchase_revenue": repurchase_revenue,
                "repurchase_revenue_p10": repurchase_revenue_p10,
                "repurchase_revenue_p90": repurchase_revenue_p90,
                "weighted_deals": weighted_deals,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_expected_purchases(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        expected_purchases = _parse_expected_purchases(d.pop("expected_purchases"))

        def _parse_expected_revenue(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        expected_revenue = _parse_expected_revenue(d.pop("expected_revenue"))

        month = d.pop("month")

        def _parse_open_deals(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        open_deals = _parse_open_deals(d.pop("open_deals"))

        def _parse_pipeline_amount(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        pipeline_amount = _parse_pipeline_amount(d.pop("pipeline_amount"))

        def _parse_repurchase_revenue(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        repurchase_revenue = _parse_repurchase_revenue(d.pop("repurchase_revenue"))

        def _parse_repurchase_revenue_p10(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        repurchase_revenue_p10 = _parse_repurchase_revenue_p10(d.pop("repurchase_revenue_p10"))

        def _parse_repurchase_revenue_p90(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        repurchase_revenue_p90 = _parse_repurchase_revenue_p90(d.pop("repurchase_revenue_p90"))

        def _parse_weighted_deals(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        weighted_deals = _parse_weighted_deals(d.pop("weighted_deals"))

        forecast_month = cls(
            expected_purchases=expected_purchases,
            expected_revenue=expected_revenue,
            month=month,
            open_deals=open_deals,
            pipeline_amount=pipeline_amount,
            repurchase_revenue=repurchase_revenue,
            repurchase_revenue_p10=repurchase_revenue_p10,
            repurchase_revenue_p90=repurchase_revenue_p90,
            weighted_deals=weighted_deals,
        )

        forecast_month.additional_properties = d
        return forecast_month

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
