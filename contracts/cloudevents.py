"""CloudEvents 1.0 in every mode producers use, turned once into the structured JSON form the rest of Flywheel
reads (events.md):

- HTTP binary mode (CloudEvents HTTP protocol binding 3.1): attributes as `ce-<name>` headers, percent-decoded;
  `Content-Type` is `datacontenttype`; the body is `data`. A request is in binary mode when it carries
  `ce-specversion` and its content type is no `application/cloudevents...` one (`http_mode`).
- Kafka binary mode (CloudEvents Kafka protocol binding 3.2): attributes as `ce_<name>` headers (UTF-8 values);
  the `content-type` header is `datacontenttype`; the value is `data`. `ce_workspace` is required on Kafka.
- An event without `time` gets the time it was received and the extension attribute `timesource` saying where
  that time came from (`TimeSource`): the gateway's clock, or the Kafka record's timestamp (its type).

Every input has a budget: at most MAX_ATTRIBUTE_HEADERS attribute headers, each name at most
MAX_ATTRIBUTE_NAME characters and each value at most MAX_ATTRIBUTE_VALUE bytes. Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import unquote

import orjson

from contracts.codec import InvalidEvent, decode_inbound, decode_json
from contracts.envelope import TIMESOURCE, Envelope, TimeSource
from contracts.media_type import MediaType, UnsupportedMediaType, parse_media_type

# Kafka record timestamp types (the record batch's attribute bit), as aiokafka reports them.
_KAFKA_TIMESTAMP_SOURCES: dict[int, TimeSource] = {0: "kafka-createtime", 1: "kafka-logappendtime"}

MAX_ATTRIBUTE_HEADERS = 32
MAX_ATTRIBUTE_NAME = 64  # CloudEvents says SHOULD NOT exceed 20; a producer's extension may be longer
MAX_ATTRIBUTE_VALUE = 2048  # bytes of one header value as sent
_ATTRIBUTE_NAME = re.compile(r"^[a-z0-9]+$")  # CloudEvents 1.0: lower-case ASCII letters and digits
HTTP_PREFIX = "ce-"
KAFKA_PREFIX = "ce_"
_NOT_HEADERS = frozenset({"data", "datacontenttype"})  # the body and Content-Type carry these in binary mode

_TIMESOURCE_WITHOUT_TIME = f"`{TIMESOURCE}` is set by Flywheel when `time` is absent: send `time`, or leave both out"

HttpMode = Literal["structured", "batch", "binary", "json"]
STRUCTURED_TYPE = "application/cloudevents+json"
BATCH_TYPE = "application/cloudevents-batch+json"


class BindingError(ValueError):
    """A message no CloudEvents binding makes an event of; `status` is the HTTP status to answer (400: a
    malformed header; 415: a media type not read) and `reason` says why in one line, quoting no value."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


# --- HTTP -------------------------------------------------------------------------------------------------


def http_mode(content_type: str | None, has_specversion: bool) -> tuple[HttpMode, MediaType | None]:
    """The content mode of a request to POST /v1/events (HTTP protocol binding 3): batch and structured by their
    media types, else binary when `ce-specversion` is there, else plain JSON (one event or an array of them)."""
    media = None
    if content_type:
        try:
            media = parse_media_type(content_type)
        except UnsupportedMediaType as exc:
            raise BindingError(415, str(exc)) from None
    if media is not None and media.essence.startswith("application/cloudevents-batch"):
        return "batch", media
    if media is not None and media.essence.startswith("application/cloudevents"):
        return "structured", media
    if has_specversion:
        if media is not None and media.essence != "application/json":
            raise BindingError(415, "binary mode: the data (the body) must be JSON: Content-Type application/json")
        return "binary", media
    if media is not None and media.essence == "application/json":
        return "json", media
    raise BindingError(
        415,
        f"send CloudEvents as JSON: Content-Type {STRUCTURED_TYPE}, {BATCH_TYPE} or application/json (one event "
        "or an array), or binary mode (ce-* headers with Content-Type application/json)",
    )


