"""Exceptions that mean the same thing in every service, so each idea has one name."""

from __future__ import annotations

__all__ = ["Conflict", "NotFound"]


class NotFound(LookupError):
    """What was asked for does not exist in this workspace (the api answers 404)."""


class Conflict(ValueError):
    """The change does not fit the thing's current state (an archived journey, a reward already decided): 409."""
