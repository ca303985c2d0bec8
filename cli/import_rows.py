"""Pure parsing for `flywheel import`: lines and CSV rows in, Kafka-ready records or rejections out.

Nothing here does I/O, so every rule (mapping, ids, keys, validation) is unit-tested without a broker.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from contracts.codec import InvalidEvent, encode, validate_typed
from contracts.envelope import is_valid_workspace
from contracts.inbound import INBOUND_EVENT_TYPES
from contracts.partition import event_partition_key

# Fixed namespace: the same workspace, file name, line and content always give the same event id,
# so importing a file twice has effect once (consumers de-duplicate on id).
IMPORT_NAMESPACE = uuid.UUID("6f1c2a7e-3b0d-5c4e-9a51-7d2f0e8b4c11")

# Envelope attributes a CSV column may set; every other target is a path under `data`.
ENVELOPE_TARGETS = frozenset({"id", "time", "source"})
# Targets whose cell holds JSON (a list or object) rather than one scalar.
JSON_TARGETS = frozenset({"items", "traits"})

# Column names tried, in order, for a target the user did not map (the common case needs no --map).
ALIASES: dict[str, tuple[str, ...]] = {
    "customer.external_id": ("external_id", "customer_id", "user_id", "customer.external_id"),
    "customer.email": ("email", "customer.email"),
    "customer.phone": ("phone", "customer.phone"),
    "customer.anonymous_id": ("anonymous_id", "customer.anonymous_id"),
    "time": ("time", "occurred_at", "timestamp", "date"),
    "id": ("event_id",),
}
# Per-type data fields picked up from a column of the same name.
TYPE_FIELDS: dict[str, tuple[str, ...]] = {
    "purchase": ("order_id", "amount", "currency", "items", "channel", "coupon", "referral_code"),
    "refund": ("order_id", "amount", "reason"),
    "visit": ("channel", "url", "screen", "product_sku", "duration_s", "utm_source", "utm_campaign"),
    "ticket": ("ticket_id", "status", "category", "priority", "csat", "nps"),
    "referral": ("action", "code", "channel"),
    "identify": ("traits",),
    "survey": ("nps", "csat", "survey_id", "comment", "channel"),
    "consent": ("group", "status", "source"),
}
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NAIVE_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")


class UsageError(ValueError):
    """Bad command-line input (mapping, workspace, type): the whole import cannot start."""


@dataclass(frozen=True)
class ImportRow:
    """A valid event, encoded and keyed for `flywheel.events.inbound`."""

    line: int
    key: bytes
    value: bytes
    event_id: str


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str
    raw: str


RowOutcome = ImportRow | Rejected


def to_record(line: int, doc: Any, raw: str) -> RowOutcome:
    """Validate one decoded document against the contracts; a rejection carries the contract's reason."""
    try:
        event = validate_typed(doc, INBOUND_EVENT_TYPES)
        return ImportRow(line, event_partition_key(event), encode(event), event.id)
    except InvalidEvent as exc:
        return Rejected(line, exc.reason, raw)


def parse_jsonl_line(line: int, raw: bytes, workspace: str | None) -> RowOutcome | None:
    """One JSONL line; None for a blank line. With `workspace`, an event of another workspace is rejected."""
    try:
        text = raw.decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        return Rejected(line, f"not valid UTF-8: {exc.reason} at byte {exc.start}", raw.decode("utf-8", "replace"))
    if not text:
        return None
    try:
        doc = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        return Rejected(line, f"malformed JSON: {exc}", text)
    if workspace is not None and isinstance(doc, dict) and doc.get("workspace") != workspace:
        # Safety: --workspace promises nothing lands in another tenant, so a mismatch is never published.
        return Rejected(line, f"workspace {doc.get('workspace')!r} differs from --workspace {workspace!r}", text)
    return to_record(line, doc, text)


def parse_pairs(specs: Sequence[str], option: str) -> dict[str, str]:
    """`FIELD=VALUE` options as a dict; raises UsageError naming the bad one."""
    out: dict[str, str] = {}
    for spec in specs:
        target, sep, value = spec.partition("=")
        target, value = target.strip(), value.strip()
        if not sep or not target or not value:
            raise UsageError(f"{option} {spec!r}: expected FIELD=VALUE, e.g. customer.external_id=customer_id")
        out[target.removeprefix("data.")] = value
    return out


