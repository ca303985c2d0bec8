from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.nps_counts import NpsCounts
    from ..models.nps_month import NpsMonth
    from ..models.period import Period
    from ..models.segment_report_out_churn_mix import SegmentReportOutChurnMix
    from ..models.segment_size import SegmentSize


T = TypeVar("T", bound="SegmentReportOut")


@_attrs_define
class SegmentReportOut:
    """
    Attributes:
        average_order_value (None | str): revenue / orders.
        avg_predicted_clv (None | str): Average predicted 12-month CLV of the scored members.
        churn_mix (SegmentReportOutChurnMix): Members per churn-risk band (unscored ones left out).
        currency (None | str): The workspace's report currency (`PUT /v1/report-settings`); null when not set.
        members (int): Members now.
        name (str):
        nps (NpsCounts): Each customer's latest NPS answer in a span of time, counted: the score is % promoters (9-10)
            minus %
            detractors (0-6), null without responses.
        nps_by_month (list[NpsMonth]):
        orders (int): Their purchases in the period.
        period (Period):
        purchasers (int): Members with a purchase (ever).
        repeat_purchasers (int): Members with two or more purchase days (ever).
        repurchase_rate (float | None): repeat_purchasers / purchasers.
        revenue (str): The current members' purchase amounts in the period (before refunds).
        segment_id (str):
        sizes (list[SegmentSize]): Members per UTC day of the period (days before the segment's first evaluation left
            out).
        degraded (list[str] | Unset): Always empty: without scoring the report is a 503.
    """

    average_order_value: None | str
    avg_predicted_clv: None | str
    churn_mix: SegmentReportOutChurnMix
    currency: None | str
    members: int
    name: str
    nps: NpsCounts
    nps_by_month: list[NpsMonth]
    orders: int
    period: Period
    purchasers: int
    repeat_purchasers: int
    repurchase_rate: float | None
    revenue: str
    segment_id: str
    sizes: list[SegmentSize]
    degraded: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        average_order_value: None | str
        average_order_value = self.average_order_value

        avg_predicted_clv: None | str
        avg_predicted_clv = self.avg_predicted_clv

        churn_mix = self.churn_mix.to_dict()

        currency: None | str
        currency = self.currency

        members = self.members

        name = self.name

        nps = self.nps.to_dict()

        nps_by_month = []
        for nps_by_month_item_data in self.nps_by_month:
            nps_by_month_item = nps_by_month_item_data.to_dict()
            nps_by_month.append(nps_by_month_item)

        orders = self.orders

        period = self.period.to_dict()

        purchasers = self.purchasers

        repeat_purchasers = self.repeat_purchasers

        repurchase_rate: float | None
        repurchase_rate = self.repurchase_rate

        revenue = self.revenue

        segment_id = self.segment_id

        sizes = []
        for sizes_item_data in self.sizes:
            sizes_item = sizes_item_data.to_dict()
            sizes.append(sizes_item)

        degraded: list[str] | Unset = UNSET
        if not isinstance(self.degraded, Unset):
            degraded = self.degraded

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "average_order_value": average_order_value,
                "avg_predicted_clv": avg_predicted_clv,
                "churn_mix": churn_mix,
                "currency": currency,
                "members": members,
                "name": name,
                "nps": nps,
                "nps_by_month": nps_by_month,
                "orders": orders,
                "period": period,
                "purchasers": purchasers,
                "repeat_purchasers": repeat_purchasers,
                "repurchase_rate": repurchase_rate,
                "revenue": revenue,
                "segment_id": segment_id,
                "sizes": sizes,
            }
        )
        if degraded is not UNSET:
            field_dict["degraded"] = degraded

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.nps_counts import NpsCounts  # noqa: PLC0415
        from ..models.nps_month import NpsMonth  # noqa: PLC0415
        from ..models.period import Period  # noqa: PLC0415
        from ..models.segment_report_out_churn_mix import SegmentReportOutChurnMix  # noqa: PLC0415
        from ..models.segment_size import SegmentSize  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_average_order_value(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        average_order_value = _parse_average_order_value(d.pop("average_order_value"))

        def _parse_avg_predicted_clv(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        avg_predicted_clv = _parse_avg_predicted_clv(d.pop("avg_predicted_clv"))

        churn_mix = SegmentReportOutChurnMix.from_dict(d.pop("churn_mix"))

        def _parse_currency(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        currency = _parse_currency(d.pop("currency"))

        members = d.pop("members")

        name = d.pop("name")

        nps = NpsCounts.from_dict(d.pop("nps"))

        nps_by_month = []
        _nps_by_month = d.pop("nps_by_month")
        for nps_by_month_item_data in _nps_by_month:
            nps_by_month_item = NpsMonth.from_dict(nps_by_month_item_data)

            nps_by_month.append(nps_by_month_item)

        orders = d.pop("orders")

        period = Period.from_dict(d.pop("period"))

        purchasers = d.pop("purchasers")

        repeat_purchasers = d.pop("repeat_purchasers")

        def _parse_repurchase_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        repurchase_rate = _parse_repurchase_rate(d.pop("repurchase_rate"))

        revenue = d.pop("revenue")

        segment_id = d.pop("segment_id")

        sizes = []
        _sizes = d.pop("sizes")
        for sizes_item_data in _sizes:
            sizes_item = SegmentSize.from_dict(sizes_item_data)

            sizes.append(sizes_item)

        degraded = cast(list[str], d.pop("degraded", UNSET))

        segment_report_out = cls(
            average_order_value=average_order_value,
            avg_predicted_clv=avg_predicted_clv,
            churn_mix=churn_mix,
            currency=currency,
            members=members,
            name=name,
            nps=nps,
            nps_by_month=nps_by_month,
            orders=orders,
            period=period,
            purchasers=purchasers,
            repeat_purchasers=repeat_purchasers,
            repurchase_rate=repurchase_rate,
            revenue=revenue,
            segment_id=segment_id,
            sizes=sizes,
            degraded=degraded,
        )

        segment_report_out.additional_properties = d
        return segment_report_out

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
