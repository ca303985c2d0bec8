"""From a transaction log to the per-customer summaries the BG/NBD and Gamma-Gamma models take.

The rules are those of the published CDNOW analyses (Fader, Hardie and Lee 2005), which they
reproduce: only transactions on or before the end of observation count; all purchases of one UTC day
are one transaction (amounts summed), so x = purchase days - 1; recency t_x and age t_cal count whole
days from the first purchase day to the last purchase day and to the day observation ends; monetary
is the mean value of the repeat transactions (the first one is left out, as the Gamma-Gamma note
does), 0 for customers without any.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from services.scoring.domain.fitting import FloatArray, as_float_array


@dataclass(frozen=True)
class Summary:
    """One row per customer with a transaction in the window, ordered by customer id."""

    customer_ids: NDArray[np.generic]
    x: FloatArray  # repeat transactions (purchase days after the first)
    t_x: FloatArray  # first to last purchase day, in the time unit
    t_cal: FloatArray  # first purchase day to the day observation ends, in the time unit
    monetary: FloatArray  # mean value of the repeat transactions; 0 when x == 0

    def __len__(self) -> int:
        return len(self.x)


def summarize(
    customer_ids: NDArray[np.generic],
    times: NDArray[np.datetime64],
    amounts: NDArray[np.floating] | FloatArray,
    observation_end: np.datetime64,
    unit_days: float,
) -> Summary:
    """Summaries of every customer with a transaction on or before `observation_end` (UTC).

    `observation_end` as a date (datetime64[D]) includes that whole day; with a time of day, up to that moment.
    """
    ids = np.asarray(customer_ids)
    moments = np.asarray(times)
    values = as_float_array(amounts, "amounts")
    if not np.issubdtype(moments.dtype, np.datetime64):
        raise ValueError(f"times must be datetime64 values, got dtype {moments.dtype}")
    if not (ids.ndim == moments.ndim == 1) or not len(ids) == len(moments) == len(values):
        raise ValueError(f"customer_ids, times and amounts differ ({len(ids)}, {len(moments)}, {len(values)} values)")
    if np.any(np.isnat(moments)) or np.isnat(observation_end):
        raise ValueError("times and observation_end must not be NaT")
    if np.any(values < 0):
        raise ValueError("amounts must not be negative")
    if not unit_days > 0:
        raise ValueError(f"unit_days must be positive, got {unit_days}")

    end = np.datetime64(observation_end)
    if np.datetime_data(end.dtype)[0] in {"Y", "M", "W", "D"}:  # a date: the whole of that day counts
        inside = moments.astype("datetime64[D]") <= end.astype("datetime64[D]")
    else:
        inside = moments <= end
    days = moments[inside].astype("datetime64[D]").astype(np.int64)
    values = values[inside]
    distinct_ids, code = np.unique(ids[inside], return_inverse=True)
    if len(code) == 0:
        empty = np.empty(0)
        return Summary(distinct_ids, empty, empty.copy(), empty.copy(), empty.copy())
    # Sort by customer, then day; a new transaction starts wherever either changes.
    order = np.lexsort((days, code))
    code, days, values = code[order], days[order], values[order]
    new_day = np.ones(len(days), dtype=bool)
    new_day[1:] = (code[1:] != code[:-1]) | (days[1:] != days[:-1])
    day_at = np.flatnonzero(new_day)
    day_code, day_of, day_amount = code[day_at], days[day_at], np.add.reduceat(values, day_at)

    new_customer = np.ones(len(day_code), dtype=bool)
    new_customer[1:] = day_code[1:] != day_code[:-1]
    first_at = np.flatnonzero(new_customer)
    last_at = np.append(first_at[1:], len(day_code)) - 1
    x = (last_at - first_at).astype(np.float64)
    first_day = day_of[first_at]
    end_day = end.astype("datetime64[D]").astype(np.int64)
    repeat_total = np.add.reduceat(day_amount, first_at) - day_amount[first_at]
    monetary = np.divide(repeat_total, x, out=np.zeros_like(x), where=x > 0).clip(min=0)
    return Summary(
        customer_ids=distinct_ids[day_code[first_at]],
        x=x,
        t_x=(day_of[last_at] - first_day) / unit_days,
        t_cal=(end_day - first_day) / unit_days,
        monetary=monetary,
    )
