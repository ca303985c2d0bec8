"""Carrying an enrolment through a journey: pure step execution, time and counts passed in.

`advance` runs instant steps (branch, split, action, exit) from the enrolment's step until it
reaches a wait or the end, and returns the new state and the actions for the caller to perform;
`on_event` applies an event (goal, exit_on, a waited-for event). The caller persists the returned
`Enrolment` with the actions in one transaction, and calls `advance` again when `due_at` comes.

Rules:
- **Action ids** are f"{enrolment_id}:{step_id}:{kind}-{seq}", `seq` counting the steps the
  enrolment has run: the same on a retry of the same call (and for a deferred action when it finally
  runs), different on a second pass through the same step in a loop. Executors de-duplicate on it.
- **Holdout** customers (a hash, settings.holdout_percent) go through the journey like everyone
  else, but outreach (webhook, sales_task, coupon, referral_invite, survey, points) is skipped and reported in
  `skipped`; tags and attributes still apply. Their conversions count, so lift can be measured.
- **Quiet hours** (settings.quiet_hours, in settings.timezone): a message (webhook, referral_invite, survey)
  due in quiet hours is deferred: the enrolment waits at the action's step until the quiet hours end
  (the next `end` on the wall clock, DST-correct), and the action runs then.
- **Frequency caps** (domain/caps.py decides): the journey's own settings.frequency_cap (every channel) and the
  workspace's cap per channel (`CapState.workspace`). Messages sent to the customer before `now`, across all
  journeys, are counted by the caller (`CapState.sent`, those of journeys run earlier in the same pass marked
  `in_pass`) plus those of this call. At a cap, "defer" waits at the step until the oldest counted message
  leaves the window, then re-checks (quiet hours too), reported in `deferred`; "skip" skips the message
  (reported in `skipped`) and goes on; both with the reason. Non-message actions are never capped.
- **Splits** pick a variant by a hash of (journey_id, customer_id) and the weights (assignment.py);
  the enrolment's `variant` is the last variant chosen, and goes with its conversion.
- **Waits**: duration from now; until_time the next such wall time in the journey's time zone; for_event
  until `timeout`, then `on_timeout`. A waited-for event resumes only if it happened by `due_at`.
- **Goal**: a matching event at or after entry (and within `within` of it) converts the enrolment,
  whatever step it is on; exit_on events exit it. Events from before entry are ignored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from services.journey.domain.assignment import choose_variant, in_holdout
from services.journey.domain.caps import Counted, JourneyCap, Message, WorkspaceCaps, decide
from services.journey.domain.conditions import CustomerFacts, EventFacts, evaluate
from services.journey.domain.model import (
    MESSAGE_KINDS,
    OUTREACH_KINDS,
    Action,
    ActionStep,
    BranchStep,
    CouponAction,
    EventCondition,
    ExitStep,
    Journey,
    PointsAction,
    ReferralInviteAction,
    SalesTaskAction,
    SetAttributeAction,
    SplitStep,
    SurveyAction,
    TagAction,
    WaitStep,
    WebhookAction,
)
from services.journey.domain.placeholders import render
from services.journey.domain.schedule import (
    duration,
    in_quiet_hours,
    next_time_of_day,
    quiet_hours_end,
)
from services.journey.domain.triggers import (
    EnrolmentHistory,
    TriggerInput,
    event_matches,
    should_enrol,
)

__all__ = [
    "Advance",
    "CapState",
    "Counted",
    "DeferredAction",
    "Enrolment",
    "EnrolmentHistory",
    "GoalAttribution",
    "PlannedAction",
    "SkippedAction",
    "TriggerInput",
    "advance",
    "in_quiet_hours",
    "message_channel",
    "next_time_of_day",
    "on_event",
    "quiet_hours_end",
    "render",
    "should_enrol",
    "start_enrolment",
]

Status = Literal["active", "waiting", "converted", "exited", "completed"]
TERMINAL: frozenset[str] = frozenset({"converted", "exited", "completed"})


@dataclass(frozen=True)
class Enrolment:
    """One customer's way through one version of a journey (the caller stores it)."""

    enrolment_id: str
    journey_id: str
    version: int
    customer_id: str
    step_id: str
    status: Status
    variant: str | None
    holdout: bool
    entered_at: dt.datetime
    due_at: dt.datetime | None = None
    waiting_for: EventCondition | None = None
    seq: int = 0  # steps run so far: part of action ids (see the module docstring)