def http_binary_attributes(headers: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """The attributes of an HTTP binary-mode request: each `ce-<name>` header (ASGI's lower-cased raw headers),
    its value percent-decoded as UTF-8 (HTTP binding 3.1.3.2; an unencoded UTF-8 value is read as well)."""

    def value_of(name: str, raw: bytes) -> str:
        try:
            return unquote(raw.decode("utf-8"), errors="strict")
        except UnicodeDecodeError:
            raise BindingError(400, f"header {HTTP_PREFIX}{name}: not UTF-8 once percent-decoded") from None

    pairs = ((name.decode("latin-1").lower(), value) for name, value in headers)
    return _attributes(pairs, HTTP_PREFIX, value_of)


def http_binary_document(
    attributes: Mapping[str, str], media: MediaType | None, data: Any, has_data: bool
) -> dict[str, Any]:
    """The structured form of an HTTP binary-mode event: its attributes, `datacontenttype` from Content-Type
    and `data` from the body (left out when the body is empty, which the contract then refuses)."""
    doc: dict[str, Any] = dict(attributes)
    if media is not None:
        doc["datacontenttype"] = media.text()
    if has_data:
        doc["data"] = data
    return doc


def binary_field(field: str) -> str:
    """Where a binary-mode event's invalid field was sent: `type` is the `ce-type` header, `datacontenttype`
    Content-Type, `data.amount` the body's `amount`."""
    name = field.split(".", 1)[0]
    if name in ("(event)", "data"):
        return field
    if name == "datacontenttype":
        return "Content-Type"
    return HTTP_PREFIX + field


def complete_http_event(doc: Any, workspace: str, received_at: datetime) -> None:
    """An event sent over HTTP may leave out `workspace` (the API key names it; a different one is refused
    later) and `time` (then the gateway's receipt time, with `timesource: received`). A `timesource` without
    `time` is left for the contract to refuse."""
    if not isinstance(doc, dict):
        return
    doc.setdefault("workspace", workspace)
    if "time" not in doc and TIMESOURCE not in doc:
        doc["time"] = rfc3339(received_at)
        doc[TIMESOURCE] = "received"


# --- Kafka ------------------------------------------------------------------------------------------------


KafkaHeaders = Iterable[tuple[str, bytes]]


def is_kafka_binary(headers: KafkaHeaders | None) -> bool:
    return any(name.lower() == f"{KAFKA_PREFIX}specversion" for name, _ in headers or ())


def kafka_binary_value(headers: KafkaHeaders, value: bytes | None, receipt: Receipt | None) -> bytes:
    """The structured JSON form of a Kafka binary-mode message: its `ce_*` attributes (and `time` from
    `receipt` when there is none) with the message value spliced in as `data`, byte for byte (numbers keep
    their precision). Raises BindingError with a reason for the dead letter."""
    header_list = list(headers)

    def value_of(name: str, raw: bytes) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BindingError(400, f"header {KAFKA_PREFIX}{name} is not UTF-8") from None

    attributes = _attributes(((name.lower(), raw) for name, raw in header_list), KAFKA_PREFIX, value_of)
    if "workspace" not in attributes:
        raise BindingError(400, "binary mode on Kafka needs the ce_workspace header: the workspace the event is of")
    content_types = [raw for name, raw in header_list if name.lower() == "content-type"]
    if len(content_types) > 1:
        raise BindingError(400, "header content-type given more than once")
    if content_types:
        try:
            media = parse_media_type(value_of("content-type", content_types[0]))
        except UnsupportedMediaType as exc:
            raise BindingError(415, f"content-type: {exc}") from None
        if media.essence != "application/json":
            raise BindingError(415, "binary mode: the data (the message value) must be JSON: application/json")
        attributes["datacontenttype"] = media.text()
    if "time" not in attributes and receipt is not None:
        if TIMESOURCE in attributes:
            raise BindingError(400, _TIMESOURCE_WITHOUT_TIME)
        attributes["time"] = rfc3339(receipt.at)
        attributes[TIMESOURCE] = receipt.source
    head = orjson.dumps(attributes)
    data = (value or b"").strip()
    if not data:
        return head  # no data: the contract refuses the event, naming `data`
    try:
        orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise BindingError(400, f"binary mode: the message value (the event's data) is not valid JSON: {exc}") from None
    return head[:-1] + b',"data":' + data + b"}"


def kafka_receipt(timestamp_ms: int | None, timestamp_type: int | None) -> Receipt | None:
    """The Kafka record's timestamp as the event's receipt time (None when it has none), with its type."""
    if timestamp_ms is None or timestamp_ms < 0:
        return None
    at = datetime.fromtimestamp(timestamp_ms / 1000, UTC)
    return Receipt(at, _KAFKA_TIMESTAMP_SOURCES.get(timestamp_type or 0, "kafka-createtime"))


def decode_inbound_message(
    value: bytes | None, headers: KafkaHeaders | None, receipt: Receipt | None
) -> tuple[Envelope, bytes | None]:
    """One message of `flywheel.events.inbound` in either Kafka mode: the event, and the structured bytes that
    flow on (the value itself for a structured event that has `time`; a binary or time-less one is made
    structured here, once). Raises InvalidEvent with a readable reason."""
    if is_kafka_binary(headers):
        try:
            structured = kafka_binary_value(headers or (), value, receipt)
        except BindingError as exc:
            raise InvalidEvent(exc.reason) from None
        return decode_inbound(structured), structured
    try:
        return decode_inbound(value), value
    except InvalidEvent:
        doc = decode_json(value)
        if not isinstance(doc, dict) or "time" in doc or receipt is None:
            raise
        if TIMESOURCE in doc:
            raise InvalidEvent(_TIMESOURCE_WITHOUT_TIME) from None
    assert value is not None  # decode_json refused an empty message
    structured = _with_time(value, doc, receipt)
    return decode_inbound(structured), structured


# --- shared -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    """When an event was received, and whose clock says so (the `timesource` it is recorded with)."""

    at: datetime
    source: TimeSource


def rfc3339(at: datetime) -> str:
    """RFC 3339 in UTC to the millisecond: `2026-12-07T10:00:00.123Z`."""
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _with_time(raw: bytes, doc: dict[str, Any], receipt: Receipt) -> bytes:
    """`raw` (a JSON object without `time`) with `time` and `timesource` added before its closing brace: the
    producer's bytes otherwise unchanged."""
    added = orjson.dumps({"time": rfc3339(receipt.at), TIMESOURCE: receipt.source})
    stripped = raw.rstrip()
    if not doc or not stripped.endswith(b"}"):
        return orjson.dumps({**doc, **orjson.loads(added)})
    return stripped[:-1] + b"," + added[1:]


def _attributes(
    pairs: Iterable[tuple[str, bytes]], prefix: str, value_of: Callable[[str, bytes], str]
) -> dict[str, str]:
    """The `<prefix><name>` headers of `pairs` as attributes, within the budgets, each name once."""
    attributes: dict[str, str] = {}
    count = 0
    for name, raw in pairs:
        if not name.startswith(prefix):
            continue
        count += 1
        if count > MAX_ATTRIBUTE_HEADERS:
            raise BindingError(400, f"more than {MAX_ATTRIBUTE_HEADERS} {prefix}* headers")
        attribute = name[len(prefix) :]
        if not _ATTRIBUTE_NAME.match(attribute) or len(attribute) > MAX_ATTRIBUTE_NAME:
            raise BindingError(
                400,
                f"a {prefix}* header name must be {prefix} and 1-{MAX_ATTRIBUTE_NAME} lower-case letters or digits "
                "(a CloudEvents attribute name)",
            )
        if attribute in _NOT_HEADERS:
            where = "the body (the message value)" if attribute == "data" else "Content-Type (content-type)"
            if attribute == "data" or prefix == HTTP_PREFIX:
                raise BindingError(400, f"header {prefix}{attribute}: in binary mode {attribute} travels as {where}")
            continue  # Kafka: ce_datacontenttype beside content-type, as some SDKs send it; content-type rules
        if len(raw) > MAX_ATTRIBUTE_VALUE:
            raise BindingError(400, f"header {prefix}{attribute} is longer than {MAX_ATTRIBUTE_VALUE} bytes")
        if attribute in attributes:
            raise BindingError(400, f"header {prefix}{attribute} given more than once")
        attributes[attribute] = value_of(attribute, raw)
    return attributes


_LEFT_OUT = {
    "time": "When absent, the time Flywheel received the event is used, and `timesource` says so.",
    "workspace": "Over HTTP it may be left out: the API key's workspace (another one is refused).",
}


def producer_view(schema: dict[str, Any], optional: Iterable[str]) -> None:
    """An inbound event model's JSON Schema as producers may send it: the attributes `optional` names (`time`;
    over HTTP `workspace` too) not required, and their descriptions saying what happens without them. The model
    itself requires them: the edge that receives the event fills them in first."""
    for name in optional:
        schema["required"] = [field for field in schema.get("required", []) if field != name]
        prop = schema.get("properties", {}).get(name)
        if prop is not None:
            prop["description"] = f"{prop.get('description', '')} {_LEFT_OUT[name]}".strip()
