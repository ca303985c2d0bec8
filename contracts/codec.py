"""Bytes <-> typed events, with reasons a person can read when the bytes are not a valid event."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, Union

import orjson
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from contracts.envelope import Envelope
from contracts.inbound import INBOUND_EVENT_TYPES, InboundEvent, custom_model
from contracts.internal import ResolvedEnvelope

# A topic that carries custom event types (a workspace's tracking plan) reads a type that is no built-in one with
# the model this gives for its name (None: not a name a custom type may have).
CustomModel = Callable[[object], type[Envelope] | None]


class InvalidEvent(ValueError):
    """The message can never become a valid event; `reason` says why in one line."""

    def __init__(self, reason: str, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.errors = errors or []


def field_errors(exc: ValidationError) -> list[dict[str, str]]:
    """pydantic errors as `{"field": "data.amount", "message": "..."}`, naming the field and the kind of
    problem, never a value: these become dead-letter reasons and log lines, and the values are personal
    (an email, a trait). A key that is itself the problem is not quoted either."""
    out = []
    for err in exc.errors(include_url=False):
        parts = [str(part) for part in err["loc"]]
        # pydantic locates a bad key as (..., "<the key>", "[key]"): that key is shown as "(key)".
        following = [*parts[1:], ""] if parts else []
        shown = ["(key)" if after == "[key]" else part for part, after in zip(parts, following, strict=True)]
        loc = ".".join(part for part in shown if part != "[key]")
        out.append({"field": loc or "(event)", "message": _message(err)})
    return out


def _message(err: Any) -> str:
    """pydantic's message, unless it quotes the input (a discriminator's tag, a validator's text): then the
    error's type, which names the kind of problem only."""
    message: str = err["msg"]
    given = err.get("input")
    quoted = [str(given), repr(given)] if isinstance(given, str | int | float) and not isinstance(given, bool) else []
    if any(len(text) >= 3 and text in message for text in quoted) or err["type"] in _QUOTING_TYPES:
        return f"invalid value ({err['type']})"
    return message


# pydantic error types whose message quotes (part of) the input.
_QUOTING_TYPES = frozenset({"union_tag_invalid", "json_invalid"})


def _reason(errors: list[dict[str, str]]) -> str:
    return "; ".join(f"{e['field']}: {e['message']}" for e in errors)


def validate_typed(doc: Any, types: Mapping[str, type[Envelope]], custom: CustomModel | None = None) -> Envelope:
    """Validate a decoded JSON document as one of `types`, chosen by its `type` attribute; with `custom`, a type
    that is none of them is read with the model `custom` gives for its name (a workspace's own types)."""
    if not isinstance(doc, dict):
        raise InvalidEvent("an event must be a JSON object", [{"field": "(event)", "message": "not an object"}])
    event_type = doc.get("type")
    model = types.get(event_type) if isinstance(event_type, str) else None
    if model is None and custom is not None:
        model = custom(event_type)
    if model is None:
        # The type given is not quoted: a reason never carries a value the producer sent.
        known = ", ".join(sorted(types))
        what = "unknown event type" if event_type is not None else "no event type"
        message = f"{what}; expected one of: {known}"
        if custom is not None:
            message += ", or a type of the workspace's tracking plan (lower snake case)"
        raise InvalidEvent(message, [{"field": "type", "message": message}])
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        errors = field_errors(exc)
        raise InvalidEvent(f"invalid {event_type} event: {_reason(errors)}", errors) from None


def decode_json(raw: bytes | None) -> Any:
    if raw is None:
        raise InvalidEvent("empty message (no value)")
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        # orjson names the problem and its position (line, column), never the text around it.
        raise InvalidEvent(f"malformed JSON: {exc}") from None


_INBOUND = TypeAdapter(InboundEvent)


def decode_inbound(raw: bytes | None) -> Envelope:
    """Parse one message of `flywheel.events.inbound`; raises InvalidEvent with a readable reason.

    Valid events take one pass of pydantic-core's JSON parser; only an invalid one pays for the
    slower path that explains what is wrong with it.
    """
    if raw is not None:
        try:
            event: Envelope = _INBOUND.validate_json(raw)
            return event
        except ValidationError:
            pass
    return validate_typed(decode_json(raw), INBOUND_EVENT_TYPES, custom_model)


class Decoder:
    """Parses messages of a topic carrying `types` (fast path as in decode_inbound), and with `custom` the
    workspaces' own types too (see validate_typed)."""

    def __init__(self, types: Mapping[str, type[Envelope]], custom: CustomModel | None = None) -> None:
        self._types = dict(types)
        self._custom = custom
        union: Any = Union[tuple(self._types.values())]  # noqa: UP007
        self._adapter: TypeAdapter[Any] = TypeAdapter(Annotated[union, Field(discriminator="type")])

    def __call__(self, raw: bytes | None) -> Envelope:
        if raw is not None:
            try:
                event: Envelope = self._adapter.validate_json(raw)
                return event
            except ValidationError:
                pass
        return validate_typed(decode_json(raw), self._types, self._custom)


def encode(event: BaseModel) -> bytes:
    """Structured-mode CloudEvents JSON; money stays a decimal string."""
    return event.model_dump_json(exclude_none=True).encode()


def encode_resolved(received: bytes, event: ResolvedEnvelope) -> bytes:
    """A resolved event on the wire: the inbound event's bytes as received, with `customerid` added before the
    closing brace. Not re-encoded: that would cost a serialisation per event, and the producer's own fields
    (extensions, number formats) travel on byte for byte. A message that already names `customerid` (an
    extension of the producer's) is encoded from the event instead, its `customerid` last."""
    raw = received.rstrip()
    if raw.endswith(b"}") and b'"customerid"' not in raw:
        return raw[:-1] + b',"customerid":' + orjson.dumps(event.customerid) + b"}"
    doc = event.model_dump(mode="json", exclude_none=True, exclude={"customerid"})
    doc["customerid"] = event.customerid
    return orjson.dumps(doc)
