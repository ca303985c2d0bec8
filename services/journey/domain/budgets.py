"""Budgets of a journey document: how much one workspace's document may hold.

Many businesses share one journey service, and everything in a document costs every tenant something:
validating it (on the event loop that also runs timers, deliveries and Kafka heartbeats), storing it,
loading it for each batch of events, evaluating its conditions on every event and rendering its templates
for every customer. So every part of a document has a limit, sized well above what a real journey needs,
and a document past one is refused with a 422 whose `errors` name the field
(`steps.offer.action.template: is 25000 characters long; at most 20000`), never with a 500.

Whole document (checked first, in one walk that stops at the first limit passed, so a hostile body
costs little more than its JSON parsing):
- MAX_DOCUMENT_CHARS characters of JSON (strings, keys and punctuation; numbers count 8);
- MAX_JSON_DEPTH levels of nested objects and lists;
- numbers: integers within 64 bits (what orjson, jsonb and every consumer read back unchanged) and finite
  floats; anything else is refused where it is, not turned into null or a 500 by an encoder;
- MAX_DOCUMENT_LEAVES leaf conditions in all (triggers, branches, waits, goal, exit_on), since triggers,
  goals and exits are evaluated on every event of every customer.

Parts (model.py, conditions.py, placeholders.py, schedule.py):
- MAX_STEPS steps, with ids of 1-64 letters, digits, `_` or `-`; MAX_BRANCHES branches per branch step,
  MAX_VARIANTS variants per split (weights above 0 and at most MAX_VARIANT_WEIGHT), MAX_EXIT_ON exit_on
  events, MAX_ANY_TRIGGERS alternatives in an `any` trigger;
- names MAX_NAME_LENGTH characters, descriptions MAX_DESCRIPTION_LENGTH; message templates
  MAX_TEMPLATE_LENGTH characters with at most MAX_PLACEHOLDERS placeholders, subjects MAX_SUBJECT_LENGTH,
  sales task reasons MAX_REASON_LENGTH;
- a webhook's `data` MAX_DATA_CHARS characters of JSON, a set_attribute value MAX_ATTRIBUTE_VALUE_CHARS;
- conditions: MAX_CONDITION_DEPTH levels of all / any / not, MAX_CONDITION_LEAVES leaves per tree,
  MAX_LIST_VALUES values in an `in` list, strings of MAX_TEXT_LENGTH characters;
- a score_crossed threshold within +-MAX_SCORE_THRESHOLD (0 to 1 for p_alive);
- durations "30m" to "3650d" (schedule.MAX_DURATION_DAYS), date offsets of MAX_OFFSET_DAYS days; a survey
  action's answer link lives MIN_SURVEY_LINK_TTL to MAX_SURVEY_LINK_TTL (1 hour to 90 days);
- built-in template parameters: text of MAX_PARAMETER_LENGTH characters, numbers within
  +-MAX_PARAMETER_NUMBER;
- MAX_VERSIONS versions per journey (an edit of an activated version writes a new one): past it, 409.

What a refusal says is bounded too: at most MAX_REPORTED_ERRORS errors (the detail gives the total), at
most MAX_REPORTED_PLACEHOLDERS bad placeholders per template, and a value quoted back is cut to
MAX_SHOWN characters.
"""

from __future__ import annotations

import datetime as dt
import math

from contracts import conditions
from runtime.json_limits import INT64_MAX, INT64_MIN

MAX_DOCUMENT_CHARS = 500_000
MAX_JSON_DEPTH = 32
MAX_DOCUMENT_LEAVES = 500

MAX_STEPS = 100
MAX_BRANCHES = 20
MAX_VARIANTS = 10
MAX_VARIANT_WEIGHT = 1_000_000
MAX_EXIT_ON = 20
MAX_ANY_TRIGGERS = 10

MAX_NAME_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 2_000
MAX_TEMPLATE_LENGTH = 20_000
MAX_PLACEHOLDERS = 100
MAX_SUBJECT_LENGTH = 500
MAX_REASON_LENGTH = 2_000
MAX_DATA_CHARS = 16_000
MAX_ATTRIBUTE_VALUE_CHARS = 8_192
MAX_POINTS = 10**9  # of one `points` action (contracts/journey.py PointsRequestedData)
MAX_POINTS_REASON_LENGTH = 500
MIN_SURVEY_LINK_TTL = dt.timedelta(hours=1)  # a survey action's link_ttl: how long its answer link works
MAX_SURVEY_LINK_TTL = dt.timedelta(days=90)

