"""Request and response documents of the KPI targets (PUT/GET /v1/kpi-targets), as they appear in /openapi.json."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from annotated_types import Ge, Le
from pydantic import BaseModel, ConfigDict, Field

from contracts.json_document import JsonDocument
from services.gateway.domain import KPI_METRICS, PERIOD_PATTERN, KpiMetric

MAX_TARGET_CHANGES = 100  # targets set or removed in one request
TARGET_BOUND = 10**15  # a target's magnitude at most
PERIOD_DESCRIPTION = "A year (`2026`), a quarter (`2026-Q4`) or a month (`2026-12`), years 1900 to 2999."


class KpiTargetIn(JsonDocument):
    model_config = ConfigDict(extra="forbid")

    metric: KpiMetric = Field(description=f"One of {', '.join(KPI_METRICS)}.", examples=["repurchase_rate"])
    period: str = Field(pattern=PERIOD_PATTERN, description=PERIOD_DESCRIPTION, examples=["2026-Q4"])
    # A JSON number (never text or a boolean: JsonDocument), bounded as the document says.
    target: Annotated[float, Ge(-TARGET_BOUND), Le(TARGET_BOUND)] | None = Field(
        description="The value aimed at, in the metric's unit (a rate as a share from 0 to 1, money in the "
        "workspace currency); null removes the target.",
        examples=[0.35],
    )


class KpiTargetsIn(JsonDocument):
    model_config = ConfigDict(extra="forbid")

    targets: list[KpiTargetIn] = Field(
        min_length=1,
        max_length=MAX_TARGET_CHANGES,
        description=f"1 to {MAX_TARGET_CHANGES} targets to set (or remove, with `target: null`); a target sent "
        "again for the same metric and period replaces the earlier one.",
    )


class KpiTarget(BaseModel):
    metric: KpiMetric = Field(examples=["repurchase_rate"])
    period: str = Field(description=PERIOD_DESCRIPTION, examples=["2026-Q4"])
    target: float = Field(examples=[0.35])
    updated_at: datetime


class KpiTargets(BaseModel):
    items: list[KpiTarget] = Field(description="The workspace's targets, by metric and period.")


class ReportSettings(JsonDocument):
    model_config = ConfigDict(extra="forbid")

    currency: str | None = Field(
        pattern=r"^[A-Z]{3}$",
        description="The ISO 4217 currency the workspace's reports show money in (orders and spend are taken as "
        "recorded: spend rows in another currency are left out of CAC and listed by the acquisition report as "
        "`unconverted_spend`); null: not set, every amount counted as one currency.",
        examples=["EUR"],
    )
