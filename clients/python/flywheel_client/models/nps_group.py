from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="NpsGroup")


@_attrs_define
class NpsGroup:
    """
    Attributes:
        detractors (int): Customers whose latest answer was 0 to 6.
        key (str): The group: an acquisition channel.
        passives (int): Customers whose latest answer was 7 or 8.
        promoters (int): Customers whose latest answer was 9 or 10.
        responses (int): Customers who answered (each counted once, by their latest answer).
        score (float | None): % promoters - % detractors, from -100 to 100, rounded to 2 decimals (half away from zero);
            null without responses.
    """

    detractors: int
    key: str
    passives: int
    promoters: int
    responses: int
    score: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        detractors = self.detractors

        key = self.key

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
                "key": key,
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

        key = d.pop("key")

        passives = d.pop("passives")

        promoters = d.pop("promoters")

        responses = d.pop("responses")

        def _parse_score(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        score = _parse_score(d.pop("score"))

        nps_group = cls(
            detractors=detractors,
            key=key,
            passives=passives,
            promoters=promoters,
            responses=responses,
            score=score,
        )

        nps_group.additional_properties = d
        return nps_group

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
