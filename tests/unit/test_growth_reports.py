"""The growth reports' pure parts: acquisition rows from profile's, scoring's and referral's answers (exact money,
currency exclusion, referral's spend, nulls where a service could not answer), the spend day rule, and CSV rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

from contracts.http.profile import NewCustomersReport, SpendTotals
from contracts.http.scoring import PredictedClvReport, RetentionReport, SegmentReport
from services.gateway.growth_report_figures import (
    acquisition_csv_rows,
    acquisition_figures,
    retention_rows,
    segment_csv_rows,
    segment_out,
)
from services.gateway.report_csv import csv_text
from services.gateway.report_figures import money, ratio, spend_days
from services.gateway.schemas_growth_reports import AcquisitionReport, AcquisitionRow
from services.gateway.schemas_reports import Period

FROM, TO = "2026-05-01T00:00:00Z", "2026-06-01T00:00:00Z"
PERIOD = Period.model_validate({"from": FROM, "to": TO})


def new_customers(*items: tuple[str, str | None, int, str, int]) -> NewCustomersReport:
    return NewCustomersReport.model_validate(
        {
            "from": FROM,
            "to": TO,
            "items": [
                {"source": s, "campaign": c, "new_customers": n, "first_order_total": total, "avg_first_order": None,
                 "repurchasers_90d": r, "repurchase_rate_90d": None}
                for s, c, n, total, r in items
            ],
            "sources": [],
        }
    )  # fmt: skip


def spend(*rows: tuple[str, str | None, str | None, str]) -> SpendTotals:
    items = [{"channel": ch, "campaign": c, "currency": cur, "amount": a} for ch, c, cur, a in rows]
    return SpendTotals.model_validate({"from": "2026-05-01", "to": "2026-06-01", "items": items})


def clv(*items: tuple[str, str | None, int, str]) -> PredictedClvReport:
    return PredictedClvReport.model_validate(
        {
            "from": FROM,
            "to": TO,
            "items": [
                {"source": s, "campaign": c, "new_customers": p, "predicted": p, "predicted_clv_total": total}
                for s, c, p, total in items
            ],
        }
    )


NEW = new_customers(
    ("direct", None, 2, "50.00", 1),
    ("newsletter", None, 1, "20.00", 0),
    ("newsletter", "spring", 3, "100.00", 1),
    ("referral", None, 2, "60.00", 2),
)
SPEND = spend(
    ("newsletter", "spring", "EUR", "100.00"),
    ("ads", None, "USD", "300.00"),
    ("ads", "x", "EUR", "50.00"),
    ("ads", "y", "USD", "0.50"),
    ("referral", None, None, "10.00"),
)
CLV = clv(("newsletter", "spring", 2, "200.00"), ("direct", None, 2, "0.01"))


def row(rows: list[AcquisitionRow], channel: str, campaign: str | None = None) -> dict[str, Any]:
    [found] = [r for r in rows if r.channel == channel and r.campaign == campaign]
    return found.model_dump()


def test_money_rounds_half_up_from_exact_decimals_and_ratios_to_4_decimals() -> None:
    assert money(Decimal("0.005")) == "0.01" and money(Decimal("2.675")) == "2.68" and money(None) is None
    assert money(Decimal(100) / Decimal(3)) == "33.33"
    assert money(Decimal("-0.005")) == "-0.01" and money(0) == "0.00" and money(Decimal("1E+3")) == "1000.00"
    # Quotients are exact: 100.005 / (100 / 3) is 3.00015, half up 3.0002 (a decimal division would lose the half).
    assert ratio(Decimal("100.005"), Fraction(100, 3)) == 3.0002 and ratio(Decimal("1.00005"), 1) == 1.0001
    assert ratio(1, 3) == 0.3333 and ratio(2, 3) == 0.6667 and ratio(1, 0) is None and ratio(None, 2) is None


def test_acquisition_rows_combine_the_three_answers_with_exact_money() -> None:
    figures = acquisition_figures(NEW, SPEND, CLV, Decimal("30.00"), "EUR")
    keys = [(r.channel, r.campaign) for r in figures.items]
    assert keys == [("ads", "x"), ("direct", None), ("newsletter", None), ("newsletter", "spring"), ("referral", None)]
    assert row(figures.items, "newsletter", "spring") == {
        "channel": "newsletter", "campaign": "spring", "new_customers": 3, "spend": "100.00", "cac": "33.33",
        "avg_first_order": "33.33", "avg_predicted_clv": "100.00", "ltv_to_cac": 3.0, "repurchase_rate_90d": 0.3333,
    }  # fmt: skip  # ltv_to_cac from the exact CAC 100/3, not from 33.33
    # Spend without new customers: no CAC. New customers without spend: CAC 0 (and so no LTV:CAC).
    assert row(figures.items, "ads", "x") | {} == {
        "channel": "ads", "campaign": "x", "new_customers": 0, "spend": "50.00", "cac": None, "avg_first_order": None,
        "avg_predicted_clv": None, "ltv_to_cac": None, "repurchase_rate_90d": None,
    }  # fmt: skip
    direct = row(figures.items, "direct")
    assert (direct["spend"], direct["cac"], direct["ltv_to_cac"]) == ("0.00", "0.00", None)
    assert direct["avg_predicted_clv"] == "0.01"  # 0.005 rounded half up
    # Referral: spend rows named referral plus the reward cost granted in the period.
    referral = row(figures.items, "referral")
    assert (referral["spend"], referral["cac"], referral["repurchase_rate_90d"]) == ("40.00", "20.00", 1.0)

    assert [c.channel for c in figures.channels] == ["ads", "direct", "newsletter", "referral"]
    assert row(figures.channels, "newsletter") == {
        "channel": "newsletter", "campaign": None, "new_customers": 4, "spend": "100.00", "cac": "25.00",
        "avg_first_order": "30.00", "avg_predicted_clv": "100.00", "ltv_to_cac": 4.0, "repurchase_rate_90d": 0.25,
    }  # fmt: skip
    assert figures.total.model_dump() == {
        "channel": "all", "campaign": None, "new_customers": 8, "spend": "190.00", "cac": "23.75",
        "avg_first_order": "28.75", "avg_predicted_clv": "50.00", "ltv_to_cac": 2.1054, "repurchase_rate_90d": 0.5,
    }  # fmt: skip  # 200.01 / 4 = 50.0025; 50.0025 / 23.75 = 2.10536...
    # Spend in another currency is listed apart, never added.
    assert [u.model_dump() for u in figures.unconverted_spend] == [{"currency": "USD", "amount": "300.50"}]


def test_without_a_report_currency_every_spend_row_counts_as_one_currency() -> None:
    figures = acquisition_figures(NEW, SPEND, CLV, Decimal(0), None)
    assert figures.unconverted_spend == [] and figures.total.spend == "460.50"  # 100 + 300 + 50 + 0.50 + 10
    assert row(figures.items, "ads")["spend"] == "300.00" and row(figures.items, "referral")["spend"] == "10.00"


def test_a_service_that_could_not_answer_leaves_its_figures_null() -> None:
    no_scoring = acquisition_figures(NEW, SPEND, None, Decimal("30.00"), "EUR")
    assert all(r.avg_predicted_clv is None and r.ltv_to_cac is None for r in no_scoring.items)
    assert no_scoring.total.cac == "23.75" and no_scoring.total.new_customers == 8

    no_referral = acquisition_figures(NEW, SPEND, CLV, None, "EUR")
    assert row(no_referral.items, "referral")["spend"] is None and row(no_referral.channels, "referral")["cac"] is None
    assert no_referral.total.spend is None and no_referral.total.cac is None
    assert row(no_referral.items, "newsletter", "spring")["cac"] == "33.33"  # the other channels keep theirs

    no_profile = acquisition_figures(None, None, CLV, Decimal("30.00"), "EUR")
    assert [(r.channel, r.campaign) for r in no_profile.items] == [("direct", None), ("newsletter", "spring"),
                                                                   ("referral", None)]  # fmt: skip
    assert all(r.new_customers is None and r.spend is None and r.cac is None for r in no_profile.items)
    assert no_profile.total.avg_predicted_clv == "50.00" and no_profile.total.repurchase_rate_90d is None

    nothing = acquisition_figures(new_customers(), spend(), clv(), Decimal(0), "EUR")
    assert nothing.items == [] and nothing.channels == [] and nothing.total.new_customers == 0
    assert nothing.total.spend == "0.00" and nothing.total.cac is None


def test_spend_counts_the_days_that_start_in_the_period() -> None:
    utc = dt.UTC
    assert spend_days(dt.datetime(2026, 5, 1, tzinfo=utc), dt.datetime(2026, 6, 1, tzinfo=utc)) == (
        dt.date(2026, 5, 1), dt.date(2026, 6, 1)
    )  # fmt: skip
    assert spend_days(dt.datetime(2026, 5, 1, 8, tzinfo=utc), dt.datetime(2026, 5, 3, 1, tzinfo=utc)) == (
        dt.date(2026, 5, 2), dt.date(2026, 5, 4)
    )  # fmt: skip
    assert spend_days(dt.datetime(2026, 5, 1, 8, tzinfo=utc), dt.datetime(2026, 5, 1, 20, tzinfo=utc)) is None
    berlin = dt.timezone(dt.timedelta(hours=2))  # 2026-05-01T02:00+02:00 is midnight UTC
    assert spend_days(dt.datetime(2026, 5, 1, 2, tzinfo=berlin), dt.datetime(2026, 5, 2, 2, tzinfo=berlin)) == (
        dt.date(2026, 5, 1), dt.date(2026, 5, 2)
    )  # fmt: skip


def test_acquisition_csv_has_items_channels_total_and_unconverted_spend_with_names_quoted_out() -> None:
    figures = acquisition_figures(
        new_customers(('=HYPERLINK("http://x")', "@SUM(A1)", 1, "10.00", 0)), SPEND, None, Decimal(0), "EUR"
    )
    report = AcquisitionReport(
        period=PERIOD, currency="EUR", items=figures.items, channels=figures.channels, total=figures.total,
        unconverted_spend=figures.unconverted_spend, degraded=["scoring"],
    )  # fmt: skip
    columns = ("level", "channel", "campaign", "new_customers", "spend", "currency")
    lines = csv_text(columns, acquisition_csv_rows(report)).splitlines()
    assert lines[0] == "level,channel,campaign,new_customers,spend,currency"
    assert lines[1] == 'item,"\'=HYPERLINK(""http://x"")",\'@SUM(A1),1,0.00,EUR'  # quoted out, then CSV-quoted
    assert 'channel,"\'=HYPERLINK(""http://x"")",,1,0.00,EUR' in lines
    assert lines[-2].startswith("total,all,,") and lines[-1] == "unconverted,,,,300.50,USD"


def test_retention_cohorts_are_shown_with_money_strings() -> None:
    scoring = RetentionReport.model_validate(
        {"from": FROM, "to": TO, "period": "month", "cohorts": [
            {"cohort": "2026-05", "start": FROM, "size": 3, "retained": [1.0, 0.33333333, None],
             "revenue_per_member": ["33.335", "10", None], "repurchase_rate": [0.0, 0.66666666, None]}]}
    )  # fmt: skip
    [cohort] = retention_rows(scoring)
    assert cohort.retained == [1.0, 0.3333, None] and cohort.repurchase_rate == [0.0, 0.6667, None]
    assert cohort.revenue_per_member == ["33.34", "10.00", None]


def test_the_segment_report_is_scorings_with_money_shown_and_csv_per_day() -> None:
    scoring = SegmentReport.model_validate(
        {"from": FROM, "to": TO, "segment_id": "vip", "name": "+VIP", "members": 2,
         "sizes": [{"day": "2026-05-01", "members": 1}, {"day": "2026-05-02", "members": 2}],
         "revenue": "100.005", "orders": 3, "average_order_value": "33.34", "avg_predicted_clv": "50.125",
         "churn_mix": {"low": 2}, "purchasers": 2, "repeat_purchasers": 1, "repurchase_rate": 0.5,
         "nps": {"score": 100.0, "promoters": 1, "passives": 0, "detractors": 0, "responses": 1}}
    )  # fmt: skip
    report = segment_out(scoring, PERIOD, "EUR")
    assert (report.revenue, report.average_order_value, report.avg_predicted_clv) == ("100.01", "33.34", "50.13")
    assert report.repurchase_rate == 0.5 and report.currency == "EUR"
    rows = list(segment_csv_rows(report))
    assert [r["level"] for r in rows] == ["day", "day", "summary"]
    assert rows[-1]["churn_low"] == 2 and rows[-1]["churn_high"] is None and rows[-1]["nps_score"] == 100.0
