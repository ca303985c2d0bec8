"""The service images, built on this machine with no registry: `make images` (`python -m devstack.images build`).

Three steps, each skipped when its result is already there:
1. A Docker engine: the one `DOCKER_HOST` names, or Debian's `dockerd` started as root with a home of its own
   (`.flywheel/docker`: no iptables, no bridge, overlay2; containers use the host's network).
2. A base image made from the machine's own Debian packages (`mmdebstrap --variant=minbase` of bookworm with
   Python 3.11, from the machine's apt sources), with the machine's extra CA certificates trusted so the build's
   pip can pass this machine's TLS proxy. Such images are for local tests only and are never pushed.
3. Every target of deploy/docker/Dockerfile on that base (`--build-arg PYTHON_IMAGE`), tagged
   `flywheel-local/<service>:<tag>` (`local` by default; the revision label names the commit), with build time
   and size reported as JSON.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated

import typer

from devstack._process import ServiceProcess

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = REPO_ROOT / "deploy" / "docker" / "Dockerfile"
ENGINE_HOME = REPO_ROOT / ".flywheel" / "docker"
DOCKER_CLIENT = "/usr/bin/docker"  # Debian's client: it has BuildKit (another `docker` earlier on PATH may not)
DOCKERD = "/usr/sbin/dockerd"
BASE_IMAGE = "flywheel-local/python:3.11-bookworm"
SERVICES = ("profile", "scoring", "journey", "referral", "sales", "loyalty", "gateway")
BASE_PACKAGES = "python3.11,python3-venv,python3-pip,python-is-python3,ca-certificates,passwd"
APT_SOURCES = (Path("/etc/apt/sources.list.d/debian.sources"), Path("/etc/apt/sources.list"))
EXTRA_CA_CERTIFICATES = Path("/usr/local/share/ca-certificates")


class ImageError(RuntimeError):
    """A step of the build failed; the message says which and why."""


def image_name(service: str, tag: str) -> str:
    return f"flywheel-local/{service}:{tag}"


class DockerEngine:
    """A Docker engine to talk to: `DOCKER_HOST`'s, or one this class starts (as root) in `home`."""

    def __init__(self, home: Path = ENGINE_HOME) -> None:
        self.home = home
        self.socket = home / "docker.sock"
        self._daemon = ServiceProcess("dockerd", home / "dockerd.pid", home / "dockerd.log", marker="dockerd")
        given = os.environ.get("DOCKER_HOST")
        self.host = given or f"unix://{self.socket}"
        self.ours = given is None

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "DOCKER_HOST": self.host, "DOCKER_BUILDKIT": "1"}

    def docker(self, *arguments: str, check: bool = True, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
        """Run Debian's docker client against this engine; a failure raises with the client's own words."""
        if not Path(DOCKER_CLIENT).is_file():
            raise ImageError(f"{DOCKER_CLIENT} is missing: install Debian's docker.io (apt-get install docker.io)")
        result = subprocess.run(
            [DOCKER_CLIENT, *arguments], capture_output=True, text=True, env=self.env, check=False, timeout=timeout
        )
        if check and result.returncode != 0:
            raise ImageError(f"docker {' '.join(arguments[:2])} failed ({result.returncode}): {result.stderr[-3000:]}")
        return result

    def responds(self) -> bool:
        try:
            return self.docker("version", "--format", "{{.Server.Version}}", check=False, timeout=10).returncode == 0
        except subprocess.TimeoutExpired:
            return False

    def start(self) -> None:
        """Use the engine if it answers; otherwise start Debian's dockerd (as root) and wait for it."""
        if self.responds():
            return
        if not self.ours:
            raise ImageError(f"DOCKER_HOST={self.host} does not answer")
        if os.geteuid() != 0:
            raise ImageError("no Docker engine answers, and starting one (dockerd) needs root")
        if not Path(DOCKERD).is_file():
            raise ImageError(f"{DOCKERD} is missing: install Debian's docker.io (apt-get install docker.io)")
        self.home.mkdir(parents=True, exist_ok=True)
        self._daemon.spawn(
            [
                DOCKERD,
                "--iptables=false",
                "--ip6tables=false",
                "--bridge=none",
                "--storage-driver=overlay2",
                f"--data-root={self.home / 'data'}",
                f"--exec-root={self.home / 'exec'}",
                f"--pidfile={self.home / 'dockerd.daemon.pid'}",
                f"--host={self.host}",
            ],
            cwd=self.home,
        )
        self._daemon.wait_until(self.responds, timeout=60, what="an answer on its socket")
        log.info("dockerd answers on %s", self.host)

    def stop(self) -> None:
        """Stop the engine this class started (a no-op for DOCKER_HOST's)."""
        if not self.ours:
            return
        self._daemon.terminate(timeout=30)
        netns = self.home / "exec" / "netns" / "default"
        if os.path.ismount(netns):
            subprocess.run(["umount", str(netns)], check=False)

    def has_image(self, name: str) -> bool:
        return self.docker("image", "inspect", name, check=False).returncode == 0

    def image_size(self, name: str) -> int:
        return int(self.docker("image", "inspect", "--format", "{{.Size}}", name).stdout.strip())


@dataclass(frozen=True)
class Built:
    image: str
    seconds: float
    size_bytes: int
    from_cache: bool


def missing_for_builds(engine: DockerEngine) -> str | None:
    """Why images cannot be built here, or None when they can (an engine answers or can be started as root, and
    the base can be made)."""
    if not Path(DOCKER_CLIENT).is_file():
        return f"{DOCKER_CLIENT} is missing (Debian's docker.io)"
    if not engine.responds():
        if not engine.ours:
            return f"DOCKER_HOST={engine.host} does not answer"
        if os.geteuid() != 0:
            return "no Docker engine answers, and starting one (dockerd) needs root"
        if not Path(DOCKERD).is_file():
            return f"{DOCKERD} is missing (Debian's docker.io)"
    if not engine.has_image(BASE_IMAGE) and shutil.which("mmdebstrap") is None:
        return "mmdebstrap is missing (Debian's mmdebstrap), and the base image is not built yet"
    return None


def build_base(engine: DockerEngine, name: str = BASE_IMAGE) -> Built:
    """The base image from the machine's own Debian packages (mmdebstrap), imported into the engine."""
    if engine.has_image(name):
        return Built(name, 0.0, engine.image_size(name), from_cache=True)
    if shutil.which("mmdebstrap") is None:
        raise ImageError("mmdebstrap is missing: install Debian's mmdebstrap (apt-get install mmdebstrap)")
    sources = next((path for path in APT_SOURCES if path.is_file()), None)
    if sources is None:
        raise ImageError(f"no apt sources on this machine ({', '.join(map(str, APT_SOURCES))})")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="flywheel-base-") as work:
        tarball = Path(work) / "base.tar"
        hooks = [
            # pip installs into the image's own venv; the marker would refuse even that.
            'rm -f "$1"/usr/lib/python3*/EXTERNALLY-MANAGED',
        ]
        if EXTRA_CA_CERTIFICATES.is_dir() and any(EXTRA_CA_CERTIFICATES.iterdir()):
            hooks += [
                f'cp -r {EXTRA_CA_CERTIFICATES}/. "$1"/usr/local/share/ca-certificates/',
                'chroot "$1" update-ca-certificates',
            ]
        command = ["mmdebstrap", "--variant=minbase", f"--include={BASE_PACKAGES}", "--quiet"]
        command += [f"--customize-hook={hook}" for hook in hooks]
        command += ["bookworm", str(tarball), str(sources)]
        made = subprocess.run(command, capture_output=True, text=True, check=False)
        if made.returncode != 0:
            raise ImageError(f"mmdebstrap failed ({made.returncode}): {made.stderr[-3000:]}")
        engine.docker("import", "--change", 'CMD ["python3"]', str(tarball), name)
    return Built(name, round(time.perf_counter() - started, 1), engine.image_size(name), from_cache=False)


