"""The sales service's own settings (FLYWHEEL_* variables), beside those every process reads."""

from __future__ import annotations

from pydantic import Field

from runtime.settings import RuntimeSettings


class SalesServiceSettings(RuntimeSettings):
    """What sales reads besides the runtime's settings; built by services/sales/wiring.py's callers."""

    sales_tick_s: float = Field(5.0, gt=0, description="Sales: how often task reminders (due, overdue) are looked for.")
    quota_pipelines: int = Field(20, ge=0, description="Quota: sales pipelines per workspace (built-in ones count).")
