"""Journey documents the tests share: an offer after a purchase, a webhook on a visit, the same a day later,
an email from a named journey on every visit (competing journeys), and the hostile document of issue 15 (many
templates of unclosed braces)."""

from __future__ import annotations

import copy
from typing import Any

WEBHOOK: dict[str, Any] = {
    "kind": "webhook",
    "channel": "email",
    "template": 'Hi {{traits.first_name | default: "there"}}',
}


def journey(**changes: Any) -> dict[str, Any]:
    """An offer on a purchase, then a wait: a valid document to change one thing of."""
    doc: dict[str, Any] = {
        "name": "Offer",
        "trigger": {"type": "event", "event": "purchase"},
        "entry_step": "offer",
        "steps": {
            "offer": {"type": "action", "action": copy.deepcopy(WEBHOOK), "next": "wait"},
            "wait": {"type": "wait", "duration": "3d", "next": "done"},
            "done": {"type": "exit"},
        },
        "settings": {"timezone": "Europe/Berlin"},
    }
    doc.update(changes)
    return doc


def hello(name: str, **settings: Any) -> dict[str, Any]:
    """An email from `name` on every visit, with these settings (priority, caps...): journeys that compete."""
    return {
        "name": name,
        "trigger": {"type": "event", "event": "visit"},
        "entry_step": "hello",
        "steps": {
            "hello": {
                "type": "action",
                "action": {"kind": "webhook", "channel": "email", "template": f"From {name}"},
                "next": "done",
            },
            "done": {"type": "exit"},
        },
        "settings": {"reentry": "always", "timezone": "UTC", **settings},
    }


HELLO: dict[str, Any] = {
    "name": "Hello on first visit",
    "trigger": {"type": "event", "event": "visit"},
    "entry_step": "hello",
    "steps": {
        "hello": {
            "type": "action",
            "action": {"kind": "webhook", "channel": "email", "template": "Hi"},
            "next": "done",
        },
        "done": {"type": "exit"},
    },
    "settings": {"reentry": "never", "timezone": "UTC"},
}

WAIT_THEN_HELLO: dict[str, Any] = {
    "name": "Hello a day after a visit",
    "trigger": {"type": "event", "event": "visit"},
    "entry_step": "wait",
    "steps": {
        "wait": {"type": "wait", "duration": "1d", "next": "hello"},
        "hello": {
            "type": "action",
            "action": {"kind": "webhook", "channel": "push", "template": "Hello"},
            "next": "end",
        },
        "end": {"type": "exit"},
    },
    "settings": {"reentry": "never", "timezone": "UTC"},
}


def hostile_document(template: str, templates: int = 20) -> dict[str, Any]:
    """A journey of `templates` webhook steps, each with this template (the issue's attack: 20 x 10,000 `{`)."""
    steps: dict[str, Any] = {
        f"s{i}": {
            "type": "action",
            "action": {"kind": "webhook", "channel": "email", "template": template},
            "next": f"s{i + 1}" if i + 1 < templates else "done",
        }
        for i in range(templates)
    }
    steps["done"] = {"type": "exit"}
    return {"name": "Hostile", "trigger": {"type": "dormant"}, "entry_step": "s0", "steps": steps}
