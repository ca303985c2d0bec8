"""Entry point of every service process: `python -m services.<name> [serve|migrate]`.

`serve` (the default) runs two uvicorn servers in one event loop over the same runtime: the API on
FLYWHEEL_HTTP_PORT and the operations app (/healthz, /readyz, /metrics) on FLYWHEEL_METRICS_PORT (default:
the HTTP port + 1000), which only the kubelet and Prometheus reach. SIGTERM drains the API (the consumers
through the lifespan) while the probes keep answering (503 from /readyz), then stops both.
With FLYWHEEL_ENV=production, `serve` first refuses settings unfit for production
(runtime/production_guard.py): every problem on stderr, exit code 78, nothing served.
`migrate` applies pending migrations and exits: the Kubernetes migration Job runs this, so replicas
never race to migrate (they still apply anything pending at start-up, under an advisory lock).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import socket
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TypeVar

import uvicorn
import uvloop
from fastapi import FastAPI

from runtime.db import migrate
from runtime.logs import configure_logging
from runtime.production_guard import EXIT_UNFIT_FOR_PRODUCTION, production_problems
from runtime.settings import RuntimeSettings

log = logging.getLogger(__name__)
S = TypeVar("S", bound=RuntimeSettings)


def tune_garbage_collector() -> None:
    """Batches of thousands of events allocate millions of short-lived objects; CPython's default
    thresholds then run a collection every 700 allocations, and measured here that tripled the cost
    of decoding an event. Collect young objects less often and keep start-up objects out of scans."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def metrics_port(settings: RuntimeSettings) -> int:
    """The operations app's port: FLYWHEEL_METRICS_PORT, else the HTTP port + 1000."""
    port = settings.metrics_port if settings.metrics_port is not None else settings.http_port + 1000
    if port > 65535 or port == settings.http_port:
        raise ValueError(
            f"metrics port {port} is unusable with FLYWHEEL_HTTP_PORT={settings.http_port}: set FLYWHEEL_METRICS_PORT "
            "to a port of its own"
        )
    return port


class _Server(uvicorn.Server):
    """A uvicorn server whose signals serve() handles, for both servers at once (each would otherwise take
    SIGTERM from the other, and re-raise it after draining)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _config(app: FastAPI, settings: RuntimeSettings, port: int, **options: object) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=settings.http_host,
        port=port,
        log_config=None,
        access_log=False,
        **options,  # type: ignore[arg-type]
    )


async def _serve_both(api: _Server, operations: _Server, operations_socket: socket.socket) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        # The API drains first (a second Ctrl-C forces it); the probes answer until it is done.
        loop.add_signal_handler(sig, api.handle_exit, sig, None)
    probes = asyncio.create_task(operations.serve(sockets=[operations_socket]), name="operations-server")
    # Should the operations server ever end on its own, the API stops too: the process restarts whole.
    probes.add_done_callback(lambda _: api.handle_exit(signal.SIGTERM, None))
    try:
        await api.serve()
    finally:
        operations.should_exit = True
        await probes


def serve(create_app: Callable[[S], FastAPI], settings: S) -> None:
    configure_logging(settings.service_name, settings.log_level)
    tune_garbage_collector()
    app = create_app(settings)
    api = _Server(_config(app, settings, settings.http_port, timeout_graceful_shutdown=30))
    operations_config = _config(app.state.operations, settings, metrics_port(settings), lifespan="off")
    # Bound before anything starts: a port in use fails here, before migrations run or consumers join.
    operations_socket = operations_config.bind_socket()
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(_serve_both(api, _Server(operations_config), operations_socket))
    # A failed start exits from inside uvicorn (code 3); a drained shutdown is a success (code 0).


def refuse_unfit_for_production(settings: RuntimeSettings, service: str) -> None:
    """With FLYWHEEL_ENV=production, exits (code 78) listing every setting unfit for production."""
    problems = production_problems(settings)
    if not problems:
        return
    lines = "\n".join(f"  - {problem}" for problem in problems)
    message = f"{service}: refusing to start with FLYWHEEL_ENV=production:\n{lines}\n"
    sys.stderr.write(message)
    log.critical("refusing to start: settings unfit for production", extra={"problems": problems})
    sys.exit(EXIT_UNFIT_FOR_PRODUCTION)


def run_service(
    name: str,
    default_port: int,
    settings_kind: type[S],
    create_app: Callable[[S], FastAPI],
    migrations: Path,
    commands: Mapping[str, Callable[[S, list[str]], int]] | None = None,
) -> None:
    """`settings_kind`: the service's settings class (read from the environment); `commands`: a service's own
    subcommands (e.g. scoring's `refit`), given the remaining arguments."""
    settings = settings_kind.for_service(name, default_port)
    command = sys.argv[1] if len(sys.argv) > 1 else "serve"
    if commands and command in commands:
        configure_logging(settings.service_name, settings.log_level)
        sys.exit(commands[command](settings, sys.argv[2:]))
    if command == "serve":
        configure_logging(settings.service_name, settings.log_level)
        refuse_unfit_for_production(settings, name)
        serve(create_app, settings)
    elif command == "migrate":
        configure_logging(settings.service_name, settings.log_level)
        applied = asyncio.run(migrate(settings.database_url, name, migrations))
        log.info("migrations up to date", extra={"applied": applied})
    else:
        usage = "|".join(["serve", "migrate", *(commands or {})])
        sys.stderr.write(f"unknown command {command!r}; usage: python -m services.{name} [{usage}]\n")
        sys.exit(2)
