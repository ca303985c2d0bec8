"""The TypeScript client's hand-written wrapper (clients/typescript/src/index.ts): its node tests
(clients/typescript/test/*.test.ts, against a fake fetch), compiled strictly and run with `node --test`."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from clients.generate import NODE_MODULES, TYPESCRIPT_DIR, ensure_node_tools


def _run(argv: list[str | Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=TYPESCRIPT_DIR, capture_output=True, text=True, timeout=300, check=False)


def test_the_wrapper_sends_the_key_answers_data_and_throws_problems(tmp_path: Path) -> None:
    bin_dir = ensure_node_tools()
    compiled = _run([bin_dir / "tsc", "--strict", "-p", TYPESCRIPT_DIR, "--outDir", tmp_path, "--declaration", "false"])
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    # The compiled ES modules import openapi-fetch: node resolves it through this link.
    (tmp_path / "package.json").write_text(json.dumps({"type": "module"}), encoding="utf-8")
    (tmp_path / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)

    ran = _run(["node", "--test", tmp_path / "test"])

    assert ran.returncode == 0, ran.stdout + ran.stderr
    passed = re.search(r"^# pass (\d+)$", ran.stdout, re.MULTILINE)
    assert passed and int(passed[1]) > 0 and "\n# fail 0\n" in ran.stdout, ran.stdout
