"""PostgreSQL from a clone under a folder only root may enter (as `/root` is): as root, the server runs as its
system user, which reaches a copy of the binaries and a data directory of its own, while every folder of ours
keeps its permissions."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from devstack import postgres as devstack_postgres
from devstack.ports import free_port
from devstack.postgres import LocalPostgres

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the server runs as a system user only when we are root")


def _modes(folder: Path) -> dict[Path, int]:
    return {path: path.stat().st_mode for path in [folder, *folder.parents]}


@pytest.fixture
def private_clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A 0700 folder holding the wheel's binaries (as a clone's .venv under /root would), and a server home of
    the test's own (so the binaries are copied from that folder, not found already copied)."""
    private = tmp_path / "root-only"
    private.mkdir(mode=0o700)
    site = private / "venv" / "site-packages"
    wheel = devstack_postgres.pg_install_dir()
    binaries = site / wheel.parent.name / wheel.name
    shutil.copytree(wheel, binaries, symlinks=True)
    libraries = wheel.parent.with_name(f"{wheel.parent.name}.libs")  # found by the binaries' relative RPATH
    shutil.copytree(libraries, site / libraries.name, symlinks=True)
    server_home = Path(tempfile.gettempdir()) / f"flywheel-pg-test-{uuid.uuid4().hex[:8]}"  # reachable: 1777
    monkeypatch.setattr(devstack_postgres, "pg_install_dir", lambda: binaries)
    monkeypatch.setattr(devstack_postgres, "SERVER_HOME", server_home)
    try:
        yield private
    finally:
        shutil.rmtree(server_home, ignore_errors=True)


async def test_a_server_under_a_root_only_folder_starts_and_opens_no_folder_of_ours(private_clone: Path) -> None:
    before = _modes(private_clone)
    server = LocalPostgres(private_clone / "data", free_port())
    server.start()
    try:
        connection = await asyncpg.connect(server.dsn())
        try:
            assert await connection.fetchval("SELECT 1") == 1
        finally:
            await connection.close()
        assert _modes(private_clone) == before  # nothing of ours was opened up
        assert server.data_dir.is_symlink()
        assert server.server_dir.is_relative_to(devstack_postgres.SERVER_HOME)
        assert server.log_file.exists()
    finally:
        server.remove()
    assert not server.data_dir.exists() and not server.data_dir.is_symlink()


async def test_data_whose_link_is_gone_is_removed_on_the_next_start(private_clone: Path) -> None:
    first = LocalPostgres(private_clone / "first", free_port())
    first.start()
    first.stop()
    relocated = first.server_dir
    first.data_dir.unlink()  # a test session's temporary folder deleted
    second = LocalPostgres(private_clone / "second", free_port())
    second.start()
    try:
        assert not relocated.exists()
        assert second.server_dir.exists()
    finally:
        second.remove()
