"""A long-running server process with a log file and a pid file, shared by the broker classes.

The pid file lets a second `make run` (or `stop` from another shell) find a server started earlier.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

log = logging.getLogger(__name__)


class ServiceProcess:
    def __init__(self, name: str, pid_file: Path, log_file: Path, marker: str) -> None:
        """`marker`: a string in the server's command line, to tell it from a process that reused its pid."""
        self.name = name
        self.marker = marker
        self.pid_file = pid_file
        self.log_file = log_file
        self._popen: subprocess.Popen[bytes] | None = None

    def pid(self) -> int | None:
        """The pid of the running server, whether this object started it or an earlier process did."""
        if self._popen is not None:
            return self._popen.pid if self._popen.poll() is None else None
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        return pid if _alive(pid, marker=self.marker) else None

    def is_running(self) -> bool:
        return self.pid() is not None

    def spawn(
        self,
        argv: Sequence[str],
        *,
        cwd: Path,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        log.info("starting %s: %s", self.name, " ".join(argv))
        with self.log_file.open("ab") as out:
            self._popen = subprocess.Popen(
                list(argv),
                cwd=cwd,
                env=None if env is None else {**os.environ, **env},
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a Ctrl-C in the terminal goes to us, not straight to the server
            )
        self.pid_file.write_text(f"{self._popen.pid}\n")

    def wait_until(self, ready: Callable[[], bool], timeout: float, what: str) -> None:
        """Poll `ready` until it is true; fail early, with the log's tail, if the process exits."""
        deadline = time.monotonic() + timeout
        delay = 0.05
        while not ready():
            if not self.is_running():
                raise RuntimeError(f"{self.name} exited before {what}; last log lines:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name}: no {what} within {timeout:.0f}s; last log lines:\n{self.log_tail()}")
            time.sleep(delay)
            delay = min(delay * 2, 0.5)

    def terminate(self, timeout: float) -> None:
        """SIGTERM, wait up to `timeout` seconds, then SIGKILL."""
        pid = self.pid()
        if pid is None:
            self._forget()
            return
        log.info("stopping %s (pid %d)", self.name, pid)
        os.kill(pid, signal.SIGTERM)
        if not self._wait_gone(pid, timeout):
            log.warning("%s did not stop within %.0fs; killing it", self.name, timeout)
            os.kill(pid, signal.SIGKILL)
            self._wait_gone(pid, 10.0)
        self._forget()

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to finish anything (crash tests)."""
        pid = self.pid()
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            self._wait_gone(pid, 10.0)
        self._forget()

    @property
    def returncode(self) -> int | None:
        """The exit code once a process this object started has exited."""
        return None if self._popen is None else self._popen.poll()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"

    def _wait_gone(self, pid: int, timeout: float) -> bool:
        if self._popen is not None:
            try:
                self._popen.wait(timeout)
            except subprocess.TimeoutExpired:
                return False
            return True
        deadline = time.monotonic() + timeout
        while _alive(pid, marker=None):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True

    def _forget(self) -> None:
        self._popen = None
        self.pid_file.unlink(missing_ok=True)


def _alive(pid: int, marker: str | None) -> bool:
    """Whether `pid` runs; with a marker, also whether its command line mentions it (pids get reused)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    cmdline = Path(f"/proc/{pid}/cmdline")
    if marker is None or not cmdline.exists():
        return True
    try:
        return marker in cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
