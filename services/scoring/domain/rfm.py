"""RFM scoring: quintile boundaries fitted on a workspace's own purchasers, 1-5 scores and the 11
named segments. Pure and vectorised: a bulk re-score of a million customers is a few array passes.

Inputs per customer: `recency_days` (days from the last purchase day to the scoring day),
`frequency` (number of purchase days) and `monetary` (net revenue: revenue minus refunds).

Boundaries. `fit_boundaries` takes the 20th, 40th, 60th and 80th percentiles of each input over the
purchasers (numpy's linear interpolation; NaN and infinite values are ignored). The four cut points
b1 <= b2 <= b3 <= b4 split values into five bins: (-inf, b1], (b1, b2], (b2, b3], (b3, b4],
(b4, inf). A value equal to a cut point belongs to the lower bin, so ties stay together: when most
customers bought on one day only, the boundaries are e.g. (1, 1, 1, 2) and one-time buyers all get
F 1, two-day buyers F 4 and the rest F 5. F and M are the bin number (higher is better); R is
6 minus the bin (a shorter recency is better). With a tiny sample (1-4 purchasers) the boundaries
interpolate between the few values (a single purchaser gives four equal boundaries: that customer
scores R 5, F 1, M 1). A dimension without any finite value gets the defaults below.

| boundaries | default |
|---|---|
| recency_days | 30, 90, 180, 365 |
| frequency | 1, 2, 3, 5 |
| monetary | 50, 100, 250, 500 (the workspace's currency) |

Scores are int8 1-5 (5 = most recent, most frequent, highest spend); a NaN input (e.g. no purchase)
scores 0, "not scored", which the service stores as NULL.

Segments. FM is the mean of F and M rounded half up, FM = (F + M + 1) // 2, and the segment is read
from this grid of R (rows) against FM (columns), the widely used R vs. FM grid:

| R \\ FM | 1 | 2 | 3 | 4 | 5 |
|---|---|---|---|---|---|
| 5 | New | Potential Loyalist | Potential Loyalist | Champions | Champions |
| 4 | Promising | Potential Loyalist | Loyal | Champions | Champions |
| 3 | About to Sleep | About to Sleep | Need Attention | Loyal | Loyal |
| 2 | Hibernating | Hibernating | At Risk | At Risk | Can't Lose Them |
| 1 | Lost | Hibernating | At Risk | Can't Lose Them | Can't Lose Them |

so e.g. Champions: R 4-5 and FM 4-5; Can't Lose Them: R 1 and FM 4-5, or R 2 and FM 5; Lost: R 1
and FM 1. Every (R, F, M) in 1..5 maps to exactly one segment; `mapping_table()` returns the table.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

CHAMPIONS = "Champions"
LOYAL = "Loyal"
POTENTIAL_LOYALIST = "Potential Loyalist"
NEW = "New"
PROMISING = "Promising"
NEED_ATTENTION = "Need Attention"
ABOUT_TO_SLEEP = "About to Sleep"
AT_RISK = "At Risk"
CANT_LOSE_THEM = "Can't Lose Them"
HIBERNATING = "Hibernating"
LOST = "Lost"

SEGMENTS: tuple[str, ...] = (
    CHAMPIONS,
    LOYAL,
    POTENTIAL_LOYALIST,
    NEW,
    PROMISING,
    NEED_ATTENTION,
    ABOUT_TO_SLEEP,
    AT_RISK,
    CANT_LOSE_THEM,
    HIBERNATING,
    LOST,
)

# GRID[5 - r][fm - 1]: rows R 5..1, columns FM 1..5. The single source of the mapping.
GRID: tuple[tuple[str, str, str, str, str], ...] = (
    (NEW, POTENTIAL_LOYALIST, POTENTIAL_LOYALIST, CHAMPIONS, CHAMPIONS),
    (PROMISING, POTENTIAL_LOYALIST, LOYAL, CHAMPIONS, CHAMPIONS),
    (ABOUT_TO_SLEEP, ABOUT_TO_SLEEP, NEED_ATTENTION, LOYAL, LOYAL),
    (HIBERNATING, HIBERNATING, AT_RISK, AT_RISK, CANT_LOSE_THEM),
    (LOST, HIBERNATING, AT_RISK, CANT_LOSE_THEM, CANT_LOSE_THEM),
)

QUANTILES = (0.2, 0.4, 0.6, 0.8)

FloatArray = npt.NDArray[np.float64]
ScoreArray = npt.NDArray[np.int8]


@dataclass(frozen=True)
class RfmBoundaries:
    """Four non-decreasing cut points per dimension (quintile boundaries)."""

    recency_days: tuple[float, ...]
    frequency: tuple[float, ...]
    monetary: tuple[float, ...]

    def __post_init__(self) -> None:
        for name in ("recency_days", "frequency", "monetary"):
            cuts = getattr(self, name)
            if len(cuts) != len(QUANTILES):
                raise ValueError(f"RFM boundaries {name} needs {len(QUANTILES)} cut points (got {len(cuts)})")
            if not all(math.isfinite(c) for c in cuts):
                raise ValueError(f"RFM boundaries {name} must be finite numbers (got {list(cuts)})")
            if any(a > b for a, b in itertools.pairwise(cuts)):
                raise ValueError(f"RFM boundaries {name} must not decrease (got {list(cuts)})")

    def as_dict(self) -> dict[str, list[float]]:
        """What `workspace_models.rfm_boundaries` stores."""
        return {
            "recency_days": list(self.recency_days),
            "frequency": list(self.frequency),
            "monetary": list(self.monetary),
        }

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> RfmBoundaries:
        """Inverse of `as_dict`; raises ValueError on anything else."""
        try:
            return cls(
                recency_days=tuple(float(v) for v in doc["recency_days"]),
                frequency=tuple(float(v) for v in doc["frequency"]),
                monetary=tuple(float(v) for v in doc["monetary"]),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not RFM boundaries: {doc!r}") from exc


DEFAULT_BOUNDARIES = RfmBoundaries(
    recency_days=(30.0, 90.0, 180.0, 365.0),
    frequency=(1.0, 2.0, 3.0, 5.0),
    monetary=(50.0, 100.0, 250.0, 500.0),
)


def _floats(values: npt.ArrayLike) -> FloatArray:
    return np.asarray(values, dtype=np.float64).reshape(-1)


def _cuts(values: npt.ArrayLike, default: tuple[float, ...]) -> tuple[float, ...]:
    x = _floats(values)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return default
    cuts = np.quantile(x, QUANTILES)
    # Interpolation can leave a rounding-error dip between equal values; keep the cuts monotone.
    return tuple(float(c) for c in np.maximum.accumulate(cuts))


def fit_boundaries(recency_days: npt.ArrayLike, frequency: npt.ArrayLike, monetary: npt.ArrayLike) -> RfmBoundaries:
    """Quintile boundaries of a workspace's purchasers (one value per purchaser in each array).

    Each dimension is fitted on its own finite values; one without any gets DEFAULT_BOUNDARIES'.
    """
    return RfmBoundaries(
        recency_days=_cuts(recency_days, DEFAULT_BOUNDARIES.recency_days),
        frequency=_cuts(frequency, DEFAULT_BOUNDARIES.frequency),
        monetary=_cuts(monetary, DEFAULT_BOUNDARIES.monetary),
    )


def _bins(cuts: Sequence[float], values: npt.ArrayLike) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_]]:
    """Bin 1..5 of each value ((-inf, b1] is 1, (b4, inf) is 5) and where the value is NaN."""
    x = _floats(values)
    # side="left" counts the cut points strictly below the value: equal values fall in the lower bin.
    return np.searchsorted(np.asarray(cuts, dtype=np.float64), x, side="left") + 1, np.isnan(x)


def score(
    boundaries: RfmBoundaries, recency_days: npt.ArrayLike, frequency: npt.ArrayLike, monetary: npt.ArrayLike
) -> tuple[ScoreArray, ScoreArray, ScoreArray]:
    """(R, F, M) int8 scores 1-5 per customer, 5 best; 0 where the input is NaN."""
    r_bin, r_nan = _bins(boundaries.recency_days, recency_days)
    f_bin, f_nan = _bins(boundaries.frequency, frequency)
    m_bin, m_nan = _bins(boundaries.monetary, monetary)
    r = np.where(r_nan, 0, 6 - r_bin).astype(np.int8)
    f = np.where(f_nan, 0, f_bin).astype(np.int8)
    m = np.where(m_nan, 0, m_bin).astype(np.int8)
    return r, f, m


def _lookup() -> npt.NDArray[np.object_]:
    """table[r, f, m] -> segment name; None where any score is 0 (not scored)."""
    table = np.full((6, 6, 6), None, dtype=object)
    for r in range(1, 6):
        for f in range(1, 6):
            for m in range(1, 6):
                table[r, f, m] = GRID[5 - r][(f + m + 1) // 2 - 1]
    return table


_TABLE = _lookup()


def segment_of(r: npt.ArrayLike, f: npt.ArrayLike, m: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """Segment name per customer (object array of str), None where a score is 0 (not scored).

    Scores outside 0..5 raise ValueError.
    """
    scores = [np.asarray(s, dtype=np.int64).reshape(-1) for s in (r, f, m)]
    for name, s in zip("rfm", scores, strict=True):
        if s.size and (s.min() < 0 or s.max() > 5):
            raise ValueError(f"{name} scores must be 0-5 (got {s.min()}..{s.max()})")
    result: npt.NDArray[np.object_] = _TABLE[scores[0], scores[1], scores[2]]
    return result


def mapping_table() -> str:
    """The R vs. FM grid as markdown, as in this module's docstring (and the README)."""
    lines = ["| R \\ FM | 1 | 2 | 3 | 4 | 5 |", "|---|---|---|---|---|---|"]
    lines += [f"| {5 - i} | " + " | ".join(row) + " |" for i, row in enumerate(GRID)]
    return "\n".join(lines)
