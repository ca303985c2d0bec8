"""Dry runs of a journey (POST .../journeys/{id}/simulate): the use case around the pure simulation
(domain/simulation.py). It reads the journey's version, the customers' facts, the messages they were really sent
recently (for caps) and their consent, in one read-only transaction the caller opens, runs the engine in memory
and answers what would happen. Nothing is sent, stored or published: no unit of work, no outbox, no lock.

A simulation is one request: at most MAX_SIMULATION_CUSTOMERS customers, a horizon of at most 365 days and a step
budget per customer, so its cost is bounded: about 0.1 s of CPU for 1,000 customers of the dormant template, and
1.3 s for 1,000 customers of a journey that loops until each spends the step budget (measured on this machine)."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

from contracts.http.journey import (
    CustomerSimulation,
    HeldBackMessage,
    JourneySimulation,
    SimulatedAction,
    SimulatedMessage,
    SimulatedStep,
    SimulatedWait,
    SimulationIn,
    SimulationSummary,
)
from runtime.db import Connection
from services.journey import cap_store, consent_store, journey_store, simulation_store, store
from services.journey.domain.document import parse_journey
from services.journey.domain.model import Journey
from services.journey.domain.schedule import parse_duration
from services.journey.domain.simulation import (
    MAX_SIMULATION_CUSTOMERS,
    MAX_SIMULATION_HORIZON,
    STEP_BUDGET,
    CustomerRun,
    Rules,
    SimCustomer,
    horizon_end,
    simulate,
    summary,
)
from services.journey.service import CAP_LOOKBACK

ASSUMPTIONS = [
    "nothing is sent, stored or published",
    "every customer enters at start_at (the trigger is not checked)",
    "no event arrives: waits for an event time out, goals never convert, exit_on never exits",
    "customer facts stay as they are now",
    "frequency caps count the customer's real messages before start_at plus the simulated ones",
]


class SimulationRefused(Exception):
    """The request cannot run as asked: 404 (no such journey or version) or 422 naming the field."""

    def __init__(self, status: int, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.field = status, detail, field


@dataclass(frozen=True)
class Prepared:
    """What a simulation runs on, read in the caller's read-only transaction (see `prepare`)."""

    journey: Journey
    journey_id: str
    version: int
    start: dt.datetime
    horizon: dt.timedelta
    customers: list[SimCustomer]
    unknown: list[str]
    rules: Rules


async def prepare(
    conn: Connection, workspace: str, journey_id: str, request: SimulationIn, now: dt.datetime
) -> Prepared:
    """Read what the simulation needs (raises SimulationRefused); `run` then runs it without a connection."""
    row = await journey_store.get_journey(conn, workspace, journey_id)
    if row is None:
        raise SimulationRefused(404, f"no journey {journey_id!r} in this workspace")
    version = request.version or row.latest_version
    documents = await journey_store.load_versions(conn, workspace, [(journey_id, version)])
    if (journey_id, version) not in documents:
        raise SimulationRefused(404, f"journey {journey_id!r} has no version {version}")
    journey = parse_journey(documents[(journey_id, version)])
    horizon = parse_duration(request.horizon)
    if horizon is None or horizon > MAX_SIMULATION_HORIZON:
        raise SimulationRefused(422, 'horizon must be a duration from "1m" to "365d"', "horizon")
    ids = await _customer_ids(conn, workspace, request)
    start = request.start_at or now
    facts = await store.read_facts(conn, workspace, ids)
    known = [c for c in ids if c in facts]
    sent = await simulation_store.recent_messages(conn, workspace, known, start - CAP_LOOKBACK, start)
    rules = Rules(
        await cap_store.workspace_caps(conn, workspace),
        (await consent_store.groups_of(conn, [workspace])).get(workspace, {}),
    )
    consent = await consent_store.consent_states(conn, [(workspace, c) for c in known])
    customers = [SimCustomer(c, facts[c].facts(c), tuple(sent.get(c, ())), consent.get((workspace, c))) for c in known]
    unknown = [c for c in ids if c not in facts]
    return Prepared(journey, journey_id, version, start, horizon, customers, unknown, rules)


async def run(prepared: Prepared) -> JourneySimulation:
    """The simulation: CPU-bound and pure, off the event loop (other requests go on meanwhile), holding no
    database connection."""
    p = prepared
    runs = await asyncio.to_thread(
        simulate, p.journey, p.journey_id, p.version, p.customers, p.start, p.horizon, p.rules
    )
    return JourneySimulation(
        journey_id=p.journey_id,
        version=p.version,
        start_at=p.start,
        until=horizon_end(p.start, p.horizon),
        step_budget=STEP_BUDGET,
        assumptions=ASSUMPTIONS,
        customers=[_run_out(r) for r in runs],
        unknown_customers=p.unknown,
        summary=SimulationSummary.model_validate(summary(runs)),
    )


async def _customer_ids(conn: Connection, workspace: str, request: SimulationIn) -> list[str]:
    if (request.customer_ids is None) == (request.segment_id is None):
        raise SimulationRefused(422, "give exactly one of customer_ids and segment_id", "customer_ids")
    if request.customer_ids is not None:
        return list(dict.fromkeys(request.customer_ids))
    assert request.segment_id is not None
    members = await store.segment_members(conn, workspace, request.segment_id, MAX_SIMULATION_CUSTOMERS + 1)
    if len(members) > MAX_SIMULATION_CUSTOMERS:
        raise SimulationRefused(
            422,
            f"segment {request.segment_id!r} has more than {MAX_SIMULATION_CUSTOMERS} members: simulate at most "
            f"{MAX_SIMULATION_CUSTOMERS} customers (customer_ids)",
            "segment_id",
        )
    return members


def _run_out(run: CustomerRun) -> CustomerSimulation:
    return CustomerSimulation(
        customer_id=run.customer_id,
        holdout=run.holdout,
        variant=run.variant,
        ended=run.ended,
        ended_at=run.ended_at,
        steps_run=run.steps_run,
        path=[SimulatedStep(step_id=p.step_id, at=p.at) for p in run.path],
        waits=[SimulatedWait(step_id=w.step_id, since=w.since, until=w.until, why=w.why) for w in run.waits],
        messages=[
            SimulatedMessage(
                action_id=m.action_id,
                step_id=m.step_id,
                kind=m.kind,
                channel=m.channel,
                at=m.at,
                subject=m.subject,
                preview=m.preview,
            )
            for m in run.messages
        ],
        actions=[
            SimulatedAction(action_id=a.action_id, step_id=a.step_id, kind=a.kind, at=a.at, detail=dict(a.detail))
            for a in run.actions
        ],
        held_back=[
            HeldBackMessage(
                action_id=h.action_id, step_id=h.step_id, kind=h.kind, channel=h.channel, at=h.at, reason=h.reason
            )
            for h in run.held_back
        ],
    )
