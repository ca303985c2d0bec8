"""Acceptance 3 of issue 21, Python side: only the generated client (clients/python, `flywheel_client`).

Posts a purchase carrying only an email, finds the customer, reads the 360 view, creates a segment and a journey
from typed models, checks a refused segment answers a typed problem, and prints one line per result (the same lines
as acceptance.mts; tests/e2e/test_generated_clients.py reads them).

Environment: FLYWHEEL_URL, FLYWHEEL_API_KEY, FLYWHEEL_WORKSPACE, FLYWHEEL_EMAIL. Run with clients/python on
PYTHONPATH (or `pip install clients/python`).
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from typing import TypeVar

from flywheel_client import AuthenticatedClient
from flywheel_client.api.customers import find_customer, get_customer
from flywheel_client.api.events import post_events
from flywheel_client.api.journeys import create_journey
from flywheel_client.api.segments import create_segment
from flywheel_client.models import (
    ActionStep,
    AllOfSegmentLeaf,
    Customer360,
    CustomerRef,
    CustomerView,
    EventsAccepted,
    EventTrigger,
    ExitStep,
    Journey,
    JourneyIn,
    JourneyInSteps,
    JourneySettings,
    Problem,
    PurchaseData,
    PurchaseEvent,
    Segment,
    SegmentIn,
    SegmentLeaf,
    SegmentLeafOp,
    WebhookAction,
    WebhookActionChannel,
)
from flywheel_client.types import Unset

DEADLINE_S = 90.0
T = TypeVar("T")


def poll(what: str, attempt: Callable[[], T | None]) -> T:
    deadline = time.monotonic() + DEADLINE_S
    while True:
        found = attempt()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.25)


def expect(answer: object, kind: type[T]) -> T:
    """The answer as `kind`, or a clear failure naming the problem the gateway answered."""
    if isinstance(answer, Problem):
        raise RuntimeError(f"{answer.status} {answer.title}: {answer.detail} {answer.errors}")
    if not isinstance(answer, kind):
        raise RuntimeError(f"unexpected answer {answer!r}")
    return answer


def main() -> None:
    email = os.environ["FLYWHEEL_EMAIL"]
    client = AuthenticatedClient(
        base_url=os.environ["FLYWHEEL_URL"], token=os.environ["FLYWHEEL_API_KEY"], raise_on_unexpected_status=True
    )
    with client:
        purchase = PurchaseEvent(
            specversion="1.0",
            id=f"py-{uuid.uuid4().hex}",
            source="python-client",
            type_="purchase",
            data=PurchaseData(
                customer=CustomerRef(email=email),
                order_id=f"o-py-{uuid.uuid4().hex}",
                amount="42.50",
                currency="EUR",
            ),
        )
        accepted = expect(post_events.sync(client=client, body=purchase), EventsAccepted)
        print(f"posted {len(accepted.accepted)}")

        def find() -> CustomerView | None:
            answer = find_customer.sync(client=client, email=email)
            if isinstance(answer, Problem) and answer.status == 404:
                return None  # profile has not taken the event in yet
            return expect(answer, CustomerView)

        found = poll("the customer", find)
        identifiers = found.identifiers if not isinstance(found.identifiers, Unset) else None
        emails = identifiers.email if identifiers and isinstance(identifiers.email, list) else []
        print(f"found {','.join(emails)}")

        def view() -> Customer360:
            answer = get_customer.sync(found.customer_id, client=client)
            return expect(answer, Customer360)

        def with_the_purchase() -> Customer360 | None:
            answer = view()
            return answer if not isinstance(answer.stats, Unset) and answer.stats.orders == 1 else None

        customer = poll("the purchase in the 360 view", with_the_purchase)
        assert not isinstance(customer.stats, Unset)
        print(f"360 orders={customer.stats.orders} revenue={customer.stats.revenue}")

        buyers = SegmentIn(
            name="Buyers (Python client)",
            condition=AllOfSegmentLeaf(all_=[SegmentLeaf(field="stats.orders", op=SegmentLeafOp.GTE, value=1)]),
        )
        segment = expect(create_segment.sync(client=client, body=buyers), Segment)
        print(f"segment {segment.name} members={segment.members}")

        def in_the_segment() -> str | None:
            segments = view().segments
            entered = segments if isinstance(segments, list) else []
            return next((s.name for s in entered if s.segment_id == segment.segment_id), None)

        print(f"360 segment {poll('the segment in the 360 view', in_the_segment)}")

        # The steps map's values are a union openapi-python-client leaves untyped: each step is built typed, then
        # stored as its dict.
        steps = JourneyInSteps()
        thanks = WebhookAction(kind="webhook", channel=WebhookActionChannel.EMAIL, template="Thanks!")
        steps["thank"] = ActionStep(type_="action", action=thanks, next_="done").to_dict()
        steps["done"] = ExitStep(type_="exit").to_dict()
        document = JourneyIn(
            name="Thank buyers (Python client)",
            trigger=EventTrigger(type_="event", event="purchase"),
            entry_step="thank",
            steps=steps,
            settings=JourneySettings(timezone="UTC"),
        )
        journey = expect(create_journey.sync(client=client, body=document), Journey)
        print(f"journey {journey.name} status={journey.status} version={journey.latest_version}")

        bad = SegmentIn(
            name="Bad",
            condition=AllOfSegmentLeaf(all_=[SegmentLeaf(field="stats.nope", op=SegmentLeafOp.GTE, value=1)]),
        )
        refused = create_segment.sync(client=client, body=bad)
        if isinstance(refused, Problem):
            errors = refused.errors if isinstance(refused.errors, list) else []
            print(f"refused {refused.status} {','.join(error.field for error in errors)}")
        else:
            print("refused no")


if __name__ == "__main__":
    main()