@dataclass(frozen=True)
class CapState:
    """The messages sent to the customer recently, across all journeys (the caller counts), and the workspace's
    caps per channel."""

    sent: tuple[Counted, ...] = ()
    workspace: WorkspaceCaps = field(default_factory=dict)


@dataclass(frozen=True)
class PlannedAction:
    """An action to perform, rendered for the customer; `action_id` is the idempotency key."""

    action_id: str
    step_id: str
    kind: str
    action: Action
    payload: dict[str, Any]


@dataclass(frozen=True)
class SkippedAction:
    action_id: str
    step_id: str
    kind: str
    reason: str  # holdout, or a cap's (domain/caps.py: frequency_cap, workspace_cap:<channel>, priority: ...)


@dataclass(frozen=True)
class DeferredAction:
    """A message held back by a cap: the enrolment waits at its step until `until`, then it is re-checked."""

    action_id: str
    step_id: str
    kind: str
    reason: str
    until: dt.datetime


@dataclass(frozen=True)
class GoalAttribution:
    """Attribution of a goal reached: which journey, version and variant (and whether held out)."""

    journey_id: str
    version: int
    variant: str | None
    holdout: bool
    event_id: str
    converted_at: dt.datetime


@dataclass(frozen=True)
class Advance:
    """The result of a call: the enrolment's new state, what to do, and what was skipped."""

    enrolment: Enrolment
    actions: tuple[PlannedAction, ...] = ()
    skipped: tuple[SkippedAction, ...] = ()
    conversion: GoalAttribution | None = None
    steps: tuple[str, ...] = field(default=())  # the steps run, in order (for the timeline)
    deferred: tuple[DeferredAction, ...] = ()


def start_enrolment(
    journey: Journey, *, enrolment_id: str, journey_id: str, version: int, customer_id: str, now: dt.datetime
) -> Enrolment:
    """A new enrolment at the entry step (holdout decided by hash); `advance` then runs it."""
    return Enrolment(
        enrolment_id=enrolment_id,
        journey_id=journey_id,
        version=version,
        customer_id=customer_id,
        step_id=journey.entry_step,
        status="active",
        variant=None,
        holdout=in_holdout(journey_id, customer_id, journey.settings.holdout_percent),
        entered_at=now,
    )


def advance(
    journey: Journey, enrolment: Enrolment, facts: CustomerFacts, now: dt.datetime, caps: CapState | None = None
) -> Advance:
    """Run the enrolment as far as it goes at `now`: a wait that is due moves on, then instant steps run."""
    if enrolment.status in TERMINAL:
        return Advance(enrolment)
    state = enrolment
    if state.status == "waiting":
        if state.due_at is None or now < state.due_at:
            return Advance(state)
        step = journey.steps[state.step_id]
        if isinstance(step, WaitStep):
            target = step.on_timeout if step.for_event is not None and step.on_timeout else step.next
            state = replace(state, step_id=target, status="active", due_at=None, waiting_for=None)
        else:  # a deferred action: run it now
            state = replace(state, status="active", due_at=None)
    return _Run(journey, facts, now, caps or CapState()).run(state)


