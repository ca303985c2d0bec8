"""The journey service's own HTTP documents; those the public API passes through are in contracts/http/journey.py."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from pydantic import field_validator

from contracts.http import journey as http
from services.journey import journey_store as js

EXAMPLE_DOCUMENT: dict[str, Any] = {
    "name": "Cross-sell socks after shoes",
    "trigger": {"type": "event", "event": "purchase"},
    "entry_step": "wait",
    "steps": {
        "wait": {"type": "wait", "duration": "2d", "next": "offer"},
        "offer": {
            "type": "action",
            "action": {"kind": "webhook", "channel": "email", "template": "Socks that go with your shoes."},
            "next": "done",
        },
        "done": {"type": "exit"},
    },
    "goal": {"event": "purchase", "within": "14d"},
}


class ChannelIn(http.ChannelIn):
    """The public ChannelIn (contracts/http/journey.py), with what only this service checks: an http(s) URL with a
    host, and a time zone it knows."""

    @field_validator("webhook_url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http or https URL")
        return url

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, name: str) -> str:
        return js.check_timezone(name)
