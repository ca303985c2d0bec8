"""The change events scoring publishes on `flywheel.scoring.changes`, built for one workspace at one moment.

A refit can change the standing of hundreds of thousands of customers at once, so the envelope is
written directly (time and trace headers computed once per batch); each event's `data` is still
validated by its contract model.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from pydantic import BaseModel

from contracts.scoring import (
    ChurnRisk,
    ChurnRiskChangedData,
    CustomerDormantData,
    CustomerReactivatedData,
    RfmSegment,
    RfmSegmentChangedData,
    ScoresChangedData,
    SegmentMembershipData,
)
from contracts.topics import SCORING_CHANGES
from runtime.outbox import EventBatch

SOURCE = "flywheel.scoring"


class ScoreChanges(EventBatch):
    def __init__(self, workspace: str, now: dt.datetime) -> None:
        super().__init__(SOURCE, workspace, now)

    def rfm_segment(
        self,
        customer_id: str,
        previous: RfmSegment | None,
        current: RfmSegment | None,
        scores: tuple[int | None, int | None, int | None],
    ) -> None:
        r, f, m = scores
        data = RfmSegmentChangedData(customer_id=customer_id, previous=previous, current=current, r=r, f=f, m=m)
        self._add("rfm.segment_changed", data)

    def churn_risk(
        self,
        customer_id: str,
        previous: ChurnRisk | None,
        current: ChurnRisk,
        p_alive: float | None,
        reasons: list[str],
        predicted_clv: Decimal | None = None,
    ) -> None:
        data = ChurnRiskChangedData(
            customer_id=customer_id,
            previous=previous,
            current=current,
            p_alive=p_alive,
            reasons=reasons,
            predicted_clv=None if predicted_clv is None else str(predicted_clv),
        )
        self._add("churn.risk_changed", data)

    def scores(
        self,
        customer_id: str,
        previous: tuple[float | None, Decimal | None],
        current: tuple[float | None, Decimal | None],
    ) -> None:
        """p_alive and predicted CLV, as last announced and now (`scores.changed`)."""
        (previous_p, previous_clv), (p_alive, clv) = previous, current
        data = ScoresChangedData(
            customer_id=customer_id,
            previous_p_alive=previous_p,
            p_alive=p_alive,
            previous_predicted_clv=None if previous_clv is None else str(previous_clv),
            predicted_clv=None if clv is None else str(clv),
        )
        self._add("scores.changed", data)

    def segment(self, entered: bool, customer_id: str, segment_id: str, segment_name: str) -> None:
        data = SegmentMembershipData(customer_id=customer_id, segment_id=segment_id, segment_name=segment_name)
        self._add("segment.entered" if entered else "segment.exited", data)

    def dormant(self, data: CustomerDormantData, dormant_since: dt.datetime) -> None:
        # Derived from the spell, so the same spell can never be announced twice under two ids.
        self._add("customer.dormant", data, f"customer.dormant:{data.customer_id}:{_utc(dormant_since)}")

    def reactivated(self, customer_id: str, dormant_since: dt.datetime, purchased_at: dt.datetime) -> None:
        data = CustomerReactivatedData(customer_id=customer_id, dormant_since=dormant_since, purchased_at=purchased_at)
        self._add("customer.reactivated", data, f"customer.reactivated:{customer_id}:{_utc(dormant_since)}")

    def _add(self, event_type: str, data: BaseModel, event_id: str | None = None) -> None:
        customer_id = getattr(data, "customer_id")  # noqa: B009 (every change's data names its customer)
        self.add(SCORING_CHANGES, event_type, event_id or f"{event_type}:{uuid.uuid4().hex}", customer_id, data)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()
