"""Validating a journey document: its shape (model.py) and its graph, every problem with its path.

`parse_journey(doc)` returns a `Journey` or raises `InvalidJourney`, whose `errors` are
`[{"field": "steps.offer.next", "message": "unknown step 'ofer'"}, ...]`, so an editor can mark
the bad place. The graph is checked once the shape is right:
- `entry_step` and every `next` / `default` / `on_timeout` / variant target name a step;
- every step is reachable from `entry_step` (unreachable steps are reported, each at `steps.<id>`);
- no loop of instant steps (branch, split, action, exit): a loop must pass through a wait, or the
  engine would spin without time passing;
- some path from `entry_step` reaches an exit step;
- branch conditions use no `data.*` field: a branch sees the customer, not an event.

Budgets (budgets.py) come first: the whole document's size, nesting and numbers are checked in one walk
before anything else looks at it, then each part's limits (model.py), then at most 500 leaf conditions
in all. However hostile, a document costs about what parsing its JSON costs, and at most 50 problems are
listed (`InvalidJourney.count` says how many there were).
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import ValidationError

from services.journey.domain.budgets import (
    MAX_DOCUMENT_LEAVES,
    MAX_REPORTED_ERRORS,
    MAX_STEPS,
    MAX_TEMPLATE_LENGTH,
    cut,
    document_problems,
)
from services.journey.domain.conditions import POINTER, Condition, leaves
from services.journey.domain.model import (
    Action,
    ActionStep,
    AnyTrigger,
    BranchStep,
    DormantTrigger,
    EventCondition,
    EventTrigger,
    ExitStep,
    Journey,
    SplitStep,
    Step,
    Trigger,
    WaitStep,
    journey_json,
)

__all__ = [
    "MAX_STEPS",
    "MAX_TEMPLATE_LENGTH",
    "Action",
    "ActionStep",
    "BranchStep",
    "EventCondition",
    "ExitStep",
    "InvalidJourney",
    "Journey",
    "SplitStep",
    "Step",
    "Trigger",
    "WaitStep",
    "journey_json",
    "parse_journey",
    "step_targets",
]


class InvalidJourney(ValueError):
    """`errors`: [{"field": "steps.offer.next", "message": "unknown step 'ofer'"}, ...], the first
    MAX_REPORTED_ERRORS problems found; `count`: how many were found."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        self.count = len(errors)
        self.errors = errors[:MAX_REPORTED_ERRORS]
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in self.errors))


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _path(doc: object, loc: tuple[str | int, ...]) -> str:
    """A pydantic error location as a document path: union tags (`wait`, `webhook`, `leaf`, ...) and
    validator names are not in the document, so only keys and indexes that exist there are kept,
    plus the missing key a "required" error names."""
    path, node, inside, tagged = "", doc, True, False
    for key in loc:
        if inside and not tagged and isinstance(key, str) and _is_tag(node, key):
            tagged = True  # the union's tag comes first, then the fields of the chosen model
        elif inside and _has(node, key):
            path, node, tagged = _join(path, key), node[key], False  # type: ignore[index]
        elif isinstance(key, str) and ("[" in key or key in ("leaf", "all", "any", "not") or not inside):
            continue
        else:
            path, inside = _join(path, key), False
    return path


def _has(node: object, key: str | int) -> bool:
    if isinstance(node, dict):
        return key in node
    return isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)


def _is_tag(node: object, key: str) -> bool:
    return isinstance(node, dict) and key in (node.get("type"), node.get("kind"))


def _shape_errors(doc: object, error: ValidationError) -> list[dict[str, str]]:
    found: list[tuple[str, str]] = []
    for item in error.errors():
        path = _path(doc, tuple(item["loc"]))
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] in ("union_tag_invalid", "union_tag_not_found"):
            tag = str(item.get("ctx", {}).get("discriminator", "")).strip("'")
            path = _join(path, tag) if tag.isidentifier() else path
        if message.startswith(POINTER):
            key, _, message = message[len(POINTER) :].partition(" ")
            path = _join(path, key)
        found.append((cut(path) or "journey", message))
    # A failed item also fails its container ("should have at least 1 item"); keep the precise one. Each
    # path's ancestors are collected once (a linear pass, however many errors a hostile document makes).
    containers = {path[:i] for path, _ in found for i, char in enumerate(path) if char in ".[" and i > 0}
    kept = [(path, message) for path, message in found if path not in containers]
    unique = list(dict.fromkeys(kept))
    return [{"field": path, "message": message} for path, message in unique]


def step_targets(step: Step) -> Iterator[tuple[str, str]]:
    """(path below the step, target step id) of each way out of a step."""
    if isinstance(step, WaitStep):
        yield "next", step.next
        if step.on_timeout is not None:
            yield "on_timeout", step.on_timeout
    elif isinstance(step, BranchStep):
        for i, case in enumerate(step.branches):
            yield f"branches[{i}].next", case.next
        yield "default", step.default
    elif isinstance(step, SplitStep):
        for i, variant in enumerate(step.variants):
            yield f"variants[{i}].next", variant.next
    elif not isinstance(step, ExitStep):
        yield "next", step.next


