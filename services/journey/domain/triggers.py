"""Whether an event starts a journey for a customer: the trigger, then the re-entry policy.

Scoring's change events map onto triggers: `segment.entered` / `segment.exited` (data.segment_id),
`churn.risk_changed` / `rfm.segment_changed` (data.current, data.previous) for score_changed, `scores.changed`
(data.previous_<score>, data.<score>) for score_crossed (the previous value does not meet the threshold, or is not
known, and the current one does: once per crossing), and `customer.dormant` for dormant. Loyalty's events
(`flywheel.loyalty.events`) are events like resolved ones: an `event` trigger, a goal or an exit_on names their
type (`loyalty.tier_changed` with `data.current eq gold`, `loyalty.points_expiring` with `data.points gte 100`,
`loyalty.points_redeemed`). Date triggers have no event
of their own: the caller's scheduler asks `next_date_fire` when a customer's date next comes round and, at that
moment, passes an event of type `journey.date` with data {"trait": <name>, "date": "YYYY-MM-DD"}.

Re-entry (settings.reentry), with `EnrolmentHistory` counted by the caller for this journey:
- a customer is never enrolled twice at the same time (an unfinished enrolment blocks a new one);
- never: only if the customer was never enrolled in this journey;
- after_cooldown: if never enrolled, or once `cooldown` has passed since the last enrolment ended
  (since it started, when its end is not known);
- always: whenever the trigger fires and no enrolment is unfinished.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from services.journey.domain.conditions import CustomerFacts, EventFacts, evaluate
from services.journey.domain.model import (
    AnyTrigger,
    DateTrigger,
    DormantTrigger,
    EventCondition,
    EventTrigger,
    Journey,
    ScoreChangedTrigger,
    ScoreCrossedTrigger,
    SegmentTrigger,
    Trigger,
)
from services.journey.domain.schedule import duration, next_date_occurrence

DATE_EVENT_TYPE = "journey.date"
SCORES_CHANGED = "scores.changed"
_SCORE_EVENTS = {"churn_risk": "churn.risk_changed", "rfm_segment": "rfm.segment_changed"}
_SEGMENT_EVENTS = {"segment_entered": "segment.entered", "segment_exited": "segment.exited"}


@dataclass(frozen=True)
class TriggerInput:
    """The event that may start the journey, and the customer's facts at that moment."""

    event: EventFacts
    facts: CustomerFacts


@dataclass(frozen=True)
class EnrolmentHistory:
    """The customer's past in this journey, as the caller's store knows it."""

    active: bool = False  # an enrolment that has not ended (active or waiting)
    enrolments: int = 0
    last_entered_at: dt.datetime | None = None
    last_ended_at: dt.datetime | None = None


def event_matches(condition: EventCondition, event: EventFacts, facts: CustomerFacts) -> bool:
    """An event of the condition's type whose data and customer meet its conditions."""
    if event.type != condition.event:
        return False
    return condition.conditions is None or evaluate(condition.conditions, facts, event)


def trigger_matches(trigger: Trigger, event: EventFacts, facts: CustomerFacts) -> bool:
    """Whether this event fires the trigger for this customer."""
    if isinstance(trigger, AnyTrigger):
        return any(trigger_matches(one, event, facts) for one in trigger.triggers)
    if isinstance(trigger, EventTrigger | DormantTrigger):
        wanted = trigger.event if isinstance(trigger, EventTrigger) else "customer.dormant"
        return event.type == wanted and (trigger.conditions is None or evaluate(trigger.conditions, facts, event))
    if isinstance(trigger, SegmentTrigger):
        return event.type == _SEGMENT_EVENTS[trigger.type] and event.data.get("segment_id") == trigger.segment_id
    if isinstance(trigger, ScoreChangedTrigger):
        if event.type != _SCORE_EVENTS[trigger.score] or event.data.get("current") != trigger.to:
            return False
        return trigger.from_ is None or event.data.get("previous") == trigger.from_
    if isinstance(trigger, ScoreCrossedTrigger):
        if event.type != SCORES_CHANGED:
            return False
        previous = event.data.get(f"previous_{trigger.score}")
        return meets(trigger, event.data.get(trigger.score)) and not meets(trigger, previous)
    return event.type == DATE_EVENT_TYPE and event.data.get("trait") == trigger.trait


def meets(trigger: ScoreCrossedTrigger, value: Any) -> bool:
    """Whether a score (a number, or a decimal string for money) meets the trigger's threshold; an unknown one
    never does. Compared exactly, as Decimals."""
    if value is None or isinstance(value, bool):
        return False
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return False
    if not number.is_finite():
        return False
    threshold = Decimal(str(trigger.value))
    if trigger.op == "lt":
        return number < threshold
    if trigger.op == "lte":
        return number <= threshold
    if trigger.op == "gt":
        return number > threshold
    return number >= threshold


def reentry_allows(journey: Journey, history: EnrolmentHistory, now: dt.datetime) -> bool:
    """The re-entry policy alone (see the module docstring)."""
    if history.active:
        return False
    if history.enrolments == 0:
        return True
    settings = journey.settings
    if settings.reentry == "never":
        return False
    if settings.reentry == "always":
        return True
    last = history.last_ended_at or history.last_entered_at
    return last is None or settings.cooldown is None or now >= last + duration(settings.cooldown)


def should_enrol(journey: Journey, trigger_input: TriggerInput, history: EnrolmentHistory, now: dt.datetime) -> bool:
    """Whether to enrol the customer now: the trigger fires and the re-entry policy allows it."""
    if not trigger_matches(journey.trigger, trigger_input.event, trigger_input.facts):
        return False
    return reentry_allows(journey, history, now)


def date_triggers(trigger: Trigger) -> list[DateTrigger]:
    """The date triggers of a journey (inside an `any` too), for the caller's scheduler."""
    if isinstance(trigger, DateTrigger):
        return [trigger]
    if isinstance(trigger, AnyTrigger):
        return [t for t in trigger.triggers if isinstance(t, DateTrigger)]
    return []


def next_date_fire(trigger: DateTrigger, facts: CustomerFacts, tz: str, now: dt.datetime) -> dt.datetime | None:
    """When a date trigger next fires for the customer at or after `now` (None: no date, or a past one-off)."""
    value = facts.traits.get(trigger.trait)
    return next_date_occurrence(value, trigger.offset_days, trigger.at, trigger.repeat, tz, now)