# The condition grammar's budgets (contracts/conditions.py), the same for journeys and segments.
MAX_CONDITION_DEPTH = conditions.MAX_DEPTH
MAX_CONDITION_LEAVES = conditions.MAX_LEAVES
MAX_LIST_VALUES = conditions.MAX_LIST_VALUES
MAX_TEXT_LENGTH = conditions.MAX_TEXT_LENGTH

MAX_OFFSET_DAYS = 365
MAX_SCORE_THRESHOLD = 10**12  # a score_crossed threshold (predicted CLV; p_alive is 0-1)
MAX_PARAMETER_LENGTH = 200
MAX_PARAMETER_NUMBER = 10**15

MAX_VERSIONS = 1_000

MAX_REPORTED_ERRORS = 50
MAX_REPORTED_PLACEHOLDERS = 5
MAX_SHOWN = 80

_NUMBER_CHARS = 8  # what a number counts towards a size (its exact length does not matter to a budget)


def shown(value: object) -> str:
    """`repr(value)`, cut to MAX_SHOWN characters: what a message may quote back of a tenant's input."""
    if isinstance(value, str) and len(value) > MAX_SHOWN:
        return repr(value[: MAX_SHOWN - 3]) + "..."
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def number_problem(value: object) -> str | None:
    """Why a JSON number cannot be held (an integer beyond 64 bits, NaN or an infinity), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
        return "integer out of range: at most 64 bits (-2^63 to 2^63-1)"
    if isinstance(value, float) and not math.isfinite(value):
        return "number out of range: it must be finite"
    return None


def json_chars(value: object, limit: int) -> int:
    """The characters of `value` as JSON (numbers count 8), counted only up to just past `limit`: a larger
    value costs no more to measure than one of `limit` characters. Iterative, so any depth is fine."""
    total = 0
    todo: list[object] = [value]
    while todo and total <= limit:
        item = todo.pop()
        total += _own_chars(item)
        if total <= limit and isinstance(item, dict):
            todo.extend(item.values())
        elif total <= limit and isinstance(item, list | tuple):
            todo.extend(item)
    return total


def _own_chars(value: object) -> int:
    """A value's characters of JSON without those of its elements (but with its keys')."""
    if isinstance(value, str):
        return len(value) + 2
    if isinstance(value, dict):
        return 2 + len(value) + sum(len(key) + 3 if isinstance(key, str) else _NUMBER_CHARS for key in value)
    if isinstance(value, list | tuple):
        return 2 + len(value)
    return _NUMBER_CHARS


def document_problems(doc: object) -> list[dict[str, str]]:
    """The whole document's budgets (size, depth, numbers) in one walk that stops at the first size or depth
    passed: `[{"field": ..., "message": ...}]`, empty when the document is within them. A container's
    elements are only looked at once it fits, so a huge body costs no more than one of the budget's size."""
    problems: list[dict[str, str]] = []
    total = 0
    todo: list[tuple[str, object, int]] = [("", doc, 1)]
    while todo:
        path, value, depth = todo.pop()
        total += _own_chars(value)
        if total > MAX_DOCUMENT_CHARS:
            message = f"is more than {MAX_DOCUMENT_CHARS} characters of JSON; shorten its texts or split the journey"
            return [{"field": "journey", "message": message}]
        if isinstance(value, dict | list | tuple) and value and depth >= MAX_JSON_DEPTH:
            message = f"nested deeper than {MAX_JSON_DEPTH} levels of objects and lists"
            return [{"field": path or "journey", "message": message}]
        if isinstance(value, dict):
            todo.extend((cut(_join(path, key)), child, depth + 1) for key, child in reversed(value.items()))
        elif isinstance(value, list | tuple):
            todo.extend((cut(f"{path}[{i}]"), child, depth + 1) for i, child in reversed(list(enumerate(value))))
        elif len(problems) < MAX_REPORTED_ERRORS and (problem := number_problem(value)) is not None:
            problems.append({"field": path or "journey", "message": problem})
    return problems


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def cut(path: str, limit: int = 200) -> str:
    """A field path as an error names it: cut when a hostile document makes it long."""
    return path if len(path) <= limit else path[: limit - 3] + "..."
