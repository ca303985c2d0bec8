"""The AsyncAPI description of CloudEvents binary mode on `flywheel.events.inbound` (Kafka protocol binding 3.2):
one more message on the inbound channel, whose headers are the event's attributes and whose value is its data.
contracts/generate.py puts it in the document; contracts/cloudevents.py reads such messages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from contracts.cloudevents import MAX_ATTRIBUTE_HEADERS, MAX_ATTRIBUTE_VALUE
from contracts.envelope import WORKSPACE_PATTERN
from contracts.topics import Topic

BINARY_MESSAGE = "inboundBinary"
BINARY_HEADERS_SCHEMA = "CloudEventsKafkaBinaryHeaders"
_BINARY_ATTRIBUTES = {
    "specversion": ("`1.0`: its presence makes the message binary mode.", {"const": "1.0"}),
    "id": ("The event's id.", {}),
    "source": ("Who produced it.", {}),
    "type": ("One of the inbound types, or a type of the workspace's tracking plan.", {}),
    "workspace": ("The workspace the event belongs to: required on Kafka.", {"pattern": WORKSPACE_PATTERN}),
    "time": (
        "RFC 3339; when absent, the record's timestamp is used and the event carries `timesource`.",
        {"format": "date-time"},
    ),
    "subject": ("Optional.", {}),
}


def binary_headers_schema() -> dict[str, Any]:
    """The Kafka headers of an inbound event in CloudEvents binary mode (Kafka protocol binding 3.2)."""
    properties: dict[str, Any] = {
        f"ce_{name}": {"type": "string", "description": words, **extra}
        for name, (words, extra) in _BINARY_ATTRIBUTES.items()
    }
    properties["content-type"] = {
        "type": "string",
        "description": "`datacontenttype`: `application/json`, parameters allowed (`charset=utf-8`); absent means "
        "JSON. A charset other than UTF-8 is refused.",
    }
    return {
        "type": "object",
        "description": "CloudEvents binary mode on Kafka: each attribute a `ce_<name>` header (UTF-8 value), "
        f"extensions too; the value is the event's `data`. At most {MAX_ATTRIBUTE_HEADERS} `ce_*` headers, each value "
        f"at most {MAX_ATTRIBUTE_VALUE} bytes.",
        "properties": properties,
        "required": ["ce_specversion", "ce_id", "ce_source", "ce_type", "ce_workspace"],
        "additionalProperties": True,
    }


def binary_message(
    topic: Topic, bindings: dict[str, Any], headers_ref: str, events: list[dict[str, Any]]
) -> dict[str, Any]:
    """The inbound topic's events in CloudEvents binary mode: attributes as headers (the schema `headers_ref`
    names), the value the event's data (one of the `data` of `events`, the inbound event schemas)."""
    return {
        "name": "binary",
        "title": f"Any inbound event in CloudEvents binary mode ({topic.name})",
        "summary": "An inbound event in binary mode: its attributes as `ce_*` headers, its `data` as the value. "
        "Profile makes it the structured event once (contracts/cloudevents.py); a dead letter keeps the original "
        "bytes and headers. The events.md Kafka key rules apply as in structured mode.",
        "contentType": "application/json",
        "headers": {"$ref": headers_ref},
        "payload": {
            "description": "The event's `data`, as the `data` of its type's structured message.",
            "anyOf": _unique(event["properties"]["data"] for event in events),
        },
        "bindings": bindings,
    }


def _unique(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out
