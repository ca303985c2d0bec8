"""The loyalty service's own metrics, beside the consumer, outbox and HTTP metrics every service has
(runtime/telemetry.py). The dashboard *Flywheel / Loyalty* and the loyalty alerts read them
(deploy/observability/); tests/unit/test_observability_metrics.py holds their queries to these names and labels.

Count after the transaction commits, and only what it wrote: a replayed event whose ledger entry already
exists adds no points here either.
"""

from __future__ import annotations

from typing import Literal, get_args

from prometheus_client import Counter

PointsKind = Literal["earned", "redeemed", "expired", "reversed", "adjusted"]
RedemptionOutcome = Literal["held", "repeated", "short", "refused", "confirmed", "released"]
Job = Literal["expiry", "expiry_notices", "holds", "tier_reviews"]

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
JOB_ROUNDS = Counter(
    "flywheel_loyalty_job_rounds",
    "Rounds of loyalty's jobs run, by job: expiry, expiry_notices, holds (releasing unconfirmed holds), tier_reviews.",
    ["job"],
)  # exposed as flywheel_loyalty_job_rounds_total
JOB_FAILURES = Counter(
    "flywheel_loyalty_job_failures",
    "A workspace's part of a job round that failed and was isolated (the other workspaces were done), by job.",
    ["job"],
)  # exposed as flywheel_loyalty_job_failures_total

# Every series exists from start-up at 0, so a job that never runs shows (FlywheelLoyaltyJobsStalled) and
# rates start from a known value.
for _kind in get_args(PointsKind):
    POINTS.labels(_kind)
for _outcome in get_args(RedemptionOutcome):
    REDEMPTIONS.labels(_outcome)
for _job in get_args(Job):
    JOB_ROUNDS.labels(_job)
    JOB_FAILURES.labels(_job)


def count_points(kind: PointsKind, points: int) -> None:
    """`points` of `kind` committed (an adjustment's sign is dropped: counters only go up)."""
    if points:
        POINTS.labels(kind).inc(abs(points))


def count_redemption(outcome: RedemptionOutcome) -> None:
    REDEMPTIONS.labels(outcome).inc()


def count_job_round(job: Job, failed_workspaces: int = 0) -> None:
    """One round of `job` done; `failed_workspaces` of it were skipped after an error (logged by the job)."""
    JOB_ROUNDS.labels(job).inc()
    if failed_workspaces:
        JOB_FAILURES.labels(job).inc(failed_workspaces)
