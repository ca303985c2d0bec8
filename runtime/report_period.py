"""The period [from, to) a service's internal report is asked for: both ends required (the gateway decides the
defaults), `from` before `to`. One FastAPI dependency, so every report endpoint reads and refuses it alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query

from runtime.budgets import BoundedTime
from runtime.problems import ProblemError


@dataclass(frozen=True)
class ReportPeriod:
    start: datetime
    end: datetime


def _report_period(
    since: Annotated[BoundedTime, Query(alias="from", description="Start, inclusive.")],
    until: Annotated[BoundedTime, Query(alias="to", description="End, exclusive.")],
) -> ReportPeriod:
    if since >= until:
        raise ProblemError(422, "`from` must be before `to`", errors=[{"field": "from", "message": "after `to`"}])
    return ReportPeriod(since, until)


PeriodQuery = Annotated[ReportPeriod, Depends(_report_period)]
"""Declare a report endpoint's period as `period: PeriodQuery`."""