def on_event(
    journey: Journey,
    enrolment: Enrolment,
    event: EventFacts,
    facts: CustomerFacts,
    now: dt.datetime,
    caps: CapState | None = None,
) -> Advance | None:
    """Apply an event: the goal converts, exit_on exits, a waited-for event resumes; None if irrelevant."""
    if enrolment.status in TERMINAL or event.time < enrolment.entered_at:
        return None
    goal = journey.goal
    in_time = goal is not None and (goal.within is None or event.time <= enrolment.entered_at + duration(goal.within))
    if goal is not None and in_time and event_matches(goal, event, facts):
        converted = replace(enrolment, status="converted", due_at=None, waiting_for=None)
        conversion = GoalAttribution(
            enrolment.journey_id, enrolment.version, enrolment.variant, enrolment.holdout, event.event_id, now
        )
        return Advance(converted, conversion=conversion)
    if any(event_matches(condition, event, facts) for condition in journey.exit_on):
        return Advance(replace(enrolment, status="exited", due_at=None, waiting_for=None))
    waiting_for = enrolment.waiting_for
    if enrolment.status != "waiting" or waiting_for is None or not event_matches(waiting_for, event, facts):
        return None
    if enrolment.due_at is not None and event.time > enrolment.due_at:
        return None  # it came after the timeout: the timer takes the on_timeout path
    step = journey.steps[enrolment.step_id]
    if not isinstance(step, WaitStep):
        return None
    resumed = replace(enrolment, step_id=step.next, status="active", due_at=None, waiting_for=None)
    return _Run(journey, facts, now, caps or CapState()).run(resumed)


class _Run:
    """One call's walk through instant steps, collecting actions."""

    def __init__(self, journey: Journey, facts: CustomerFacts, now: dt.datetime, caps: CapState) -> None:
        self.journey, self.facts, self.now, self.caps = journey, facts, now, caps
        self.actions: list[PlannedAction] = []
        self.skipped: list[SkippedAction] = []
        self.deferred: list[DeferredAction] = []
        self.steps: list[str] = []

    def result(self, state: Enrolment) -> Advance:
        return Advance(state, tuple(self.actions), tuple(self.skipped), None, tuple(self.steps), tuple(self.deferred))

    def run(self, state: Enrolment) -> Advance:
        for _ in range(len(self.journey.steps) + 1):
            step = self.journey.steps[state.step_id]
            if isinstance(step, WaitStep):
                self.steps.append(state.step_id)
                return self.result(
                    replace(
                        state,
                        status="waiting",
                        due_at=self._wait_until(step),
                        waiting_for=step.for_event,
                        seq=state.seq + 1,
                    )
                )
            if isinstance(step, ExitStep):
                self.steps.append(state.step_id)
                return self.result(replace(state, status="completed", due_at=None, waiting_for=None, seq=state.seq + 1))
            if isinstance(step, BranchStep):
                target = next((c.next for c in step.branches if evaluate(c.condition, self.facts)), step.default)
                self.steps.append(state.step_id)
                state = replace(state, step_id=target, seq=state.seq + 1)
            elif isinstance(step, SplitStep):
                variant = choose_variant(state.journey_id, state.customer_id, step.variants)
                self.steps.append(state.step_id)
                state = replace(state, step_id=variant.next, variant=variant.name, seq=state.seq + 1)
            else:
                deferred_until = self._action(state, step)
                if deferred_until is not None:
                    return self.result(replace(state, status="waiting", due_at=deferred_until, waiting_for=None))
                self.steps.append(state.step_id)
                state = replace(state, step_id=step.next, seq=state.seq + 1)
        raise ValueError(f"journey loops without a wait step (at {state.step_id!r}); validate it with parse_journey")

    def _wait_until(self, step: WaitStep) -> dt.datetime:
        if step.duration is not None:
            return self.now + duration(step.duration)
        if step.until_time is not None:
            return next_time_of_day(step.until_time, self.journey.settings.timezone, self.now)
        assert step.timeout is not None  # the document guarantees it for for_event
        return self.now + duration(step.timeout)

    def _action(self, state: Enrolment, step: ActionStep) -> dt.datetime | None:
        """Plan or skip the step's action; the time to wait until when it must be deferred."""
        action = step.action
        action_id = f"{state.enrolment_id}:{state.step_id}:{action.kind}-{state.seq}"
        if state.holdout and action.kind in OUTREACH_KINDS:
            self.skipped.append(SkippedAction(action_id, state.step_id, action.kind, "holdout"))
            return None
        if action.kind in MESSAGE_KINDS:
            settings = self.journey.settings
            quiet = settings.quiet_hours
            if quiet is not None and in_quiet_hours(quiet.start, quiet.end, settings.timezone, self.now):
                return quiet_hours_end(quiet.start, quiet.end, settings.timezone, self.now)
            decision = decide(
                self.caps.workspace, self._message(action, state.journey_id), self._counted(state.journey_id), self.now
            )
            if decision.outcome == "defer":
                assert decision.until is not None and decision.reason is not None
                self.deferred.append(
                    DeferredAction(action_id, state.step_id, action.kind, decision.reason, decision.until)
                )
                return decision.until
            if decision.outcome == "skip":
                assert decision.reason is not None
                self.skipped.append(SkippedAction(action_id, state.step_id, action.kind, decision.reason))
                return None
        payload = _payload(action, action_id, self.facts, self.now)
        self.actions.append(PlannedAction(action_id, state.step_id, action.kind, action, payload))
        return None

    def _message(self, action: Action, journey_id: str) -> Message:
        settings = self.journey.settings
        cap = settings.frequency_cap
        own = None if cap is None else JourneyCap(cap.messages, duration(cap.per), cap.when_capped)
        return Message(journey_id, message_channel(action), settings.priority, settings.when_capped, own)

    def _counted(self, journey_id: str) -> list[Counted]:
        """The messages counted so far: the caller's, and those this call planned (sent now)."""
        planned = [
            Counted(self.now, message_channel(a.action), journey_id) for a in self.actions if a.kind in MESSAGE_KINDS
        ]
        return [*self.caps.sent, *planned]


