"""services/loyalty/metrics.py: points by kind (absolute values, nothing for 0) and redemptions by outcome."""

from __future__ import annotations

from prometheus_client import REGISTRY

from services.loyalty.metrics import count_points, count_redemption


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_points_are_counted_by_kind_as_absolute_values() -> None:
    before = {kind: sample("flywheel_loyalty_points_total", kind=kind) for kind in ("earned", "adjusted")}
    count_points("earned", 120)
    count_points("adjusted", -30)
    count_points("earned", 0)
    assert sample("flywheel_loyalty_points_total", kind="earned") - before["earned"] == 120
    assert sample("flywheel_loyalty_points_total", kind="adjusted") - before["adjusted"] == 30


def test_redemptions_are_counted_by_outcome_and_every_outcome_exists_at_start() -> None:
    for outcome in ("held", "repeated", "short", "refused", "confirmed", "released"):
        assert REGISTRY.get_sample_value("flywheel_loyalty_redemptions_total", {"outcome": outcome}) is not None
    before = sample("flywheel_loyalty_redemptions_total", outcome="short")
    count_redemption("short")
    assert sample("flywheel_loyalty_redemptions_total", outcome="short") - before == 1
