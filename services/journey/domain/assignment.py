"""Deterministic assignment of customers to A/B variants and to the holdout group.

Both come from a hash, never from randomness: a customer lands in the same variant and the same
group on every retry, replica and re-enrolment, and tests can check the proportions. Each is a
point in [0, 1) from SHA-256 of (purpose, journey_id, customer_id); the purpose ("split" or
"holdout") makes the two independent, so holding 10% out does not skew the variants of the rest.
- Holdout: one global group per workspace: the point comes from the customer alone (not the journey),
  so the customers held out of one journey are held out of every journey with at least that
  holdout_percent, and lift is measured against customers who got no outreach at all.
- Split: the variants' weights divided by their sum cut [0, 1) into consecutive intervals in
  document order; the point picks one. Every split of a journey uses the same point, so a
  customer's position is stable across splits (50/50 then 50/50 puts them on the same side).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from services.journey.domain.model import Variant


def bucket(purpose: str, journey_id: str, customer_id: str) -> float:
    """A uniform point in [0, 1) fixed by (purpose, journey, customer)."""
    digest = hashlib.sha256(f"{purpose}\x1f{journey_id}\x1f{customer_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def in_holdout(journey_id: str, customer_id: str, holdout_percent: float) -> bool:
    """Whether the customer is in the holdout group (enrolled, but gets no outreach); see the module docstring."""
    del journey_id  # the group is global: the same customers for every journey
    return holdout_percent > 0 and bucket("holdout", "", customer_id) * 100 < holdout_percent


def choose_variant(journey_id: str, customer_id: str, variants: Sequence[Variant]) -> Variant:
    """The variant of a split for this customer, in proportion to the (positive) weights."""
    point = bucket("split", journey_id, customer_id) * sum(v.weight for v in variants)
    edge = 0.0
    for variant in variants:
        edge += variant.weight
        if point < edge:
            return variant
    return variants[-1]  # float rounding at the very top
