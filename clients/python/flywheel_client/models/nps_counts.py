from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="NpsCounts")


@_attrs_define
class NpsCounts:
    """Each customer's latest NPS answer in a span of time, counted: the score is % promoters (9-10) minus %
    detractors (0-6), null without responses.

        Attributes:
            detractors (int): Customers whose latest answer was 0 to 6.
            passives (int): Customers whose latest answer was 7 or 8.
            promoters (int): Customers whose latest answer was 9 or 10.
            responses (int): Customers who answered (each counted once, by their latest answer).
            score (float | None): % promoters - % detractors, from -100 to 100, rounded to 2 decimals (half away from zero);
                null without responses.
    """

    detractors: int
    passives: int
    promoters: int
    responses: int
    score: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        detractors = self.detractors

        passives = self.passives

        promoters = self.promoters

        responses = self.responses

        score: float | None
        score = self.score

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "detractors": detractors,
                "passives": passives,
                "promoters": promoters,
                "responses": responses,
                "score": score,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        detractors = d.pop("detractors")

        passives = d.pop("passives")

        promoters = d.pop("promoters")

        responses = d.pop("responses")

        def _parse_score(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        score = _parse_score(d.pop("score"))

        nps_counts = cls(
            detractors=detractors,
            passives=passives,
            promoters=promoters,
            responses=responses,
            score=score,
        )

        nps_counts.additional_properties = d
        return nps_counts

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
