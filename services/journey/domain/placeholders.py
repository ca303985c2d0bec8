"""Message templates: `{{traits.first_name | default: "there"}}`-style placeholders, and nothing more.

Deliberately not a template language: a placeholder names one value (`traits.<name>`, `stats.<name>`,
`scores.<name>`, `customer_id`, or loyalty's `loyalty.tier`, `loyalty.balance`, `loyalty.expiring_points` and
`loyalty.expiring_at`: the points of the latest expiry notice and when they expire) with an optional quoted default,
so a journey author can never run code, and rendering can never fail: a missing or null value renders as its
default, or as nothing. Values are inserted as text (numbers without a trailing ".0", true/false, lists and objects
as JSON); escaping for HTML or SMS is the webhook receiver's business, since only it knows the channel's format.
Inside a default, `\\"` is a quote and `\\\\` a backslash.

Scanning is one pass, linear in the template's length whatever it holds: a placeholder runs from a `{{`
to the first `}}` after it (found with str.find, never by backtracking), then its inside is read by a
small hand-written parser. A template of ten thousand unclosed `{{` costs what any template of its
length costs; the regular expressions this replaced took quadratic time on those, freezing journey's
event loop for every workspace.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from services.journey.domain.budgets import MAX_PLACEHOLDERS, MAX_REPORTED_PLACEHOLDERS
from services.journey.domain.conditions import CustomerFacts

# Fully matched against a short path only (no backtracking across a template).
_PATH = re.compile(
    r"customer_id|(traits|stats|scores)\.[A-Za-z_][A-Za-z0-9_]{0,63}|loyalty\.(tier|balance|expiring_points|expiring_at)"
)
_PATH_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_PATH_CHARS = _PATH_START | frozenset("0123456789.")
_DEFAULT = "default:"
_SHOWN = 80


@dataclass(frozen=True)
class Placeholder:
    """A `{{path | default: "text"}}`: the path as written and its default, unescaped (None: no default)."""

    path: str
    default: str | None


def _spans(template: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each `{{...}}`, left to right: from a `{{` to the first `}}` after it. Each search
    starts where the last one ended, so the whole scan reads the template once."""
    start = template.find("{{")
    while start != -1:
        close = template.find("}}", start + 2)
        if close == -1:
            return
        yield start, close + 2
        start = template.find("{{", close + 2)


def _space(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def parse_placeholder(inside: str) -> Placeholder | None:
    """What is between `{{` and `}}`: `path`, optionally `| default: "text"`, with any whitespace around
    them; None when it is anything else. Reads each character once."""
    start = at = _space(inside, 0)
    if at == len(inside) or inside[at] not in _PATH_START:
        return None
    at += 1
    while at < len(inside) and inside[at] in _PATH_CHARS:
        at += 1
    path = inside[start:at]
    at = _space(inside, at)
    if at == len(inside):
        return Placeholder(path, None)
    if inside[at] != "|":
        return None
    at = _space(inside, at + 1)
    if not inside.startswith(_DEFAULT, at):
        return None
    at = _space(inside, at + len(_DEFAULT))
    if at == len(inside) or inside[at] != '"':
        return None
    default, at = _quoted(inside, at + 1)
    if default is None or _space(inside, at) != len(inside):
        return None
    return Placeholder(path, default)


def _quoted(text: str, at: int) -> tuple[str | None, int]:
    """The text up to the closing quote from `at` (just after the opening one), unescaped, and the position
    after the closing quote; None if it is not closed (a backslash escapes any character but a newline)."""
    chars: list[str] = []
    while at < len(text):
        char = text[at]
        if char == '"':
            return "".join(chars), at + 1
        if char == "\\":
            if at + 1 == len(text) or text[at + 1] == "\n":
                return None, at
            chars.append(text[at + 1])
            at += 2
        else:
            chars.append(char)
            at += 1
    return None, at


def _known(placeholder: Placeholder | None) -> bool:
    return placeholder is not None and _PATH.fullmatch(placeholder.path) is not None


def template_problems(template: str) -> list[str]:
    """Why a template is not valid: every `{{...}}` must be a known placeholder, and there may be at most
    MAX_PLACEHOLDERS of them. The first MAX_REPORTED_PLACEHOLDERS bad ones are named, the rest counted."""
    problems: list[str] = []
    unknown = placeholders = 0
    for start, end in _spans(template):
        placeholders += 1
        if _known(parse_placeholder(template[start + 2 : end - 2])):
            continue
        unknown += 1
        if unknown <= MAX_REPORTED_PLACEHOLDERS:
            text = template[start:end]
            shown = text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."
            problems.append(
                f"unknown placeholder {shown}: use {{{{traits.<name>}}}}, {{{{stats.<name>}}}}, "
                "{{scores.<name>}}, {{loyalty.<tier|balance|expiring_points|expiring_at>}} or "
                '{{customer_id}}, optionally with | default: "text"'
            )
    if unknown > MAX_REPORTED_PLACEHOLDERS:
        problems.append(f"and {unknown - MAX_REPORTED_PLACEHOLDERS} more unknown placeholders")
    if placeholders > MAX_PLACEHOLDERS:
        problems.append(f"has {placeholders} placeholders; at most {MAX_PLACEHOLDERS}")
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
    sources = {"traits": facts.traits, "stats": facts.stats, "scores": facts.scores, "loyalty": facts.loyalty}
    source: Mapping[str, Any] = sources.get(root, {})
    return source.get(name)


def render(template: str, facts: CustomerFacts) -> str:
    """The template with each placeholder replaced; unknown `{{...}}` stay as they are. Never raises."""
    pieces: list[str] = []
    done = 0
    for start, end in _spans(template):
        placeholder = parse_placeholder(template[start + 2 : end - 2])
        if placeholder is None or not _PATH.fullmatch(placeholder.path):
            continue
        pieces.append(template[done:start])
        value = _lookup(placeholder.path, facts)
        if value is None or value == "":
            pieces.append(placeholder.default or "")
        else:
            pieces.append(_text(value))
        done = end
    pieces.append(template[done:])
    return "".join(pieces)
