"""Request rate limits: a token bucket per API key (and per client address for failed authentications), in
this process's memory.

Each gateway replica keeps its own buckets, so with N replicas behind a load balancer a key may make up
to N times the configured rate. That is the usual trade-off: no shared store on the hot path of every
request (ingestion runs thousands of requests per second), at the price of a looser limit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class RateDecision:
    """Whether a request may go ahead, and what to tell the client either way."""

    allowed: bool
    limit: int  # the burst: the most requests that can be made at once
    remaining: int  # whole tokens left after this request
    retry_after_s: int  # seconds until one token is back (0 when allowed)
    reset_s: int  # seconds until the bucket is full again


class TokenBucket:
    """`rate_per_s` tokens flow in per second up to `burst`; each request takes one. Time is passed in."""

    def __init__(self, rate_per_s: float, burst: int, now: float) -> None:
        if rate_per_s <= 0 or burst < 1:
            raise ValueError("a token bucket needs a positive rate and a burst of at least 1")
        self.rate_per_s = rate_per_s
        self.burst = burst
        self._tokens = float(burst)
        self._updated = now

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self._updated)  # a clock stepping back must not mint or drain tokens
        self._tokens = min(float(self.burst), self._tokens + elapsed * self.rate_per_s)
        self._updated = max(self._updated, now)

    def take(self, now: float) -> RateDecision:
        self._refill(now)
        allowed = self._tokens >= 1.0
        if allowed:
            self._tokens -= 1.0
        missing_for_one = max(0.0, 1.0 - self._tokens)
        return RateDecision(
            allowed=allowed,
            limit=self.burst,
            remaining=int(self._tokens),
            retry_after_s=0 if allowed else max(1, math.ceil(missing_for_one / self.rate_per_s)),
            reset_s=math.ceil((self.burst - self._tokens) / self.rate_per_s),
        )

    def is_full(self, now: float) -> bool:
        self._refill(now)
        return self._tokens >= self.burst

    def is_empty(self, now: float) -> bool:
        self._refill(now)
        return self._tokens < 1.0


class RateLimiter:
    """One bucket per key id; full buckets are forgotten, so idle keys cost no memory."""

    def __init__(self, rate_per_s: float, burst: int, max_keys: int = 100_000) -> None:
        self.rate_per_s = rate_per_s
        self.burst = burst
        self._max_keys = max_keys
        self._buckets: dict[str, TokenBucket] = {}

    def take(self, key_id: str, now: float) -> RateDecision:
        bucket = self._buckets.get(key_id)
        if bucket is None:
            if len(self._buckets) >= self._max_keys:
                self._forget_full(now)
            bucket = self._buckets[key_id] = TokenBucket(self.rate_per_s, self.burst, now)
        return bucket.take(now)

    def is_exhausted(self, key_id: str, now: float) -> bool:
        """Whether the next `take` would be refused, without taking anything."""
        bucket = self._buckets.get(key_id)
        return bucket is not None and bucket.is_empty(now)

    def _forget_full(self, now: float) -> None:
        # A full bucket is the same as no bucket; only keys that spent tokens recently are kept.
        self._buckets = {k: b for k, b in self._buckets.items() if not b.is_full(now)}

    def __len__(self) -> int:
        return len(self._buckets)


def rate_headers(decision: RateDecision) -> dict[str, str]:
    """`RateLimit-*` headers (IETF draft) and, when refused, `Retry-After` in seconds."""
    headers = {
        "RateLimit-Limit": str(decision.limit),
        "RateLimit-Remaining": str(decision.remaining),
        "RateLimit-Reset": str(decision.reset_s),
    }
    if not decision.allowed:
        headers["Retry-After"] = str(decision.retry_after_s)
    return headers
