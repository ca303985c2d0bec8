"""Journey's internal HTTP API for dry runs and measured lift (called by the gateway):
POST .../journeys/{id}/simulate runs a journey's version for chosen customers (or a segment's members) with a
moved clock and answers what would happen, in a read-only transaction (nothing sent, stored or published);
GET .../journeys/{id}/lift compares enrolled and held-out customers with 95% confidence intervals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from contracts.envelope import WORKSPACE_PATTERN
from contracts.http.journey import JourneyLift, JourneySimulation, SimulationIn
from runtime.context import context_dependency
from runtime.problems import PROBLEM_RESPONSES, ProblemError, problem_responses
from services.journey import lift, simulations
from services.journey.domain.simulation import SimulationsBusy
from services.journey.service import JourneyContext

simulation_router = APIRouter(
    prefix="/internal/v1/workspaces/{workspace}", tags=["journey"], responses=PROBLEM_RESPONSES
)

WorkspacePath = Annotated[str, Path(pattern=WORKSPACE_PATTERN)]
JourneyPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
Context = Annotated[JourneyContext, Depends(context_dependency(JourneyContext))]


@simulation_router.post(
    "/journeys/{journey_id}/simulate",
    response_model=JourneySimulation,
    summary="A dry run of a journey's version for chosen customers with a moved clock; sends and stores nothing "
    "(409 while the workspace runs 2 already)",
    responses=problem_responses(409),
)
async def simulate(
    context: Context,
    workspace: WorkspacePath,
    journey_id: JourneyPath,
    body: SimulationIn,
) -> JourneySimulation:
    try:
        with context.simulations.slot(workspace):
            async with context.pool.acquire() as conn, conn.transaction(readonly=True):
                prepared = await simulations.prepare(conn, workspace, journey_id, body, context.now())
            return await simulations.run(prepared)  # the connection is back in the pool meanwhile
    except simulations.SimulationRefused as exc:
        errors = [{"field": exc.field, "message": exc.detail}] if exc.field else None
        raise ProblemError(exc.status, exc.detail, errors=errors) from None
    except SimulationsBusy as exc:
        raise ProblemError(409, str(exc)) from None


@simulation_router.get(
    "/journeys/{journey_id}/lift",
    response_model=JourneyLift,
    summary="Enrolled against held-out customers: conversion rate and revenue per customer, with 95% intervals",
)
async def journey_lift(context: Context, workspace: WorkspacePath, journey_id: JourneyPath) -> JourneyLift:
    async with context.pool.acquire() as conn, conn.transaction(readonly=True):
        found = await lift.journey_lift(conn, workspace, journey_id, context.now())
    if found is None:
        raise ProblemError(404, f"no journey {journey_id!r} in this workspace")
    return found
