"""The rules of moving a deal: forwards only once the current stage's required checklist items are done
and its required fields are set (unless overridden, with a reason that is recorded); backwards always;
won and lost are terminal."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from services.sales.domain.pipeline import Pipeline


class MoveRefused(Exception):
    """The move breaks a rule; `status` is the HTTP status that says so (409 or 422)."""

    def __init__(self, status: int, detail: str, blockers: list[str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.blockers = blockers or []


@dataclass(frozen=True)
class Move:
    target: str
    backwards: bool
    override_reason: str | None
    overridden: tuple[str, ...]


def blockers(pipeline: Pipeline, stage_id: str, open_required: Collection[str], fields: Mapping[str, Any]) -> list[str]:
    """What keeps a deal in `stage_id`: open required checklist items and missing required fields."""
    stage = pipeline.stage(stage_id)
    if stage is None:
        return []
    found = [f"checklist {item.id}" for item in stage.checklist if item.required and item.id in open_required]
    found += [f"field {name}" for name in stage.required_fields if _missing(fields.get(name))]
    return found


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], {})


def plan_move(
    pipeline: Pipeline,
    *,
    status: str,
    current: str,
    target: str,
    open_required: Collection[str],
    fields: Mapping[str, Any],
    override_reason: str | None,
) -> Move | None:
    """The move to make, None when the deal is already in `target`; MoveRefused when a rule forbids it."""
    if status != "open":
        raise MoveRefused(409, f"the deal is {status}; won and lost deals cannot move")
    target_position = pipeline.position(target)
    if target_position is None:
        raise MoveRefused(422, f"stage {target!r} is not in this pipeline")
    if target == current:
        return None
    current_position = pipeline.position(current)
    if current_position is not None and target_position < current_position:
        return Move(target, backwards=True, override_reason=None, overridden=())
    found = blockers(pipeline, current, open_required, fields)
    reason = (override_reason or "").strip() or None
    if found and reason is None:
        raise MoveRefused(
            409, f"stage {current!r} is not done: {', '.join(found)} (or move with an override_reason)", found
        )
    return Move(target, backwards=False, override_reason=reason if found else None, overridden=tuple(found))


def check_close(status: str, outcome: str) -> bool:
    """True when the deal must be closed now, False when it already is (`outcome`: won or lost)."""
    if status == outcome:
        return False
    if status != "open":
        raise MoveRefused(409, f"the deal is already {status}; won and lost are terminal")
    return True
