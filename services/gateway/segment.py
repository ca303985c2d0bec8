"""The Segment-compatible tracking API's rules, free of I/O: a Segment message (track, identify, page, screen, alias,
group) as a Flywheel inbound CloudEvent, or the reason it cannot be one (docs/segment.md has the table).

The endpoints (services/gateway/api_segment.py) read and authenticate the request; everything decided about a
message is here, so each rule is tested without a broker: the event's id is the message's `messageId` (an SDK's
retry is the same event, de-duplicated downstream), its source `segment:<library>`, its time the message's
`timestamp`, its workspace the key's. The CloudEvent built here is then validated by the inbound contract like any
event of `POST /v1/events` (services.gateway.domain.plan_batch), so both doors refuse the same things.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

from contracts.inbound import CUSTOM_TYPE_PATTERN, INBOUND_EVENT_TYPES
from contracts.partition import normalised_phone
from runtime.budgets import json_value_problem
from services.gateway.domain import BatchShapeError
from services.gateway.segment_fields import MessageError, object_at, purchase_data, refund_data

MAX_MESSAGE_BYTES = 32 * 1024  # Segment's limit per call (and per message of a batch), as JSON
MAX_BATCH_BYTES = 500 * 1024  # Segment's limit per batch request, decompressed
MAX_MESSAGE_DEPTH = 32  # nested objects and arrays in one message (the encoders recurse on them)
CALLS = ("track", "identify", "page", "screen", "alias", "group")
IGNORED_CALLS = frozenset({"group"})  # accounts (B2B groups) have no Flywheel model: accepted, not published
ORDER_COMPLETED = "order_completed"
ORDER_REFUNDED = "order_refunded"
_CUSTOM_TYPE = re.compile(CUSTOM_TYPE_PATTERN)
_LIBRARY = re.compile(r"[^A-Za-z0-9._@/-]+")


@dataclass
class Mapped:
    """Each message of a request: the CloudEvent to validate and publish, an ignored call, or its errors."""

    events: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (message index, CloudEvent)
    ignored: list[str] = field(default_factory=list)  # messageIds of calls accepted without an event (group)
    errors: list[dict[str, Any]] = field(default_factory=list)  # {index, id, field, message}


# --- the request's messages ----------------------------------------------------------------------------------------


def messages_of(body: Any, call: str, max_messages: int) -> list[Any]:
    """The request's messages: `POST /v1/<call>` is one message (its `type` is the call's), `/v1/batch` an object
    whose `batch` holds 1..max_messages of them; batch-level `context` and `integrations` apply to every message
    (a message's own keys win)."""
    if not isinstance(body, dict):
        raise BatchShapeError(400, 'the body must be a JSON object (a Segment message, or {"batch": [...]})')
    if call != "batch":
        return [{**body, "type": body.get("type", call)}]
    batch = body.get("batch")
    if not isinstance(batch, list):
        raise BatchShapeError(400, "`batch` must be an array of Segment messages")
    if not batch:
        raise BatchShapeError(400, "`batch` is empty; send at least one message")
    if len(batch) > max_messages:
        raise BatchShapeError(413, f"`batch` has {len(batch)} messages; at most {max_messages} are accepted")
    for key in ("context", "integrations"):
        if body.get(key) is not None and not isinstance(body[key], dict):
            raise BatchShapeError(400, f"`{key}` must be an object")
    shared = {key: body[key] for key in ("context", "integrations") if isinstance(body.get(key), dict)}
    if not shared:
        return batch
    return [_with_shared(message, shared) for message in batch]


def _with_shared(message: Any, shared: Mapping[str, dict[str, Any]]) -> Any:
    if not isinstance(message, dict):
        return message
    merged = dict(message)
    for key, value in shared.items():
        own = message.get(key)
        merged[key] = {**value, **own} if isinstance(own, dict) else value
    return merged


def wanted_custom_types(messages: list[Any]) -> set[str]:
    """The custom type names (a workspace's tracking plan) the messages' tracks could be: `Cart Abandoned` may be
    `cart_abandoned`."""
    names = (custom_type_name(m.get("event")) for m in messages if isinstance(m, dict) and m.get("type") == "track")
    return {name for name in names if name is not None}


def custom_type_name(event: object) -> str | None:
    """An event name in lower snake case (`Cart Abandoned`, `cartAbandoned` -> `cart_abandoned`), or None when it
    cannot name a custom type (empty, too long, a built-in type's name)."""
    if not isinstance(event, str) or len(event) > 200:
        return None
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", event.strip())
    name = re.sub(r"[^a-z0-9]+", "_", spaced.lower()).strip("_")
    if not name or len(name) > 64 or name in INBOUND_EVENT_TYPES or not _CUSTOM_TYPE.match(name):
        return None
    return name


def map_messages(
    messages: list[Any], call: str, workspace: str, custom_types: Container[str], received_at: datetime
) -> Mapped:
    """Every message as a CloudEvent of `workspace`, or the reasons it cannot be one. `custom_types`: the
    workspace's declared types (a track whose snake-case name is one of them becomes that type)."""
    mapped = Mapped()
    for index, message in enumerate(messages):
        # The budget first: nesting is measured before anything encodes the message (its id's digest, its size).
        over = json_value_problem(message, max_bytes=MAX_MESSAGE_BYTES, max_depth=MAX_MESSAGE_DEPTH)
        message_id = _message_id(message) if over is None else _given_id(message)
        try:
            if over is not None:
                raise MessageError("(message)", f"over its budget: {over}")
            if not isinstance(message, dict):
                raise MessageError("(message)", "a message must be a JSON object")
            kind = message.get("type")
            if call not in ("batch", kind):  # a single-call endpoint takes its own call only
                raise MessageError("type", f"this endpoint takes `{call}` messages, not {kind!r}")
            if kind not in CALLS:
                raise MessageError("type", f"must be one of {', '.join(CALLS)}")
            _check_shape(message, kind)
            if kind in IGNORED_CALLS:
                mapped.ignored.append(_message_id(message))
                continue
            event = to_cloudevent(message, _message_id(message), workspace, custom_types, received_at)
            mapped.events.append((index, event))
        except MessageError as exc:
            mapped.errors.append({"index": index, "id": message_id, "field": exc.field, "message": exc.message})
    return mapped


_ID = (str, int)
_DOCUMENTED: dict[str, dict[str, tuple[type, ...]]] = {
    "": {"messageId": _ID, "userId": _ID, "anonymousId": _ID, "timestamp": (str,), "context": (dict,)},
    "context": {"page": (dict,), "campaign": (dict,), "traits": (dict,), "library": (dict,)},
    "track": {"event": (str,), "properties": (dict,)},
    "identify": {"traits": (dict,)},
    "page": {"name": (str,), "properties": (dict,)},
    "screen": {"name": (str,), "properties": (dict,)},
    "alias": {"previousId": _ID},
    "group": {"groupId": _ID, "traits": (dict,)},
}
_KINDS = {str: "a string", int: "an integer", dict: "an object"}


def _check_shape(message: dict[str, Any], kind: str) -> None:
    """Every documented field (schemas_segment.py) has its documented type, whatever the call reads of it, so an
    ignored call or an unread field is refused the same as a read one: the API is what its document says."""
    context = message.get("context")
    for holder, fields, prefix in (
        (message, {**_DOCUMENTED[""], **_DOCUMENTED[kind]}, ""),
        (context if isinstance(context, dict) else {}, _DOCUMENTED["context"], "context."),
    ):
        for name, types in fields.items():
            value = holder.get(name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, types)):
                raise MessageError(f"{prefix}{name}", f"must be {' or '.join(_KINDS[t] for t in types)}")
    for name, longest in (("messageId", 256), ("userId", 512), ("anonymousId", 512), ("previousId", 512)):
        value = message.get(name)
        if isinstance(value, str) and len(value) > longest:
            raise MessageError(name, f"at most {longest} characters")


