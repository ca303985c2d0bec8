"""Entry point of every service process: `python -m services.<name> [serve|migrate]`.

`serve` (the default) runs the app under uvicorn; SIGTERM drains the consumers through the lifespan.
`migrate` applies pending migrations and exits: the Kubernetes migration Job runs this, so replicas
never race to migrate (they still apply anything pending at start-up, under an advisory lock).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from runtime.db import migrate
from runtime.logs import configure_logging
from runtime.settings import Settings

log = logging.getLogger(__name__)


def tune_garbage_collector() -> None:
    """Batches of thousands of events allocate millions of short-lived objects; CPython's default
    thresholds then run a collection every 700 allocations, and measured here that tripled the cost
    of decoding an event. Collect young objects less often and keep start-up objects out of scans."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def serve(create_app: Callable[[Settings], FastAPI], settings: Settings) -> None:
    configure_logging(settings.service_name, settings.log_level)
    tune_garbage_collector()
    # uvicorn drains on SIGTERM/SIGINT, then re-raises the signal under the handler found at start-up.
    # A drained shutdown is a success: with these no-op handlers in place the process exits 0.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)
    uvicorn.run(
        create_app(settings),
        host=settings.http_host,
        port=settings.http_port,
        loop="uvloop",
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=30,
    )


def run_service(
    name: str,
    default_port: int,
    create_app: Callable[[Settings], FastAPI],
    migrations: Path,
    commands: Mapping[str, Callable[[Settings, list[str]], int]] | None = None,
) -> None:
    """`commands`: a service's own subcommands (e.g. scoring's `refit`), given the remaining arguments."""
    settings = Settings.for_service(name, default_port)
    command = sys.argv[1] if len(sys.argv) > 1 else "serve"
    if commands and command in commands:
        configure_logging(settings.service_name, settings.log_level)
        sys.exit(commands[command](settings, sys.argv[2:]))
    if command == "serve":
        serve(create_app, settings)
    elif command == "migrate":
        configure_logging(settings.service_name, settings.log_level)
        applied = asyncio.run(migrate(settings.database_url, name, migrations))
        log.info("migrations up to date", extra={"applied": applied})
    else:
        usage = "|".join(["serve", "migrate", *(commands or {})])
        sys.stderr.write(f"unknown command {command!r}; usage: python -m services.{name} [{usage}]\n")
        sys.exit(2)
