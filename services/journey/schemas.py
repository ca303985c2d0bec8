"""The journey service's HTTP documents: what its internal API takes and answers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, JsonValue

from services.journey import journey_store as js

Status = js.JourneyStatus

EXAMPLE_DOCUMENT: dict[str, Any] = {
    "name": "Cross-sell socks after shoes",
    "trigger": {"type": "event", "event": "purchase"},
    "entry_step": "wait",
    "steps": {
        "wait": {"type": "wait", "duration": "2d", "next": "offer"},
        "offer": {
            "type": "action",
            "action": {"kind": "webhook", "channel": "email", "template": "Socks that go with your shoes."},
            "next": "done",
        },
        "done": {"type": "exit"},
    },
    "goal": {"event": "purchase", "within": "14d"},
}


class JourneySummary(BaseModel):
    journey_id: str = Field(examples=["j_3f2a9c0d1e4b5a67"])
    name: str
    status: Status
    active_version: int | None = Field(description="The frozen version new enrolments get; null until activated.")
    latest_version: int = Field(description="The version being edited (a draft when newer than active_version).")
    versions: int = Field(description="How many versions the journey has.")
    template: str | None = Field(description="The built-in template it was created from, if any.")
    created_at: dt.datetime
    updated_at: dt.datetime


class JourneyPage(BaseModel):
    items: list[JourneySummary]
    next_cursor: str | None


class JourneyOut(BaseModel):
    journey_id: str = Field(examples=["j_3f2a9c0d1e4b5a67"])
    name: str
    status: Status
    active_version: int | None
    latest_version: int
    template: str | None
    document: dict[str, Any] = Field(description="The latest version's document.", examples=[EXAMPLE_DOCUMENT])
    created_at: dt.datetime
    updated_at: dt.datetime


class Validity(BaseModel):
    valid: Literal[True]


class StepCount(BaseModel):
    step_id: str
    active: int
    waiting: int


class VariantStats(BaseModel):
    variant: str
    entered: int
    converted: int
    conversion_rate: float | None


class HoldoutStats(BaseModel):
    holdout_entered: int
    holdout_converted: int
    holdout_rate: float | None
    treated_entered: int
    treated_converted: int
    treated_rate: float | None
    lift: float | None = Field(
        description="(treated rate - holdout rate) / holdout rate; null without a holdout or at a holdout rate of 0.",
        examples=[0.5],
    )


class DeliveryCounts(BaseModel):
    delivered: int
    pending: int
    failed: int


class JourneyStats(BaseModel):
    journey_id: str
    entered: int = Field(description="Enrolments ever, every version.")
    in_flight: int = Field(description="Active or waiting now.")
    active: int
    waiting: int
    converted: int
    exited: int
    completed: int
    steps: list[StepCount] = Field(description="Where enrolments in flight are now.")
    variants: list[VariantStats]
    holdout: HoldoutStats
    deliveries: DeliveryCounts


class TemplateParameter(BaseModel):
    name: str
    type: str = Field(examples=["duration"], description='string, number, integer, duration, or "string?" (optional).')
    default: JsonValue
    description: str


class TemplateOut(BaseModel):
    name: str = Field(examples=["dormant_reactivation"])
    description: str
    parameters: list[TemplateParameter]


class Enrolment(BaseModel):
    journey_id: str
    version: int
    status: Literal["active", "waiting", "converted", "exited", "completed"]
    step_id: str | None
    variant: str | None
    holdout: bool
    entered_at: dt.datetime
    ended_at: dt.datetime | None
    end_reason: str | None


def _http_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http or https URL")
    return url


def _timezone(name: str) -> str:
    return js.check_timezone(name)


class ChannelIn(BaseModel):
    webhook_url: Annotated[str, Field(max_length=2000), AfterValidator(_http_url)] = Field(
        examples=["https://hooks.example.com/flywheel"]
    )
    timezone: Annotated[str, AfterValidator(_timezone)] = Field("UTC", examples=["Europe/Berlin"])
    rotate_secret: bool = Field(False, description="Make a new signing secret (returned once, in this answer).")


class ChannelOut(BaseModel):
    webhook_url: str
    timezone: str
    has_secret: Literal[True] = True
    secret: str | None = Field(
        None, description="The webhook signing secret: only when it was just made (first put or rotate_secret)."
    )
    updated_at: dt.datetime


class JourneyReport(BaseModel):
    from_: dt.datetime = Field(alias="from")
    to: dt.datetime
    entered: int = Field(description="Enrolments (holdouts left out) that entered in the period, every journey.")
    converted: int = Field(description="How many of them have converted (so far).")
    conversion_rate: float | None = Field(description="converted / entered.")
    journeys: int = Field(description="Journeys with an enrolment in the period.")

    model_config = ConfigDict(populate_by_name=True)
