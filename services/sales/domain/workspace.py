"""A workspace's sales settings, and who counts as a high-value customer under them."""

from __future__ import annotations

from decimal import Decimal

from pydantic import ConfigDict

from contracts.http.sales.quotes import SalesSettingsIn


class SalesSettings(SalesSettingsIn):
    """The settings as the service holds them: what the public document allows (contracts/http/sales/quotes.py),
    frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def is_high_value(self, rfm_segment: str | None, revenue: Decimal) -> bool:
        return rfm_segment in self.high_value_segments or revenue >= self.high_value_revenue