def resolve_mapping(event_type: str, header: Sequence[str], explicit: Mapping[str, str]) -> dict[str, str]:
    """Target path -> column: explicit `--map`s win, then columns named like a field (or an alias of it)."""
    if event_type not in INBOUND_EVENT_TYPES:
        raise UsageError(f"unknown --type {event_type!r}; expected one of: {', '.join(sorted(INBOUND_EVENT_TYPES))}")
    columns = set(header)
    missing = sorted(col for col in explicit.values() if col not in columns)
    if missing:
        raise UsageError(f"--map names columns not in the header: {', '.join(missing)} (header: {', '.join(header)})")
    mapping = dict(explicit)
    mapped_columns = set(explicit.values())
    candidates = {**ALIASES, **{name: (name,) for name in TYPE_FIELDS[event_type]}}
    for target, names in candidates.items():
        if target in mapping:
            continue
        column = next((n for n in names if n in columns and n not in mapped_columns), None)
        if column is not None:
            mapping[target] = column
            mapped_columns.add(column)
    if not any(target.startswith("customer.") for target in mapping):
        raise UsageError("no customer identifier mapped: add e.g. --map customer.external_id=COLUMN")
    if "time" not in mapping:
        raise UsageError("no event time mapped: add --map time=COLUMN")
    return mapping


def normalise_time(value: str) -> str:
    """Dates alone become midnight UTC and zone-less timestamps are read as UTC (exports often drop the zone)."""
    if _DATE_ONLY.match(value):
        return f"{value}T00:00:00Z"
    if _NAIVE_DATETIME.match(value):
        return value.replace(" ", "T") + "Z"
    return value


def _set_path(doc: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    node = doc
    for part in parents:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise InvalidEvent(f"{path}: {part} is both a value and an object in the mapping")
        node = child
    node[leaf] = value


@dataclass
class CsvMapper:
    """Turns CSV rows into inbound events; keeps the only state needed (duplicate-row counts) for order ids."""

    event_type: str
    workspace: str
    file_name: str
    header: Sequence[str]
    mapping: Mapping[str, str]
    constants: Mapping[str, str] = field(default_factory=dict)
    source: str = "import"
    _seen: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        if not is_valid_workspace(self.workspace):
            raise UsageError(f"invalid --workspace {self.workspace!r}: lowercase letters, digits, '-' and '_'")
        self._index = {name: i for i, name in enumerate(self.header)}

    def row(self, line: int, cells: Sequence[str]) -> RowOutcome:
        raw = ",".join(cells)
        if len(cells) != len(self.header):
            return Rejected(line, f"expected {len(self.header)} columns, got {len(cells)}", raw)
        content = "\x1f".join(cells)
        try:
            content.encode()  # the file is read with surrogateescape: a bad byte shows up here, in its row
        except UnicodeEncodeError:
            return Rejected(line, "not valid UTF-8", raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
        # Identical rows (CDNOW has some: two orders of one amount on one day) are separate orders.
        self._seen[content] += 1
        occurrence = self._seen[content]
        doc: dict[str, Any] = {
            "specversion": "1.0",
            "id": str(uuid.uuid5(IMPORT_NAMESPACE, f"{self.workspace}\n{self.file_name}\n{line}\n{content}")),
            "source": self.source,
            "type": self.event_type,
            "workspace": self.workspace,
            "datacontenttype": "application/json",
            "data": {"customer": {}},  # so a row with every identifier empty says so, not "customer missing"
        }
        try:
            for target, value in [*self.constants.items(), *self._cells(cells)]:
                self._assign(doc, target, value)
        except InvalidEvent as exc:
            return Rejected(line, exc.reason, raw)
        if self.event_type in ("purchase", "refund") and "order_id" not in doc["data"]:
            digest = hashlib.sha256(f"{self.workspace}\n{content}\n{occurrence}".encode()).hexdigest()
            doc["data"]["order_id"] = f"imp-{digest[:24]}"
        return to_record(line, doc, raw)

    def _cells(self, cells: Sequence[str]) -> list[tuple[str, str]]:
        pairs = [(target, cells[self._index[column]].strip()) for target, column in self.mapping.items()]
        return [(target, value) for target, value in pairs if value]  # an empty cell means "not given"

    def _assign(self, doc: dict[str, Any], target: str, value: str) -> None:
        if target == "time":
            doc["time"] = normalise_time(value)
        elif target in ENVELOPE_TARGETS:
            doc[target] = value
        elif target in JSON_TARGETS:
            try:
                _set_path(doc["data"], target, orjson.loads(value))
            except orjson.JSONDecodeError:
                raise InvalidEvent(f"{target}: cell is not valid JSON") from None
        else:
            _set_path(doc["data"], target, value)
