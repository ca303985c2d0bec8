"""The overview report as it appears in /openapi.json. The services' answers it is built from are their own
models, in contracts/http/<service>.py (extra fields ignored; a breach degrades that service's numbers)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

KpiUnit = Literal["count", "ratio", "money", "days"]


class Period(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: datetime = Field(alias="from", description="Start, inclusive.", examples=["2026-05-02T12:00:00Z"])
    to: datetime = Field(description="End, exclusive.", examples=["2026-06-01T12:00:00Z"])


class Kpi(BaseModel):
    """One headline number over the period, beside the same number over the previous period."""

    value: int | float | str | None = Field(
        description="Over the period (money as a decimal string); null when its service is degraded or there "
        "is nothing to compute it from (e.g. a rate over zero customers).",
        examples=[0.27],
    )
    previous: int | float | str | None = Field(
        description="Over the previous period of the same length; null for snapshots.", examples=[0.25]
    )
    change: float | None = Field(
        description="Relative change from `previous` to `value` ((value - previous) / previous, 4 decimals); "
        "null when either is null or `previous` is 0.",
        examples=[0.08],
    )
    unit: KpiUnit = Field(description="count, ratio (0-1), money (decimal string) or days.", examples=["ratio"])
    snapshot: bool = Field(
        False, description="A number as of now rather than over the period: `previous` and `change` are null."
    )
    source: Literal["profile", "scoring", "journey", "referral", "sales", "loyalty"] = Field(
        description="The service the number comes from (named in `degraded` when it could not answer).",
        examples=["profile"],
    )


class Distributions(BaseModel):
    rfm_segments: dict[str, int] | None = Field(
        description="Customers per RFM segment, now (null when scoring is degraded).",
        examples=[{"Champions": 120, "Loyal": 340, "At Risk": 95, "Lost": 410}],
    )
    churn_risk: dict[str, int] | None = Field(
        description="Customers per churn-risk band, now (null when scoring is degraded).",
        examples=[{"low": 800, "medium": 250, "high": 120}],
    )
    scored_at: datetime | None = Field(None, description="When the latest score was computed.")
    loyalty_tiers: dict[str, int] | None = Field(
        None,
        description="Loyalty members per tier, now (null when loyalty is degraded; empty without a tier ladder).",
        examples=[{"member": 900, "silver": 210, "gold": 40}],
    )


class Overview(BaseModel):
    period: Period
    previous_period: Period = Field(description="The period of the same length just before `period`.")
    kpis: dict[str, Kpi] = Field(description="Every KPI of the catalogue in the endpoint's description, by name.")
    distributions: Distributions
    degraded: list[str] = Field(
        default_factory=list,
        description="Services that were down or slower than the per-call budget: their KPIs are null.",
        examples=[["sales"]],
    )


OVERVIEW_EXAMPLE = {
    "period": {"from": "2026-05-02T12:00:00Z", "to": "2026-06-01T12:00:00Z"},
    "previous_period": {"from": "2026-04-02T12:00:00Z", "to": "2026-05-02T12:00:00Z"},
    "kpis": {
        "customers": {"value": 1250, "previous": 1180, "change": 0.0593, "unit": "count", "snapshot": False,
                      "source": "profile"},
        "repurchase_rate": {"value": 0.27, "previous": 0.25, "change": 0.08, "unit": "ratio", "snapshot": False,
                            "source": "profile"},
        "revenue": {"value": "18450.50", "previous": "16210.00", "change": 0.1382, "unit": "money",
                    "snapshot": False, "source": "profile"},
        "active_customers": {"value": 640, "previous": None, "change": None, "unit": "count", "snapshot": True,
                             "source": "scoring"},
        "average_predicted_ltv": {"value": "212.40", "previous": None, "change": None, "unit": "money",
                                  "snapshot": True, "source": "scoring"},
        "sales_win_rate": {"value": None, "previous": None, "change": None, "unit": "ratio", "snapshot": False,
                           "source": "sales"},
        "points_liability": {"value": "1234.50", "previous": None, "change": None, "unit": "money",
                             "snapshot": True, "source": "loyalty"},
        "points_redemption_rate": {"value": 0.31, "previous": 0.28, "change": 0.1071, "unit": "ratio",
                                   "snapshot": False, "source": "loyalty"},
    },
    "distributions": {
        "rfm_segments": {"Champions": 120, "Loyal": 340, "At Risk": 95, "Lost": 410},
        "churn_risk": {"low": 800, "medium": 250, "high": 120},
        "scored_at": "2026-06-01T11:58:00Z",
        "loyalty_tiers": {"member": 900, "silver": 210, "gold": 40},
    },
    "degraded": ["sales"],
}  # fmt: skip
