"""Toxiproxy (Shopify's TCP proxy for chaos tests) between a service and what it connects to: latency added,
the connection cut, then healed, through its HTTP API. The server is built once by `go install` into
`.flywheel/tools/` (Go's module proxy serves it), as the Kafka jars are fetched once."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import httpx

from devstack._process import ServiceProcess
from devstack.ports import free_port
from devstack.stack import REPO_ROOT

VERSION = "v2.12.0"
MODULE = f"github.com/Shopify/toxiproxy/v2/cmd/server@{VERSION}"
TOOLS = REPO_ROOT / ".flywheel" / "tools"


def ensure_toxiproxy() -> Path | None:
    """The toxiproxy server binary, built on first use; None when Go is not installed."""
    binary = TOOLS / f"toxiproxy-server-{VERSION}"
    if binary.is_file():
        return binary
    go = shutil.which("go")
    if go is None:
        return None
    TOOLS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="toxiproxy-") as gobin:
        subprocess.run([go, "install", MODULE], env={**os.environ, "GOBIN": gobin}, check=True, timeout=600)
        shutil.move(str(Path(gobin) / "server"), binary)
    return binary


class Toxiproxy:
    """One toxiproxy server on free ports; `proxy` makes a listener that forwards to an upstream."""

    def __init__(self, binary: Path, home: Path) -> None:
        self.port = free_port()
        self.api = f"http://127.0.0.1:{self.port}"
        self._process = ServiceProcess("toxiproxy", home / "toxiproxy.pid", home / "toxiproxy.log", marker=str(binary))
        self._binary = binary
        self._home = home

    def start(self) -> None:
        self._process.spawn([str(self._binary), "-host", "127.0.0.1", "-port", str(self.port)], cwd=self._home)
        self._process.wait_until(self._answers, timeout=30, what="its API")

    def stop(self) -> None:
        self._process.terminate(timeout=10)

    def _answers(self) -> bool:
        try:
            return httpx.get(f"{self.api}/version", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def proxy(self, name: str, upstream: str) -> str:
        """A proxy to `upstream` (host:port); returns where to connect instead."""
        listen = f"127.0.0.1:{free_port()}"
        answer = httpx.post(f"{self.api}/proxies", json={"name": name, "listen": listen, "upstream": upstream})
        answer.raise_for_status()
        return listen

    def slow(self, name: str, latency_ms: int) -> None:
        """Every byte each way waits `latency_ms` more."""
        for stream in ("upstream", "downstream"):
            toxic = {
                "name": f"latency-{stream}",
                "type": "latency",
                "stream": stream,
                "attributes": {"latency": latency_ms},
            }
            httpx.post(f"{self.api}/proxies/{name}/toxics", json=toxic).raise_for_status()

    def cut(self, name: str) -> None:
        """Close every connection through the proxy and refuse new ones."""
        httpx.post(f"{self.api}/proxies/{name}", json={"enabled": False}).raise_for_status()

    def heal(self, name: str) -> None:
        """No toxics, connections accepted again."""
        for toxic in httpx.get(f"{self.api}/proxies/{name}/toxics").json():
            httpx.delete(f"{self.api}/proxies/{name}/toxics/{toxic['name']}").raise_for_status()
        httpx.post(f"{self.api}/proxies/{name}", json={"enabled": True}).raise_for_status()
