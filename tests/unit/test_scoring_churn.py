"""Churn risk: the reasons that fire, the band rule and the sentences a salesperson reads."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from services.scoring.domain.churn import RISK_NAMES, ChurnInputs, Reason, assess, reasons

NAN = math.nan

# A healthy repeat customer; each case below changes a few numbers.
HEALTHY: dict[str, Any] = {
    "p_alive": 0.9,
    "recency_days": 10.0,
    "usual_gap_days": 30.0,
    "purchase_days": 5,
    "visits_30d": 6,
    "visits_prior_90d": 18,
    "open_tickets": 0,
    "last_nps": 9.0,
    "last_csat": 5.0,
}


def customer(**changes: Any) -> dict[str, Any]:
    return {**HEALTHY, **changes}


def assess_one(**changes: Any) -> tuple[str, Reason]:
    bands, flags = assess(ChurnInputs.of(**customer(**changes)))
    return str(bands[0]), Reason(int(flags[0]))


def test_reason_bits_never_change() -> None:
    assert {r.name: r.value for r in Reason} == {
        "LOW_P_ALIVE": 1,
        "OVERDUE": 2,
        "VISITS_FALLING": 4,
        "OPEN_TICKETS": 8,
        "LOW_NPS": 16,
        "LOW_CSAT": 32,
    }
    assert RISK_NAMES == ("low", "medium", "high")


@pytest.mark.parametrize(
    ("changes", "band", "fired"),
    [
        ({}, "low", Reason(0)),
        # P(alive)
        ({"p_alive": 0.42}, "medium", Reason.LOW_P_ALIVE),
        ({"p_alive": 0.18}, "high", Reason.LOW_P_ALIVE),
        ({"p_alive": 0.5}, "low", Reason(0)),
        # Overdue against their own gap (and at least 14 days), or 90 days after a single purchase day.
        ({"recency_days": 94.0}, "medium", Reason.OVERDUE),
        ({"recency_days": 60.0}, "low", Reason(0)),
        ({"recency_days": 5.0, "usual_gap_days": 2.0}, "low", Reason(0)),
        ({"recency_days": 15.0, "usual_gap_days": 2.0}, "medium", Reason.OVERDUE),
        ({"purchase_days": 1, "usual_gap_days": NAN, "recency_days": 91.0}, "medium", Reason.OVERDUE),
        ({"purchase_days": 1, "usual_gap_days": NAN, "recency_days": 90.0}, "low", Reason(0)),
        # Overdue with any other reason is high.
        ({"recency_days": 94.0, "open_tickets": 1}, "high", Reason.OVERDUE | Reason.OPEN_TICKETS),
        ({"recency_days": 94.0, "p_alive": 0.3}, "high", Reason.OVERDUE | Reason.LOW_P_ALIVE),
        # Visits: below half the prior monthly rate, with at least 6 prior visits.
        ({"visits_30d": 1}, "medium", Reason.VISITS_FALLING),
        ({"visits_30d": 3}, "low", Reason(0)),
        ({"visits_30d": 0, "visits_prior_90d": 3}, "low", Reason(0)),
        ({"visits_30d": 0, "visits_prior_90d": 6}, "medium", Reason.VISITS_FALLING),
        # Service.
        ({"open_tickets": 2}, "medium", Reason.OPEN_TICKETS),
        ({"last_nps": 6.0}, "medium", Reason.LOW_NPS),
        ({"last_nps": 7.0}, "low", Reason(0)),
        ({"last_csat": 2.0}, "medium", Reason.LOW_CSAT),
        ({"last_csat": 3.0}, "low", Reason(0)),
        # Three reasons are high.
        (
            {"open_tickets": 1, "last_nps": 2.0, "visits_30d": 0},
            "high",
            Reason.OPEN_TICKETS | Reason.LOW_NPS | Reason.VISITS_FALLING,
        ),
        ({"open_tickets": 1, "last_nps": 2.0}, "medium", Reason.OPEN_TICKETS | Reason.LOW_NPS),
        # Unknowns never fire.
        ({"p_alive": NAN, "last_nps": NAN, "last_csat": NAN}, "low", Reason(0)),
    ],
)
def test_bands_and_reasons(changes: dict[str, Any], band: str, fired: Reason) -> None:
    assert assess_one(**changes) == (band, fired)


def test_customers_without_purchases_are_judged_on_engagement_and_service_only() -> None:
    prospect = {"p_alive": NAN, "recency_days": NAN, "usual_gap_days": NAN, "purchase_days": 0}
    assert assess_one(**prospect) == ("low", Reason(0))
    assert assess_one(**prospect, open_tickets=1) == ("medium", Reason.OPEN_TICKETS)
    assert assess_one(**prospect, open_tickets=1, visits_30d=0, last_csat=1.0) == (
        "high",
        Reason.OPEN_TICKETS | Reason.VISITS_FALLING | Reason.LOW_CSAT,
    )


def test_many_customers_at_once() -> None:
    rows = [customer(), customer(p_alive=0.1), customer(open_tickets=3), customer(purchase_days=0, recency_days=NAN)]
    inputs = ChurnInputs.of(**{key: [row[key] for row in rows] for key in HEALTHY})
    bands, flags = assess(inputs)
    assert bands.tolist() == ["low", "high", "medium", "low"]
    assert flags.dtype == np.int32
    assert flags.tolist() == [0, Reason.LOW_P_ALIVE, Reason.OPEN_TICKETS, 0]
    assert len(inputs) == 4


def test_inputs_of_different_lengths_are_refused() -> None:
    columns: dict[str, Any] = {key: [value, value] for key, value in HEALTHY.items()}
    columns["open_tickets"] = [0]
    with pytest.raises(ValueError, match="one length"):
        ChurnInputs.of(**columns)


# --- sentences ------------------------------------------------------------------------------------

STORED: dict[str, Any] = {
    "recency_days": 94.0,
    "usual_gap_days": 30.0,
    "p_alive": 0.18,
    "visits_30d": 1,
    "visits_prior_90d": 18,
    "open_tickets": 2,
    "last_nps": 3.0,
    "last_csat": 2.0,
}


def test_every_reason_reads_as_a_sentence_from_the_stored_numbers() -> None:
    assert reasons(63, **STORED) == [
        "likely to have stopped buying (P(alive) 0.18)",
        "no purchase for 94 days, 3.1x their usual gap of 30 days",
        "visits fell from 6 a month to 1 in the last 30 days",
        "2 open support tickets",
        "last NPS answer was 3 (detractor)",
        "last CSAT rating was 2 of 5",
    ]


def test_sentences_follow_the_numbers() -> None:
    assert reasons(Reason.LOW_P_ALIVE, **{**STORED, "p_alive": 0.42}) == ["may have stopped buying (P(alive) 0.42)"]
    assert reasons(Reason.OVERDUE, **{**STORED, "recency_days": 120.0, "usual_gap_days": NAN}) == [
        "no purchase for 120 days since their only purchase day"
    ]
    assert reasons(Reason.OVERDUE, **{**STORED, "usual_gap_days": 12.5}) == [
        "no purchase for 94 days, 7.5x their usual gap of 12.5 days"
    ]
    assert reasons(Reason.VISITS_FALLING, **{**STORED, "visits_prior_90d": 13, "visits_30d": 0}) == [
        "visits fell from 4.3 a month to 0 in the last 30 days"
    ]
    assert reasons(Reason.OPEN_TICKETS, **{**STORED, "open_tickets": 1}) == ["1 open support ticket"]
    assert reasons(0, **STORED) == []


def test_missing_numbers_give_shorter_sentences_not_errors() -> None:
    unknown: dict[str, Any] = dict.fromkeys(STORED)
    assert reasons(63, **unknown) == [
        "may have stopped buying",
        "overdue for a purchase",
        "visits are falling",
        "open support tickets",
        "detractor in the last NPS answer",
        "low last CSAT rating",
    ]
    assert reasons(Reason.LOW_NPS | 1024, **{**STORED, "last_nps": NAN}) == ["detractor in the last NPS answer"]


def test_assess_and_reasons_agree() -> None:
    row = customer(p_alive=0.18, recency_days=94.0, visits_30d=1, open_tickets=2, last_nps=3.0, last_csat=2.0)
    _, flags = assess(ChurnInputs.of(**row))
    said = reasons(int(flags[0]), **{key: row[key] for key in STORED})
    assert len(said) == 6