def _given_id(message: Any) -> str | None:
    given = message.get("messageId") if isinstance(message, dict) else None
    if isinstance(given, str) and given.strip():
        return given.strip()[:256]  # a longer one is refused (_check_shape); its error names it by its start
    if isinstance(given, int) and not isinstance(given, bool):
        return str(given)
    return None


def _message_id(message: Any) -> str:
    """The message's `messageId`; without one, a digest of the message, so its retry is still the same event."""
    given = _given_id(message)
    if given is not None:
        return given
    digest = hashlib.sha256(orjson.dumps(message, option=orjson.OPT_SORT_KEYS)).hexdigest()[:32]
    return f"segment-{digest}"


# --- one message as a CloudEvent ------------------------------------------------------------------------------------


def to_cloudevent(
    message: dict[str, Any], message_id: str, workspace: str, custom_types: Container[str], received_at: datetime
) -> dict[str, Any]:
    """The CloudEvent (a dict, validated next by the inbound contract) a message stands for; MessageError when the
    message cannot be one."""
    kind = message["type"]
    context = object_at(message, "context")
    customer = _customer(message, context)
    if kind == "identify":
        event_type, data = "identify", {"traits": _traits(message, context)}
    elif kind == "alias":
        event_type, data = "identify", {"traits": {}}
        customer = _aliased(message, customer)
    elif kind == "page":
        event_type, data = "visit", _visit(message, context, "web")
    elif kind == "screen":
        event_type, data = "visit", _visit(message, context, "app")
    else:
        event_type, data = _track(message, context, custom_types)
    return {
        "specversion": "1.0",
        "id": message_id,
        "source": _source(context),
        "type": event_type,
        "time": _time(message, received_at),
        "workspace": workspace,
        "data": {"customer": customer, **data},
    }


