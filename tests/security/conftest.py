"""Attacks on the running services, as a hostile workspace would try them: only the public API (or, for
producers, the broker) and a key of its own workspace, against the real services, PostgreSQL and broker.

Each test here reproduces one attack of issue 15 and fails on a stack that gives way to it."""

from __future__ import annotations

from tests.integration.conftest import topics

__all__ = ["topics"]