def build_service(engine: DockerEngine, service: str, tag: str, base: str = BASE_IMAGE) -> Built:
    """One target of the Dockerfile on the local base, from the repository as it is checked out."""
    name = image_name(service, tag)
    started = time.perf_counter()
    engine.docker(
        "build",
        "--network=host",
        "--file",
        str(DOCKERFILE),
        "--target",
        service,
        "--build-arg",
        f"PYTHON_IMAGE={base}",
        "--build-arg",
        f"REVISION={current_revision()}",
        "--tag",
        name,
        str(REPO_ROOT),
    )
    return Built(name, round(time.perf_counter() - started, 1), engine.image_size(name), from_cache=False)


def current_revision() -> str:
    answer = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, check=False
    )
    return answer.stdout.strip() if answer.returncode == 0 else "local"


def build_all(engine: DockerEngine, tag: str, services: Sequence[str] = SERVICES) -> list[Built]:
    engine.start()
    built = [build_base(engine)]
    for service in services:
        built.append(build_service(engine, service, tag))
        log.info("built %s in %.1f s", built[-1].image, built[-1].seconds)
    return built


app = typer.Typer(add_completion=False, help=__doc__)


@app.command()
def build(
    tag: Annotated[str, typer.Option(help="The images' tag (their label names the commit)")] = "local",
    report: Annotated[Path, typer.Option(help="Where build times and sizes go (JSON)")] = ENGINE_HOME / "images.json",
) -> None:
    """Build the base and every service image; print and write their build times and sizes."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        built = build_all(DockerEngine(), tag)
    except ImageError as exc:
        typer.echo(f"images: {exc}", err=True)
        raise typer.Exit(2) from None
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps([asdict(b) for b in built], indent=2) + "\n")
    for b in built:
        cached = " (already built)" if b.from_cache else ""
        typer.echo(f"{b.image:48} {b.size_bytes / 2**20:7.1f} MiB {b.seconds:7.1f} s{cached}")
    typer.echo(f"report: {report}")


@app.command()
def check() -> None:
    """Exit 0 when images can be built here; otherwise say why and exit 3."""
    missing = missing_for_builds(DockerEngine())
    if missing:
        typer.echo(f"images cannot be built here: {missing}", err=True)
        raise typer.Exit(3)


@app.command()
def stop() -> None:
    """Stop the engine `build` started."""
    DockerEngine().stop()


if __name__ == "__main__":
    app(prog_name=f"{Path(sys.executable).name} -m devstack.images")
