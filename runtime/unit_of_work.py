"""The unit of work: one transaction in which a use case writes through its stores and says what it
publishes. On the way out the events go to the outbox in that same transaction, the transaction commits,
and the outbox relay is woken; a failure rolls back both the writes and the events. So no caller commits,
writes the outbox or wakes the relay by hand.

    async with context.unit_of_work() as work:
        await deal_store.insert_deal(work.conn, ...)
        work.publish(events.deal_created(...))

A consumer handler already runs inside the consumer loop's transaction (runtime.consumer), which writes
the outbox and wakes the relay itself: it hands its use cases `Work(conn)` and returns `work.messages` (and
`work.committed` as its result's `after_commit`).

What must happen only once the writes are durable (counting a metric: a batch rolled back and retried must
not count twice) goes to `work.after_commit(...)`: run after the commit, never after a rollback.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import asyncpg

from runtime.db import Connection
from runtime.outbox import OutboundMessage, write_outbox


@dataclass
class Work:
    """A unit of work in progress: the connection its stores write through (in its transaction) and the
    messages it publishes once that transaction commits."""

    conn: Connection
    messages: list[OutboundMessage] = field(default_factory=list)
    committed: list[Callable[[], None]] = field(default_factory=list)  # to run once the transaction commits

    def publish(self, *messages: OutboundMessage) -> None:
        self.messages.extend(messages)

    def publish_all(self, messages: Iterable[OutboundMessage]) -> None:
        self.messages.extend(messages)

    def after_commit(self, *callbacks: Callable[[], None]) -> None:
        """Run these once the transaction commits (metrics), never if it rolls back."""
        self.committed.extend(callbacks)


class UnitOfWork:
    """Opens units of work on a service's pool; `wake` is the outbox relay's (a service context builds it:
    runtime.context.ServiceContext.unit_of_work)."""

    def __init__(self, pool: Callable[[], asyncpg.Pool], wake: Callable[[], None]) -> None:
        # The pool and relay exist once the service started: they are looked up when a unit begins.
        self._pool = pool
        self._wake = wake

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[Work]:
        async with self._pool().acquire() as conn, conn.transaction():
            work = Work(conn)
            yield work
            await write_outbox(conn, work.messages)
        if work.messages:
            self._wake()
        for callback in work.committed:
            callback()
