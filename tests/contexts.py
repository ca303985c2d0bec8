"""A service's context over a pool and a clock, for tests that drive its handlers and jobs without a running
service (as scoring's `refit` command does: runtime.context.PoolRuntime, no relay)."""

from __future__ import annotations

from typing import Any, get_args

import asyncpg

from runtime.clock import Clock
from runtime.context import C, PoolRuntime
from runtime.settings import RuntimeSettings


def context_of(
    kind: type[C], pool: asyncpg.Pool, clock: Clock, settings: RuntimeSettings | None = None, **own: Any
) -> C:
    """`kind` (a service's context class) over `pool`, with `settings` or the defaults of the settings class it
    declares; `own` are the fields that service's context adds."""
    return kind(PoolRuntime(pool, settings or settings_kind(kind)()), clock, **own)


def settings_kind(kind: type[C]) -> type[RuntimeSettings]:
    """The settings class a context class declares (`ScoringContext(ServiceContext[ScoringServiceSettings])`)."""
    for base in getattr(kind, "__orig_bases__", ()):
        for argument in get_args(base):
            if isinstance(argument, type) and issubclass(argument, RuntimeSettings):
                return argument
    return RuntimeSettings
