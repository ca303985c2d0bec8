"""A service run from its image, supervised like a process: the attached `docker run` client is the process
(its log is the container's output, its exit code the container's), and the container is named so it can be
stopped (`docker stop`: SIGTERM, the service drains) or killed (`docker kill`) as a whole.

Each container runs as Kubernetes runs it: the host's network (the stack is on loopback), a read-only root
with a tmpfs `/tmp`, uid 10001, migrated first by the image's `migrate` command as the migration Job does.
Settings go by name (`-e NAME`, the value in the client's environment), so no secret is on a command line.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from devstack._process import ServiceProcess
from devstack.images import DOCKER_CLIENT, DockerEngine, ImageError

log = logging.getLogger(__name__)


class ContainerProcess(ServiceProcess):
    def __init__(self, name: str, pid_file: Path, log_file: Path, engine: DockerEngine, image: str, container: str):
        super().__init__(name, pid_file, log_file, marker=container)
        self.engine = engine
        self.image = image
        self.container = container

    def _run_argv(self, env: Mapping[str, str], *command: str, named: bool) -> list[str]:
        argv = [DOCKER_CLIENT, "run", "--rm", "--network=host", "--read-only", "--tmpfs=/tmp", "--user=10001:10001"]
        if named:
            argv.append(f"--name={self.container}")
        argv += [f"--env={name}" for name in sorted(env)]
        return [*argv, self.image, *command]

    def migrate(self, env: Mapping[str, str]) -> None:
        """`IMAGE migrate`, as the Kubernetes Job runs it, before the service starts."""
        result = subprocess.run(
            self._run_argv(env, "migrate", named=False),
            env={**self.engine.env, **env},
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        if result.returncode != 0:
            raise ImageError(f"{self.image} migrate failed ({result.returncode}): {result.stderr[-3000:]}")

    def run(self, env: Mapping[str, str], cwd: Path) -> None:
        """Start the container attached (the client is the supervised process); a leftover of the name goes."""
        self.engine.docker("rm", "--force", self.container, check=False)
        self.spawn(self._run_argv(env, "serve", named=True), cwd=cwd, env={**self.engine.env, **env})

    def terminate(self, timeout: float) -> None:
        """`docker stop`: SIGTERM to the service, SIGKILL after `timeout`; then the client, which exits with it."""
        if self.is_running():
            log.info("stopping container %s", self.container)
            self.engine.docker("stop", f"--time={int(timeout)}", self.container, check=False)
        self._client_exits()
        super().terminate(timeout=10)

    def kill(self) -> None:
        """`docker kill`: SIGKILL to the service (the client alone would leave the container running)."""
        self.engine.docker("kill", self.container, check=False)
        self._client_exits()
        super().kill()

    def _client_exits(self) -> None:
        """The attached client exits once its container has (a stuck client is then signalled by the base)."""
        if self._popen is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._popen.wait(30)


def container_name(home: Path, instance: str) -> str:
    """Unique per stack home, so stacks side by side (tests, `make run`) never share a container."""
    return f"flywheel-{hashlib.sha256(os.path.realpath(home).encode()).hexdigest()[:10]}-{instance}"
