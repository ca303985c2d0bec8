"""The framework's ceiling: a minimal FastAPI app answering fixed JSON of the gateway's answers' sizes,
served exactly as the services are (`runtime.serve`: uvicorn, uvloop, no access log, the same garbage
collector tuning). `python -m bench.ceiling_app <port> <answers.json>`; answers.json holds the bodies
`{"customer": "...", "events": "..."}` (the gateway's own answers, captured by the bench).
"""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
import uvicorn
from fastapi import FastAPI, Request, Response

from runtime.serve import tune_garbage_collector


def create_app(customer: bytes, events: bytes) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/healthz")
    async def healthz() -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    @app.get("/v1/customers/{customer_id}")
    async def customer_360(customer_id: str) -> Response:
        return Response(customer, media_type="application/json")

    @app.post("/v1/events")
    async def post_events(request: Request) -> Response:
        await request.body()  # the event is read, as the gateway reads it
        return Response(events, status_code=202, media_type="application/json")

    return app


def main() -> None:
    port, answers_file = int(sys.argv[1]), Path(sys.argv[2])
    answers = orjson.loads(answers_file.read_bytes())
    app = create_app(answers["customer"].encode(), answers["events"].encode())
    tune_garbage_collector()
    uvicorn.run(app, host="127.0.0.1", port=port, loop="uvloop", log_config=None, access_log=False)


if __name__ == "__main__":
    main()
