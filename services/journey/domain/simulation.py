"""A dry run of one journey for chosen customers with a moved clock: pure, every input passed in, nothing sent.

`simulate` enters each customer at `start` and runs the real engine (engine.advance) from due time to due time
(the clock jumps: a wait of 3 days costs one call) until the enrolment ends, the horizon passes or the step budget
is spent. Nothing happens outside: what the engine plans is reported, never performed. Per customer it returns
the path (each step run, with its time), the waits (from, until, why), the messages it would send (rendered
subject and a preview of the text), other actions it would take (tags, tasks, coupons...), and the messages held
back with the reason.

What holds a message back, as the live service decides:
- the **holdout** (settings.holdout_percent; the engine skips outreach for held-out customers);
- **quiet hours** (the engine defers the message to their end: a wait with the reason `quiet_hours`);
- **frequency caps**: the journey's own cap and the workspace's per channel with priority (domain/caps.py, through
  the engine's `CapState`), counted in memory from the customer's real recent messages (`SimCustomer.sent`, every
  journey's: they were sent earlier, so they hold their slots whatever their priority) plus those the simulation
  sends; a deferred message is a wait with the cap's reason, a skipped one is held back;
- **consent** (domain/consent.py: erasure, the suppression list, unsubscribed, no consent), checked for each
  delivered message (webhook, survey) when it would be sent, as the delivery loop does, with the customer's consent
  as it is at the start; a message consent stops is held back with the reason `consent:<why>` and does not count
  against caps afterwards (messages of one engine call count together, as in the service).

Simplifications, stated in the answer's words: no event arrives during a simulation, so waits for an event time
out (their `on_timeout` path), goals never convert and `exit_on` never exits; the customer's facts stay as they
are at the start.

Budgets: at most MAX_SIMULATION_CUSTOMERS customers and a horizon of at most MAX_SIMULATION_HORIZON; each
customer runs at most `step_budget` steps (a journey that loops forever stops there, reason `step_budget`); a
replica runs at most MAX_RUNNING_PER_WORKSPACE simulations of one workspace at once (`RunningSimulations`), so a
workspace sending many at once takes a bounded share of the CPU (the others are refused, 409).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from services.journey.domain.caps import Counted, WorkspaceCaps
from services.journey.domain.conditions import CustomerFacts
from services.journey.domain.consent import ConsentGroup, ConsentState, decide, message_consent
from services.journey.domain.engine import Advance, CapState, Enrolment, advance, start_enrolment
from services.journey.domain.model import DELIVERED_KINDS, MESSAGE_KINDS, Journey, WaitStep
from services.journey.domain.schedule import in_quiet_hours

MAX_SIMULATION_CUSTOMERS = 1000
MAX_SIMULATION_HORIZON = dt.timedelta(days=365)
DEFAULT_HORIZON = "30d"
STEP_BUDGET = 100  # engine steps per customer (a step run, a wait that ends, a deferred message re-checked)
PREVIEW_CHARS = 500
MAX_RUNNING_PER_WORKSPACE = 2

Ending = Literal["completed", "converted", "exited", "horizon", "step_budget"]


@dataclass(frozen=True)
class SimCustomer:
    """A customer as the simulation starts them: their facts, the messages they were really sent recently (for
    caps), and their consent now (None: not checked)."""

    customer_id: str
    facts: CustomerFacts
    sent: tuple[Counted, ...] = ()
    consent: ConsentState | None = None


@dataclass(frozen=True)
class PathStep:
    step_id: str
    at: dt.datetime


@dataclass(frozen=True)
class Wait:
    step_id: str
    since: dt.datetime
    until: dt.datetime
    why: str


@dataclass(frozen=True)
class SimMessage:
    action_id: str
    step_id: str
    kind: str
    channel: str | None
    at: dt.datetime
    subject: str | None = None
    preview: str | None = None


@dataclass(frozen=True)
class SimAction:
    action_id: str
    step_id: str
    kind: str
    at: dt.datetime
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class HeldBack:
    action_id: str
    step_id: str
    kind: str
    channel: str | None
    at: dt.datetime
    reason: str


@dataclass(frozen=True)
class CustomerRun:
    customer_id: str
    holdout: bool
    variant: str | None
    ended: Ending
    ended_at: dt.datetime
    steps_run: int
    path: tuple[PathStep, ...]
    waits: tuple[Wait, ...]
    messages: tuple[SimMessage, ...]
    actions: tuple[SimAction, ...]
    held_back: tuple[HeldBack, ...]


@dataclass(frozen=True)
class Rules:
    """The workspace's rules a simulation applies beyond the journey's own: its caps per channel (domain/caps.py,
    through the engine's CapState) and its subscription groups (domain/consent.py: why a delivered message would be
    stopped, None when it goes)."""

    workspace_caps: WorkspaceCaps = field(default_factory=dict)
    consent_groups: Mapping[str, ConsentGroup] = field(default_factory=dict)

    def cap_state(self, sent: Sequence[Counted]) -> CapState:
        return CapState(tuple(sent), self.workspace_caps)

    def consent(self, customer: SimCustomer, payload: Mapping[str, Any]) -> str | None:
        if customer.consent is None:
            return None
        decision = decide(message_consent(payload), customer.consent, self.consent_groups)
        return None if decision.send else decision.reason or "suppressed"


class SimulationsBusy(Exception):
    """The workspace already runs MAX_RUNNING_PER_WORKSPACE simulations on this replica."""


@dataclass
class RunningSimulations:
    """How many simulations each workspace runs now on this replica (the process's; see the module's budgets)."""

    per_workspace: int = MAX_RUNNING_PER_WORKSPACE
    running: dict[str, int] = field(default_factory=dict)

    @contextmanager
    def slot(self, workspace: str) -> Iterator[None]:
        """Hold one of the workspace's slots while the block runs; SimulationsBusy when none is free."""
        if self.running.get(workspace, 0) >= self.per_workspace:
            raise SimulationsBusy(
                f"this workspace already runs {self.per_workspace} simulations: retry when one has answered"
            )
        self.running[workspace] = self.running.get(workspace, 0) + 1
        try:
            yield
        finally:
            self.running[workspace] -= 1
            if not self.running[workspace]:
                del self.running[workspace]


def horizon_end(start: dt.datetime, horizon: dt.timedelta) -> dt.datetime:
    return start + min(horizon, MAX_SIMULATION_HORIZON)


def simulate(
    journey: Journey,
    journey_id: str,
    version: int,
    customers: Iterable[SimCustomer],
    start: dt.datetime,
    horizon: dt.timedelta,
    rules: Rules | None = None,
    step_budget: int = STEP_BUDGET,
) -> list[CustomerRun]:
    """Each customer's run through the journey from `start` until its end or `start + horizon`."""
    end, applied = horizon_end(start, horizon), rules or Rules()
    return [_Simulation(journey, journey_id, version, c, applied, step_budget).run(start, end) for c in customers]


class _Simulation:
    def __init__(
        self, journey: Journey, journey_id: str, version: int, customer: SimCustomer, rules: Rules, budget: int
    ) -> None:
        self.journey, self.journey_id, self.version = journey, journey_id, version
        self.customer, self.rules, self.budget = customer, rules, budget
        self.sent: list[Counted] = list(customer.sent)
        self.path: list[PathStep] = []
        self.waits: list[Wait] = []
        self.messages: list[SimMessage] = []
        self.actions: list[SimAction] = []
        self.held: list[HeldBack] = []

    def run(self, start: dt.datetime, end: dt.datetime) -> CustomerRun:
        customer_id = self.customer.customer_id
        state = start_enrolment(
            self.journey,
            enrolment_id=f"sim_{self.journey_id}_{customer_id}"[:128],
            journey_id=self.journey_id,
            version=self.version,
            customer_id=customer_id,
            now=start,
        )
        now, steps_run = start, 0
        ended: Ending
        while True:
            moved = advance(self.journey, state, self.customer.facts, now, self.rules.cap_state(self.sent))
            steps_run += max(1, len(moved.steps))
            self._record(moved, now)
            state = moved.enrolment
            if state.status in ("completed", "converted", "exited"):
                ended = cast(Ending, state.status)
                break
            assert state.due_at is not None  # waiting: the engine always says until when
            self.waits.append(Wait(state.step_id, now, state.due_at, self._why(state, moved, now)))
            if state.due_at > end:
                ended = "horizon"
                break
            if steps_run >= self.budget:
                ended = "step_budget"
                break
            now = state.due_at
        return CustomerRun(
            customer_id=customer_id,
            holdout=state.holdout,
            variant=state.variant,
            ended=ended,
            ended_at=min(now, end),
            steps_run=steps_run,
            path=tuple(self.path),
            waits=tuple(self.waits),
            messages=tuple(self.messages),
            actions=tuple(self.actions),
            held_back=tuple(self.held),
        )

    def _record(self, moved: Advance, now: dt.datetime) -> None:
        self.path += [PathStep(step_id, now) for step_id in moved.steps]
        for skipped in moved.skipped:
            channel = _channel(self.journey, skipped.step_id)
            self.held.append(HeldBack(skipped.action_id, skipped.step_id, skipped.kind, channel, now, skipped.reason))
        for action in moved.actions:
            payload = action.payload
            if action.kind not in MESSAGE_KINDS:
                self.actions.append(SimAction(action.action_id, action.step_id, action.kind, now, payload))
                continue
            channel = payload.get("channel")
            channel = channel if isinstance(channel, str) else None
            stopped = self.rules.consent(self.customer, payload) if action.kind in DELIVERED_KINDS else None
            if stopped is not None:
                self.held.append(
                    HeldBack(action.action_id, action.step_id, action.kind, channel, now, f"consent:{stopped}")
                )
                continue
            self.sent.append(Counted(now, channel, self.journey_id))
            self.messages.append(
                SimMessage(
                    action.action_id,
                    action.step_id,
                    action.kind,
                    channel,
                    now,
                    _text(payload.get("subject")),
                    _text(payload.get("body")),
                )
            )

    def _why(self, state: Enrolment, moved: Advance, now: dt.datetime) -> str:
        step = self.journey.steps[state.step_id]
        if isinstance(step, WaitStep):
            if step.duration is not None:
                return f"wait {step.duration}"
            if step.until_time is not None:
                return f"wait until {step.until_time} ({self.journey.settings.timezone})"
            assert step.for_event is not None
            return f"wait for {step.for_event.event} (none comes in a simulation: times out after {step.timeout})"
        settings = self.journey.settings
        quiet = settings.quiet_hours
        if quiet is not None and in_quiet_hours(quiet.start, quiet.end, settings.timezone, now):
            return "quiet_hours"
        return _cap_reason(moved)


def _cap_reason(moved: Advance) -> str:
    """Why the engine deferred a message that is not in quiet hours: the cap it names (domain/caps.py)."""
    return moved.deferred[-1].reason if moved.deferred else "frequency_cap"


def _channel(journey: Journey, step_id: str) -> str | None:
    step = journey.steps.get(step_id)
    channel = getattr(getattr(step, "action", None), "channel", None)
    return channel if isinstance(channel, str) else None


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return value if len(value) <= PREVIEW_CHARS else value[: PREVIEW_CHARS - 1] + "…"


def summary(runs: Sequence[CustomerRun]) -> dict[str, dict[str, int]]:
    """Counts over the runs: how they ended, messages by channel, messages held back by reason."""
    return {
        "ended": dict(sorted(Tally(r.ended for r in runs).items())),
        "messages": dict(sorted(Tally(m.channel or m.kind for r in runs for m in r.messages).items())),
        "held_back": dict(sorted(Tally(h.reason for r in runs for h in r.held_back).items())),
    }
