"""The KPI tree report (GET /v1/reports/kpi-tree) as it appears in /openapi.json. The services' answers it is built
from are their own models, in contracts/http/<service>.py (a breach degrades the numbers read from that answer)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from services.gateway.domain import TreeUnit
from services.gateway.schemas_reports import Period

KpiStatus = Literal["no_target", "unknown", "on_track", "behind"]
TreeSource = Literal["profile", "scoring", "referral"]


class KpiNode(BaseModel):
    """One metric of the tree over the period, beside the previous period, measured against its target."""

    value: int | float | str | None = Field(
        description="Over the period (money as a decimal string to the cent, ratios and numbers to 4 decimals); "
        "null when a service it is computed from is degraded or there is nothing to compute it from (e.g. a rate "
        "over zero customers).",
        examples=[0.27],
    )
    previous: int | float | str | None = Field(
        description="Over the previous period; null for snapshots (numbers as of now).", examples=[0.25]
    )
    change: float | None = Field(
        description="(value - previous) / |previous|, 4 decimals; null when either is null or `previous` is 0.",
        examples=[0.08],
    )
    unit: TreeUnit = Field(
        description="count; ratio (a share from 0 to 1); money (the workspace currency, a decimal string); number "
        "(visits per visitor, NPS from -100 to 100, LTV:CAC as a multiple).",
        examples=["ratio"],
    )
    snapshot: bool = Field(False, description="A number as of now rather than over the period: `previous` is null.")
    lower_is_better: bool = Field(
        False, description="True for `dormant`, `cac` and `reward_cost`: on track means at or below the bar."
    )
    sources: list[TreeSource] = Field(
        description="The services the number is computed from (a degraded one makes it null).", examples=[["profile"]]
    )
    target: float | None = Field(
        description="The workspace's target for this metric and exactly this period (`PUT /v1/kpi-targets`); null "
        "when none is set.",
        examples=[0.3],
    )
    bar: float | None = Field(
        description="What the value is measured against: the target, or for a flow (`new_customers`, "
        "`reactivated`, `revenue`, `reward_cost`) in a period still running, the target times the share of the "
        "period elapsed (4 decimals); null without a target.",
        examples=[0.3],
    )
    progress: float | None = Field(
        description="value / bar, or bar / value where lower is better (4 decimals): 1 or more is on track for "
        "positive numbers; null without a target or a value, or when the divisor is 0.",
        examples=[0.9],
    )
    status: KpiStatus = Field(
        description="no_target (none set for this period), unknown (the value is null), on_track (at or beyond "
        "the bar in the metric's direction) or behind.",
        examples=["behind"],
    )


class KpiTree(BaseModel):
    period: Period = Field(description="The period the values are over (a running target period ends now).")
    previous_period: Period = Field(
        description="The period the previous values are over: before [from, to) and as long, or for a target "
        "period the previous month, quarter or year (as far into it as the period is, when it is running)."
    )
    target_period: str | None = Field(
        description="The year, quarter or month whose targets apply: `period` as asked, or the one spanning "
        "exactly [from, to); null when [from, to) is no such period (every status is then no_target).",
        examples=["2026-Q4"],
    )
    currency: str | None = Field(
        description="The workspace's report currency (`PUT /v1/report-settings`); null: not set.", examples=["EUR"]
    )
    scale: dict[str, KpiNode] = Field(
        description="The customer base: customers, new_customers, active, dormant, reactivated."
    )
    behaviour: dict[str, KpiNode] = Field(
        description="How customers behave: repurchase_rate, retention_90d, visit_frequency, nps."
    )
    financial: dict[str, KpiNode] = Field(
        description="What they bring: revenue, average_order_value, ltv, cac, ltv_to_cac, referral_share, reward_cost."
    )
    degraded: list[str] = Field(
        default_factory=list,
        description="Services that were down, slower than the per-call budget or out of contract: the numbers "
        "computed from them are null (status unknown).",
        examples=[["scoring"]],
    )


def _node(
    value: object, previous: object, change: object, unit: str, sources: list[str], **more: object
) -> dict[str, object]:
    return {"value": value, "previous": previous, "change": change, "unit": unit, "snapshot": False,
            "lower_is_better": False, "sources": sources, "target": None, "bar": None, "progress": None,
            "status": "no_target", **more}  # fmt: skip


KPI_TREE_EXAMPLE = {
    "period": {"from": "2026-10-01T00:00:00Z", "to": "2026-12-06T12:00:00Z"},
    "previous_period": {"from": "2026-07-01T00:00:00Z", "to": "2026-09-05T12:00:00Z"},
    "target_period": "2026-Q4",
    "currency": "EUR",
    "scale": {
        "customers": _node(1250, 1180, 0.0593, "count", ["profile"]),
        "new_customers": _node(420, 380, 0.1053, "count", ["profile"], target=600.0, bar=436.9565, progress=0.9612,
                               status="behind"),
        "active": _node(640, None, None, "count", ["scoring"], snapshot=True),
        "dormant": _node(210, None, None, "count", ["scoring"], snapshot=True, lower_is_better=True),
        "reactivated": _node(31, 25, 0.24, "count", ["scoring"]),
    },
    "behaviour": {
        "repurchase_rate": _node(0.31, 0.29, 0.069, "ratio", ["profile"], target=0.3, bar=0.3, progress=1.0333,
                                 status="on_track"),
        "retention_90d": _node(0.42, 0.4, 0.05, "ratio", ["scoring"]),
        "visit_frequency": _node(2.35, 2.1, 0.119, "number", ["scoring"]),
        "nps": _node(42.5, 38.0, 0.1184, "number", ["profile"]),
    },
    "financial": {
        "revenue": _node("18450.50", "16210.00", 0.1382, "money", ["profile"]),
        "average_order_value": _node("61.50", "58.10", 0.0585, "money", ["profile"]),
        "ltv": _node("212.40", None, None, "money", ["scoring"], snapshot=True),
        "cac": _node("23.80", "25.10", -0.0518, "money", ["profile", "referral"], lower_is_better=True,
                     target=25.0, bar=25.0, progress=1.0504, status="on_track"),
        "ltv_to_cac": _node(3.8, 3.4, 0.1176, "number", ["scoring", "profile", "referral"]),
        "referral_share": _node(0.12, 0.1, 0.2, "ratio", ["referral"]),
        "reward_cost": _node("850.00", "700.00", 0.2143, "money", ["referral"], lower_is_better=True),
    },
    "degraded": [],
}  # fmt: skip

KPI_TREE_CSV_EXAMPLE = (
    "level,metric,unit,value,previous,change,target,progress,status\r\n"
    "scale,customers,count,1250,1180,0.0593,,,no_target\r\n"
    "behaviour,repurchase_rate,ratio,0.31,0.29,0.069,0.3,1.0333,on_track\r\n"
    "financial,revenue,money,18450.50,16210.00,0.1382,,,no_target\r\n"
)
