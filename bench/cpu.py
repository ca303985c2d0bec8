"""CPU seconds per part of the stack (from /proc, Linux only): where a measurement's time went."""

from __future__ import annotations

import os
from pathlib import Path

# First match wins: a PostgreSQL backend's title names its database ("postgres: flywheel profile ..."),
# so the services are matched by module name before PostgreSQL; the servers' command lines name the bench's
# temporary home ("flywheel-bench-..."), so the bench itself is matched last, by "-m bench".
GROUPS: tuple[tuple[str, str], ...] = (
    ("profile", "services.profile"),
    ("gateway", "services.gateway"),
    ("scoring", "services.scoring"),
    ("journey", "services.journey"),
    ("referral", "services.referral"),
    ("sales", "services.sales"),
    ("loyalty", "services.loyalty"),
    ("kafka", "kafka.Kafka"),
    ("kafka", "tansu"),
    ("postgres", "postgres"),
    ("ceiling", "bench.ceiling_app"),
    ("receiver", "bench.webhook_receiver"),
    ("load_generator", "bench.http_load"),
    ("bench", "-m bench"),
)


def classify(cmdline: str) -> str | None:
    for group, marker in GROUPS:
        if marker in cmdline:
            return group
    return None


def processes(proc: Path = Path("/proc")) -> dict[int, tuple[int, str, float]]:
    """pid -> (parent pid, command line, CPU seconds used so far)."""
    ticks = os.sysconf("SC_CLK_TCK")
    out = {}
    for entry in proc.glob("[0-9]*"):
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = (entry / "stat").read_text().rpartition(")")[2].split()  # fields[0] is the state
        except OSError:  # gone meanwhile
            continue
        out[int(entry.name)] = (int(fields[1]), cmdline, (int(fields[11]) + int(fields[12])) / ticks)
    return out


def snapshot(home: str, proc: Path = Path("/proc")) -> dict[str, float]:
    """CPU seconds used so far by this bench's own processes, per group: this process, its children and the
    servers whose command line names the stack's `home` (PostgreSQL daemonises), with their descendants.
    "other" is every other busy CPU second of the machine (another stack, tests): interference."""
    running = processes(proc)
    totals: dict[str, float] = {}
    for pid in stack_pids(home, running):
        group = group_of(pid, running)
        totals[group] = totals.get(group, 0.0) + running[pid][2]
    totals["other"] = machine_busy(proc) - sum(totals.values())
    return totals


def stack_pids(home: str, running: dict[int, tuple[int, str, float]] | None = None) -> set[int]:
    """This process, its children and the servers whose command line names the stack's `home`, with their
    descendants (`running`: processes' answer, read now when not given)."""
    running = processes() if running is None else running
    children: dict[int, list[int]] = {}
    for pid, (parent, _, _) in running.items():
        children.setdefault(parent, []).append(pid)
    named = homes_of(home)
    pending = [os.getpid(), *(pid for pid, (_, cmdline, _) in running.items() if any(h in cmdline for h in named))]
    ours: set[int] = set()
    while pending:
        pid = pending.pop()
        if pid not in ours:
            ours.add(pid)
            pending.extend(children.get(pid, ()))
    return ours & running.keys()


def homes_of(home: str) -> list[str]:
    """`home` and where its links lead: as root, PostgreSQL's data directory is a link to the system user's folder
    (devstack/postgres.py), and the server's command line names that folder instead."""
    folder = Path(home)
    linked = [str(entry.resolve()) for entry in folder.iterdir() if entry.is_symlink()] if folder.is_dir() else []
    return [home, *linked]


def group_of(pid: int, running: dict[int, tuple[int, str, float]]) -> str:
    return classify(running[pid][1]) or "bench"


def machine_busy(proc: Path = Path("/proc")) -> float:
    """Busy CPU seconds of the whole machine since boot (all but idle and iowait)."""
    values = [int(v) for v in (proc / "stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


def used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds each group used between two snapshots (a process that exited meanwhile, e.g. the gateway
    load worker, is not found in the second one: its CPU shows under "other")."""
    return {group: round(after[group] - before.get(group, 0.0), 2) for group in sorted(after)}
