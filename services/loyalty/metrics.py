"""The loyalty service's own metrics, beside the consumer, outbox, HTTP and job-round metrics every service has
(runtime/telemetry.py; loyalty's jobs are counted as `flywheel_job_rounds_total{service="loyalty", job}`). The
dashboard *Flywheel / Loyalty* reads them (deploy/observability/); tests/unit/test_observability_metrics.py holds
its queries to these names and labels.

Count after the transaction commits (`Work.after_commit`: a consumer batch or a job round rolled back and
retried must not count twice), and only what it wrote: a replayed event whose ledger entry already exists adds
no points here either.
"""

from __future__ import annotations

from typing import Literal, get_args

from prometheus_client import Counter

PointsKind = Literal["earned", "redeemed", "expired", "reversed", "adjusted"]
RedemptionOutcome = Literal["held", "repeated", "short", "refused", "confirmed", "released"]

POINTS = Counter(
    "flywheel_loyalty_points",
    "Points written to members' ledgers, by kind: earned (purchases, bonuses, referrals, journeys), redeemed, "
    "expired, reversed (refunds, referral reversals), adjusted (by hand; the absolute value, either sign).",
    ["kind"],
)  # exposed as flywheel_loyalty_points_total
REDEMPTIONS = Counter(
    "flywheel_loyalty_redemptions",
    "Redemptions by outcome: held (points held for an order), repeated (the same order asked again: the "
    "existing redemption answered), short (409: not enough points available), refused (422: a program rule), "
    "confirmed (the order's purchase arrived), released (the hold ran out unconfirmed).",
    ["outcome"],
)  # exposed as flywheel_loyalty_redemptions_total

# Every series exists from start-up at 0, so rates and ratios start from a known value.
for _kind in get_args(PointsKind):
    POINTS.labels(_kind)
for _outcome in get_args(RedemptionOutcome):
    REDEMPTIONS.labels(_outcome)


def count_points(kind: PointsKind, points: int) -> None:
    """`points` of `kind` committed (an adjustment's sign is dropped: counters only go up)."""
    if points:
        POINTS.labels(kind).inc(abs(points))


def count_redemption(outcome: RedemptionOutcome, redemptions: int = 1) -> None:
    if redemptions:
        REDEMPTIONS.labels(outcome).inc(redemptions)
