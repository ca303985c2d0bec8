"""A service's typed context: the one object its wiring builds (runtime, clock, units of work, and the
service's own stores, use cases and clients) and its api, handlers and jobs receive, instead of untyped
`app.state` attributes and loose pools, clocks and callbacks. Each service subclasses `ServiceContext` in its
`service.py`; its routes take it through `context_dependency` (a FastAPI dependency typed as the subclass, so
mypy sees every field), its handlers and jobs take it as their first argument."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

import asyncpg
from fastapi import FastAPI, Request

from runtime.clock import Clock
from runtime.settings import SettingsT_co
from runtime.unit_of_work import UnitOfWork


class Relay(Protocol):
    def wake(self) -> None: ...


class Runtime(Protocol[SettingsT_co]):
    """What a context reads of its process: a started `runtime.service.ServiceRuntime`, or a `PoolRuntime`."""

    @property
    def pool(self) -> asyncpg.Pool: ...

    @property
    def settings(self) -> SettingsT_co: ...

    @property
    def relay(self) -> Relay: ...


class _NoRelay:
    def wake(self) -> None:
        pass


@dataclass(frozen=True)
class PoolRuntime(Generic[SettingsT_co]):
    """A pool and settings alone, for a command run beside the service (scoring's `refit`) and for tests that
    drive handlers and jobs directly. It has no relay: what its units of work publish stays in the outbox
    until a running service's relay sends it."""

    pool: asyncpg.Pool
    settings: SettingsT_co
    relay: Relay = field(default_factory=_NoRelay)


@dataclass(frozen=True)
class ServiceContext(Generic[SettingsT_co]):
    """What every service has. The pool and relay exist once the runtime started, so they are read when used."""

    runtime: Runtime[SettingsT_co]
    clock: Clock
    unit_of_work: UnitOfWork = field(init=False)

    def __post_init__(self) -> None:
        runtime = self.runtime

        def wake() -> None:  # a service's relay exists once it started
            runtime.relay.wake()

        object.__setattr__(self, "unit_of_work", UnitOfWork(lambda: runtime.pool, wake))

    @property
    def pool(self) -> asyncpg.Pool:
        return self.runtime.pool

    @property
    def settings(self) -> SettingsT_co:
        return self.runtime.settings

    def now(self) -> dt.datetime:
        return self.clock()


C = TypeVar("C", bound=ServiceContext)


def install_context(app: FastAPI, context: ServiceContext) -> None:
    """Make `context` the one the app's routes receive."""
    app.state.context = context


def context_dependency(kind: type[C]) -> Callable[[Request], C]:
    """A FastAPI dependency giving the app's context as `kind` (declare it once per service:
    `Context = Annotated[ReferralContext, Depends(context_dependency(ReferralContext))]`)."""

    def dependency(request: Request) -> C:
        context = request.app.state.context
        if not isinstance(context, kind):
            raise TypeError(f"the app's context is a {type(context).__name__}, not a {kind.__name__}")
        return context

    dependency.__name__ = f"{kind.__name__}_dependency"
    return dependency
