from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LtvScores")


@_attrs_define
class LtvScores:
    """
    Attributes:
        basis (str): model; default_parameters (the workspace has too little history to fit yet); no_purchases.
        historical (str): Net revenue to date (purchases minus refunds), decimal.
        predicted_12m (str): Expected discounted revenue over the next 12 months (BG/NBD + Gamma-Gamma), decimal.
        expected_purchases_12m (float | None | Unset): Expected purchase days in the next 12 months.
        expected_purchases_12m_p10 (float | None | Unset): Lower bound of the 80% interval of the purchase days in the
            next 12 months, on the continuous-count scale where k purchases fill [k, k+1) (floor of a bound: a whole number
            of purchases).
        expected_purchases_12m_p90 (float | None | Unset): Upper bound of that interval (same scale).
        expected_purchases_90d (float | None | Unset):
        p10 (None | str | Unset): Lower bound of the 80% interval of the 12-month CLV (decimal; 10% chance of less):
            parameter uncertainty of the fit plus the purchases' and spend's own variance (docs/scoring-intervals.md). Null
            until the customer is next scored.
        p90 (None | str | Unset): Upper bound of the 80% interval of the 12-month CLV (decimal).
    """

    basis: str
    historical: str
    predicted_12m: str
    expected_purchases_12m: float | None | Unset = UNSET
    expected_purchases_12m_p10: float | None | Unset = UNSET
    expected_purchases_12m_p90: float | None | Unset = UNSET
    expected_purchases_90d: float | None | Unset = UNSET
    p10: None | str | Unset = UNSET
    p90: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        basis = self.basis

        historical = self.historical

        predicted_12m = self.predicted_12m

        expected_purchases_12m: float | None | Unset
        if isinstance(self.expected_purchases_12m, Unset):
            expected_purchases_12m = UNSET
        else:
            expected_purchases_12m = self.expected_purchases_12m

        expected_purchases_12m_p10: float | None | Unset
        if isinstance(self.expected_purchases_12m_p10, Unset):
            expected_purchases_12m_p10 = UNSET
        else:
            expected_purchases_12m_p10 = self.expected_purchases_12m_p10

        expected_purchases_12m_p90: float | None | Unset
        if isinstance(self.expected_purchases_12m_p90, Unset):
            expected_purchases_12m_p90 = UNSET
        else:
            expected_purchases_12m_p90 = self.expected_purchases_12m_p90

        expected_purchases_90d: float | None | Unset
        if isinstance(self.expected_purchases_90d, Unset):
            expected_purchases_90d = UNSET
        else:
            expected_purchases_90d = self.expected_purchases_90d

        p10: None | str | Unset
        if isinstance(self.p10, Unset):
            p10 = UNSET
        else:
            p10 = self.p10

        p90: None | str | Unset
        if isinstance(self.p90, Unset):
            p90 = UNSET
        else:
            p90 = self.p90

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "basis": basis,
                "historical": historical,
                "predicted_12m": predicted_12m,
            }
        )
        if expected_purchases_12m is not UNSET:
            field_dict["expected_purchases_12m"] = expected_purchases_12m
        if expected_purchases_12m_p10 is not UNSET:
            field_dict["expected_purchases_12m_p10"] = expected_purchases_12m_p10
        if expected_purchases_12m_p90 is not UNSET:
            field_dict["expected_purchases_12m_p90"] = expected_purchases_12m_p90
        if expected_purchases_90d is not UNSET:
            field_dict["expected_purchases_90d"] = expected_purchases_90d
        if p10 is not UNSET:
            field_dict["p10"] = p10
        if p90 is not UNSET:
            field_dict["p90"] = p90

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        basis = d.pop("basis")

        historical = d.pop("historical")

        predicted_12m = d.pop("predicted_12m")

        def _parse_expected_purchases_12m(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        expected_purchases_12m = _parse_expected_purchases_12m(d.pop("expected_purchases_12m", UNSET))

        def _parse_expected_purchases_12m_p10(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        expected_purchases_12m_p10 = _parse_expected_purchases_12m_p10(d.pop("expected_purchases_12m_p10", UNSET))

        def _parse_expected_purchases_12m_p90(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        expected_purchases_12m_p90 = _parse_expected_purchases_12m_p90(d.pop("expected_purchases_12m_p90", UNSET))

        def _parse_expected_purchases_90d(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        expected_purchases_90d = _parse_expected_purchases_90d(d.pop("expected_purchases_90d", UNSET))

        def _parse_p10(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        p10 = _parse_p10(d.pop("p10", UNSET))

        def _parse_p90(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        p90 = _parse_p90(d.pop("p90", UNSET))

        ltv_scores = cls(
            basis=basis,
            historical=historical,
            predicted_12m=predicted_12m,
            expected_purchases_12m=expected_purchases_12m,
            expected_purchases_12m_p10=expected_purchases_12m_p10,
            expected_purchases_12m_p90=expected_purchases_12m_p90,
            expected_purchases_90d=expected_purchases_90d,
            p10=p10,
            p90=p90,
        )

        ltv_scores.additional_properties = d
        return ltv_scores

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
