"""Acceptance 3 of issue 21 on the running stack (Apache Kafka, every service a process): the generated clients, as a
front-end team would use them. A strict TypeScript program (tests/e2e/clients/acceptance.mts, `tsc --strict`) and a
Python program (acceptance.py), each using only its generated client (clients/typescript, clients/python), post a
purchase carrying only an email, find the customer, read the 360 view, create a segment and a journey from typed
models and see a refused segment as a typed problem; both print what they got, asserted here.

The clients are the checked-in ones; `python -m clients.generate --check` (the unit stage) proves they are what the
OpenAPI document generates."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from clients.generate import NODE_MODULES, PYTHON_DIR, REPO_ROOT, ensure_node_tools
from services.gateway.store import ensure_workspace_with_key
from tests.e2e.conftest import RunningStack

pytestmark = pytest.mark.kafka

PROGRAMS = REPO_ROOT / "tests" / "e2e" / "clients"


def _run(argv: list[str | Path], env: dict[str, str] | None = None) -> str:
    result = subprocess.run(argv, cwd=REPO_ROOT, capture_output=True, text=True, env=env, timeout=300, check=False)
    assert result.returncode == 0, f"{' '.join(map(str, argv))} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _expected(client: str, email: str) -> list[str]:
    return [
        "posted 1",
        f"found {email}",
        "360 orders=1 revenue=42.50",
        f"segment Buyers ({client} client) members=",
        f"360 segment Buyers ({client} client)",
        f"journey Thank buyers ({client} client) status=draft version=1",
        "refused 422 condition.all[0].field",
    ]


def _assert_printed(printed: str, expected: list[str]) -> None:
    lines = printed.splitlines()
    assert len(lines) == len(expected), printed
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(start), f"{line!r} is not {start!r}...:\n{printed}"


def _typescript_program(build: Path, env: dict[str, str]) -> str:
    bin_dir = ensure_node_tools()
    tsconfig = PROGRAMS / "tsconfig.json"
    _run([bin_dir / "tsc", "--strict", "--noEmit", "-p", tsconfig])
    _run([bin_dir / "tsc", "--strict", "-p", tsconfig, "--outDir", build])
    # The compiled program and client are ES modules that import openapi-fetch: node resolves it from here.
    (build / "package.json").write_text(json.dumps({"type": "module"}), encoding="utf-8")
    (build / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)
    return _run(["node", build / "tests" / "e2e" / "clients" / "acceptance.mjs"], env)


def _python_program(env: dict[str, str]) -> str:
    # Only the generated package on the path (not the repository's code), as for a team that installed it.
    return _run([sys.executable, PROGRAMS / "acceptance.py"], {**env, "PYTHONPATH": str(PYTHON_DIR)})


async def test_the_generated_clients_drive_the_api_with_typed_models(stack: RunningStack, tmp_path: Path) -> None:
    workspace = f"clients-{uuid.uuid4().hex[:6]}"
    key = await ensure_workspace_with_key(stack.dsn("gateway"), workspace, stack.home / f"{workspace}-key")
    base_env = {**os.environ, "FLYWHEEL_URL": stack.gateway, "FLYWHEEL_API_KEY": key, "FLYWHEEL_WORKSPACE": workspace}

    ts_email = f"ts-{uuid.uuid4().hex[:6]}@example.com"
    printed = await asyncio.to_thread(_typescript_program, tmp_path / "build", {**base_env, "FLYWHEEL_EMAIL": ts_email})
    _assert_printed(printed, _expected("TypeScript", ts_email))

    py_email = f"py-{uuid.uuid4().hex[:6]}@example.com"
    printed = await asyncio.to_thread(_python_program, {**base_env, "FLYWHEEL_EMAIL": py_email})
    _assert_printed(printed, _expected("Python", py_email))
