"""`make bench` runs end to end and writes its report (a smoke run: numbers are reported, never asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from devstack.stack import REPO_ROOT


def test_bench_quick_run_writes_its_json(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    run = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--broker", "embedded", "--out", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    report = json.loads(out.read_text())
    assert {"raw_produce", "raw_consume", "raw_copy", "profile_ingest", "latency", "gateway"} <= set(report["results"])
    assert report["results"]["profile_ingest"]["complete"] is True
    assert "ratio_to_raw_limit" in report["results"]["profile_ingest"]
    assert set(report["targets"]) >= {"profile_ingest", "gateway"}
