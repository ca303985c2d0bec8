"""Structured JSON logs on stdout, one object per line, with the current trace id.

Logs never carry personal values: an exception's message may quote what caused it (a database error quotes
the value it refused, a validation error its input), so a logged exception shows its type, SQLSTATE and
traceback frames, never its message (`error_kind`). Code that logs an error in `extra` uses `error_kind` too.
"""

from __future__ import annotations

import logging
import sys
import traceback
from typing import IO

from opentelemetry import trace
from pythonjsonlogger.json import JsonFormatter


class _TraceContextFilter(logging.Filter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        ctx = trace.get_current_span().get_span_context()
        if ctx.is_valid:
            record.trace_id = format(ctx.trace_id, "032x")
            record.span_id = format(ctx.span_id, "016x")
        return True


def error_kind(exc: BaseException) -> str:
    """What went wrong, without the message: the exception's type, and the SQLSTATE of a database error."""
    sqlstate = getattr(exc, "sqlstate", None)
    return f"{type(exc).__name__} (SQLSTATE {sqlstate})" if isinstance(sqlstate, str) else type(exc).__name__


def withheld_traceback(exc: BaseException) -> str:
    """The traceback of `exc` (and of the exceptions it was raised from), messages withheld."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    parts = []
    for link in reversed(chain):
        frames = "".join(traceback.format_list(traceback.extract_tb(link.__traceback__)))
        parts.append(f"Traceback (most recent call last):\n{frames}{error_kind(link)}: (message withheld)")
    return "\n\nThe above exception led to the next one:\n\n".join(parts)


class _PrivateJsonFormatter(JsonFormatter):
    def formatException(self, ei: tuple[type[BaseException], BaseException, object] | tuple[None, ...]) -> str:  # noqa: N802
        exc = ei[1]
        return withheld_traceback(exc) if isinstance(exc, BaseException) else ""


def json_handler(service: str, stream: IO[str] | None = None) -> logging.Handler:
    """The handler every process logs through: JSON lines on `stream` (stdout), exception messages withheld."""
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.addFilter(_TraceContextFilter(service))
    handler.setFormatter(
        _PrivateJsonFormatter(
            "{asctime}{levelname}{name}{message}",
            style="{",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            timestamp=False,
        )
    )
    return handler


def configure_logging(service: str, level: str = "INFO", stream: IO[str] | None = None) -> None:
    handler = json_handler(service, stream)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every request's URL at INFO: a query string may hold an identifier (?email=...).
    for noisy in ("aiokafka", "kafka", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for uvicorn_logger in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(uvicorn_logger).handlers[:] = []
        logging.getLogger(uvicorn_logger).propagate = True
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
