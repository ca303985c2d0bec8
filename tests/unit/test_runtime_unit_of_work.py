"""The unit of work writes the outbox in the use case's transaction, and wakes the relay after commit only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from runtime.outbox import OutboundMessage
from runtime.unit_of_work import UnitOfWork


class FakeConnection:
    def __init__(self, log: list[str]) -> None:
        self.log = log

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        self.log.append("begin")
        try:
            yield
        except BaseException:
            self.log.append("rollback")
            raise
        self.log.append("commit")

    async def copy_records_to_table(self, table: str, **kwargs: Any) -> None:
        self.log.append(f"outbox {len(kwargs['records'])}")


class FakePool:
    def __init__(self, log: list[str]) -> None:
        self.connection = FakeConnection(log)

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[FakeConnection]:
        yield self.connection


def unit_of_work(log: list[str]) -> UnitOfWork:
    pool = FakePool(log)
    return UnitOfWork(lambda: pool, lambda: log.append("wake"))  # type: ignore[arg-type,return-value]  # a fake pool


MESSAGE = OutboundMessage("flywheel.referral.events", b"w:c", b"{}")


async def test_events_go_to_the_outbox_before_commit_and_the_relay_is_woken_after() -> None:
    log: list[str] = []
    async with unit_of_work(log)() as work:
        work.publish(MESSAGE)
        work.publish_all([MESSAGE])
    assert log == ["begin", "outbox 2", "commit", "wake"]


async def test_nothing_published_writes_no_outbox_and_wakes_nobody() -> None:
    log: list[str] = []
    async with unit_of_work(log)():
        pass
    assert log == ["begin", "commit"]


async def test_a_failure_rolls_back_and_publishes_nothing() -> None:
    log: list[str] = []
    with pytest.raises(RuntimeError):
        async with unit_of_work(log)() as work:
            work.publish(MESSAGE)
            raise RuntimeError("refused")
    assert log == ["begin", "rollback"]