def _track(
    message: dict[str, Any], context: dict[str, Any], custom_types: Container[str]
) -> tuple[str, dict[str, Any]]:
    event = message.get("event")
    if not isinstance(event, str) or not event.strip():
        raise MessageError("event", "a track needs the event's name")
    properties = object_at(message, "properties")
    name = custom_type_name(event)
    if name == ORDER_COMPLETED:
        return "purchase", {**purchase_data(properties), **_utm(context)}
    if name == ORDER_REFUNDED:
        return "refund", refund_data(properties)
    if name is not None and name in custom_types:
        if "customer" in properties:
            raise MessageError("properties.customer", "reserved: Flywheel fills it from userId and anonymousId")
        return name, dict(properties)
    return "visit", {**_visit(message, context, _channel(message, context)), "event": event.strip()[:512]}


def _visit(message: dict[str, Any], context: dict[str, Any], channel: str) -> dict[str, Any]:
    properties = object_at(message, "properties")
    page = object_at(context, "page", "context.page")
    data: dict[str, Any] = {"channel": channel, **_utm(context)}
    url = properties.get("url") if message.get("type") == "page" else None
    url = url if isinstance(url, str) else page.get("url")
    if isinstance(url, str) and url:
        data["url"] = url
    name = message.get("name")
    if message.get("type") == "screen" and isinstance(name, str) and name:
        data["screen"] = name
    elif message.get("type") == "page" and isinstance(name, str) and name:
        data["page"] = name[:512]
    if properties:
        data["properties"] = properties
    return data


def _channel(message: dict[str, Any], context: dict[str, Any]) -> str:
    """A track's channel: web with a page in its context, app with an app or device, else the SDK's own
    (RudderStack sends `channel: server`), else server."""
    if isinstance(context.get("page"), dict):
        return "web"
    if isinstance(context.get("app"), dict) or isinstance(context.get("device"), dict):
        return "app"
    own = message.get("channel")
    return own[:64] if isinstance(own, str) and own.strip() else "server"


