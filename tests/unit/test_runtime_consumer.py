"""The consumer loop's pure steps: the key/workspace check, decoding a batch into deliveries and dead
letters, and what the loop does when a batch fails (no database, no broker: the loop is built with None for
both, and its transaction step is replaced by a fake that fails as a test says)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import asyncpg
import orjson
import pytest
from aiokafka.structs import ConsumerRecord, TopicPartition

from contracts.codec import decode_inbound
from contracts.envelope import Envelope
from contracts.topics import DEADLETTER, INBOUND
from runtime.consumer import ConsumerLoop, Delivery, Fetched, HandlerResult, key_workspace_mismatch
from runtime.consumer_failures import FailureKind, failure_kind, workspace_failure_reason
from runtime.consumer_lag import LagReporter
from runtime.outbox import OutboundMessage
from runtime.settings import RuntimeSettings
from runtime.telemetry import DEADLETTERED, LAG, WORKSPACE_FAILURES

TRACE_HEADER = ("traceparent", b"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")


def event_doc(workspace: str = "demo", event_id: str | None = None, **data: Any) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id or str(uuid.uuid4()),
        "source": "tests",
        "type": "visit",
        "time": "2024-03-01T12:00:00+00:00",
        "workspace": workspace,
        "data": {"customer": {"external_id": "u-1"}, "channel": "web", **data},
    }


def record(
    value: bytes | dict[str, Any] | None,
    *,
    key: bytes | None = b"demo:u-1",
    offset: int = 0,
    headers: Sequence[tuple[str, bytes]] = (),
) -> ConsumerRecord:
    raw = orjson.dumps(value) if isinstance(value, dict) else value
    return ConsumerRecord(
        topic=INBOUND,
        partition=3,
        offset=offset,
        timestamp=1_709_294_400_000,
        timestamp_type=0,
        key=key,
        value=raw,
        checksum=None,
        serialized_key_size=len(key) if key is not None else -1,
        serialized_value_size=len(raw) if raw is not None else -1,
        headers=list(headers),
    )


class InboundHandler:
    def decode(self, rec: ConsumerRecord) -> Envelope:
        return decode_inbound(rec.value)

    async def handle(self, conn: Any, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        raise AssertionError("decoding must not call the handler")


def decode(records: list[ConsumerRecord]) -> tuple[list[Delivery[Envelope]], list[OutboundMessage]]:
    # Decoding needs no pool, consumer or relay.
    loop: ConsumerLoop[Envelope] = ConsumerLoop(RuntimeSettings(service_name="t"), InboundHandler(), None, None, None)  # type: ignore[arg-type]
    return loop._decode(records)


def headers_of(message: OutboundMessage) -> dict[str, bytes]:
    return dict(message.headers)


# --- key_workspace_mismatch -----------------------------------------------------------------------


def test_a_record_without_key_matches_any_workspace() -> None:
    assert key_workspace_mismatch(record(None, key=None), decode_inbound(orjson.dumps(event_doc()))) is None


@pytest.mark.parametrize("key", [b"demo:u-1", b"demo:a:b:c", b"demo:", b"demo"])
def test_a_key_naming_the_events_workspace_matches(key: bytes) -> None:
    assert key_workspace_mismatch(record(None, key=key), decode_inbound(orjson.dumps(event_doc("demo")))) is None


def test_a_key_naming_another_workspace_is_explained() -> None:
    event = decode_inbound(orjson.dumps(event_doc("demo")))

    message = key_workspace_mismatch(record(None, key=b"other:u-1"), event)

    assert message == "the message key names another workspace than the event's ('demo')"
    assert "other" not in (message or "").replace("another", "")


@pytest.mark.parametrize("key", [b"raw", b"demo-2:u-1", b"DEMO:u-1", b"\xff\xfe:u-1"])
def test_keys_that_do_not_name_the_workspace_exactly_mismatch(key: bytes) -> None:
    event = decode_inbound(orjson.dumps(event_doc("demo")))

    assert key_workspace_mismatch(record(None, key=key), event) is not None


# --- ConsumerLoop._decode -------------------------------------------------------------------------


def test_valid_records_become_deliveries_in_order() -> None:
    records = [record(event_doc(event_id=f"e-{n}"), offset=n) for n in range(3)]

    deliveries, dead = decode(records)

    assert dead == []
    assert [d.event.id for d in deliveries] == ["e-0", "e-1", "e-2"]
    assert [d.record for d in deliveries] == records
    assert all(d.event.type == "visit" for d in deliveries)


def test_a_delivery_exposes_the_records_trace_headers() -> None:
    (delivery,), _ = decode([record(event_doc(), headers=[TRACE_HEADER, ("other", b"x")])])

    assert delivery.trace_headers == [TRACE_HEADER]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (b"{not json", "malformed JSON"),
        (None, "empty message (no value)"),
        (b"[1, 2]", "an event must be a JSON object"),
        ({**event_doc(), "type": "Teleport!"}, "unknown event type; expected one of"),
        (event_doc(channel=None), "invalid visit event: data.channel"),
        ({**event_doc(), "time": "2024-03-01T12:00:00"}, "invalid visit event: time"),  # no time zone
        (event_doc(workspace="other"), "the message key names another workspace than the event's ('other')"),
    ],
    ids=["bad-json", "no-value", "not-an-object", "unknown-type", "schema", "naive-time", "key-of-other-workspace"],
)
def test_an_invalid_record_becomes_a_dead_letter(value: bytes | dict[str, Any] | None, reason: str) -> None:
    rec = record(value, key=b"demo:u-1", offset=42, headers=[TRACE_HEADER])

    deliveries, (letter,) = decode([rec])

    assert deliveries == []
    assert letter.topic == DEADLETTER == "flywheel.deadletter"
    assert (letter.key, letter.value) == (rec.key, rec.value)
    assert letter.headers[0] == TRACE_HEADER  # the original headers are kept, first
    headers = headers_of(letter)
    assert reason in headers["flywheel-dlq-reason"].decode()
    assert headers["flywheel-dlq-service"] == b"t"
    assert headers["flywheel-dlq-topic"] == INBOUND.encode()
    assert headers["flywheel-dlq-partition"] == b"3"
    assert headers["flywheel-dlq-offset"] == b"42"
    assert "flywheel-dlq-time" in headers


def test_a_record_without_key_is_accepted() -> None:
    deliveries, dead = decode([record(event_doc(workspace="other"), key=None)])

    assert [d.event.workspace for d in deliveries] == ["other"]
    assert dead == []


def test_in_batch_duplicates_are_dropped_keeping_the_first() -> None:
    first = record(event_doc(event_id="e-1", channel="web"), offset=0)
    again = record(event_doc(event_id="e-1", channel="app"), offset=1)

    deliveries, dead = decode([first, again])

    assert [d.record.offset for d in deliveries] == [0]
    assert deliveries[0].event.data.channel == "web"
    assert dead == []  # a duplicate is not a dead letter


def test_the_same_event_id_in_two_workspaces_is_not_a_duplicate() -> None:
    records = [
        record(event_doc("demo", event_id="e-1"), key=b"demo:u-1", offset=0),
        record(event_doc("other", event_id="e-1"), key=b"other:u-1", offset=1),
    ]

    deliveries, _ = decode(records)

    assert [(d.event.workspace, d.event.id) for d in deliveries] == [("demo", "e-1"), ("other", "e-1")]


def test_a_mixed_batch_keeps_the_order_of_deliveries_and_of_dead_letters() -> None:
    records = [
        record(event_doc(event_id="e-1"), offset=10),
        record(b"garbage", offset=11),
        record(event_doc(event_id="e-2"), offset=12),
        record(event_doc(event_id="e-1"), offset=13),  # duplicate of offset 10
        record(None, offset=14),
        record(event_doc(event_id="e-3"), offset=15),
    ]

    deliveries, dead = decode(records)

    assert [(d.event.id, d.record.offset) for d in deliveries] == [("e-1", 10), ("e-2", 12), ("e-3", 15)]
    assert [headers_of(m)["flywheel-dlq-offset"] for m in dead] == [b"11", b"14"]
    assert [m.value for m in dead] == [b"garbage", None]


def test_an_invalid_record_does_not_claim_its_event_id() -> None:
    # the first copy is dead-lettered (key of another workspace); the second, valid one is still delivered
    doc = event_doc("demo", event_id="e-1")
    records = [record(doc, key=b"other:u-1", offset=0), record(doc, key=b"demo:u-1", offset=1)]

    deliveries, dead = decode(records)

    assert [d.record.offset for d in deliveries] == [1]
    assert len(dead) == 1


def test_lag_of_a_partition_that_moved_away_is_no_longer_reported() -> None:
    lag = LagReporter("lag-t", None)
    kept, moved = TopicPartition(INBOUND, 0), TopicPartition(INBOUND, 1)

    def reported() -> set[str]:
        return {s.labels["partition"] for m in LAG.collect() for s in m.samples if s.labels["service"] == "lag-t"}

    lag.report(kept, 5)
    lag.report(moved, 7)
    assert reported() == {"0", "1"}
    lag.forget_moved_partitions({kept})  # a rebalance gave partition 1 to another member
    assert reported() == {"0"}


# --- what a failure means ---------------------------------------------------------------------------

TIMEOUT = "canceling statement due to statement timeout"
TOO_MANY_ARGUMENTS = "the number of query arguments cannot exceed 32767"


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (asyncpg.QueryCanceledError(TIMEOUT), FailureKind.WORKSPACE),
        (asyncpg.InterfaceError(TOO_MANY_ARGUMENTS), FailureKind.WORKSPACE),
        (asyncpg.QueryCanceledError("canceling statement due to user request"), FailureKind.TRANSIENT),
        (asyncpg.InterfaceError("cannot call Connection.fetch(): connection is closed"), FailureKind.TRANSIENT),
        (
            asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
            FailureKind.TRANSIENT,
        ),
        (asyncpg.DeadlockDetectedError("deadlock detected"), FailureKind.TRANSIENT),
        (asyncpg.SerializationError("could not serialize access"), FailureKind.TRANSIENT),
        (ConnectionResetError("reset by peer"), FailureKind.TRANSIENT),
        (asyncpg.DataError("invalid input for query argument $1"), FailureKind.MESSAGE),
        (asyncpg.UntranslatableCharacterError("\\u0000 cannot be converted to text"), FailureKind.MESSAGE),
        (ValueError("a bug"), FailureKind.MESSAGE),
    ],
    ids=lambda v: v.name if isinstance(v, FailureKind) else type(v).__name__,
)
def test_failures_are_told_apart(error: BaseException, kind: FailureKind) -> None:
    assert failure_kind(error) is kind


def test_a_workspace_failure_reads_as_what_happened() -> None:
    timeout = asyncpg.QueryCanceledError(TIMEOUT)
    assert workspace_failure_reason("alpha", 4, timeout) == (
        "workspace alpha's events timed out after 4 attempts: QueryCanceledError (SQLSTATE 57014)"
    )
    unbound = workspace_failure_reason("alpha", 4, asyncpg.InterfaceError(TOO_MANY_ARGUMENTS))
    assert unbound.startswith("workspace alpha's events could not be bound (too many query arguments) after 4")


# --- what the loop does when a batch fails ----------------------------------------------------------

Failure = Callable[[list[Envelope]], BaseException | None]


class FakeTransactions:
    """Stands in for the loop's one-transaction step (`_process`) and its dead-letter writes: `fail` says
    what error, if any, a transaction over these events raises."""

    def __init__(self, fail: Failure) -> None:
        self.fail = fail
        self.attempts: list[list[str]] = []  # the event ids of each transaction tried
        self.committed: list[str] = []  # event ids whose effects committed
        self.dead: list[OutboundMessage] = []

    async def process(
        self, records: Sequence[ConsumerRecord], deliveries: Sequence[Delivery[Envelope]], dead: Sequence[Any]
    ) -> None:
        events = [d.event for d in deliveries]
        self.attempts.append([e.id for e in events])
        error = self.fail(events)
        if error is not None:
            raise error
        self.committed += [e.id for e in events if e.id not in self.committed]
        self.dead += dead

    async def write_dead(self, dead: Sequence[OutboundMessage]) -> None:
        self.dead += dead

    def reasons(self) -> dict[bytes, str]:
        """Dead letters by the offset they name -> their reason."""
        return {
            dict(m.headers)["flywheel-dlq-offset"]: dict(m.headers)["flywheel-dlq-reason"].decode() for m in self.dead
        }


def failing_loop(service: str, fail: Failure, retries: int = 3) -> tuple[ConsumerLoop[Envelope], FakeTransactions]:
    settings = RuntimeSettings(
        service_name=service, retry_initial_s=0.001, retry_max_s=0.002, tenant_failure_retries=retries
    )
    # No pool, consumer or relay: the fake transactions stand in for the loop's own, which use them.
    loop: ConsumerLoop[Envelope] = ConsumerLoop(settings, InboundHandler(), None, None, None)  # type: ignore[arg-type]
    fake = FakeTransactions(fail)
    loop._process = fake.process  # type: ignore[method-assign]
    loop._write_dead = fake.write_dead  # type: ignore[method-assign]
    return loop, fake


def mixed_batch(loop: ConsumerLoop[Envelope]) -> Fetched[Envelope]:
    """Events of workspaces alpha (offsets 0, 2) and beta (1, 3), and a record that is no event (4)."""
    records = [
        record(event_doc("alpha", "a-1"), key=b"alpha:u-1", offset=0),
        record(event_doc("beta", "b-1"), key=b"beta:u-1", offset=1),
        record(event_doc("alpha", "a-2"), key=b"alpha:u-2", offset=2),
        record(event_doc("beta", "b-2"), key=b"beta:u-2", offset=3),
        record(b"garbage", key=b"beta:u-3", offset=4),
    ]
    deliveries, dead = loop._decode(records)
    return Fetched({}, records, deliveries, dead)


def when(workspace: str, error: Callable[[], BaseException], times: int | None = None) -> Failure:
    """Fail every transaction holding an event of `workspace` (only the first `times` of them if given)."""
    failed = [0]

    def fail(events: list[Envelope]) -> BaseException | None:
        if any(e.workspace == workspace for e in events) and (times is None or failed[0] < times):
            failed[0] += 1
            return error()
        return None

    return fail


def timeout() -> BaseException:
    return asyncpg.QueryCanceledError(TIMEOUT)


async def process(loop: ConsumerLoop[Envelope], fetched: Fetched[Envelope]) -> bool:
    return await asyncio.wait_for(loop._process_with_retry(fetched, asyncio.Event()), timeout=10)


def counter(metric: Any, *labels: str) -> float:
    value: float = metric.labels(*labels)._value.get()
    return value


async def test_a_workspace_that_keeps_timing_out_is_dead_lettered_and_the_others_flow_on() -> None:
    loop, fake = failing_loop("ws-timeout", when("alpha", timeout))
    fetched = mixed_batch(loop)

    assert await process(loop, fetched)

    everything = ["a-1", "b-1", "a-2", "b-2"]
    assert fake.attempts == [everything] * 3 + [["a-1", "a-2"], ["b-1", "b-2"]]  # three tries, then by workspace
    assert fake.committed == ["b-1", "b-2"]
    reasons = fake.reasons()
    assert set(reasons) == {b"0", b"2", b"4"}  # alpha's events, and the record that is no event
    assert reasons[b"0"] == "workspace alpha's events timed out after 4 attempts: QueryCanceledError (SQLSTATE 57014)"
    assert reasons[b"2"] == reasons[b"0"]
    assert reasons[b"4"].startswith("malformed JSON")
    assert counter(WORKSPACE_FAILURES, "ws-timeout", INBOUND) == 3
    assert counter(DEADLETTERED, "ws-timeout", INBOUND, "workspace_failure") == 2


async def test_a_query_with_too_many_arguments_is_a_workspace_failure_too() -> None:
    loop, fake = failing_loop("ws-unbound", when("beta", lambda: asyncpg.InterfaceError(TOO_MANY_ARGUMENTS)), 1)

    assert await process(loop, mixed_batch(loop))

    assert fake.committed == ["a-1", "a-2"]
    reason = fake.reasons()[b"1"]
    assert reason.startswith("workspace beta's events could not be bound (too many query arguments) after 2 attempts")


async def test_a_timeout_that_clears_on_a_retry_dead_letters_nothing() -> None:
    loop, fake = failing_loop("ws-once", when("alpha", timeout, times=2))

    assert await process(loop, mixed_batch(loop))

    assert len(fake.attempts) == 3  # two failed tries, then the whole batch at once
    assert fake.committed == ["a-1", "b-1", "a-2", "b-2"]
    assert list(fake.reasons()) == [b"4"]


async def test_transient_failures_retry_the_whole_batch_however_often_and_isolate_nothing() -> None:
    loop, fake = failing_loop("ws-transient", when("alpha", lambda: asyncpg.DeadlockDetectedError("deadlock"), 6))

    assert await process(loop, mixed_batch(loop))

    assert len(fake.attempts) == 7 and all(len(ids) == 4 for ids in fake.attempts)
    assert fake.committed == ["a-1", "b-1", "a-2", "b-2"]


async def test_a_message_that_breaks_the_handler_is_isolated_message_by_message() -> None:
    def fail(events: list[Envelope]) -> BaseException | None:
        return ValueError("a bug") if any(e.id == "b-1" for e in events) else None

    loop, fake = failing_loop("ws-message", fail)

    assert await process(loop, mixed_batch(loop))

    assert fake.committed == ["a-1", "a-2", "b-2"]
    reasons = fake.reasons()
    assert reasons[b"1"] == "handler error: ValueError"  # the message may quote a value: not in the reason
    assert reasons[b"4"].startswith("malformed JSON")


async def test_while_isolating_a_workspace_a_message_of_its_own_is_isolated_within_it() -> None:
    # The batch times out; isolated, alpha's part breaks on a message, and message by message a-2 times out.
    def fail(events: list[Envelope]) -> BaseException | None:
        ids = {e.id for e in events}
        if len(ids) == 4 or ids == {"a-2"}:
            return timeout()
        return ValueError("a bug") if ids == {"a-1", "a-2"} else None

    loop, fake = failing_loop("ws-within", fail, retries=1)

    assert await process(loop, mixed_batch(loop))

    assert sorted(fake.committed) == ["a-1", "b-1", "b-2"]
    assert fake.reasons()[b"2"].startswith("workspace alpha's events timed out after 2 attempts")


async def test_stopping_while_a_workspace_keeps_failing_leaves_the_batch_unstored() -> None:
    loop, fake = failing_loop("ws-stop", when("alpha", timeout), retries=100)
    stopping = asyncio.Event()
    stopping.set()

    assert not await loop._process_with_retry(mixed_batch(loop), stopping)
    assert fake.committed == [] and fake.dead == []
