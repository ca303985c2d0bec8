"""Churn risk: a band per customer and the reasons behind it, vectorised over many customers.

Reasons (`Reason`, stored as the bit set `customers.churn_flags`; the bit values never change):

- LOW_P_ALIVE (1): P(alive) < 0.5 (below 0.2 is "very low").
- OVERDUE (2): with 2+ purchase days, no purchase for more than 2x their usual gap (and for 14+
  days, so a two-days-in-a-row buyer is not overdue after 3 days); with 1 purchase day, no purchase
  for more than 90 days.
- VISITS_FALLING (4): 6+ visits in the 90 days before the last 30 (2 a month, so 0 against 1 is no
  signal), and visits in the last 30 days below half that monthly rate.
- OPEN_TICKETS (8): one or more open support tickets.
- LOW_NPS (16): last NPS answer <= 6 (a detractor).
- LOW_CSAT (32): last CSAT answer <= 2 (of 5).

The thresholds are the defaults of `ChurnRules`. A NaN (unknown) input never fires its reason.

Band (`assess` returns the names, one of RISK_NAMES, in an object array):
- high: P(alive) < 0.2, or OVERDUE together with any other reason, or 3 or more reasons;
- medium: any reason (so also P(alive) < 0.5);
- low: none.

Customers without purchases have no P(alive) and cannot be overdue; their band comes from the
engagement and service reasons alone (e.g. a prospect whose visits fall and who has an open ticket
is medium; three such reasons make high), because those are still worth a salesperson's call.

`reasons` renders the fired bits as sentences from the numbers the service stores.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

RISK_NAMES: tuple[str, str, str] = ("low", "medium", "high")
LOW, MEDIUM, HIGH = 0, 1, 2  # indexes into RISK_NAMES
_RISK_NAMES = np.asarray(RISK_NAMES, dtype=object)


class Reason(enum.IntFlag):
    LOW_P_ALIVE = 1
    OVERDUE = 2
    VISITS_FALLING = 4
    OPEN_TICKETS = 8
    LOW_NPS = 16
    LOW_CSAT = 32


ALL_REASONS = (
    Reason.LOW_P_ALIVE | Reason.OVERDUE | Reason.VISITS_FALLING | Reason.OPEN_TICKETS | Reason.LOW_NPS | Reason.LOW_CSAT
)


@dataclass(frozen=True)
class ChurnRules:
    """The thresholds of the reasons and bands (defaults as in the module docstring)."""

    p_alive_low: float = 0.5
    p_alive_very_low: float = 0.2
    overdue_gap_multiple: float = 2.0
    overdue_min_days: float = 14.0
    overdue_single_purchase_days: float = 90.0
    visits_min_prior_90d: int = 6
    visits_fall_ratio: float = 0.5
    nps_detractor_max: float = 6.0
    csat_low_max: float = 2.0
    high_reason_count: int = 3


DEFAULT_RULES = ChurnRules()

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class ChurnInputs:
    """One row per customer; build with `ChurnInputs.of(...)` from lists, arrays or scalars."""

    p_alive: FloatArray  # NaN when unknown
    recency_days: FloatArray  # NaN when never purchased
    usual_gap_days: FloatArray  # NaN with fewer than 2 purchase days
    purchase_days: IntArray
    visits_30d: IntArray
    visits_prior_90d: IntArray  # visits in the 90 days before the last 30
    open_tickets: IntArray
    last_nps: FloatArray  # NaN if none
    last_csat: FloatArray  # NaN if none

    def __post_init__(self) -> None:
        sizes = {f.name: getattr(self, f.name).shape for f in fields(self)}
        if len(set(sizes.values())) != 1 or any(len(shape) != 1 for shape in sizes.values()):
            raise ValueError(f"churn inputs must be 1-d arrays of one length (got shapes {sizes})")

    @classmethod
    def of(
        cls,
        *,
        p_alive: npt.ArrayLike,
        recency_days: npt.ArrayLike,
        usual_gap_days: npt.ArrayLike,
        purchase_days: npt.ArrayLike,
        visits_30d: npt.ArrayLike,
        visits_prior_90d: npt.ArrayLike,
        open_tickets: npt.ArrayLike,
        last_nps: npt.ArrayLike,
        last_csat: npt.ArrayLike,
    ) -> ChurnInputs:
        """Coerce to arrays (None in a float column is NaN; scalars make one customer)."""

        def floats(v: npt.ArrayLike) -> FloatArray:
            return np.asarray(v, dtype=np.float64).reshape(-1)

        def ints(v: npt.ArrayLike) -> IntArray:
            return np.asarray(v, dtype=np.int64).reshape(-1)

        return cls(
            p_alive=floats(p_alive),
            recency_days=floats(recency_days),
            usual_gap_days=floats(usual_gap_days),
            purchase_days=ints(purchase_days),
            visits_30d=ints(visits_30d),
            visits_prior_90d=ints(visits_prior_90d),
            open_tickets=ints(open_tickets),
            last_nps=floats(last_nps),
            last_csat=floats(last_csat),
        )

    def __len__(self) -> int:
        return int(self.p_alive.shape[0])


def assess(
    inputs: ChurnInputs, rules: ChurnRules = DEFAULT_RULES
) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.int32]]:
    """(bands, flags) per customer: 'low' / 'medium' / 'high' (object array of str) and int32 `Reason` bits."""
    x = inputs
    # Comparisons with NaN are False, so an unknown input never fires its reason.
    with np.errstate(invalid="ignore"):
        low_p_alive = x.p_alive < rules.p_alive_low
        very_low_p_alive = x.p_alive < rules.p_alive_very_low
        has_gap = (x.purchase_days >= 2) & (x.usual_gap_days > 0)
        overdue = np.where(
            has_gap,
            (x.recency_days > rules.overdue_gap_multiple * x.usual_gap_days)
            & (x.recency_days >= rules.overdue_min_days),
            x.recency_days > rules.overdue_single_purchase_days,
        )
        prior_monthly = x.visits_prior_90d / 3.0
        visits_falling = (x.visits_prior_90d >= rules.visits_min_prior_90d) & (
            x.visits_30d < rules.visits_fall_ratio * prior_monthly
        )
        open_tickets = x.open_tickets >= 1
        low_nps = x.last_nps <= rules.nps_detractor_max
        low_csat = x.last_csat <= rules.csat_low_max

    flags = np.zeros(len(x), dtype=np.int32)
    count = np.zeros(len(x), dtype=np.int32)
    for reason, fired in (
        (Reason.LOW_P_ALIVE, low_p_alive),
        (Reason.OVERDUE, overdue),
        (Reason.VISITS_FALLING, visits_falling),
        (Reason.OPEN_TICKETS, open_tickets),
        (Reason.LOW_NPS, low_nps),
        (Reason.LOW_CSAT, low_csat),
    ):
        flags |= np.where(fired, np.int32(reason.value), np.int32(0)).astype(np.int32)
        count += fired
    high = very_low_p_alive | (overdue & (count >= 2)) | (count >= rules.high_reason_count)
    codes = np.where(high, HIGH, np.where(count >= 1, MEDIUM, LOW))
    bands: npt.NDArray[np.object_] = _RISK_NAMES[codes]
    return bands, flags


def _known(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _number(value: float) -> str:
    """1 decimal, without a trailing .0: 6.0 -> '6', 4.33 -> '4.3'."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def reasons(
    flags: int,
    *,
    recency_days: float | None,
    usual_gap_days: float | None,
    p_alive: float | None,
    visits_30d: int | None,
    visits_prior_90d: int | None,
    open_tickets: int | None,
    last_nps: float | None,
    last_csat: float | None,
    rules: ChurnRules = DEFAULT_RULES,
) -> list[str]:
    """Sentences a salesperson can act on, one per reason in `flags`, most telling first (bit order).

    Rendered from the stored numbers (None or NaN where unknown); a missing number gives a shorter
    sentence rather than an error.
    """
    fired = Reason(flags & ALL_REASONS)
    said: list[str] = []
    if Reason.LOW_P_ALIVE in fired:
        p = _known(p_alive)
        if p is None:
            said.append("may have stopped buying")
        elif p < rules.p_alive_very_low:
            said.append(f"likely to have stopped buying (P(alive) {p:.2f})")
        else:
            said.append(f"may have stopped buying (P(alive) {p:.2f})")
    if Reason.OVERDUE in fired:
        recency, gap = _known(recency_days), _known(usual_gap_days)
        if recency is None:
            said.append("overdue for a purchase")
        elif gap is None or gap <= 0:
            said.append(f"no purchase for {recency:.0f} days since their only purchase day")
        else:
            said.append(
                f"no purchase for {recency:.0f} days, {recency / gap:.1f}x their usual gap of {_number(gap)} days"
            )
    if Reason.VISITS_FALLING in fired:
        if visits_30d is None or visits_prior_90d is None:
            said.append("visits are falling")
        else:
            said.append(f"visits fell from {_number(visits_prior_90d / 3)} a month to {visits_30d} in the last 30 days")
    if Reason.OPEN_TICKETS in fired:
        said.append("open support tickets" if not open_tickets else f"{_plural(open_tickets, 'open support ticket')}")
    if Reason.LOW_NPS in fired:
        nps = _known(last_nps)
        said.append("detractor in the last NPS answer" if nps is None else f"last NPS answer was {nps:.0f} (detractor)")
    if Reason.LOW_CSAT in fired:
        csat = _known(last_csat)
        said.append("low last CSAT rating" if csat is None else f"last CSAT rating was {csat:.0f} of 5")
    return said
