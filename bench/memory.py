"""Resident memory per part of the stack (from /proc, Linux only): each service idle and under load.

RSS counts every page a process has in memory, shared ones included, so PostgreSQL's backends (which share its
buffers) add up to more than the machine gives them; PSS divides each shared page among the processes that map
it, so a group's PSS is its fair share. Both are reported, in MiB.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from bench import cpu

MIB = 1024 * 1024
NOTE = (
    "MiB per group of processes: RSS counts shared pages in every process that maps them (PostgreSQL's backends "
    "share its buffers); PSS shares them out. Idle: after set-up, before the run; load: the highest of the samples "
    "taken every second during the run"
)


def _kib_field(text: str, name: str) -> int | None:
    for line in text.splitlines():
        if line.startswith(name):
            return int(line.split()[1])
    return None


def process_memory(pid: int, proc: Path = Path("/proc")) -> tuple[int, int] | None:
    """(RSS, PSS) of one process in bytes; None when it is gone or not ours to read."""
    try:
        rss = _kib_field((proc / str(pid) / "status").read_text(), "VmRSS:")
        pss = _kib_field((proc / str(pid) / "smaps_rollup").read_text(), "Pss:")
    except OSError:
        return None
    if rss is None:  # a kernel thread or a zombie
        return None
    return rss * 1024, (pss if pss is not None else rss) * 1024


def snapshot(home: str) -> dict[str, dict[str, float]]:
    """Per group of the stack's processes (as bench.cpu groups them): RSS and PSS in MiB, and how many processes."""
    processes = cpu.processes()
    totals: dict[str, dict[str, float]] = {}
    for pid in cpu.stack_pids(home, processes):
        memory = process_memory(pid)
        if memory is None:
            continue
        group = totals.setdefault(cpu.group_of(pid, processes), {"rss_mib": 0.0, "pss_mib": 0.0, "processes": 0})
        group["rss_mib"] += memory[0] / MIB
        group["pss_mib"] += memory[1] / MIB
        group["processes"] += 1
    return {name: {k: round(v, 1) for k, v in group.items()} for name, group in sorted(totals.items())}


@dataclass
class PeakSampler:
    """Samples the stack's memory every `interval_s` while running; keeps each group's highest RSS and PSS."""

    home: str
    interval_s: float = 1.0
    peak: dict[str, dict[str, float]] = field(default_factory=dict)
    samples: int = 0

    async def run(self, stopping: asyncio.Event) -> None:
        while not stopping.is_set():
            now = await asyncio.to_thread(snapshot, self.home)
            self.samples += 1
            for name, group in now.items():
                seen = self.peak.setdefault(name, dict(group))
                for key, value in group.items():
                    seen[key] = max(seen[key], value)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), timeout=self.interval_s)


def idle_and_load(idle: dict[str, dict[str, float]], load: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """Each group's RSS and PSS idle and at its peak under load (MiB)."""
    out: dict[str, dict[str, float]] = {}
    for name in sorted(idle.keys() | load.keys()):
        before, peak = idle.get(name, {}), load.get(name, {})
        out[name] = {
            "idle_rss_mib": before.get("rss_mib", 0.0),
            "load_peak_rss_mib": peak.get("rss_mib", 0.0),
            "idle_pss_mib": before.get("pss_mib", 0.0),
            "load_peak_pss_mib": peak.get("pss_mib", 0.0),
            "processes": max(before.get("processes", 0), peak.get("processes", 0)),
        }
    return out