def message_channel(action: Action) -> str:
    """The channel a message goes on (a message kind without one: `other`)."""
    channel: str = getattr(action, "channel", "other")
    return channel


def _payload(action: Action, action_id: str, facts: CustomerFacts, now: dt.datetime) -> dict[str, Any]:
    """What the executor needs, rendered for the customer (JSON-ready)."""
    if isinstance(action, WebhookAction):
        subject = None if action.subject is None else render(action.subject, facts)
        return {
            "channel": action.channel,
            "subject": subject,
            "body": render(action.template, facts),
            "data": action.data,
            "subscription_group": action.subscription_group,
            "transactional": action.transactional,
        }
    if isinstance(action, SurveyAction):
        return {
            "channel": action.channel,
            "subject": None if action.subject is None else render(action.subject, facts),
            "body": None if action.template is None else render(action.template, facts),
            "data": {},
            "subscription_group": action.subscription_group,
            "transactional": action.transactional,
            # The answer link itself is signed when the delivery is sent (deliveries.py), never stored.
            "survey": {
                "survey_id": action.survey_id,
                "question": action.question,
                "expires_at": (now + duration(action.link_ttl)).replace(microsecond=0).isoformat(),
            },
        }
    if isinstance(action, SalesTaskAction):
        return {
            "title": render(action.title, facts),
            "assignee_rule": action.assignee_rule,
            "team": action.team,
            "due_at": (now + duration(action.due_in)).isoformat(),
            "reason": None if action.reason is None else render(action.reason, facts),
        }
    if isinstance(action, CouponAction):
        code = action.code or f"{action.code_prefix}{hashlib.sha256(action_id.encode()).hexdigest()[:10].upper()}"
        return {
            "code": code,
            "value": action.value,
            "percent": action.percent,
            "valid_until": (now + duration(action.valid_for)).isoformat(),
        }
    if isinstance(action, TagAction):
        return {"op": action.op, "tag": action.tag}
    if isinstance(action, SetAttributeAction):
        return {"name": action.name, "value": action.value}
    if isinstance(action, PointsAction):
        return {"points": action.points, "reason": action.reason}
    assert isinstance(action, ReferralInviteAction)
    return {"program_id": action.program_id, "channel": action.channel}