def _utm(context: dict[str, Any]) -> dict[str, Any]:
    campaign = object_at(context, "campaign", "context.campaign")
    found = {"utm_source": campaign.get("source"), "utm_campaign": campaign.get("name")}
    return {name: value for name, value in found.items() if isinstance(value, str) and value}


# --- who, when, from where -----------------------------------------------------------------------------------------


def _customer(message: dict[str, Any], context: dict[str, Any]) -> dict[str, str]:
    customer: dict[str, str] = {}
    for name, kind in (("userId", "external_id"), ("anonymousId", "anonymous_id")):
        value = message.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not isinstance(value, str):
            raise MessageError(name, "must be a string")
        customer[kind] = value.strip()
    traits = message.get("traits") if message.get("type") == "identify" else None
    for source, where in ((object_at(context, "traits", "context.traits"), "context.traits"), (traits, "traits")):
        if isinstance(source, dict):
            customer.update(_contact_identifiers(source, where))
    if not customer:
        raise MessageError("userId", "a message needs `userId` or `anonymousId` (or a trait `email` or `phone`)")
    return customer


def _contact_identifiers(traits: dict[str, Any], where: str) -> dict[str, str]:
    """A trait `email` or `phone` is an identifier: a malformed one is refused here rather than dead-lettered."""
    found: dict[str, str] = {}
    email = traits.get("email")
    if email is not None:
        text = email.strip() if isinstance(email, str) else ""
        local, at, domain = text.partition("@")
        if not at or not local or "." not in domain or "@" in domain or " " in text or len(text) > 320:
            raise MessageError(f"{where}.email", "is not an email address")
        found["email"] = text
    phone = traits.get("phone")
    if phone is not None:
        if not isinstance(phone, str) or not normalised_phone(phone).startswith("+") or not _is_e164(phone):
            raise MessageError(f"{where}.phone", "give the number in international form, e.g. +44 20 7946 0000")
        found["phone"] = normalised_phone(phone)
    return found


def _is_e164(phone: str) -> bool:
    return bool(re.fullmatch(r"\+[1-9][0-9]{6,14}", normalised_phone(phone)))


def _traits(message: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
    """An identify's traits: `traits`, and `context.traits` (where RudderStack's SDK puts them); `traits` wins."""
    traits = {**object_at(context, "traits", "context.traits"), **object_at(message, "traits")}
    return {name: value for name, value in traits.items() if name not in ("email", "phone")}


def _aliased(message: dict[str, Any], customer: dict[str, str]) -> dict[str, str]:
    """An alias joins `previousId` (the id the user had before, usually the anonymous one) with `userId`."""
    previous = message.get("previousId")
    if isinstance(previous, int) and not isinstance(previous, bool):
        previous = str(previous)
    if not isinstance(previous, str) or not previous.strip():
        raise MessageError("previousId", "an alias needs `previousId`")
    if "external_id" not in customer:
        raise MessageError("userId", "an alias needs `userId`")
    return {"external_id": customer["external_id"], "anonymous_id": previous.strip()}


def _time(message: dict[str, Any], received_at: datetime) -> str:
    """`timestamp` (else `originalTimestamp`, else the receipt time); a time without a zone is UTC."""
    for name in ("timestamp", "originalTimestamp"):
        value = message.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise MessageError(name, "must be an ISO 8601 date-time")
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise MessageError(name, "must be an ISO 8601 date-time") from None
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()
    return received_at.astimezone(UTC).isoformat()


def _source(context: dict[str, Any]) -> str:
    library = object_at(context, "library", "context.library").get("name")
    name = _LIBRARY.sub("-", library).strip("-")[:100] if isinstance(library, str) else ""
    return f"segment:{name}" if name else "segment"
