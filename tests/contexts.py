"""A service's context over a pool and a clock, for tests that drive its handlers and jobs without a running
service (as scoring's `refit` command does: runtime.context.PoolRuntime, no relay)."""

from __future__ import annotations

from typing import Any

import asyncpg

from runtime.clock import Clock
from runtime.context import C, PoolRuntime
from runtime.settings import Settings


def context_of(kind: type[C], pool: asyncpg.Pool, clock: Clock, settings: Settings | None = None, **own: Any) -> C:
    """`kind` (a service's context class) over `pool`; `own` are the fields that service's context adds."""
    return kind(PoolRuntime(pool, settings or Settings()), clock, **own)
