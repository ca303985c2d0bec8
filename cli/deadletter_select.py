"""What `flywheel deadletter` selects and re-publishes, without I/O.

A dead letter is the original message (key, value and headers, unchanged) plus the `flywheel-dlq-*`
headers the consumer loop adds (contracts.internal.DEADLETTER_HEADERS). Selection reads those headers
and, leniently, the CloudEvents envelope's `workspace` and `type`: a value that is not JSON, or JSON
without those fields, simply does not match a workspace or type filter; it never fails the command.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

DLQ_PREFIX = "flywheel-dlq-"
REPLAY_OF = "flywheel-replay-of"

Headers = tuple[tuple[str, bytes], ...]


def parse_instant(text: str) -> dt.datetime:
    """An ISO 8601 time (`2026-06-01T12:00:00Z`, `2026-06-01T14:00+02:00`) or date (`2026-06-01`,
    midnight); without a zone it is UTC. Raises ValueError."""
    value = text.strip()
    if not value:
        raise ValueError("empty time")
    if len(value) == 10:
        day = dt.date.fromisoformat(value)
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    moment = dt.datetime.fromisoformat(value.replace("z", "Z"))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _text(raw: bytes | None) -> str | None:
    return None if raw is None else raw.decode("utf-8", "replace")


def _int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def _envelope_fields(value: bytes | None) -> tuple[str | None, str | None]:
    """`workspace` and `type` when the value is a JSON object that has them as strings."""
    if not value:
        return None, None
    try:
        doc: Any = orjson.loads(value)
    except orjson.JSONDecodeError:
        return None, None
    if not isinstance(doc, dict):
        return None, None
    workspace, event_type = doc.get("workspace"), doc.get("type")
    return (
        workspace if isinstance(workspace, str) else None,
        event_type if isinstance(event_type, str) else None,
    )


@dataclass(frozen=True)
class DeadLetter:
    """One record of `flywheel.deadletter`, with what selection and display need already parsed."""

    partition: int  # where the dead letter itself is (replay-of names this position)
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Headers
    time: dt.datetime  # when it was dead-lettered (the header; the record's timestamp when absent)
    service: str | None
    reason: str | None
    topic: str | None  # the topic it was read from: where a replay publishes it
    source_partition: int | None
    source_offset: int | None
    workspace: str | None
    event_type: str | None

    @property
    def position(self) -> str:
        return f"{self.partition}:{self.offset}"

    def as_json(self) -> dict[str, Any]:
        return {
            "partition": self.partition,
            "offset": self.offset,
            "time": self.time.isoformat(),
            "service": self.service,
            "topic": self.topic,
            "source_partition": self.source_partition,
            "source_offset": self.source_offset,
            "workspace": self.workspace,
            "type": self.event_type,
            "key": _text(self.key),
            "reason": self.reason,
        }


def dead_letter(
    partition: int,
    offset: int,
    timestamp_ms: int,
    key: bytes | None,
    value: bytes | None,
    headers: Sequence[tuple[str, bytes]] | None,
) -> DeadLetter:
    """Parse one record of the dead-letter topic; never raises, whatever the bytes are."""
    pairs: Headers = tuple((k, v if v is not None else b"") for k, v in (headers or ()))
    found = {k: _text(v) for k, v in pairs if k.startswith(DLQ_PREFIX)}
    when: dt.datetime | None = None
    if (raw_time := found.get(f"{DLQ_PREFIX}time")) is not None:
        try:
            when = parse_instant(raw_time)
        except ValueError:
            when = None
    if when is None:
        when = dt.datetime.fromtimestamp(max(timestamp_ms, 0) / 1000, dt.UTC)
    workspace, event_type = _envelope_fields(value)
    return DeadLetter(
        partition=partition,
        offset=offset,
        key=key,
        value=value,
        headers=pairs,
        time=when,
        service=found.get(f"{DLQ_PREFIX}service"),
        reason=found.get(f"{DLQ_PREFIX}reason"),
        topic=found.get(f"{DLQ_PREFIX}topic") or None,
        source_partition=_int(found.get(f"{DLQ_PREFIX}partition")),
        source_offset=_int(found.get(f"{DLQ_PREFIX}offset")),
        workspace=workspace,
        event_type=event_type,
    )


@dataclass(frozen=True)
class Selection:
    """The filters of `list` and `replay`; every one given must match (None matches anything)."""

    service: str | None = None
    topic: str | None = None
    reason_contains: str | None = None  # case-insensitive
    workspace: str | None = None
    event_type: str | None = None
    since: dt.datetime | None = None  # inclusive
    until: dt.datetime | None = None  # exclusive

    def __post_init__(self) -> None:
        for moment in (self.since, self.until):
            if moment is not None and moment.tzinfo is None:
                raise ValueError("since and until need a time zone")
        if self.since is not None and self.until is not None and self.until <= self.since:
            raise ValueError("--until must be later than --since")

    def matches(self, letter: DeadLetter) -> bool:
        if self.service is not None and letter.service != self.service:
            return False
        if self.topic is not None and letter.topic != self.topic:
            return False
        if self.reason_contains is not None and self.reason_contains.casefold() not in (letter.reason or "").casefold():
            return False
        if self.workspace is not None and letter.workspace != self.workspace:
            return False
        if self.event_type is not None and letter.event_type != self.event_type:
            return False
        if self.since is not None and letter.time < self.since:
            return False
        return self.until is None or letter.time < self.until


def replay_headers(letter: DeadLetter) -> list[tuple[str, bytes]]:
    """The original headers (without the dead letter's own, nor an earlier replay's mark) plus
    `flywheel-replay-of: <partition>:<offset>` of this dead letter."""
    original = [(k, v) for k, v in letter.headers if not k.startswith(DLQ_PREFIX) and k != REPLAY_OF]
    return [*original, (REPLAY_OF, letter.position.encode())]


def truncate(text: str | None, width: int) -> str:
    """One line of at most `width` characters (a reason may be long and span lines)."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: max(width - 1, 0)] + "…"
