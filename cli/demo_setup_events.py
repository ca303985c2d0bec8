"""The events `flywheel demo`'s setup sends once the customers are there (pure: no I/O; the time comes in as a
value): referral invites, clicks, sign-ups and first purchases of friends, and NPS answers for a workspace whose
events gave none. Ids derive from the workspace, the seed and the event's name, so a second run's are repeats."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from cli.demo_data import DEMO_NAMESPACE
from cli.demo_plan import REPORT_CURRENCY

REFERRAL_FRIENDS = 6


def event_id(workspace: str, seed: int, name: str) -> str:
    """A setup event's id: the same on every run of one seed, so a second run adds nothing."""
    return str(uuid.uuid5(DEMO_NAMESPACE, f"{workspace}/{seed}/setup/{name}"))


def _envelope(
    workspace: str, seed: int, name: str, event_type: str, at: datetime, data: dict[str, Any]
) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id(workspace, seed, name),
        "source": "demo-setup",
        "type": event_type,
        "time": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "workspace": workspace,
        "data": data,
    }


def referral_events(
    workspace: str, seed: int, now: datetime, referrers: list[tuple[str, str]], friends: int = REFERRAL_FRIENDS
) -> list[dict[str, Any]]:
    """Referrers (external id, code) invite friends, who click, sign up and buy within the last days. Friends are
    new customers (nobody bought before their first touch), so each is attributed; the first purchase meets the
    referrer reward's rule. Every second friend of the last referrer only clicks: the funnel narrows."""
    events = []
    start = now - timedelta(days=3)
    for n in range(friends):
        referrer_ext, code = referrers[n % len(referrers)]
        friend = {"external_id": f"friend-{seed}-{n:02d}", "email": f"friend{n}.{seed}@friends-{n}.test"}
        device = {"anonymous_id": f"anon-friend-{seed}-{n:02d}"}
        at = start + timedelta(hours=6 * n)
        name = f"referral/{n}"
        events.append(
            _envelope(
                workspace,
                seed,
                f"{name}/invite",
                "referral",
                at,
                {"customer": {"external_id": referrer_ext}, "action": "invite_sent", "code": code, "channel": "email"},
            )
        )
        events.append(
            _envelope(
                workspace,
                seed,
                f"{name}/click",
                "referral",
                at + timedelta(minutes=30),
                {"customer": device, "action": "link_clicked", "code": code},
            )
        )
        if n == friends - 1:
            continue  # clicked, never signed up
        events.append(
            _envelope(
                workspace,
                seed,
                f"{name}/signup",
                "referral",
                at + timedelta(hours=1),
                {"customer": {**device, **friend}, "action": "signed_up", "code": code},
            )
        )
        order = {"order_id": f"ord-friend-{seed}-{n:02d}", "amount": "36.50", "currency": REPORT_CURRENCY}
        items = [{"sku": "BEAN-ETH", "category": "coffee", "quantity": 2, "unit_price": "14.50"}]
        items.append({"sku": "ACC-FIL", "category": "accessories", "quantity": 1, "unit_price": "7.50"})
        events.append(
            _envelope(
                workspace,
                seed,
                f"{name}/purchase",
                "purchase",
                at + timedelta(hours=2),
                {"customer": friend, **order, "items": items, "channel": "web", "referral_code": code},
            )
        )
    return events


def survey_events(workspace: str, seed: int, now: datetime, customers: list[str]) -> list[dict[str, Any]]:
    """NPS answers from the given customers (external ids) over the last weeks: for a workspace whose events
    gave none."""
    scores = (10, 9, 9, 8, 7, 10, 6, 9, 3, 10)
    return [
        _envelope(
            workspace,
            seed,
            f"survey/{n}",
            "survey",
            now - timedelta(days=1 + n * 2),
            {"customer": {"external_id": ext}, "nps": scores[n % len(scores)], "survey_id": "demo-nps"},
        )
        for n, ext in enumerate(customers)
    ]
