"""What the services' consumer handlers (runtime.consumer.Handler) have in common: decoding a topic's
records, taking a batch one workspace at a time, and finding the customer an event is about (after merges)."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Generic, TypeVar

from contracts.codec import Decoder
from contracts.envelope import Envelope
from contracts.internal import PROFILE_LIFECYCLE_TYPES, ResolvedEnvelope
from runtime import erasures, merges
from runtime.consumer import Delivery, HandlerResult, Record
from runtime.context import C
from runtime.db import Connection
from runtime.outbox import OutboundMessage

E = TypeVar("E", bound=Envelope)

_decode_lifecycle = Decoder(PROFILE_LIFECYCLE_TYPES)


class ContextHandler(Generic[C]):
    """A handler given its service's context (clock, settings, units of work, the service's own parts): every
    service's handlers are built `Handler(context)`, or `Handler(context, decoder)` when one class serves
    several topics. Subclasses add `decode` and `handle`."""

    def __init__(self, context: C) -> None:
        self.context = context


class DecodingHandler(ContextHandler[C]):
    """A handler whose topics' event types are the decoder it is given (one class can then serve several
    topics). Subclasses add `handle`."""

    def __init__(self, context: C, decoder: Decoder) -> None:
        super().__init__(context)
        self._decode = decoder

    def decode(self, record: Record) -> Envelope:
        return self._decode(record.value)


class PerWorkspaceHandler(DecodingHandler[C], ABC):
    """A handler that applies a batch one workspace at a time (see `events_by_workspace`), all at the
    same moment, and publishes what each workspace's events caused."""

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        now = self.context.now()
        result = HandlerResult()
        for workspace, events in events_by_workspace(deliveries):
            result.publish.extend(await self.handle_workspace(conn, workspace, events, now))
        return result

    @abstractmethod
    async def handle_workspace(
        self, conn: Connection, workspace: str, events: Sequence[Envelope], now: dt.datetime
    ) -> list[OutboundMessage]:
        """Apply one workspace's fresh events; return the messages to publish."""


class LifecycleDecoding(ContextHandler[C]):
    """Base of the handlers of `flywheel.profile.lifecycle` (merges and erasures)."""

    def decode(self, record: Record) -> Envelope:
        return _decode_lifecycle(record.value)


def by_workspace(deliveries: Iterable[Delivery[E]]) -> list[tuple[str, list[Delivery[E]]]]:
    """The deliveries by workspace, workspaces in name order: a batch then takes its per-workspace locks
    in the same order as every other batch, so two consumer loops cannot deadlock on them."""
    grouped: dict[str, list[Delivery[E]]] = defaultdict(list)
    for delivery in deliveries:
        grouped[delivery.event.workspace].append(delivery)
    return sorted(grouped.items())


def events_by_workspace(deliveries: Iterable[Delivery[E]]) -> list[tuple[str, list[E]]]:
    """The events by workspace, as `by_workspace`."""
    return [(workspace, [d.event for d in group]) for workspace, group in by_workspace(deliveries)]


async def with_customers(conn: Connection, workspace: str, events: Iterable[E]) -> list[tuple[E, str]]:
    """Each event that names a customer (see `customer_id_of`), with the customer it belongs to now: an id
    merged away since resolves to its survivor (runtime.merges), so late events follow the merge. Events of
    erased customers are left out (runtime.erasures): an erasure lasts."""
    named = [(e, c) for e in events if (c := customer_id_of(e))]
    survivors = await merges.survivors(conn, workspace, (c for _, c in named))
    owned = [(e, survivors.get(c, c)) for e, c in named]
    gone = await erasures.erased(conn, workspace, (c for _, c in owned))
    return [(e, c) for e, c in owned if c not in gone] if gone else owned


def customer_id_of(event: Envelope) -> str | None:
    """Resolved events carry `customerid`; scoring's changes (and other services' events) name the
    customer in their data."""
    if isinstance(event, ResolvedEnvelope):
        return event.customerid
    customer_id = getattr(event.data, "customer_id", None)
    return str(customer_id) if customer_id else None
