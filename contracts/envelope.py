"""The CloudEvents 1.0 envelope (structured JSON mode) every Flywheel message uses."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

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
    datacontenttype: Literal["application/json"] | None = None
    data: Any

    def subject_key(self, subject: str) -> bytes:
        """Kafka key `<workspace>:<subject>`: keeps one subject's events in order."""
        return f"{self.workspace}:{subject}".encode()
