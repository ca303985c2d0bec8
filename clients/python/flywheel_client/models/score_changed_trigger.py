from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.score_changed_trigger_from_type_0 import ScoreChangedTriggerFromType0
from ..models.score_changed_trigger_from_type_1 import ScoreChangedTriggerFromType1
from ..models.score_changed_trigger_score import ScoreChangedTriggerScore
from ..models.score_changed_trigger_to_type_0 import ScoreChangedTriggerToType0
from ..models.score_changed_trigger_to_type_1 import ScoreChangedTriggerToType1
from ..types import UNSET, Unset

T = TypeVar("T", bound="ScoreChangedTrigger")


@_attrs_define
class ScoreChangedTrigger:
    """
    Attributes:
        score (ScoreChangedTriggerScore):
        to (ScoreChangedTriggerToType0 | ScoreChangedTriggerToType1):
        type_ (Literal['score_changed']):
        from_ (None | ScoreChangedTriggerFromType0 | ScoreChangedTriggerFromType1 | Unset):
    """

    score: ScoreChangedTriggerScore
    to: ScoreChangedTriggerToType0 | ScoreChangedTriggerToType1
    type_: Literal["score_changed"]
    from_: None | ScoreChangedTriggerFromType0 | ScoreChangedTriggerFromType1 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        score = self.score.value

        to: str
        if isinstance(self.to, ScoreChangedTriggerToType0):
            to = self.to.value
        else:
            to = self.to.value

        type_ = self.type_

        from_: None | str | Unset
        if isinstance(self.from_, Unset):
            from_ = UNSET
        elif isinstance(self.from_, ScoreChangedTriggerFromType0):
            from_ = self.from_.value
        elif isinstance(self.from_, ScoreChangedTriggerFromType1):
            from_ = self.from_.value
        else:
            from_ = self.from_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "score": score,
                "to": to,
                "type": type_,
            }
        )
        if from_ is not UNSET:
            field_dict["from"] = from_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        score = ScoreChangedTriggerScore(d.pop("score"))

        def _parse_to(data: object) -> ScoreChangedTriggerToType0 | ScoreChangedTriggerToType1:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                to_type_0 = ScoreChangedTriggerToType0(data)

                return to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            to_type_1 = ScoreChangedTriggerToType1(data)

            return to_type_1

        to = _parse_to(d.pop("to"))

        type_ = cast(Literal["score_changed"], d.pop("type"))
        if type_ != "score_changed":
            raise ValueError(f"type must match const 'score_changed', got '{type_}'")

        def _parse_from_(data: object) -> None | ScoreChangedTriggerFromType0 | ScoreChangedTriggerFromType1 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                from_type_0 = ScoreChangedTriggerFromType0(data)

                return from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                from_type_1 = ScoreChangedTriggerFromType1(data)

                return from_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ScoreChangedTriggerFromType0 | ScoreChangedTriggerFromType1 | Unset, data)

        from_ = _parse_from_(d.pop("from", UNSET))

        score_changed_trigger = cls(
            score=score,
            to=to,
            type_=type_,
            from_=from_,
        )

        return score_changed_trigger
