"""The CloudEvents 1.0 envelope (structured JSON mode) every Flywheel message uses."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema

from contracts.media_type import JSON_DATA_TYPE_PATTERN, MAX_MEDIA_TYPE, check_json_data_type

WORKSPACE_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,62}$"
_WORKSPACE_RE = re.compile(WORKSPACE_PATTERN)

Workspace = Annotated[
    str,
    Field(
        pattern=WORKSPACE_PATTERN,
        description="Tenant the event belongs to: lowercase letters, digits, '-' and '_', at most 63.",
        examples=["demo"],
    ),
]
NonEmpty = Annotated[str, StringConstraints(min_length=1, max_length=256)]

CONTENT_TYPE = "application/cloudevents+json"

_DATA_TYPE_SCHEMA = {
    "type": "string",
    "pattern": JSON_DATA_TYPE_PATTERN,
    "maxLength": MAX_MEDIA_TYPE,
    "description": "`application/json`, with parameters if any (`application/json; charset=utf-8`); a charset other "
    "than UTF-8 is refused.",
}
# One validator (so an error names `datacontenttype` alone); the schema keeps the constant it had before
# parameters were allowed beside the pattern that allows them (contracts.compatibility).
JsonDataType = Annotated[
    str | None,
    AfterValidator(check_json_data_type),
    WithJsonSchema(
        {
            "anyOf": [{"const": "application/json", "type": "string"}, _DATA_TYPE_SCHEMA, {"type": "null"}],
            "default": None,
            "examples": ["application/json", "application/json; charset=utf-8"],
        }
    ),
]

# The extension attribute an event gets when its producer sent no `time` (contracts/cloudevents.py sets it).
TIMESOURCE = "timesource"
TimeSource = Literal["received", "kafka-createtime", "kafka-logappendtime"]
TIME_SOURCES: tuple[str, ...] = get_args(TimeSource)
TIMESOURCE_DESCRIPTION = (
    "Set by Flywheel when the producer sent no `time`: `time` is then when Flywheel received the event, and this "
    "says whose clock: `received` (the gateway's, on receiving the HTTP request), `kafka-createtime` (the Kafka "
    "record's CreateTime timestamp: the producer client's clock when it sent the record; Kafka's default) or "
    "`kafka-logappendtime` (the record's LogAppendTime: the broker's clock, on a topic configured so)."
)


def is_valid_workspace(name: str) -> bool:
    return bool(_WORKSPACE_RE.match(name))


class Envelope(BaseModel):
    """CloudEvents attributes shared by every Flywheel event; `data` is typed by subclasses."""

    model_config = ConfigDict(extra="allow", frozen=True)

    specversion: Literal["1.0"] = Field(description="CloudEvents version; always 1.0.")
    id: NonEmpty = Field(description="Producer-chosen unique id; the de-duplication key within a workspace.")
    source: NonEmpty = Field(description="Who produced the event, e.g. 'shop-web'.")
    type: str
    time: AwareDatetime = Field(description="RFC 3339 event time (when it happened), with a time zone.")
    workspace: Workspace
    datacontenttype: JsonDataType = None
    data: Any

    def subject_key(self, subject: str) -> bytes:
        """Kafka key `<workspace>:<subject>`: keeps one subject's events in order."""
        return f"{self.workspace}:{subject}".encode()
