"""What the Segment-compatible API needs of HTTP beyond Flywheel's own conventions: the write key in Basic auth, gzip
bodies within a decompressed budget, and errors the SDKs can read.

- The SDKs send the write key as `Authorization: Basic base64("<key>:")` (segment-analytics-python and
  rudder-sdk-python alike); Flywheel's `Bearer <key>` is taken too. A `writeKey` in the body (the Segment SDK adds
  one beside the header) never authenticates: only the header does.
- rudder-sdk-python gzips every body by default: it is inflated here as a stream that stops past the budget, so a
  small bomb costs at most the budget, never its inflated size.
- On failure the SDKs read `{"code", "message"}` from the JSON body (RudderStack's client fails on a KeyError
  without them, and then retries a request that can never pass): every problem answered under /segment carries
  both beside the problem document's fields.
"""

from __future__ import annotations

import base64
import binascii
import zlib
from http import HTTPStatus

import orjson
from starlette.types import Message, Send

from runtime.problems import PROBLEM_JSON, ProblemError

SEGMENT_PREFIX = "/segment/v1/"
BASIC_CHALLENGE = 'Basic realm="flywheel-segment", charset="UTF-8"'
_GZIP = 16 + zlib.MAX_WBITS  # zlib's window bits for a gzip member
# `code` of an error answer, by status: RFC 9110's names (fixed here, not Python's phrases, which vary by version).
SDK_ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "content_too_large",
    415: "unsupported_media_type",
    422: "unprocessable_content",
    429: "too_many_requests",
    500: "internal_server_error",
    503: "service_unavailable",
}


def is_segment_path(path: str) -> bool:
    return path.startswith(SEGMENT_PREFIX)


def api_key_of(authorization: str, *, basic: bool) -> str | None:
    """The API key an Authorization header carries: `Bearer <key>`, or with `basic` `Basic base64(<key>:)` (the
    key is the user name, the password empty; a key given as the password alone is taken too)."""
    scheme, _, credentials = authorization.strip().partition(" ")
    credentials = credentials.strip()
    if not credentials:
        return None
    if scheme.lower() == "bearer":
        return credentials
    if not basic or scheme.lower() != "basic" or len(credentials) > 1024:
        return None
    try:
        decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, _, password = decoded.partition(":")
    return user.strip() or password.strip() or None


def decoded_body(body: bytes, content_encoding: str, limit: int) -> bytes:
    """The body as JSON bytes: inflated when gzip, and never more than `limit` bytes once inflated (413)."""
    encoding = content_encoding.strip().lower()
    too_large = ProblemError(413, f"the body is larger than {limit // 1024} KB (decompressed); send smaller batches")
    if encoding in ("", "identity"):
        if len(body) > limit:
            raise too_large
        return body
    if encoding not in ("gzip", "x-gzip"):
        raise ProblemError(415, f"unsupported Content-Encoding {encoding[:40]!r}: send gzip or none")
    inflated = bytearray()
    rest = body
    while rest:  # a gzip stream may hold several members, one after the other
        inflater = zlib.decompressobj(_GZIP)
        try:
            inflated += inflater.decompress(rest, limit + 1 - len(inflated))
        except zlib.error:
            raise ProblemError(400, "the body is not valid gzip") from None
        if len(inflated) > limit:
            raise too_large
        if not inflater.eof:
            raise ProblemError(400, "the gzip body ends before its end (truncated)")
        rest = inflater.unused_data
    return bytes(inflated)


def with_sdk_error_fields(send: Send) -> Send:
    """Adds `code` (the status's name in snake case, e.g. `unauthorized`) and `message` (the problem's `detail`) to
    every problem+json answer, for the SDKs' error parsing."""
    start: Message | None = None
    chunks: list[bytes] = []

    async def adding(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            content_type = dict(message.get("headers", [])).get(b"content-type", b"")
            if message["status"] >= 400 and content_type.startswith(PROBLEM_JSON.encode()):
                start = message
                return
        elif start is not None and message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = _with_code(b"".join(chunks), start["status"])
            headers = [(n, v) for n, v in start.get("headers", []) if n.lower() != b"content-length"]
            await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
            message = {"type": "http.response.body", "body": body, "more_body": False}
        await send(message)

    return adding


def _with_code(body: bytes, status: int) -> bytes:
    try:
        problem = orjson.loads(body)
    except orjson.JSONDecodeError:
        return body
    if not isinstance(problem, dict):
        return body
    problem.setdefault("code", SDK_ERROR_CODES.get(status) or HTTPStatus(status).phrase.lower().replace(" ", "_"))
    problem.setdefault("message", problem.get("detail") or HTTPStatus(status).phrase)
    return orjson.dumps(problem)
