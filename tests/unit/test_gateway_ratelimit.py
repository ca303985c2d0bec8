"""The per-key token bucket, with time passed in."""

from __future__ import annotations

import pytest

from services.gateway.ratelimit import RateLimiter, TokenBucket, rate_headers


def test_a_full_bucket_allows_a_burst_then_refuses() -> None:
    bucket = TokenBucket(rate_per_s=1.0, burst=3, now=0.0)
    decisions = [bucket.take(0.0) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [d.remaining for d in decisions] == [2, 1, 0, 0]
    assert decisions[-1].retry_after_s == 1


def test_tokens_flow_back_at_the_rate_up_to_the_burst() -> None:
    bucket = TokenBucket(rate_per_s=2.0, burst=2, now=0.0)
    assert bucket.take(0.0).allowed and bucket.take(0.0).allowed
    assert not bucket.take(0.1).allowed
    assert bucket.take(0.5).allowed  # 0.5 s at 2/s: one token back
    assert bucket.is_full(100.0)
    assert bucket.take(100.0).remaining == 1  # capped at the burst, not 200 tokens


def test_retry_after_rounds_up_to_whole_seconds() -> None:
    bucket = TokenBucket(rate_per_s=0.25, burst=1, now=0.0)
    assert bucket.take(0.0).allowed
    refused = bucket.take(1.0)
    assert not refused.allowed
    assert refused.retry_after_s == 3  # 0.25 of a token back after 1 s; 0.75 more takes 3 s


def test_a_clock_stepping_back_neither_mints_nor_drains_tokens() -> None:
    bucket = TokenBucket(rate_per_s=1.0, burst=1, now=10.0)
    assert bucket.take(10.0).allowed
    assert not bucket.take(5.0).allowed
    assert bucket.take(11.0).allowed


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError):
        TokenBucket(rate_per_s=0, burst=1, now=0.0)
    with pytest.raises(ValueError):
        TokenBucket(rate_per_s=1, burst=0, now=0.0)


def test_each_key_has_its_own_bucket() -> None:
    limiter = RateLimiter(rate_per_s=1.0, burst=1)
    assert limiter.take("a", 0.0).allowed
    assert not limiter.take("a", 0.0).allowed
    assert limiter.take("b", 0.0).allowed


def test_full_buckets_are_forgotten_when_the_map_is_full() -> None:
    limiter = RateLimiter(rate_per_s=1.0, burst=1, max_keys=2)
    limiter.take("a", 0.0)
    limiter.take("b", 0.0)
    limiter.take("c", 10.0)  # a and b refilled by now: dropped
    assert len(limiter) == 1


def test_headers_carry_retry_after_only_when_refused() -> None:
    limiter = RateLimiter(rate_per_s=1.0, burst=1)
    allowed = rate_headers(limiter.take("a", 0.0))
    refused = rate_headers(limiter.take("a", 0.0))
    assert "Retry-After" not in allowed and allowed["RateLimit-Limit"] == "1"
    assert refused["Retry-After"] == "1" and refused["RateLimit-Remaining"] == "0"
