"""A started (in-process) service app served on a port of its own, for what reaches it over HTTP the way an
operator's command does (e.g. `flywheel deadletter replay` asking profile about erased customers)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI

from devstack.ports import free_port
from tests.helpers import wait_for


@asynccontextmanager
async def served(app: FastAPI) -> AsyncIterator[str]:
    """`app` (its lifespan already started) on a free port; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning"))
    serving = asyncio.create_task(server.serve())
    try:
        await wait_for(lambda: asyncio.sleep(0, server.started or serving.done()), what=f"port {port} served")
        if serving.done():
            serving.result()  # the server could not start: say why
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving
