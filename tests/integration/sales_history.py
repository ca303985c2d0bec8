"""A generated history of deals walking the built-in repurchase/upsell pipeline, and the analytics computed
from it in plain Python: the independent side of the sales analytics test."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import pytest

UPSELL_STAGES = ["identified", "contacted", "proposal", "negotiation"]
Stay = tuple[str, int, str, Any, Any]  # deal, sequence, stage, entered, left (None while in it)
UPSELL_PROBABILITIES = {"identified": "0.1", "contacted": "0.3", "proposal": "0.6", "negotiation": "0.8"}


def generate_history(seed: int, count: int, until: dt.datetime) -> tuple[list[dict[str, Any]], list[Stay]]:
    """Deals walking the repurchase/upsell pipeline: forwards mostly, sometimes back, ending won, lost or open."""
    rng = random.Random(seed)
    deals, history = [], []
    for index in range(count):
        deal_id = f"d{index:05d}"
        created = until - dt.timedelta(days=rng.uniform(0, 365))
        position, entered, seq = 0, created, 0
        while True:
            left = entered + dt.timedelta(hours=rng.uniform(1, 30 * 24))
            roll = rng.random()
            if roll < 0.55:  # forwards (from the last stage: won)
                outcome = "won" if position == len(UPSELL_STAGES) - 1 else None
            elif roll < 0.62 and position > 0:
                outcome = "back"
            elif roll < 0.85:
                outcome = "lost"
            else:
                outcome = "open"
            history.append((deal_id, seq, UPSELL_STAGES[position], entered, None if outcome == "open" else left))
            if outcome in ("won", "lost", "open"):
                break
            position += -1 if outcome == "back" else 1
            entered, seq = left, seq + 1
        deals.append(
            {
                "deal_id": deal_id,
                "pipeline_id": "repurchase_upsell",
                "title": f"Deal {index}",
                "customer_id": f"c{index % 997}",
                "amount": Decimal(rng.randint(100, 500_000)) / 100,
                "currency": rng.choice(["EUR", "EUR", "USD"]),
                "owner": rng.choice(["ana", "ben", "cem"]),
                "stage": UPSELL_STAGES[position],
                "stage_seq": seq,
                "status": outcome,
                "created_at": created,
                "closed_at": None if outcome == "open" else left,
            }
        )
    return deals, history


def expected_analytics(
    deals: list[dict[str, Any]], history: list[Stay], owner: str | None = None,
    start: dt.datetime | None = None, end: dt.datetime | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The numbers, in plain Python over the generated history (the definitions in analytics_store.py)."""
    scope = {
        d["deal_id"]: d
        for d in deals
        if (owner is None or d["owner"] == owner)
        and (start is None or d["created_at"] >= start)
        and (end is None or d["created_at"] < end)
    }
    stays = [h for h in history if h[0] in scope]
    furthest: dict[str, int] = {}
    for deal_id, _, stage, _, _ in stays:
        furthest[deal_id] = max(furthest.get(deal_id, 0), UPSELL_STAGES.index(stage))
    for deal_id, deal in scope.items():
        if deal["status"] == "won":
            furthest[deal_id] = len(UPSELL_STAGES)
    reached = [sum(f >= k for f in furthest.values()) for k in range(len(UPSELL_STAGES))]
    won = [d for d in scope.values() if d["status"] == "won"]
    lost = [d for d in scope.values() if d["status"] == "lost"]
    onward = [*reached[1:], len(won)]
    days: dict[str, list[float]] = {s: [] for s in UPSELL_STAGES}
    for _, _, stage, entered, left in stays:
        if left is not None:
            days[stage].append((left - entered).total_seconds() / 86400)
    value: dict[str, list[Decimal]] = {}
    for deal in scope.values():
        if deal["status"] == "open":
            weighted = deal["amount"] * Decimal(UPSELL_PROBABILITIES[deal["stage"]])
            value.setdefault(deal["currency"], [Decimal(0), Decimal(0)])
            value[deal["currency"]][0] += deal["amount"]
            value[deal["currency"]][1] += weighted
    return {
        "deals": len(scope),
        "won": len(won),
        "lost": len(lost),
        "win_rate": len(won) / (len(won) + len(lost)),
        "cycle_days": sum((d["closed_at"] - d["created_at"]).total_seconds() for d in won) / 86400 / len(won),
        "conversions": [n / r for n, r in zip(onward, reached, strict=True)],
        "reached": reached,
        "avg_days": [sum(days[s]) / len(days[s]) for s in UPSELL_STAGES],
        "value": [{"currency": c, "total": f"{t:.2f}", "weighted": f"{w:.2f}"} for c, (t, w) in sorted(value.items())],
    }


def assert_matches(actual: dict[str, Any], expected: dict[str, Any]) -> None:
    assert (actual["deals"], actual["won"], actual["lost"]) == (expected["deals"], expected["won"], expected["lost"])
    assert actual["win_rate"] == pytest.approx(expected["win_rate"], rel=1e-12)
    assert actual["cycle_days"] == pytest.approx(expected["cycle_days"], rel=1e-9)
    assert [c["reached"] for c in actual["conversions"]] == expected["reached"]
    assert [c["rate"] for c in actual["conversions"]] == pytest.approx(expected["conversions"], rel=1e-12)
    assert [s["avg_days"] for s in actual["stages"]] == pytest.approx(expected["avg_days"], rel=1e-9)
    assert actual["pipeline_value"] == expected["value"]
