"""The services' HTTP documents, declared once: each service's internal API answers with (and validates with) the
models of its module here, and the gateway documents and parses the public API's pass-through answers with the
very same ones (services/gateway/passthrough.py). What a front-end team reads in contracts/openapi.json is what
the service answers, so the two cannot drift apart.

A model the public API shows keeps its name here: its name is its OpenAPI component's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from contracts.json_document import JsonDocument


class View(BaseModel):
    """A document a service answers with. Fields a service adds later are dropped where the gateway reads it, so
    the public surface changes only on purpose."""

    model_config = ConfigDict(extra="ignore")


class Input(JsonDocument):
    """A document a client sends: a field the service does not take is a 422, not silently dropped; its numbers and
    times read as their JSON Schema says (contracts.json_document)."""

    model_config = ConfigDict(extra="forbid")


ItemT = TypeVar("ItemT")


class CursorPage(View, Generic[ItemT]):
    """The envelope of a list read page by page: a page names its items' model, `class XPage(CursorPage[X])`,
    and keeps its own name in OpenAPI (the schema is what the two fields declared in each page would give)."""

    items: list[ItemT]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")


class PeriodReport(View):
    """A service's numbers for a period [from, to), as the public overview report reads them: a report names its
    numbers, `class XReport(PeriodReport)`."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    from_: datetime = Field(alias="from")
    to: datetime


# --- NPS figures: profile counts all answers, scoring its segments' members' ----------------------------


class NpsCounts(View):
    """Each customer's latest NPS answer in a span of time, counted: the score is % promoters (9-10) minus %
    detractors (0-6), null without responses."""

    score: float | None = Field(
        description="% promoters - % detractors, from -100 to 100, rounded to 2 decimals (half away from zero); "
        "null without responses.",
        examples=[42.5],
    )
    promoters: int = Field(description="Customers whose latest answer was 9 or 10.")
    passives: int = Field(description="Customers whose latest answer was 7 or 8.")
    detractors: int = Field(description="Customers whose latest answer was 0 to 6.")
    responses: int = Field(description="Customers who answered (each counted once, by their latest answer).")


class NpsMonth(NpsCounts):
    month: str = Field(
        description="A calendar month (UTC), YYYY-MM: counted over each customer's latest answer in that month "
        "(within the period).",
        examples=["2026-11"],
    )
