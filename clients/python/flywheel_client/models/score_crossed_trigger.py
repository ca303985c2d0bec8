from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.score_crossed_trigger_op import ScoreCrossedTriggerOp
from ..models.score_crossed_trigger_score import ScoreCrossedTriggerScore

T = TypeVar("T", bound="ScoreCrossedTrigger")


@_attrs_define
class ScoreCrossedTrigger:
    """Fires when the customer's p_alive or predicted CLV crosses a threshold: scoring's `scores.changed` whose
    previous value did not meet `op value` (or was not known) and whose current value does. Once per crossing: a
    customer staying below does not fire again; going above and below again does.

        Attributes:
            op (ScoreCrossedTriggerOp):
            score (ScoreCrossedTriggerScore):
            type_ (Literal['score_crossed']):
            value (float):
    """

    op: ScoreCrossedTriggerOp
    score: ScoreCrossedTriggerScore
    type_: Literal["score_crossed"]
    value: float

    def to_dict(self) -> dict[str, Any]:
        op = self.op.value

        score = self.score.value

        type_ = self.type_

        value = self.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "op": op,
                "score": score,
                "type": type_,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        op = ScoreCrossedTriggerOp(d.pop("op"))

        score = ScoreCrossedTriggerScore(d.pop("score"))

        type_ = cast(Literal["score_crossed"], d.pop("type"))
        if type_ != "score_crossed":
            raise ValueError(f"type must match const 'score_crossed', got '{type_}'")

        value = d.pop("value")

        score_crossed_trigger = cls(
            op=op,
            score=score,
            type_=type_,
            value=value,
        )

        return score_crossed_trigger
