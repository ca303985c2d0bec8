"""A service's periodic jobs are counted per round (flywheel_job_rounds_total{service, job, outcome}): what the
dashboards' job panels and the stalled-job alerts read."""

from __future__ import annotations

from pathlib import Path

from prometheus_client import REGISTRY

from runtime.service import PeriodicJob, ServiceRuntime
from runtime.settings import RuntimeSettings


def rounds(service: str, job: str, outcome: str) -> float | None:
    labels = {"service": service, "job": job, "outcome": outcome}
    return REGISTRY.get_sample_value("flywheel_job_rounds_total", labels)


async def test_rounds_are_counted_done_and_failed_and_a_failed_round_does_not_stop_the_job() -> None:
    runtime = ServiceRuntime("jobs", RuntimeSettings(service_name="jobs-test"), Path("."))
    calls = 0

    async def run() -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("a round that fails")
        if calls == 3:
            runtime._stopping.set()  # the loop ends after this round

    await runtime._run_job(PeriodicJob("tick", 0.001, run, singleton=False))
    assert calls == 3
    assert (rounds("jobs-test", "tick", "done"), rounds("jobs-test", "tick", "failed")) == (2.0, 1.0)
    assert rounds("jobs-test", "tick", "skipped") == 0.0  # every outcome's series exists from the start


async def test_a_job_that_never_completes_a_round_shows_at_zero() -> None:
    runtime = ServiceRuntime("jobs", RuntimeSettings(service_name="jobs-test-idle"), Path("."))
    runtime._stopping.set()  # stopping before the first round

    async def run() -> None:
        raise AssertionError("not run")

    await runtime._run_job(PeriodicJob("idle", 60, run, singleton=False))
    assert rounds("jobs-test-idle", "idle", "done") == 0.0
