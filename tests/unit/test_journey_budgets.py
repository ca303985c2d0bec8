"""Journey documents under a hostile tenant: template scanning is linear whatever the template holds and
answers exactly as the regular expressions it replaced did; every size, count, nesting and number has a
budget, and a document past one is refused naming the field (never an OverflowError, a 500 from an
encoder, or seconds of CPU on journey's event loop)."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import random
import re
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

import pytest
from pydantic import TypeAdapter

from services.journey.domain import budgets
from services.journey.domain.conditions import CustomerFacts, RootCondition, evaluate
from services.journey.domain.document import InvalidJourney, parse_journey
from services.journey.domain.placeholders import parse_placeholder, render, template_problems
from services.journey.domain.schedule import next_date_occurrence
from services.journey.domain.templates import instantiate
from tests.samples.journeys import hostile_document, journey

FACTS = CustomerFacts("c-9", traits={"name": "Ada", "empty": "", "tier": None}, stats={"orders": 3.0})


def with_action(**action: Any) -> dict[str, Any]:
    doc = journey()
    doc["steps"]["offer"]["action"] = action
    return doc


def errors_of(doc: object) -> list[dict[str, str]]:
    with pytest.raises(InvalidJourney) as raised:
        parse_journey(doc)
    return raised.value.errors


# --- the scanner ---------------------------------------------------------------------------------

# The regular expressions the scanner replaced (quadratic on unclosed `{{`): the reference of its answers.
_OLD_PLACEHOLDER = re.compile(
    r"\{\{\s*(?P<path>[A-Za-z_][A-Za-z0-9_.]*)\s*"
    r"(?:\|\s*default:\s*\"(?P<default>(?:[^\"\\]|\\.)*)\"\s*)?\}\}"
)
_OLD_BRACES = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_OLD_PATH = re.compile(r"customer_id|(traits|stats|scores)\.[A-Za-z_][A-Za-z0-9_]{0,63}")
_OLD_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def old_unknown(template: str) -> list[str]:
    found = []
    for match in _OLD_BRACES.finditer(template):
        placeholder = _OLD_PLACEHOLDER.fullmatch(match.group(0))
        if placeholder is None or not _OLD_PATH.fullmatch(placeholder.group("path")):
            found.append(match.group(0) if len(match.group(0)) <= 80 else match.group(0)[:77] + "...")
    return found


def old_render(template: str, facts: CustomerFacts) -> str:
    def replace(match: re.Match[str]) -> str:
        path = match.group("path")
        if not _OLD_PATH.fullmatch(path):
            return match.group(0)
        root, _, name = path.partition(".")
        value = (
            facts.customer_id
            if path == "customer_id"
            else {"traits": facts.traits, "stats": facts.stats}.get(root, {}).get(name)
        )
        if value is None or value == "":
            default = match.group("default")
            return "" if default is None else _OLD_ESCAPE.sub(r"\1", default)
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)

    return _OLD_PLACEHOLDER.sub(replace, template)


def new_unknown(template: str) -> list[str]:
    prefix = "unknown placeholder "
    return [p.removeprefix(prefix).split(": use {{")[0] for p in template_problems(template) if p.startswith(prefix)]


def random_template(rnd: random.Random) -> str:
    """Placeholders good and bad: odd paths, whitespace (some of it Unicode), defaults with escapes, braces
    and quotes inside, then now and then a character changed."""
    parts = []
    for _ in range(rnd.randint(1, 4)):
        path = rnd.choice(["traits.name", "traits.tier", "stats.orders", "customer_id", "bogus", "traits.a.b", "1a"])
        body = rnd.choice(["", " ", "\n", "\u00a0"]) + path + rnd.choice(["", " ", "\t"])
        if rnd.random() < 0.6:
            default = "".join(
                rnd.choice(["a", '\\"', "\\\\", "}", "}}", "{{", " ", "\\\n", "\\", '"']) for _ in range(4)
            )
            body += "|" + rnd.choice(["", " "]) + rnd.choice(["default:", "default :"]) + ' "' + default + '"'
        parts.append(rnd.choice(["", "x", " ", "{", "}"]) + "{{" + body + rnd.choice(["}}", "}", " }}"]))
    template = "".join(parts)
    if rnd.random() < 0.3:
        at = rnd.randrange(len(template))
        template = template[:at] + rnd.choice(["{", "}", '"', "\\", ""]) + template[at + 1 :]
    return template


def test_the_scanner_answers_as_the_regular_expressions_did() -> None:
    rnd = random.Random(15)
    valid = 0
    for _ in range(20_000):
        template = random_template(rnd)
        assert new_unknown(template) == old_unknown(template)[: budgets.MAX_REPORTED_PLACEHOLDERS], template
        if not old_unknown(template):
            valid += 1
            assert render(template, FACTS) == old_render(template, FACTS), template
    assert valid > 1000  # the corpus holds plenty of valid templates too


def test_placeholders_parse_as_before() -> None:
    assert parse_placeholder(' traits.name | default: "say \\"hi\\"" ') is not None
    escaped = parse_placeholder('traits.name|default:"a\\\\b"')
    assert escaped is not None and escaped.default == "a\\b"
    assert parse_placeholder('traits.name | default: "a\\\nb"') is None  # a backslash does not escape a newline
    assert parse_placeholder("__import__('os')") is None
    assert render("{{ __import__('os') }} {{traits.name.__class__}} {{", FACTS) == (
        "{{ __import__('os') }} {{traits.name.__class__}} {{"
    )


PATHOLOGICAL: dict[str, Callable[[int], str]] = {
    "unclosed {": lambda n: "{" * n,
    "unclosed {{": lambda n: "{{" * (n // 2),
    "one huge placeholder": lambda n: "{{" * (n // 2 - 1) + "}}",
    "nested braces": lambda n: "{{{{ }}}}" * (n // 10),
    "long default": lambda n: '{{traits.name | default: "' + "x" * n + '"}}',
    "unclosed defaults": lambda n: '{{a|default:"' + '\\"{{x|default:"' * (n // 16) + '"}}',
    "backslashes": lambda n: '{{traits.name|default:"' + "\\" * n + '"}}',
    "many placeholders": lambda n: '{{traits.name | default: "x"}}' * (n // 30),
    "open with spaces": lambda n: "{{traits.name" + " " * n,
}


def _lines_run(call: Callable[[], object]) -> int:
    """How many lines of journey's domain code `call` runs: a count, not a time, so other processes on the
    machine cannot change it (tests never assert timings). The C-level searches the scanner makes (str.find)
    are not counted, but it makes a bounded number per placeholder, and those the count does see."""
    executed = 0

    def count(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal executed
        if event == "line":
            executed += 1
        return count

    def domain_frames(frame: FrameType, event: str, arg: object) -> Any:
        return count if "/services/journey/domain/" in frame.f_code.co_filename else None

    sys.settrace(domain_frames)
    try:
        call()
    finally:
        sys.settrace(None)
    return executed


def _work(template: str) -> int:
    return _lines_run(lambda: (template_problems(template), render(template, FACTS)))


@pytest.mark.parametrize("shape", sorted(PATHOLOGICAL))
def test_scanning_is_linear_on_pathological_templates(shape: str) -> None:
    """Four times the input costs about four times the work (a quadratic scan would cost sixteen)."""
    make = PATHOLOGICAL[shape]
    small, large = make(5_000), make(20_000)
    assert _work(large) <= 8 * max(_work(small), 1)


def test_the_issues_hostile_document_is_answered_at_once() -> None:
    for template in ("{" * 10_000, "{{" * 10_000, "{{" * 9_999 + "}}"):
        started = time.perf_counter()
        with contextlib.suppress(InvalidJourney):
            parse_journey(hostile_document(template))
        assert time.perf_counter() - started < 1  # the issue's bound; the quadratic scan took ~10-30 s
    parse_journey(hostile_document("{" * 10_000))  # unclosed braces are text, not placeholders
    [error] = errors_of(hostile_document("{{" * 9_999 + "}}", templates=1))
    assert error["field"] == "steps.s0.action.template" and error["message"].startswith("unknown placeholder {{{{")


def test_bad_placeholders_are_named_up_to_a_few_and_counted() -> None:
    problems = template_problems("{{x}}" * 1000)
    assert len(problems) == budgets.MAX_REPORTED_PLACEHOLDERS + 2
    assert problems[-2] == f"and {1000 - budgets.MAX_REPORTED_PLACEHOLDERS} more unknown placeholders"
    assert problems[-1] == f"has 1000 placeholders; at most {budgets.MAX_PLACEHOLDERS}"
    assert template_problems("{{customer_id}}" * budgets.MAX_PLACEHOLDERS) == []


# --- budgets -------------------------------------------------------------------------------------


def fields(doc: object) -> dict[str, str]:
    return {e["field"]: e["message"] for e in errors_of(doc)}


def test_text_budgets_name_the_field() -> None:
    long_template = "x" * (budgets.MAX_TEMPLATE_LENGTH + 1)
    assert list(fields(with_action(kind="webhook", channel="email", template=long_template))) == [
        "steps.offer.action.template"
    ]
    parse_journey(with_action(kind="webhook", channel="email", template="x" * budgets.MAX_TEMPLATE_LENGTH))
    subject = "s" * (budgets.MAX_SUBJECT_LENGTH + 1)
    assert list(fields(with_action(kind="webhook", channel="email", template="x", subject=subject))) == [
        "steps.offer.action.subject"
    ]
    assert list(fields(journey(name="n" * (budgets.MAX_NAME_LENGTH + 1)))) == ["name"]
    assert list(fields(journey(description="d" * (budgets.MAX_DESCRIPTION_LENGTH + 1)))) == ["description"]
    reason = "r" * (budgets.MAX_REASON_LENGTH + 1)
    assert list(fields(with_action(kind="sales_task", title="Call", reason=reason))) == ["steps.offer.action.reason"]


def test_json_values_in_a_document_have_a_size() -> None:
    data = {"blob": "x" * budgets.MAX_DATA_CHARS}
    assert fields(with_action(kind="webhook", channel="email", template="x", data=data)) == {
        "steps.offer.action.data": f"is more than {budgets.MAX_DATA_CHARS} characters of JSON"
    }
    value = ["v"] * budgets.MAX_ATTRIBUTE_VALUE_CHARS
    assert list(fields(with_action(kind="set_attribute", name="vip", value=value))) == ["steps.offer.action.value"]
    parse_journey(with_action(kind="set_attribute", name="vip", value={"since": 2024, "tiers": ["gold"] * 100}))


def test_the_whole_document_has_a_size_and_a_depth() -> None:
    doc = journey(description=None)
    doc["steps"]["offer"]["action"]["data"] = {f"k{i}": "x" * 900 for i in range(600)}
    assert fields(doc) == {"journey": f"is more than {budgets.MAX_DOCUMENT_CHARS} characters of JSON; "
                           "shorten its texts or split the journey"}  # fmt: skip
    nested: Any = 1
    for _ in range(100_000):  # deeper than any recursive parser would survive
        nested = [nested]
    [(field, message)] = fields(with_action(kind="set_attribute", name="x", value=nested)).items()
    assert field.startswith("steps.offer.action.value[0][0]") and len(field) <= 200
    assert message == f"nested deeper than {budgets.MAX_JSON_DEPTH} levels of objects and lists"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        (2**63, "integer out of range: at most 64 bits (-2^63 to 2^63-1)"),
        (-(2**63) - 1, "integer out of range: at most 64 bits (-2^63 to 2^63-1)"),
        (10**40, "integer out of range: at most 64 bits (-2^63 to 2^63-1)"),
        (float("nan"), "number out of range: it must be finite"),
        (float("inf"), "number out of range: it must be finite"),
    ],
)
def test_numbers_no_store_holds_are_refused_where_they_are(number: float, message: str) -> None:
    """orjson (the jsonb codec, webhook bodies) refuses integers past 64 bits: a 500 before this budget."""
    data = {"order": {"total": number}}
    assert fields(with_action(kind="webhook", channel="email", template="x", data=data)) == {
        "steps.offer.action.data.order.total": message
    }
    condition = {"all": [{"field": "stats.orders", "op": "eq", "value": number}]}
    assert fields(journey(goal={"event": "purchase", "conditions": condition})) == {
        "goal.conditions.all[0].value": message
    }
    split = {"type": "split", "variants": [{"name": "a", "weight": number, "next": "offer"}]}
    assert fields(journey(entry_step="split", steps={**journey()["steps"], "split": split})) == {
        "steps.split.variants[0].weight": message
    }
    assert fields(journey(trigger={"type": "date", "trait": "birthday", "offset_days": number})) == {
        "trigger.offset_days": message
    }
    assert TypeAdapter(RootCondition).validate_python({"field": "stats.orders", "op": "gte", "value": 2**62})


def test_durations_and_numbers_within_64_bits_but_beyond_journey_are_refused_by_name() -> None:
    doc = journey()
    doc["steps"]["wait"]["duration"] = f"{10**15}d"
    assert fields(doc) == {
        "steps.wait.duration": 'must be a duration like "30m", "12h", "3d" or "2w" (1 minute to 3650 days) '
        "(got '1000000000000000d')"
    }
    doc["steps"]["wait"]["duration"] = "9" * 1000 + "d"
    assert fields(doc)["steps.wait.duration"].endswith("(got '" + "9" * 77 + "'...)")  # quoted back, cut short
    doc["steps"]["wait"]["duration"] = "3651d"
    assert list(fields(doc)) == ["steps.wait.duration"]
    assert list(fields(journey(trigger={"type": "date", "trait": "birthday", "offset_days": 2**62}))) == [
        "trigger.offset_days"
    ]
    assert list(fields(journey(settings={"frequency_cap": {"messages": 2**62, "per": "1d"}}))) == [
        "settings.frequency_cap.messages"
    ]
    split = {"type": "split", "variants": [{"name": "a", "weight": 1e300, "next": "offer"}]}
    assert fields(journey(entry_step="split", steps={**journey()["steps"], "split": split})) == {
        "steps.split.variants[0].weight": f"weights are at most {budgets.MAX_VARIANT_WEIGHT} "
        "(only their proportions matter)"
    }
    assert fields(journey(settings={"timezone": "Mars/" + "x" * 10_000})) == {
        "settings.timezone": "unknown time zone 'Mars/" + "x" * 72 + "'..."
    }


def test_counts_name_the_list() -> None:
    branch = {"condition": {"field": "stats.orders", "op": "gte", "value": 1}, "next": "offer"}
    many_branches = {"type": "branch", "branches": [branch] * (budgets.MAX_BRANCHES + 1), "default": "done"}
    assert list(fields(journey(entry_step="check", steps={**journey()["steps"], "check": many_branches}))) == [
        "steps.check.branches"
    ]
    variants = [{"name": f"v{i}", "weight": 1, "next": "offer"} for i in range(budgets.MAX_VARIANTS + 1)]
    split = {"type": "split", "variants": variants}
    assert list(fields(journey(entry_step="split", steps={**journey()["steps"], "split": split}))) == [
        "steps.split.variants"
    ]
    assert list(fields(journey(exit_on=[{"event": "refund"}] * (budgets.MAX_EXIT_ON + 1)))) == ["exit_on"]
    alternatives = [{"type": "dormant"}] * (budgets.MAX_ANY_TRIGGERS + 1)
    assert list(fields(journey(trigger={"type": "any", "triggers": alternatives}))) == ["trigger.triggers"]
    values = list(range(budgets.MAX_LIST_VALUES + 1))
    goal = {"event": "purchase", "conditions": {"field": "stats.orders", "op": "in", "value": values}}
    assert fields(journey(goal=goal)) == {"goal.conditions.value": "has 1001 values; at most 1000"}


def test_leaf_conditions_have_a_budget_per_document() -> None:
    leaves = [{"field": "stats.orders", "op": "gte", "value": i} for i in range(budgets.MAX_CONDITION_LEAVES)]
    condition = {"any": leaves}
    exits = [{"event": f"refund{i}", "conditions": condition} for i in range(budgets.MAX_EXIT_ON)]
    assert fields(journey(exit_on=exits)) == {
        "journey": f"has {budgets.MAX_CONDITION_LEAVES * budgets.MAX_EXIT_ON} leaf conditions in all; "
        f"at most {budgets.MAX_DOCUMENT_LEAVES}"
    }
    parse_journey(journey(exit_on=exits[:5]))


def test_many_problems_are_listed_up_to_a_budget_and_counted_in_linear_work() -> None:
    doc = journey()
    doc["steps"]["wait"].update({f"extra{i}": i for i in range(20_000)})
    with pytest.raises(InvalidJourney) as raised:
        parse_journey(doc)
    assert raised.value.count == 20_000 and len(raised.value.errors) == budgets.MAX_REPORTED_ERRORS
    # Reporting was quadratic in the number of problems: ten times as many cost about ten times the work.
    half = journey()
    half["steps"]["wait"].update({f"extra{i}": i for i in range(2_000)})
    assert _lines_run(lambda: errors_of(doc)) <= 20 * _lines_run(lambda: errors_of(half))
    assert raised.value.errors[0] == {"field": "steps.wait.extra0", "message": "Extra inputs are not permitted"}
    doc = journey()
    doc["steps"]["wait"]["k" * 100_000] = 1
    [error] = errors_of(doc)
    assert error["field"] == "steps.wait." + "k" * 186 + "..."


def test_template_parameters_have_budgets() -> None:
    with pytest.raises(InvalidJourney) as raised:
        instantiate("cross_sell", {"category": "c" * 201, "delay": "d" * 1000})
    assert {e["field"]: e["message"] for e in raised.value.errors} == {
        "parameters.category": "is 201 characters long; at most 200",
        "parameters.delay": "is 1000 characters long; at most 200",
    }
    for value in (10**16, -(10**16), 2**70, float("nan"), float("inf"), 1e300):
        with pytest.raises(InvalidJourney) as raised:
            instantiate("churn_save", {"high_value_clv": value})
        assert raised.value.errors == [
            {"field": "parameters.high_value_clv", "message": "must be between -1e+15 and 1e+15"}
        ]
    parse_journey(instantiate("referral_invite_to_promoters", {"min_nps": 10**15}))


def test_in_lists_match_through_a_set_with_json_equality() -> None:
    condition = TypeAdapter(RootCondition).validate_python(
        {"field": "traits.codes", "op": "in", "value": [1, "5", True, 2.5, *list(range(100, 1000))]}
    )

    def holds(codes: Any) -> bool:
        return evaluate(condition, CustomerFacts("c", traits={"codes": codes}))

    assert holds(1.0) and holds("5") and holds(True) and holds([0, 2.5]) and holds(999)
    assert not holds(5) and not holds("1") and not holds(False) and not holds(None) and not holds([[1]])
    assert not holds({"a": 1}) and not holds(0) and not holds(list(range(-100_000, 0)))


def test_dates_at_the_edge_of_time_never_fire_instead_of_overflowing() -> None:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert next_date_occurrence("9999-12-31", 1, "09:00", "once", "UTC", now) is None
    assert next_date_occurrence("9999-12-31", 0, "23:00", "once", "America/New_York", now) is None
    assert next_date_occurrence("0001-01-01", -1, "09:00", "once", "UTC", now) is None
    assert next_date_occurrence("0001-01-01", -365, "09:00", "yearly", "Asia/Tokyo", now) is not None


def test_a_valid_document_is_unchanged_by_the_budgets() -> None:
    doc = journey(settings={"timezone": "Europe/Berlin", "holdout_percent": 10})
    assert parse_journey(copy.deepcopy(doc)) == parse_journey(doc)
