"""Infrastructure chaos: the stack's broker, database and network fail under load and come back.

Each test module gets a stack of its own (devstack's, in this process, on Apache Kafka), since the tests kill
what every service depends on. Every scenario ends with exact counts and records its recovery times, which the
session prints at the end and writes to `.flywheel/chaos/recovery.json` (README quotes them)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack.stack import REPO_ROOT, Stack, StackConfig

RECOVERY_FILE = REPO_ROOT / ".flywheel" / "chaos" / "recovery.json"
_recoveries: dict[str, dict[str, float]] = {}


class Recoveries:
    """Where scenarios note their recovery times (seconds), for the summary and the JSON file."""

    def record(self, scenario: str, **seconds: float) -> None:
        _recoveries[scenario] = {name: round(value, 2) for name, value in seconds.items()}


@pytest.fixture(scope="session")
def recoveries() -> Recoveries:
    """Through a fixture: a test importing this module would get a copy of its own, not pytest's."""
    return Recoveries()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _recoveries:
        return
    terminalreporter.section("chaos: recovery times (s)")
    for scenario, times in _recoveries.items():
        terminalreporter.write_line(f"{scenario}: " + ", ".join(f"{name} {value}" for name, value in times.items()))
    RECOVERY_FILE.parent.mkdir(parents=True, exist_ok=True)
    RECOVERY_FILE.write_text(json.dumps(_recoveries, indent=2) + "\n")


def chaos_stack(home: Path, *services: str) -> Iterator[Stack]:
    """A stack of `services` on Apache Kafka in `home`, on free ports; stopped at the end."""
    stack = Stack(StackConfig.on_free_ports(home, "kafka", only=services))
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()
