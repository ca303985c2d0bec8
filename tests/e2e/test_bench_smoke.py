"""`make bench` runs end to end and writes its report (a smoke run: numbers are reported, never asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from devstack.stack import REPO_ROOT


def test_bench_quick_run_writes_its_json(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    # On Apache Kafka, as `make bench` runs: the in-memory broker holds every consumer's JoinGroup for
    # seconds, which took half of this run (a stack start of 35 s against 15 s; 106 s against 50 s in all).
    run = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--broker", "kafka", "--out", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=900,  # four stacks one after the other on a busy machine
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    report = json.loads(out.read_text())
    assert {"raw_produce", "raw_consume", "raw_copy", "profile_ingest", "latency", "gateway"} <= set(report["results"])
    assert report["results"]["profile_ingest"]["complete"] is True
    assert "ratio_to_raw_limit" in report["results"]["profile_ingest"]
    assert set(report["targets"]) >= {"profile_ingest", "gateway"}
    # Loyalty: every purchase earned (its rate beside raw produce), the outbox drained; every due lot expired.
    earn, expiry = report["results"].get("loyalty_earn"), report["results"].get("loyalty_expiry")
    assert earn is not None and expiry is not None, report.get("errors")
    assert earn["n"] == 2_000 and earn["orders"] == 2_000 and earn["ratio_to_raw_limit"] is not None
    assert earn["outbox_drained"] is True and earn["events_sent_by_relay"] > 0 and earn["balances_equal_lots"]
    assert expiry["n"] == 20_000 and expiry["verified"] is True
    # A segment over 20,000 customers: saved (full evaluation) and kept current batch by batch, beside raw COPY.
    save, upkeep = report["results"].get("segment_save"), report["results"].get("segment_maintenance")
    assert save is not None and upkeep is not None, report.get("errors")
    assert save["n"] == 20_000 and save["members"] > 0 and save["failing"] is False
    assert upkeep["batch_ms"]["count"] == 20 and report["results"]["segment_raw_copy"]["value"] > 0
    # Every growth report answered (200) over the generated workspace, beside the raw scan of its orders.
    reports = {name: r for name, r in report["results"].items() if name.startswith("report_")}
    assert set(reports) >= {"report_acquisition", "report_retention_month", "report_nps", "report_kpi_tree"}
    assert all(r["over_30_days_ms"].get("status") == 200 for r in reports.values()), reports
    assert all(r["ratio_to_raw_limit"] is not None for r in reports.values())
    # The whole event path on a stack of every service: CPU per event of each (docs/capacity.md sizes from it).
    pipeline = report["results"].get("pipeline")
    assert pipeline is not None, report.get("errors")
    assert pipeline["n"] == 2_000 and pipeline["postgres_wal_bytes_per_event"] > 0
    assert (
        pipeline["cpu_us_per_event_with_idle"]["profile"] > 0 and pipeline["cpu_us_per_event_with_idle"]["scoring"] > 0
    )
    # The gateway under HTTP load, beside the framework's ceiling: every run answered, every view complete.
    assert "gateway_load" in report, f"the gateway load stage failed: {report.get('errors')}"
    gateway_load = report["gateway_load"]
    assert gateway_load["customer_360"]["ratio_to_ceiling"] is not None
    assert gateway_load["events"]["ratio_to_ceiling"] is not None
    assert set(gateway_load["customer_360"]["gateway"]["statuses"]) == {"200"}
    assert set(gateway_load["events"]["gateway"]["statuses"]) == {"202"}
    # Views as clients get them are served from the gateway's cache; with no-cache, every one is assembled.
    uncached = gateway_load["customer_360_uncached"]["gateway"]
    assert gateway_load["customer_360"]["gateway"]["view_reads"]["hit"] > 0
    assert uncached["view_reads"]["hit"] == 0 and uncached["view_reads"]["bypass"] > 0
    assert set(uncached["statuses"]) == {"200"} and uncached["lacking_expected_text"] == 0
    for rate in ("20", "100"):
        beside_events = gateway_load[f"customer_360_beside_{rate}_events_per_s"]["gateway"]
        assert set(beside_events["statuses"]) == {"200"} and beside_events["events_beside"]["requests"] > 0
    assert "scores" in gateway_load["machine"]["seed"]["sections_filled_in_sample"]
    # One event per request at 200/s, then the same events batched: CPU per event per process, beside each other.
    assert "trickle" in report, f"the trickle stage failed: {report.get('errors')}"
    trickle = report["trickle"]
    assert trickle["trickle"]["events"] > 0 and trickle["batched"]["events"] == trickle["trickle"]["events"]
    assert trickle["trickle"]["cpu_ms_per_event"]["gateway"] is not None and trickle["latency"]["visible_ms"]["count"]
    # Freshness on a stack with every service: crossing purchases to their enrolments (the journey that entering
    # the segment triggers), probes of the 360 view, each service's memory idle and under load.
    freshness, views, resident = (report["results"].get(name) for name in ("freshness", "ingest_to_360", "memory"))
    assert freshness is not None and views is not None and resident is not None, report.get("errors")
    assert freshness["n"] == 40 and freshness["enrolled"] > 0 and "freshness_p99" in report["targets"]
    assert views["n"] == 20 and views["seen"] > 0
    assert {"profile", "scoring", "journey", "gateway", "postgres", "kafka"} <= set(resident["by_group"])
