"""`flywheel deadletter`'s selection: dead-letter headers, the envelope read leniently, the time window,
values that are not JSON at all, and the headers a replay publishes (no broker)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
import pytest
from aiokafka.structs import ConsumerRecord
from rich.console import Console
from typer.testing import CliRunner

from cli.deadletter import letters_table
from cli.deadletter_select import (
    DeadLetter,
    Selection,
    dead_letter,
    parse_instant,
    replay_headers,
    truncate,
)
from cli.main import app
from contracts.internal import DEADLETTER_HEADERS
from contracts.topics import INBOUND, RESOLVED
from runtime.kafka import deadletter_headers

AT = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
TRACE = ("traceparent", b"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")


def envelope(workspace: Any = "acme", event_type: Any = "purchase") -> bytes:
    return orjson.dumps({"specversion": "1.0", "id": "e-1", "workspace": workspace, "type": event_type, "data": {}})


def letter(
    value: bytes | None = None,
    *,
    service: str | None = "profile",
    reason: str | None = "customer.phone is not a valid phone number",
    topic: str | None = INBOUND,
    at: dt.datetime | str | None = AT,
    extra: list[tuple[str, bytes]] | None = None,
    offset: int = 41,
) -> DeadLetter:
    headers: list[tuple[str, bytes]] = [("content-type", b"application/cloudevents+json"), TRACE, *(extra or [])]
    for name, text in (("service", service), ("reason", reason), ("topic", topic), ("partition", "3")):
        if text is not None:
            headers.append((f"flywheel-dlq-{name}", text.encode()))
    if at is not None:
        headers.append(("flywheel-dlq-time", (at if isinstance(at, str) else at.isoformat()).encode()))
    headers.append(("flywheel-dlq-offset", b"17"))
    stamp = int((AT + dt.timedelta(seconds=1)).timestamp() * 1000)
    return dead_letter(0, offset, stamp, b"acme:c-1", envelope() if value is None else value, headers)


# --- parsing one record ----------------------------------------------------------------------------


def test_the_headers_the_consumer_loop_writes_are_all_read() -> None:
    record = ConsumerRecord(INBOUND, 3, 17, 0, 0, b"acme:c-1", envelope(), None, 8, 10, [TRACE])
    headers = deadletter_headers("profile", "bad phone", record)
    assert {k for k, _ in headers} >= set(DEADLETTER_HEADERS)  # every documented header is parsed below

    parsed = dead_letter(0, 41, 0, record.key, record.value, headers)

    assert (parsed.service, parsed.reason, parsed.topic) == ("profile", "bad phone", INBOUND)
    assert (parsed.source_partition, parsed.source_offset) == (3, 17)
    assert (parsed.workspace, parsed.event_type) == ("acme", "purchase")
    assert parsed.time.tzinfo is not None and abs(parsed.time - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    assert parsed.position == "0:41"


@pytest.mark.parametrize(
    "value",
    [
        b"\x00\xffnot json",
        b"",
        b"[1, 2]",
        b'"acme"',
        b"null",
        b'{"workspace": 7, "type": ["purchase"]}',
        b'{"data": {}}',
        b'{"workspace": "acme", "type": "purchase"',  # truncated
    ],
)
def test_a_value_that_is_no_envelope_has_no_workspace_or_type(value: bytes) -> None:
    parsed = letter(value)
    assert (parsed.workspace, parsed.event_type) == (None, None)
    assert Selection(service="profile").matches(parsed)
    assert not Selection(workspace="acme").matches(parsed)
    assert not Selection(event_type="purchase").matches(parsed)


def test_a_tombstone_or_a_letter_without_headers_is_parsed_too() -> None:
    parsed = dead_letter(0, 5, 1_780_000_000_000, None, None, None)
    assert (parsed.service, parsed.reason, parsed.topic, parsed.workspace) == (None, None, None, None)
    assert parsed.time == dt.datetime.fromtimestamp(1_780_000_000, dt.UTC)  # the record's timestamp
    assert not Selection(reason_contains="x").matches(parsed)
    assert Selection().matches(parsed)


def test_an_unreadable_time_header_falls_back_to_the_record_timestamp() -> None:
    assert letter(at="yesterday").time == AT + dt.timedelta(seconds=1)
    assert letter(at=None).time == AT + dt.timedelta(seconds=1)


def test_bad_numbers_and_bytes_in_headers_do_not_fail() -> None:
    parsed = dead_letter(0, 1, 0, None, b"{}", [("flywheel-dlq-partition", b"x"), ("flywheel-dlq-reason", b"\xff!")])
    assert parsed.source_partition is None
    assert parsed.reason == "\ufffd!"


# --- selection -------------------------------------------------------------------------------------


def test_every_given_filter_must_match() -> None:
    one = letter()
    assert Selection().matches(one)
    assert Selection(service="profile", topic=INBOUND, workspace="acme", event_type="purchase").matches(one)
    assert not Selection(service="sales").matches(one)
    assert not Selection(topic=RESOLVED).matches(one)
    assert not Selection(workspace="acme-2").matches(one)  # exact, not a prefix
    assert not Selection(event_type="visit").matches(one)
    assert not Selection(service="profile", workspace="other").matches(one)


def test_reason_contains_ignores_case() -> None:
    assert Selection(reason_contains="PHONE NUMBER").matches(letter())
    assert not Selection(reason_contains="email").matches(letter())
    assert not Selection(reason_contains="phone").matches(letter(reason=None))


def test_the_time_window_includes_since_and_excludes_until() -> None:
    one = letter(at=AT)
    assert Selection(since=AT).matches(one)
    assert not Selection(since=AT + dt.timedelta(microseconds=1)).matches(one)
    assert Selection(until=AT + dt.timedelta(microseconds=1)).matches(one)
    assert not Selection(until=AT).matches(one)
    assert Selection(since=AT - dt.timedelta(hours=1), until=AT + dt.timedelta(hours=1)).matches(one)


def test_the_window_compares_instants_across_zones() -> None:
    berlin = dt.timezone(dt.timedelta(hours=2))
    one = letter(at="2026-06-01T14:00:00+02:00")
    assert one.time == AT
    assert Selection(since=dt.datetime(2026, 6, 1, 13, 59, tzinfo=berlin)).matches(one)
    assert not Selection(since=dt.datetime(2026, 6, 1, 14, 1, tzinfo=berlin)).matches(one)


def test_a_window_must_be_aware_and_not_empty() -> None:
    with pytest.raises(ValueError, match="zone"):
        Selection(since=dt.datetime(2026, 6, 1))
    with pytest.raises(ValueError, match="later"):
        Selection(since=AT, until=AT)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-06-01", AT.replace(hour=0)),
        ("2026-06-01T12:00:00Z", AT),
        ("2026-06-01T12:00:00z", AT),
        ("2026-06-01T12:00", AT),  # no zone: UTC
        ("2026-06-01 14:00:00+02:00", AT),
        (" 2026-06-01T12:00:00.000+00:00 ", AT),
    ],
)
def test_parse_instant(text: str, expected: dt.datetime) -> None:
    assert parse_instant(text) == expected


@pytest.mark.parametrize("text", ["", "yesterday", "2026-13-01", "2026-06-01T25:00", "1717243200"])
def test_parse_instant_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_instant(text)


# --- what a replay publishes -----------------------------------------------------------------------


def test_a_replay_keeps_the_original_headers_drops_the_dead_letters_and_marks_the_replay() -> None:
    assert replay_headers(letter(offset=41)) == [
        ("content-type", b"application/cloudevents+json"),
        TRACE,
        ("flywheel-replay-of", b"0:41"),
    ]


def test_a_letter_replayed_before_carries_only_its_latest_replay_mark() -> None:
    again = letter(offset=99, extra=[("flywheel-replay-of", b"0:41")])
    assert [v for k, v in replay_headers(again) if k == "flywheel-replay-of"] == [b"0:99"]


def test_truncate_keeps_one_line() -> None:
    assert truncate("a\nb   c", 10) == "a b c"
    assert truncate("x" * 20, 10) == "x" * 9 + "…"
    assert truncate(None, 10) == ""


def test_the_table_shows_what_the_message_says_verbatim() -> None:
    console = Console(width=300, record=True)
    console.print(letters_table([letter(reason="trait [bold]tier[/bold] must be [red]x[/red]")], "t"))
    assert "trait [bold]tier[/bold] must be [red]x[/red]" in console.export_text()


def test_as_json_is_plain_data() -> None:
    doc = letter().as_json()
    assert orjson.loads(orjson.dumps(doc)) == doc
    assert doc["type"] == "purchase" and doc["topic"] == INBOUND and doc["key"] == "acme:c-1"


# --- option errors (no broker is contacted before the options are checked) ------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--since", "last tuesday"],
        ["replay", "--until", "2026-02-30", "--yes"],
        ["list", "--since", "2026-06-02", "--until", "2026-06-01"],
        ["list", "--limit", "0"],
    ],
)
def test_bad_options_are_usage_errors(args: list[str]) -> None:
    result = CliRunner().invoke(app, ["deadletter", *args], env={"FLYWHEEL_KAFKA_BOOTSTRAP": "127.0.0.1:1"})
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
