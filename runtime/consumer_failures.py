"""What a failed batch of the consumer loop (runtime/consumer.py) means, and so what the loop does next.

- transient: the database or broker was unreachable, a deadlock, a serialization failure, a lock not
  granted, an operator's cancel. Nothing is wrong with the events: the whole batch runs again after a
  back-off, as long as it takes.
- workspace: a statement ran past its statement_timeout (a workspace's own definitions decide what some
  statements cost), or a query had more arguments than asyncpg can bind (32,767). Running the batch again
  is unlikely to help, and it would hold up every workspace on the partition: after
  FLYWHEEL_TENANT_FAILURE_RETRIES attempts the batch is processed one workspace at a time, and the events
  of a workspace whose part still fails so are dead-lettered with the reason.
- message: any other error (a value the database refuses, a bug a message triggers): the batch is
  processed message by message and the message that still fails is dead-lettered.
"""

from __future__ import annotations

import enum

import asyncpg
from aiokafka.errors import KafkaError

from runtime.logs import error_kind


class RetryBatch(Exception):
    """Raised by a handler when the batch met a concurrent change and should simply run again."""


TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    RetryBatch,
    OSError,
    TimeoutError,
    KafkaError,
    asyncpg.InterfaceError,  # e.g. the connection was closed under the query (not too many arguments: below)
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.DeadlockDetectedError,
    asyncpg.SerializationError,
    asyncpg.LockNotAvailableError,
    asyncpg.QueryCanceledError,  # an operator's pg_cancel_backend (not a statement timeout: below)
    asyncpg.AdminShutdownError,
)

# How PostgreSQL and asyncpg word the two failures a workspace's own work causes.
_STATEMENT_TIMEOUT = "statement timeout"
_TOO_MANY_ARGUMENTS = "number of query arguments"


class FailureKind(enum.Enum):
    TRANSIENT = "transient"
    WORKSPACE = "workspace"
    MESSAGE = "message"


def failure_kind(exc: BaseException) -> FailureKind:
    if isinstance(exc, asyncpg.QueryCanceledError) and _STATEMENT_TIMEOUT in str(exc):
        return FailureKind.WORKSPACE
    if isinstance(exc, asyncpg.InterfaceError) and _TOO_MANY_ARGUMENTS in str(exc):
        return FailureKind.WORKSPACE
    if isinstance(exc, TRANSIENT_ERRORS):
        return FailureKind.TRANSIENT
    return FailureKind.MESSAGE


def workspace_failure_reason(workspace: str, attempts: int, exc: BaseException) -> str:
    """The dead letter's reason for a workspace's events isolated after `attempts` tries."""
    what = "timed out" if _STATEMENT_TIMEOUT in str(exc) else "could not be bound (too many query arguments)"
    return f"workspace {workspace}'s events {what} after {attempts} attempts: {error_kind(exc)}"
