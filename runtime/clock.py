"""The time services read. Production reads the wall clock; the end-to-end tests of the running stack
need waits of days to pass in seconds, so a stack started with `FLYWHEEL_CLOCK_CONTROL=true` (tests only)
gets a clock that runs from the wall clock plus an offset those tests move forward over HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fastapi import APIRouter
from pydantic import BaseModel, Field

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class OffsetClock:
    """The wall clock plus an offset that only grows."""

    def __init__(self) -> None:
        self.offset = dt.timedelta()

    def __call__(self) -> dt.datetime:
        return utc_now() + self.offset

    def advance(self, delta: dt.timedelta) -> None:
        self.offset += max(delta, dt.timedelta())


class MovableClock:
    """A clock set and moved by hand: tests and the bench pass days without waiting for them."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, delta: dt.timedelta) -> None:
        self.now += delta


class ClockAdvance(BaseModel):
    seconds: float = Field(gt=0, le=10 * 365 * 86400, description="How far to move the clock forward.")


class ClockNow(BaseModel):
    now: dt.datetime
    offset_s: float


def clock_router(clock: OffsetClock) -> APIRouter:
    """`POST /internal/v1/clock/advance`: only mounted when FLYWHEEL_CLOCK_CONTROL is set (tests)."""
    router = APIRouter(prefix="/internal/v1/clock", tags=["testing"])

    @router.post("/advance", response_model=ClockNow, summary="Move the service's clock forward (tests only)")
    async def advance(body: ClockAdvance) -> ClockNow:
        clock.advance(dt.timedelta(seconds=body.seconds))
        return ClockNow(now=clock(), offset_s=clock.offset.total_seconds())

    return router
