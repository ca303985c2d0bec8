"""The growth reports' figures, pure (no I/O): the acquisition rows combined from profile's, scoring's and
referral's answers, the retention cohorts and the segment report as shown, and every growth report's CSV rows.

Money is computed from the services' exact decimal sums and only then rounded to the cent (half up); ratios are
rounded to 4 decimals (half up): services/gateway/report_figures.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from contracts.http.profile import NewCustomersReport, SpendTotals
from contracts.http.scoring import PredictedClvReport, RetentionReport, SegmentReport
from services.gateway.report_csv import Cell
from services.gateway.report_figures import four, in_currency, money, ratio
from services.gateway.schemas_growth_reports import (
    AcquisitionReport,
    AcquisitionRow,
    NpsReport,
    RetentionCohortRow,
    RetentionReportOut,
    SegmentReportOut,
    SpendAmount,
)
from services.gateway.schemas_reports import Period

REFERRAL = "referral"
TOTAL = "all"


# --- the figures ------------------------------------------------------------------------------------


Key = tuple[str, str | None]


@dataclass
class _Sums:
    """What one acquisition row is computed from, exactly (None: its service could not say)."""

    new_customers: int = 0
    first_order_total: Decimal = Decimal(0)
    repurchasers_90d: int = 0
    spend: Decimal | None = Decimal(0)
    predicted: int = 0
    predicted_clv_total: Decimal = Decimal(0)

    def add(self, other: _Sums) -> None:
        self.new_customers += other.new_customers
        self.first_order_total += other.first_order_total
        self.repurchasers_90d += other.repurchasers_90d
        self.spend = None if self.spend is None or other.spend is None else self.spend + other.spend
        self.predicted += other.predicted
        self.predicted_clv_total += other.predicted_clv_total


@dataclass(frozen=True)
class AcquisitionFigures:
    items: list[AcquisitionRow]
    channels: list[AcquisitionRow]
    total: AcquisitionRow
    unconverted_spend: list[SpendAmount]


def _row(channel: str, campaign: str | None, sums: _Sums, known: set[str]) -> AcquisitionRow:
    new = sums.new_customers if "profile" in known else None
    spend = sums.spend if "spend" in known else None
    cac = Fraction(spend) / new if spend is not None and new else None
    avg_clv = Fraction(sums.predicted_clv_total) / sums.predicted if "scoring" in known and sums.predicted else None
    return AcquisitionRow(
        channel=channel,
        campaign=campaign,
        new_customers=new,
        spend=money(spend),
        cac=money(cac),
        avg_first_order=money(Fraction(sums.first_order_total) / new) if new else None,
        avg_predicted_clv=money(avg_clv),
        ltv_to_cac=ratio(avg_clv, cac),
        repurchase_rate_90d=ratio(sums.repurchasers_90d, new),
    )


def _order(key: Key) -> tuple[str, bool, str]:
    return key[0], key[1] is not None, key[1] or ""


def acquisition_figures(
    new: NewCustomersReport | None,
    spend: SpendTotals | None,
    clv: PredictedClvReport | None,
    reward_cost: Decimal | None,
    currency: str | None,
) -> AcquisitionFigures:
    """The acquisition rows from profile's new customers and spend, scoring's predicted CLV and referral's reward
    cost (each None when its service could not answer: the figures it gives are null). Spend in a currency other
    than `currency` (when set) goes to `unconverted_spend`; referral's reward cost is the spend of (referral, no
    campaign)."""
    sums: dict[Key, _Sums] = {}

    def at(key: Key) -> _Sums:
        return sums.setdefault(key, _Sums())

    known = {name for name, answer in (("profile", new), ("scoring", clv)) if answer is not None}
    if spend is not None:
        known.add("spend")
    for item in new.items if new else ():
        row = at((item.source, item.campaign))
        row.new_customers += item.new_customers
        row.first_order_total += item.first_order_total
        row.repurchasers_90d += item.repurchasers_90d
    for predicted in clv.items if clv else ():
        row = at((predicted.source, predicted.campaign))
        row.predicted += predicted.predicted
        row.predicted_clv_total += predicted.predicted_clv_total
    unconverted: dict[str, Decimal] = {}
    for total in spend.items if spend else ():
        amount = Decimal(total.amount)
        if total.currency is not None and not in_currency(total.currency, currency):
            unconverted[total.currency] = unconverted.get(total.currency, Decimal(0)) + amount
            continue
        row = at((total.channel, total.campaign))
        row.spend = (row.spend or Decimal(0)) + amount
    if reward_cost is None:
        at((REFERRAL, None)).spend = None  # unknown: the channel's and the total's spend with it
    elif reward_cost:
        row = at((REFERRAL, None))
        row.spend = None if row.spend is None else row.spend + reward_cost
    keys = sorted(sums, key=_order)
    channels: dict[str, _Sums] = {}
    everything = _Sums()
    for key in keys:
        channels.setdefault(key[0], _Sums()).add(sums[key])
        everything.add(sums[key])
    return AcquisitionFigures(
        items=[_row(channel, campaign, sums[(channel, campaign)], known) for channel, campaign in keys],
        channels=[_row(channel, None, channel_sums, known) for channel, channel_sums in channels.items()],
        total=_row(TOTAL, None, everything, known),
        unconverted_spend=[
            SpendAmount(currency=c, amount=money(unconverted[c]) or "0.00") for c in sorted(unconverted)
        ],
    )


def retention_rows(report: RetentionReport) -> list[RetentionCohortRow]:
    return [
        RetentionCohortRow(
            cohort=cohort.cohort,
            start=cohort.start,
            size=cohort.size,
            retained=[four(value) for value in cohort.retained],
            revenue_per_member=[money(value) for value in cohort.revenue_per_member],
            repurchase_rate=[four(value) for value in cohort.repurchase_rate],
        )
        for cohort in report.cohorts
    ]


def segment_out(report: SegmentReport, period: Period, currency: str | None) -> SegmentReportOut:
    return SegmentReportOut(
        period=period,
        currency=currency,
        segment_id=report.segment_id,
        name=report.name,
        members=report.members,
        sizes=report.sizes,
        revenue=money(report.revenue) or "0.00",
        orders=report.orders,
        average_order_value=money(Fraction(report.revenue) / report.orders) if report.orders else None,
        avg_predicted_clv=money(report.avg_predicted_clv),
        churn_mix=report.churn_mix,
        purchasers=report.purchasers,
        repeat_purchasers=report.repeat_purchasers,
        repurchase_rate=ratio(report.repeat_purchasers, report.purchasers),
        nps=report.nps,
        nps_by_month=report.nps_by_month,
    )


# --- CSV rows (cells a workspace wrote are quoted out by report_csv) --------------------------------

ACQUISITION_COLUMNS = (
    "level", "channel", "campaign", "new_customers", "spend", "cac", "avg_first_order", "avg_predicted_clv",
    "ltv_to_cac", "repurchase_rate_90d", "currency",
)  # fmt: skip
RETENTION_COLUMNS = ("cohort", "start", "size", "k", "retained", "revenue_per_member", "repurchase_rate")
NPS_COLUMNS = ("level", "key", "segment_id", "score", "promoters", "passives", "detractors", "responses")
SEGMENT_COLUMNS = (
    "level", "day", "members", "revenue", "orders", "average_order_value", "avg_predicted_clv", "churn_low",
    "churn_medium", "churn_high", "purchasers", "repeat_purchasers", "repurchase_rate", "nps_score",
    "nps_promoters", "nps_passives", "nps_detractors", "nps_responses", "currency",
)  # fmt: skip


def acquisition_csv_rows(report: AcquisitionReport) -> Iterable[dict[str, Cell]]:
    """One row per item (`item`), then per channel (`channel`), then the total (`total`), then one per currency of
    unconverted spend (`unconverted`, its amount under `spend`)."""
    levels = (("item", report.items), ("channel", report.channels), ("total", [report.total]))
    for level, rows in levels:
        for row in rows:
            yield {"level": level, **row.model_dump(), "currency": report.currency}
    for amount in report.unconverted_spend:
        yield {"level": "unconverted", "spend": amount.amount, "currency": amount.currency}


def retention_csv_rows(report: RetentionReportOut) -> Iterable[dict[str, Cell]]:
    for cohort in report.cohorts or ():
        for k, retained in enumerate(cohort.retained):
            yield {
                "cohort": cohort.cohort, "start": cohort.start, "size": cohort.size, "k": k, "retained": retained,
                "revenue_per_member": _nth(cohort.revenue_per_member, k),
                "repurchase_rate": _nth(cohort.repurchase_rate, k),
            }  # fmt: skip


def _nth(values: list[Any], k: int) -> Any:
    return values[k] if k < len(values) else None


def nps_csv_rows(report: NpsReport) -> Iterable[dict[str, Cell]]:
    """The period (`period`), then each month (`month`, key YYYY-MM), then each channel (`channel`)."""
    counts = ("score", "promoters", "passives", "detractors", "responses")
    yield {"level": "period", "segment_id": report.segment_id, **{name: getattr(report, name) for name in counts}}
    for month in report.by_month or ():
        yield {
            "level": "month",
            "key": month.month,
            "segment_id": report.segment_id,
            **month.model_dump(include=set(counts)),
        }
    for group in report.by_channel or ():
        yield {
            "level": "channel",
            "key": group.key,
            "segment_id": report.segment_id,
            **group.model_dump(include=set(counts)),
        }


def segment_csv_rows(report: SegmentReportOut) -> Iterable[dict[str, Cell]]:
    """One row per day of sizes (`day`), then the figures on one `summary` row."""
    for size in report.sizes:
        yield {"level": "day", "day": size.day, "members": size.members}
    yield {
        "level": "summary", "members": report.members, "revenue": report.revenue, "orders": report.orders,
        "average_order_value": report.average_order_value, "avg_predicted_clv": report.avg_predicted_clv,
        **{f"churn_{band}": report.churn_mix.get(band) for band in ("low", "medium", "high")},
        "purchasers": report.purchasers, "repeat_purchasers": report.repeat_purchasers,
        "repurchase_rate": report.repurchase_rate, "nps_score": report.nps.score,
        "nps_promoters": report.nps.promoters, "nps_passives": report.nps.passives,
        "nps_detractors": report.nps.detractors, "nps_responses": report.nps.responses, "currency": report.currency,
    }  # fmt: skip
