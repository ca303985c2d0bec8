"""Sales domain: pipeline documents and the rules of moving a deal."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import pytest

from services.sales.domain.moves import Move, MoveRefused, check_close, plan_move
from services.sales.domain.pipeline import BUILT_IN, InvalidPipeline, parse_pipeline

UPSELL = BUILT_IN["repurchase_upsell"]


def test_the_built_in_pipelines_are_valid_documents() -> None:
    for pipeline in BUILT_IN.values():
        assert parse_pipeline(pipeline.model_dump(mode="json")) == pipeline
    assert set(BUILT_IN) == {"repurchase_upsell", "reactivation"}


def test_a_pipeline_document_names_every_bad_field() -> None:
    document = {
        "name": "",
        "stages": [
            {"id": "a", "name": "A", "probability": 1.5, "checklist": [{"id": "x", "title": "X", "due_in_days": -1}]},
            {"id": "Bad Id", "name": "B", "probability": 0.5, "extra": True},
        ],
    }
    with pytest.raises(InvalidPipeline) as caught:
        parse_pipeline(document)
    fields = {e["field"] for e in caught.value.errors}
    assert {
        "name",
        "stages.0.probability",
        "stages.0.checklist.0.due_in_days",
        "stages.1.id",
        "stages.1.extra",
    } <= fields


def test_stage_ids_and_checklist_item_ids_are_unique() -> None:
    stage = {"id": "a", "name": "A", "probability": 0.1}
    with pytest.raises(InvalidPipeline, match="repeated: a"):
        parse_pipeline({"name": "P", "stages": [stage, stage]})
    items = [{"id": "x", "title": "X"}, {"id": "x", "title": "Y"}]
    with pytest.raises(InvalidPipeline, match="checklist item ids must be unique"):
        parse_pipeline({"name": "P", "stages": [{**stage, "checklist": items}]})
    with pytest.raises(InvalidPipeline):
        parse_pipeline({"name": "P", "stages": []})


def move(
    current: str,
    target: str,
    open_required: Collection[str] = (),
    fields: dict[str, Any] | None = None,
    override: str | None = None,
    status: str = "open",
) -> Move | None:
    return plan_move(
        UPSELL,
        status=status,
        current=current,
        target=target,
        open_required=open_required,
        fields=fields or {},
        override_reason=override,
    )


def test_moving_forward_needs_the_required_checklist_items_done() -> None:
    with pytest.raises(MoveRefused) as refused:
        move("identified", "contacted", {"review"})
    assert refused.value.status == 409 and refused.value.blockers == ["checklist review"]
    done = move("identified", "contacted", set())
    assert done is not None and not done.backwards and done.override_reason is None


def test_moving_forward_needs_the_required_fields_set() -> None:
    with pytest.raises(MoveRefused) as refused:
        move("contacted", "proposal", set(), {"need": "  "})
    assert refused.value.blockers == ["field need"]
    assert move("contacted", "proposal", set(), {"need": "bigger grinder"}) is not None


def test_an_override_with_a_reason_lets_the_deal_out_and_is_recorded() -> None:
    with pytest.raises(MoveRefused):
        move("contacted", "negotiation", {"call"}, override="   ")
    moved = move("contacted", "negotiation", {"call"}, override="customer called us")
    assert moved is not None
    assert moved.override_reason == "customer called us"
    assert moved.overridden == ("checklist call", "field need")


def test_an_optional_checklist_item_does_not_block() -> None:
    assert move("proposal", "negotiation", {"follow_up"}) is not None
    with pytest.raises(MoveRefused):
        move("proposal", "negotiation", {"quote", "follow_up"})


def test_moving_backwards_is_always_allowed() -> None:
    moved = move("proposal", "identified", {"quote"})
    assert moved is not None and moved.backwards and moved.overridden == ()


def test_the_same_stage_is_no_move_and_an_unknown_stage_is_invalid() -> None:
    assert move("contacted", "contacted", {"call"}) is None
    with pytest.raises(MoveRefused) as refused:
        move("contacted", "nowhere")
    assert refused.value.status == 422


def test_won_and_lost_are_terminal() -> None:
    for status in ("won", "lost"):
        with pytest.raises(MoveRefused) as refused:
            move("identified", "identified", status=status)
        assert refused.value.status == 409
    assert check_close("open", "won") is True
    assert check_close("won", "won") is False  # a repeated win changes nothing
    with pytest.raises(MoveRefused):
        check_close("won", "lost")
