"""The events loyalty publishes on `flywheel.loyalty.events`, each validated by its contract model
(contracts/loyalty.py). Ids derive from the ledger entry (or lot, or tier review) that caused them, so a replay
publishes the same ids; the key is the member."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from contracts.loyalty import PointsExpiredData, PointsExpiringData, PointsRedeemedData, TierChangedData
from contracts.topics import LOYALTY_EVENTS
from runtime.outbox import EventBatch

SOURCE = "flywheel.loyalty"


class Outbox(EventBatch):
    def __init__(self, workspace: str, now: dt.datetime) -> None:
        super().__init__(SOURCE, workspace, now)

    def points_redeemed(self, data: PointsRedeemedData) -> None:
        self._add(f"loyalty.points_redeemed:{data.entry_id}", "loyalty.points_redeemed", data)

    def points_expiring(self, data: PointsExpiringData) -> None:
        self._add(f"loyalty.points_expiring:{data.lot_id}", "loyalty.points_expiring", data)

    def points_expired(self, data: PointsExpiredData) -> None:
        self._add(f"loyalty.points_expired:{data.entry_id}", "loyalty.points_expired", data)

    def tier_changed(self, data: TierChangedData, cause: str) -> None:
        """`cause` makes the id: the review (`review:<anniversary or grace end ISO>`) or the entry that raised it."""
        self._add(f"loyalty.tier_changed:{data.customer_id}:{cause}", "loyalty.tier_changed", data)

    def _add(self, event_id: str, event_type: str, data: BaseModel) -> None:
        customer_id: str = getattr(data, "customer_id")  # noqa: B009 (every loyalty event's data has it)
        self.add(LOYALTY_EVENTS, event_type, event_id, customer_id, data)
