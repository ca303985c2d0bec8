"""Keeps the 360 view cache exact: every gateway replica reads all of `flywheel.customer.changes` and drops
the reporting service's section of the cached views of the customers it names.

Not a consumer group: each replica needs every notification, from the moment it starts caching, and has
nothing to commit (an invalidation is idempotent and a restarted replica starts with an empty cache). So it
reads every partition, from their end. The cache is live only while the feed is read: if the feed fails,
the cache is cleared and stays off until the feed is read from its end again. A notification missed any
other way (a partition added while running is read from its end) costs at most the cache's TTL.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiokafka import AIOKafkaConsumer, ConsumerRecord
from prometheus_client import Counter, Gauge

from contracts.codec import InvalidEvent, decode_json, validate_typed
from contracts.internal import CUSTOMER_CHANGE_TYPES, CustomerChanged
from contracts.topics import CUSTOMER_CHANGES
from runtime.kafka import client_options
from runtime.settings import RuntimeSettings
from services.gateway.view_cache import ViewCache

log = logging.getLogger(__name__)

VIEW_READS = Counter(
    "flywheel_gateway_view_reads",
    "360 views answered, by where they came from: hit (the cache), partial (the sections a change dropped "
    "fetched again, the others from the cache), miss (every section fetched), bypass (every section fetched: "
    "the cache is not live, or the request said Cache-Control: no-cache). What is fetched is cached unless "
    "its service failed or changed it meanwhile.",
    ["result"],
)
VIEWS_DROPPED = Counter(
    "flywheel_gateway_views_dropped", "Cached 360 views that lost a section (or all) because their customer changed."
)
FEED_LIVE = Gauge("flywheel_gateway_change_feed_live", "1 while the gateway follows flywheel.customer.changes.")


class FeedUnavailable(RuntimeError):
    pass


class ChangeFeed:
    def __init__(self, settings: RuntimeSettings, cache: ViewCache, retry_s: float = 2.0) -> None:
        self._settings = settings
        self._cache = cache
        self._retry_s = retry_s

    async def run(self, stopping: asyncio.Event) -> None:
        while not stopping.is_set():
            try:
                await self._follow(stopping)
            except Exception as exc:  # the gateway serves uncached views meanwhile; the feed must come back
                log.warning("customer change feed lost; 360 views are not cached", extra={"error": repr(exc)})
            finally:
                self._cache.live = False
                self._cache.clear()
                FEED_LIVE.set(0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), timeout=self._retry_s)

    async def _follow(self, stopping: asyncio.Event) -> None:
        # Without a group, a subscribed consumer is given every partition of the topic.
        consumer = AIOKafkaConsumer(
            CUSTOMER_CHANGES,
            **client_options(self._settings),
            group_id=None,
            client_id=f"flywheel-{self._settings.service_name}-changes",
            enable_auto_commit=False,
            auto_offset_reset="latest",
        )
        try:
            await consumer.start()  # inside: a consumer that failed to start is stopped too
            assigned = consumer.assignment()
            if not assigned:
                raise FeedUnavailable(f"topic {CUSTOMER_CHANGES} does not exist")
            await consumer.seek_to_end(*assigned)
            for partition in assigned:
                await consumer.position(partition)  # the end, fixed now: every later change will be read
            self._cache.live = True
            FEED_LIVE.set(1)
            log.info("following customer changes; 360 views are cached")
            while not stopping.is_set():
                batch = await consumer.getmany(timeout_ms=500, max_records=1000)
                for records in batch.values():
                    for record in records:
                        self.apply(record)
        finally:
            await consumer.stop()

    def apply(self, record: ConsumerRecord[bytes, bytes]) -> None:
        try:
            change = validate_typed(decode_json(record.value), CUSTOMER_CHANGE_TYPES)
        except InvalidEvent as exc:
            # Which customers changed is unknown: forgetting every cached view is the exact answer.
            log.error("unreadable customer change; every cached view dropped", extra={"error": str(exc)})
            VIEWS_DROPPED.inc(len(self._cache))
            self._cache.clear()
            return
        assert isinstance(change, CustomerChanged)
        dropped = self._cache.changed(change.workspace, change.data.customer_ids, source=change.source)
        VIEWS_DROPPED.inc(dropped)
