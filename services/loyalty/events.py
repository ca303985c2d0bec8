"""The events loyalty publishes on `flywheel.loyalty.events`, each `data` validated by its contract model
(contracts/loyalty.py) and written in an EventBatch (proven in tests/unit/test_event_batches.py).

Every id derives from the ledger entry (or lot, or tier reached) that caused it, and every entry's id from its
cause, so a replay publishes the same ids and consumers de-duplicate; the key is the member's
`<workspace>:<customer_id>`, so one member's events stay in order."""

from __future__ import annotations

import datetime as dt
import hashlib

from contracts.loyalty import (
    PointsChangedData,
    PointsEarnedData,
    PointsExpiredData,
    PointsExpiringData,
    PointsRedeemedData,
    TierChangedData,
)
from contracts.topics import LOYALTY_EVENTS
from runtime.outbox import EventBatch

SOURCE = "flywheel.loyalty"
MAX_EVENT_ID = 256  # contracts.envelope: an event id's length


def event_id(event_type: str, key: str) -> str:
    """`<type>:<key>`, or `<type>:~<hash of key>` when that is longer than an event id may be (an order id can
    be 512 characters): the same key always gives the same id."""
    plain = f"{event_type}:{key}"
    if len(plain) <= MAX_EVENT_ID:
        return plain
    return f"{event_type}:~{hashlib.sha256(key.encode()).hexdigest()}"


class LoyaltyEvents(EventBatch):
    def __init__(self, workspace: str, now: dt.datetime) -> None:
        super().__init__(SOURCE, workspace, now)

    def earned(self, data: PointsEarnedData) -> None:
        key = event_id("loyalty.points_earned", data.entry_id)
        self.add(LOYALTY_EVENTS, "loyalty.points_earned", key, data.customer_id, data)

    def redeemed(self, data: PointsRedeemedData) -> None:
        key = event_id("loyalty.points_redeemed", data.entry_id)
        self.add(LOYALTY_EVENTS, "loyalty.points_redeemed", key, data.customer_id, data)

    def reversed(self, data: PointsChangedData) -> None:
        key = event_id("loyalty.points_reversed", data.entry_id)
        self.add(LOYALTY_EVENTS, "loyalty.points_reversed", key, data.customer_id, data)

    def adjusted(self, data: PointsChangedData) -> None:
        key = event_id("loyalty.points_adjusted", data.entry_id)
        self.add(LOYALTY_EVENTS, "loyalty.points_adjusted", key, data.customer_id, data)

    def expiring(self, data: PointsExpiringData) -> None:
        key = event_id("loyalty.points_expiring", data.lot_id)
        self.add(LOYALTY_EVENTS, "loyalty.points_expiring", key, data.customer_id, data)

    def expired(self, data: PointsExpiredData) -> None:
        key = event_id("loyalty.points_expired", data.entry_id)
        self.add(LOYALTY_EVENTS, "loyalty.points_expired", key, data.customer_id, data)

    def tier_changed(self, data: TierChangedData, since: dt.datetime) -> None:
        """Its id names the member, the tier reached and when: the same change replayed has the same id."""
        when = since.astimezone(dt.UTC).isoformat()
        key = f"{data.customer_id}:{data.direction}:{data.current or ''}:{when}"  # current null: no tier any more
        self.add(LOYALTY_EVENTS, "loyalty.tier_changed", event_id("loyalty.tier_changed", key), data.customer_id, data)
