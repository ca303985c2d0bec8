"""Schemathesis with `--checks all` against the running stack (issue 21, acceptance 4): `st run` on the
gateway's own /openapi.json with an admin key of a workspace of its own, every phase (examples, coverage,
fuzzing, stateful), every check Schemathesis has plus Flywheel's `problem_type_is_documented` (every
problem+json answer's `type` is one the document's Problem schema lists). No answer may be a 5xx, carry a
status, header, content type or body the document does not declare, refuse a request the document says is
valid or take one it says is invalid.

The documented choices a check cannot know of are tests/schemathesis_rules.py's, shared with the in-process run
(tests/integration/test_gateway_schemathesis.py, which also runs without a key and with a second workspace).
Only revoking and rotating keys are not sent: the run's only admin key could be revoked or rotated away.

Bounded and reproducible: at most MAX_EXAMPLES cases per operation and phase, a fixed seed, one worker (two
cores are shared with the stack). The reports (JUnit XML, and a HAR of every request and answer, to replay a
failure, and the NDJSON of every check's verdict) go to .flywheel/schemathesis-report/ (git-ignored), emptied
first."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devstack.stack import REPO_ROOT
from services.gateway.store import ensure_workspace_with_key
from tests.e2e.conftest import RunningStack
from tests.schemathesis_rules import as_toml, config

REPORT_DIR = REPO_ROOT / ".flywheel" / "schemathesis-report"
# A deeper or another run locally: FLYWHEEL_FUZZ_EXAMPLES=200 FLYWHEEL_FUZZ_SEED=7 (CI keeps these).
MAX_EXAMPLES = int(os.environ.get("FLYWHEEL_FUZZ_EXAMPLES", "20"))
SEED = int(os.environ.get("FLYWHEEL_FUZZ_SEED", "21"))
RUN_TIMEOUT_S = 900
KEY_VARIABLE = "FLYWHEEL_FUZZ_API_KEY"
WORKSPACE = "fuzz"


def st_run(stack: RunningStack, key: str, config_file: Path) -> subprocess.CompletedProcess[str]:
    argv = [
        str(Path(sys.executable).with_name("st")),
        "--config-file",
        str(config_file),
        "run",
        f"{stack.gateway}/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--suppress-health-check",
        "all",  # big request schemas (journeys, events) generate slowly
        "--report",
        "junit,har,ndjson",
        "--report-dir",
        str(REPORT_DIR),
        "--output-sanitize",
        "true",  # the key stays out of the reports
    ]
    environment = {
        **os.environ,
        KEY_VARIABLE: key,  # the config names the variable: the key is in no report
        "SCHEMATHESIS_HOOKS": "tests.e2e.schemathesis_hooks",
        "PYTHONPATH": str(REPO_ROOT),
    }
    return subprocess.run(
        argv, cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=False
    )


# The run's own budget and the stack's start (when this test is the session's first) beside it.
@pytest.mark.timeout(RUN_TIMEOUT_S + 600)
def test_schemathesis_finds_nothing_with_every_check(stack: RunningStack) -> None:
    shutil.rmtree(REPORT_DIR, ignore_errors=True)  # the reports are of this run only
    REPORT_DIR.mkdir(parents=True)
    config_file = REPORT_DIR / "schemathesis.toml"
    config_file.write_text(as_toml(config(coverage=True, bearer_from=KEY_VARIABLE)))
    # A workspace of its own: what the run creates and changes (segments, journeys, keys, the channel, caps,
    # the loyalty program, quotas used) stays out of the demo workspace the other tests of the session use.
    key = asyncio.run(ensure_workspace_with_key(stack.dsn("gateway"), WORKSPACE, stack.home / "fuzz-key"))
    started = time.monotonic()
    run = st_run(stack, key, config_file)
    elapsed = time.monotonic() - started
    (REPORT_DIR / "output.txt").write_text(run.stdout + run.stderr)
    assert run.returncode == 0, (
        f"Schemathesis found problems ({elapsed:.0f} s; reports in {REPORT_DIR}):\n{run.stdout[-20000:]}{run.stderr}"
    )
    [events] = REPORT_DIR.glob("ndjson-*.ndjson")
    assert '"problem_type_is_documented"' in events.read_text(), "Flywheel's own check did not run"
