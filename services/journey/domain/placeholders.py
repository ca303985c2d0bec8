"""Message templates: `{{traits.first_name | default: "there"}}`-style placeholders, and nothing more.

Deliberately not a template language: a placeholder names one value (`traits.<name>`,
`stats.<name>`, `scores.<name>` or `customer_id`) with an optional quoted default, so a journey
author can never run code, and rendering can never fail: a missing or null value renders as its
default, or as nothing. Values are inserted as text (numbers without a trailing ".0", true/false,
lists and objects as JSON); escaping for HTML or SMS is the webhook receiver's business, since only
it knows the channel's format. Inside a default, `\\"` is a quote and `\\\\` a backslash.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from services.journey.domain.conditions import CustomerFacts

_PLACEHOLDER = re.compile(
    r"\{\{\s*(?P<path>[A-Za-z_][A-Za-z0-9_.]*)\s*"
    r"(?:\|\s*default:\s*\"(?P<default>(?:[^\"\\]|\\.)*)\"\s*)?\}\}"
)
_BRACES = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_PATH = re.compile(r"customer_id|(traits|stats|scores)\.[A-Za-z_][A-Za-z0-9_]{0,63}")
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def template_problems(template: str) -> list[str]:
    """Why a template is not valid: every `{{...}}` must be a known placeholder."""
    problems: list[str] = []
    for match in _BRACES.finditer(template):
        placeholder = _PLACEHOLDER.fullmatch(match.group(0))
        if placeholder is None or not _PATH.fullmatch(placeholder.group("path")):
            shown = match.group(0) if len(match.group(0)) <= 80 else match.group(0)[:77] + "..."
            problems.append(
                f"unknown placeholder {shown}: use {{{{traits.<name>}}}}, {{{{stats.<name>}}}}, "
                f'{{{{scores.<name>}}}} or {{{{customer_id}}}}, optionally with | default: "text"'
            )
    return problems


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | Decimal):
        return str(value)
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


def _lookup(path: str, facts: CustomerFacts) -> Any:
    if path == "customer_id":
        return facts.customer_id
    root, _, name = path.partition(".")
    source: Mapping[str, Any] = {"traits": facts.traits, "stats": facts.stats, "scores": facts.scores}.get(root, {})
    return source.get(name)


def render(template: str, facts: CustomerFacts) -> str:
    """The template with each placeholder replaced; unknown `{{...}}` stay as they are. Never raises."""

    def replace(match: re.Match[str]) -> str:
        path = match.group("path")
        if not _PATH.fullmatch(path):
            return match.group(0)
        value = _lookup(path, facts)
        if value is None or value == "":
            default = match.group("default")
            return "" if default is None else _ESCAPE.sub(r"\1", default)
        return _text(value)

    return _PLACEHOLDER.sub(replace, template)
