from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AcquisitionRow")


@_attrs_define
class AcquisitionRow:
    """One acquisition channel and campaign (an item), one channel with all its campaigns (campaign null), or the
    whole period (channel `all`).

        Attributes:
            avg_first_order (None | str): Average first order of the new customers. Decimal string in the workspace's report
                currency, to the cent; null when it cannot be computed.
            avg_predicted_clv (None | str): Average predicted 12-month CLV of those new customers scoring has scored.
                Decimal string in the workspace's report currency, to the cent; null when it cannot be computed.
            cac (None | str): spend / new_customers (null with no new customers). Decimal string in the workspace's report
                currency, to the cent; null when it cannot be computed.
            campaign (None | str): Null: no campaign, or a channel's or the total's row.
            channel (str): The acquisition source (`all` for the total).
            ltv_to_cac (float | None): avg_predicted_clv / cac (null when either is null or cac is 0).
            new_customers (int | None): Customers whose first purchase is in the period; null when profile is degraded.
            repurchase_rate_90d (float | None): Share of the new customers with a second order within 90 days of their
                first.
            spend (None | str): Marketing spend of the days starting in the period (for `referral`: plus the reward cost
                granted in the period). Decimal string in the workspace's report currency, to the cent; null when it cannot be
                computed.
    """

    avg_first_order: None | str
    avg_predicted_clv: None | str
    cac: None | str
    campaign: None | str
    channel: str
    ltv_to_cac: float | None
    new_customers: int | None
    repurchase_rate_90d: float | None
    spend: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        avg_first_order: None | str
        avg_first_order = self.avg_first_order

        avg_predicted_clv: None | str
        avg_predicted_clv = self.avg_predicted_clv

        cac: None | str
        cac = self.cac

        campaign: None | str
        campaign = self.campaign

        channel = self.channel

        ltv_to_cac: float | None
        ltv_to_cac = self.ltv_to_cac

        new_customers: int | None
        new_customers = self.new_customers

        repurchase_rate_90d: float | None
        repurchase_rate_90d = self.repurchase_rate_90d

        spend: None | str
        spend = self.spend

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "avg_first_order": avg_first_order,
                "avg_predicted_clv": avg_predicted_clv,
                "cac": cac,
                "campaign": campaign,
                "channel": channel,
                "ltv_to_cac": ltv_to_cac,
                "new_customers": new_customers,
                "repurchase_rate_90d": repurchase_rate_90d,
                "spend": spend,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_avg_first_order(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        avg_first_order = _parse_avg_first_order(d.pop("avg_first_order"))

        def _parse_avg_predicted_clv(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        avg_predicted_clv = _parse_avg_predicted_clv(d.pop("avg_predicted_clv"))

        def _parse_cac(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cac = _parse_cac(d.pop("cac"))

        def _parse_campaign(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        campaign = _parse_campaign(d.pop("campaign"))

        channel = d.pop("channel")

        def _parse_ltv_to_cac(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        ltv_to_cac = _parse_ltv_to_cac(d.pop("ltv_to_cac"))

        def _parse_new_customers(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        new_customers = _parse_new_customers(d.pop("new_customers"))

        def _parse_repurchase_rate_90d(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        repurchase_rate_90d = _parse_repurchase_rate_90d(d.pop("repurchase_rate_90d"))

        def _parse_spend(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        spend = _parse_spend(d.pop("spend"))

        acquisition_row = cls(
            avg_first_order=avg_first_order,
            avg_predicted_clv=avg_predicted_clv,
            cac=cac,
            campaign=campaign,
            channel=channel,
            ltv_to_cac=ltv_to_cac,
            new_customers=new_customers,
            repurchase_rate_90d=repurchase_rate_90d,
            spend=spend,
        )

        acquisition_row.additional_properties = d
        return acquisition_row

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
