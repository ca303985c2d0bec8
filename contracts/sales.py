"""Events the sales service publishes on `flywheel.sales.events`.

Filled in by the sales service's issue: deals moving and closing, tasks created, due and overdue, quotes.
"""

from __future__ import annotations

from contracts.envelope import Envelope

SALES_EVENT_TYPES: dict[str, type[Envelope]] = {}
