from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.churn_scores_risk import ChurnScoresRisk
from ..types import UNSET, Unset

T = TypeVar("T", bound="ChurnScores")


@_attrs_define
class ChurnScores:
    """
    Attributes:
        risk (ChurnScoresRisk):
        p_alive (float | None | Unset): Probability the customer still buys; null without purchases.
        reasons (list[str] | Unset):
    """

    risk: ChurnScoresRisk
    p_alive: float | None | Unset = UNSET
    reasons: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        risk = self.risk.value

        p_alive: float | None | Unset
        if isinstance(self.p_alive, Unset):
            p_alive = UNSET
        else:
            p_alive = self.p_alive

        reasons: list[str] | Unset = UNSET
        if not isinstance(self.reasons, Unset):
            reasons = self.reasons

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "risk": risk,
            }
        )
        if p_alive is not UNSET:
            field_dict["p_alive"] = p_alive
        if reasons is not UNSET:
            field_dict["reasons"] = reasons

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        risk = ChurnScoresRisk(d.pop("risk"))

        def _parse_p_alive(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        p_alive = _parse_p_alive(d.pop("p_alive", UNSET))

        reasons = cast(list[str], d.pop("reasons", UNSET))

        churn_scores = cls(
            risk=risk,
            p_alive=p_alive,
            reasons=reasons,
        )

        churn_scores.additional_properties = d
        return churn_scores

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
