"""Run a service's app under uvicorn; SIGTERM drains the consumers through the lifespan."""

from __future__ import annotations

from collections.abc import Callable

import uvicorn
from fastapi import FastAPI

from runtime.logs import configure_logging
from runtime.settings import Settings


def serve(create_app: Callable[[Settings], FastAPI], settings: Settings) -> None:
    configure_logging(settings.service_name, settings.log_level)
    uvicorn.run(
        create_app(settings),
        host=settings.http_host,
        port=settings.http_port,
        loop="uvloop",
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=30,
    )
