"""The freshness stage's pure parts: the run's schedule, the latencies and their parts, memory per group, the
target. No I/O beyond a made-up /proc, and never a timing assertion."""

from __future__ import annotations

import math
from pathlib import Path

from bench import memory
from bench.freshness import FULL, QUICK, Plan, above_idle, schedule
from bench.freshness_watch import Seen, freshness_measurement
from bench.report import Measurement, build_report, render_table, targets


def test_the_watched_purchases_are_spread_over_the_run_among_new_customers_purchases() -> None:
    for plan in (FULL, QUICK, Plan(rate=100.0, seconds=1.0, crossings=60, view_customers=2, probes=40)):
        slots = schedule(plan)
        assert len(slots) == plan.events
        assert slots.count("cross") == plan.crossings and slots.count("view") == plan.probes
    slots = schedule(FULL)
    crossings = [i for i, kind in enumerate(slots) if kind == "cross"]
    step = FULL.events / FULL.crossings
    assert crossings[0] == int(0.25 * step) and crossings[-1] == int((FULL.crossings - 0.75) * step)


def test_freshness_is_each_crossing_purchase_to_its_enrolment_with_the_parts_between() -> None:
    sent_ns = {"c1": 1_000_000_000, "c2": 2_000_000_000, "c3": 3_000_000_000}
    seen = Seen(
        resolved={"c1": 1_050, "c2": 2_100, "c3": 3_050, "other": 10},
        entered_segment={"c1": 1_250, "c2": 2_300},
        enrolled={"c1": 1_400, "c2": 2_500},
    )
    m = freshness_measurement(sent_ns, seen, "seg_1", "j_1")
    assert (m.name, m.n, m.unit) == ("freshness", 3, "ms p99")
    assert m.details["purchase_to_enrolment_ms"]["count"] == 2
    assert m.details["purchase_to_enrolment_ms"]["max"] == 500.0
    assert (m.details["enrolled"], m.details["entered_segment"], m.details["not_enrolled_within_drain"]) == (2, 2, 1)
    parts = m.details["parts_ms"]
    assert parts["send_to_resolved (profile)"]["count"] == 3
    assert parts["resolved_to_segment_entered (scoring)"]["max"] == 200.0
    assert parts["segment_entered_to_journey_entered (journey)"]["min"] == 150.0


def test_nothing_enrolled_reports_no_value() -> None:
    m = freshness_measurement({"c1": 1_000_000}, Seen(), "seg_1", "j_1")
    assert math.isnan(m.value) and m.details["not_enrolled_within_drain"] == 1


def test_freshness_target_is_reported_not_asserted() -> None:
    fast = Measurement("freshness", 400.0, "ms p99", 400, {"rate_events_per_s": 2_000.0})
    slow = Measurement("freshness", 4_000.0, "ms p99", 400, {"rate_events_per_s": 2_000.0})
    assert targets({"freshness": fast})["freshness_p99"] == {
        "target": "<= 1000 ms",
        "value": 400.0,
        "met": True,
        "at_rate": 2_000.0,
    }
    assert targets({"freshness": slow})["freshness_p99"]["met"] is False
    table = render_table(build_report({"broker": "kafka"}, {"freshness": slow}))
    assert table.row_count == 1


def test_process_memory_reads_rss_and_pss(tmp_path: Path) -> None:
    (tmp_path / "42").mkdir()
    (tmp_path / "42" / "status").write_text("Name:\tpython\nVmRSS:\t  2048 kB\nThreads:\t3\n")
    (tmp_path / "42" / "smaps_rollup").write_text("00400000-ffff [rollup]\nRss:  2048 kB\nPss:  1024 kB\n")
    assert memory.process_memory(42, tmp_path) == (2048 * 1024, 1024 * 1024)
    assert memory.process_memory(43, tmp_path) is None  # gone
    (tmp_path / "44").mkdir()
    (tmp_path / "44" / "status").write_text("Name:\tkthreadd\n")
    (tmp_path / "44" / "smaps_rollup").write_text("")
    assert memory.process_memory(44, tmp_path) is None  # a kernel thread has no resident set of its own


def test_idle_and_load_per_group() -> None:
    idle = {"profile": {"rss_mib": 100.0, "pss_mib": 70.0, "processes": 1}}
    peak = {"profile": {"rss_mib": 120.0, "pss_mib": 80.0, "processes": 1}, "kafka": {"rss_mib": 400.0}}
    both = memory.idle_and_load(idle, peak)
    assert both["profile"] == {
        "idle_rss_mib": 100.0,
        "load_peak_rss_mib": 120.0,
        "idle_pss_mib": 70.0,
        "load_peak_pss_mib": 80.0,
        "processes": 1,
    }
    assert both["kafka"]["idle_rss_mib"] == 0.0 and both["kafka"]["load_peak_rss_mib"] == 400.0


def test_cpu_above_what_the_idle_stack_uses() -> None:
    used = {"profile": 12.0, "kafka": 3.0, "new": 1.0}
    idle = {"profile": 0.5, "kafka": 1.0}  # over 5 s: 0.1 and 0.2 cores
    assert above_idle(used, idle, 5.0, 20.0) == {"profile": 10.0, "kafka": 0.0, "new": 1.0}
