"""A journey's measured lift (GET .../journeys/{id}/lift), and the purchases it is measured with.

Journey keeps the amount and time of each resolved `purchase` (simulation_store.journey_purchases), so revenue per
customer after entry can be compared between enrolled and held-out customers (domain/lift.py: the differences and
their 95% intervals). Each customer counts once, by their first enrolment in the journey (any version); a
purchase counts within the window after that entry: the journey's goal `within` (its active version's, else its
latest's), else DEFAULT_WINDOW; purchases are gross (refunds are not subtracted)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from contracts.envelope import Envelope
from contracts.http.journey import Difference, GroupOutcome, JourneyLift
from runtime.db import Connection
from runtime.handlers import with_customers
from runtime.unit_of_work import Work
from services.journey import journey_store, simulation_store
from services.journey.domain.document import parse_journey
from services.journey.domain.lift import GroupSums, Interval, newcombe, welch
from services.journey.domain.schedule import duration
from services.journey.simulation_store import JourneyPurchase

DEFAULT_WINDOW = "30d"


async def record_purchases(work: Work, workspace: str, events: Sequence[Envelope]) -> None:
    """Keep the batch's purchases (each once), under the customer they belong to now."""
    bought = [e for e in events if e.type == "purchase"]
    if not bought:
        return
    owned = await with_customers(work.conn, workspace, bought)
    purchases = []
    for event, customer_id in owned:
        amount = getattr(event.data, "amount", None)
        if amount is not None:
            purchases.append(JourneyPurchase(event.id, customer_id, Decimal(str(amount)), event.time))
    await simulation_store.record_purchases(work.conn, workspace, purchases)


async def journey_lift(conn: Connection, workspace: str, journey_id: str, now: dt.datetime) -> JourneyLift | None:
    """The journey's lift as of `now`; None when the workspace has no such journey."""
    row = await journey_store.get_journey(conn, workspace, journey_id)
    if row is None:
        return None
    version = row.active_version or row.latest_version
    documents = await journey_store.load_versions(conn, workspace, [(journey_id, version)])
    goal = parse_journey(documents[(journey_id, version)]).goal if (journey_id, version) in documents else None
    window = goal.within if goal is not None and goal.within is not None else DEFAULT_WINDOW
    sums = await simulation_store.lift_sums(conn, workspace, journey_id, duration(window), now)
    enrolled, held_out = sums[False], sums[True]
    return JourneyLift(
        journey_id=journey_id,
        window=window,
        as_of=now,
        enrolled=_group(enrolled),
        held_out=_group(held_out),
        conversion_rate_difference=_difference(
            newcombe(enrolled.converted, enrolled.n, held_out.converted, held_out.n)
        ),
        revenue_per_customer_difference=_difference(welch(enrolled, held_out)),
    )


def _group(sums: GroupSums) -> GroupOutcome:
    return GroupOutcome(
        customers=sums.n, converted=sums.converted, conversion_rate=sums.rate, revenue_per_customer=sums.mean
    )


def _difference(interval: Interval | None) -> Difference | None:
    if interval is None:
        return None
    return Difference(estimate=interval.estimate, low=interval.low, high=interval.high, method=interval.method)
