"""Reading a request's body within a byte budget (413 past it): the events batch and a survey answer."""

from __future__ import annotations

from fastapi import Request

from runtime.problems import ProblemError


async def read_bounded_body(request: Request, limit: int, too_large: str) -> bytes:
    """The body, refusing early (from Content-Length) or as soon as it grows past `limit`.

    `too_large` is the 413's detail: it names what is too large and what to do about it.
    """
    refused = ProblemError(413, too_large)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise refused
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise refused
    return bytes(body)