def _graph_errors(journey: Journey) -> list[dict[str, str]]:
    errors: list[dict[str, str]] = []
    steps = journey.steps
    if len(steps) > MAX_STEPS:
        return [{"field": "steps", "message": f"has {len(steps)} steps; at most {MAX_STEPS}"}]
    if journey.entry_step not in steps:
        errors.append({"field": "entry_step", "message": f"unknown step {journey.entry_step!r}"})
    for step_id, step in steps.items():
        for suffix, target in step_targets(step):
            if target not in steps:
                errors.append({"field": f"steps.{step_id}.{suffix}", "message": f"unknown step {target!r}"})
        if isinstance(step, BranchStep):
            for i, case in enumerate(step.branches):
                if any(leaf.field.startswith("data.") for leaf in leaves(case.condition)):
                    errors.append(
                        {
                            "field": f"steps.{step_id}.branches[{i}].condition",
                            "message": "data.* fields need an event; a branch sees the customer only",
                        }
                    )
    if errors:
        return errors
    conditions = sum(1 for condition in _conditions(journey) for _ in leaves(condition))
    if conditions > MAX_DOCUMENT_LEAVES:
        message = f"has {conditions} leaf conditions in all; at most {MAX_DOCUMENT_LEAVES}"
        return [{"field": "journey", "message": message}]
    reachable = _reachable(journey)
    for step_id in steps:
        if step_id not in reachable:
            errors.append({"field": f"steps.{step_id}", "message": "unreachable from entry_step"})
    loop = _instant_loop(journey, reachable)
    if loop:
        errors.append(
            {
                "field": f"steps.{loop[0]}",
                "message": "loop without a wait step would run forever: " + " -> ".join([*loop, loop[0]]),
            }
        )
    if not any(isinstance(steps[s], ExitStep) for s in reachable):
        errors.append({"field": "steps", "message": "no path from entry_step reaches an exit step"})
    return errors


def _conditions(journey: Journey) -> Iterator[Condition]:
    """Every condition of a journey: its triggers', branches', waits', goal's and exit_on's."""
    triggers = journey.trigger.triggers if isinstance(journey.trigger, AnyTrigger) else (journey.trigger,)
    for trigger in triggers:
        if isinstance(trigger, EventTrigger | DormantTrigger) and trigger.conditions is not None:
            yield trigger.conditions
    for step in journey.steps.values():
        if isinstance(step, BranchStep):
            yield from (case.condition for case in step.branches)
        elif isinstance(step, WaitStep) and step.for_event is not None and step.for_event.conditions is not None:
            yield step.for_event.conditions
    for event in (journey.goal, *journey.exit_on):
        if event is not None and event.conditions is not None:
            yield event.conditions


def _reachable(journey: Journey) -> set[str]:
    seen, todo = {journey.entry_step}, [journey.entry_step]
    while todo:
        for _, target in step_targets(journey.steps[todo.pop()]):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _instant_loop(journey: Journey, reachable: set[str]) -> list[str] | None:
    """A cycle among instant steps (a wait breaks every cycle through it), in document order, or None."""
    instant = [s for s in journey.steps if s in reachable and not isinstance(journey.steps[s], WaitStep)]
    state: dict[str, int] = {}  # 1 on the stack, 2 done

    def visit(step_id: str, stack: list[str]) -> list[str] | None:
        state[step_id] = 1
        stack.append(step_id)
        for _, target in step_targets(journey.steps[step_id]):
            if isinstance(journey.steps[target], WaitStep):
                continue
            if state.get(target) == 1:
                return stack[stack.index(target) :]
            if target not in state and (found := visit(target, stack)):
                return found
        stack.pop()
        state[step_id] = 2
        return None

    for step_id in instant:
        if step_id not in state and (found := visit(step_id, [])):
            return found
    return None


def parse_journey(doc: object) -> Journey:
    """Validate a journey document (decoded JSON, or a Journey); raises InvalidJourney with every problem."""
    if isinstance(doc, Journey):
        doc = journey_json(doc)
    budget_errors = document_problems(doc)
    if budget_errors:
        raise InvalidJourney(budget_errors)
    if isinstance(doc, dict) and isinstance(doc.get("steps"), dict) and len(doc["steps"]) > MAX_STEPS:
        raise InvalidJourney([{"field": "steps", "message": f"has {len(doc['steps'])} steps; at most {MAX_STEPS}"}])
    try:
        journey = Journey.model_validate(doc)
    except ValidationError as error:
        raise InvalidJourney(_shape_errors(doc, error)) from None
    errors = _graph_errors(journey)
    if errors:
        raise InvalidJourney(errors)
    return journey
