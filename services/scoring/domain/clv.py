"""Predicted customer lifetime value: discounted expected revenue over the coming months.

    CLV = sum over m = 1..M of (E[Y(t_m)] - E[Y(t_(m-1))]) x E[spend] / (1 + d)^m

E[Y(t)] is the BG/NBD expected number of purchases in the next t time units given the customer's
(x, t_x, t_cal) (FHL 2005, equation 10), so the difference is what month m is expected to bring;
E[spend] is the Gamma-Gamma expected value per transaction given (x, monetary); t_m = m x 365.25/12
days expressed in the model's time unit (t_m = m x 30.4375 / unit_days); d = (1 + annual rate)^(1/12)
- 1 is the monthly discount rate equivalent to the annual one; M = `months` (12 by default), annual
rate 10% by default. Counting revenue at the end of the month it is earned in is the usual,
slightly conservative, convention. Multiplying the two expectations assumes, as the Gamma-Gamma
model does, that spend is independent of the purchase process.
"""

from __future__ import annotations

import numpy as np

from services.scoring.domain import bgnbd, gamma_gamma
from services.scoring.domain.bgnbd import BgNbdParams
from services.scoring.domain.fitting import FloatArray
from services.scoring.domain.gamma_gamma import GammaGammaParams

DAYS_PER_MONTH = 365.25 / 12


def predicted_clv(
    bgnbd_params: BgNbdParams,
    gamma_gamma_params: GammaGammaParams,
    x: object,
    t_x: object,
    t_cal: object,
    monetary: object,
    *,
    unit_days: float,
    months: int = 12,
    annual_discount_rate: float = 0.10,
) -> FloatArray:
    """Expected discounted revenue of each customer over the next `months` months (see the module docstring)."""
    if not unit_days > 0:
        raise ValueError(f"unit_days must be positive, got {unit_days}")
    if months < 1:
        raise ValueError(f"months must be at least 1, got {months}")
    if not annual_discount_rate > -1:
        raise ValueError(f"annual_discount_rate must exceed -1, got {annual_discount_rate}")
    monthly_rate = (1.0 + annual_discount_rate) ** (1.0 / 12.0) - 1.0
    month = np.arange(1, months + 1, dtype=np.float64)
    horizons = month * DAYS_PER_MONTH / unit_days
    factors = (1.0 + monthly_rate) ** -month
    purchases = bgnbd.discounted_expected_purchases(bgnbd_params, list(horizons), list(factors), x, t_x, t_cal)
    result: FloatArray = purchases * gamma_gamma.expected_spend(gamma_gamma_params, x, monetary)
    return result
