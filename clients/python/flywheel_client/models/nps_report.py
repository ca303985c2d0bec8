from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.nps_group import NpsGroup
    from ..models.nps_month import NpsMonth
    from ..models.period import Period


T = TypeVar("T", bound="NpsReport")


@_attrs_define
class NpsReport:
    """
    Attributes:
        by_channel (list[NpsGroup] | None): With `by=channel`: the same per acquisition channel (`key`); null otherwise.
        by_month (list[NpsMonth] | None): The same per calendar month (UTC) with answers.
        currency (None | str): The workspace's report currency (`PUT /v1/report-settings`); null when not set.
        detractors (int | None):
        passives (int | None):
        period (Period):
        promoters (int | None):
        responses (int | None): Customers who answered, each once.
        score (float | None): % promoters (9-10) - % detractors (0-6) over each customer's latest answer in the period,
            -100 to 100, 2 decimals; null without responses or when its service is degraded.
        segment_id (None | str): With `segment_id`: the segment whose current members' answers are counted; null:
            everyone.
        degraded (list[str] | Unset): The service the figures come from (profile, or scoring for a segment) when it was
            down or slow.
    """

    by_channel: list[NpsGroup] | None
    by_month: list[NpsMonth] | None
    currency: None | str
    detractors: int | None
    passives: int | None
    period: Period
    promoters: int | None
    responses: int | None
    score: float | None
    segment_id: None | str
    degraded: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        by_channel: list[dict[str, Any]] | None
        if isinstance(self.by_channel, list):
            by_channel = []
            for by_channel_type_0_item_data in self.by_channel:
                by_channel_type_0_item = by_channel_type_0_item_data.to_dict()
                by_channel.append(by_channel_type_0_item)

        else:
            by_channel = self.by_channel

        by_month: list[dict[str, Any]] | None
        if isinstance(self.by_month, list):
            by_month = []
            for by_month_type_0_item_data in self.by_month:
                by_month_type_0_item = by_month_type_0_item_data.to_dict()
                by_month.append(by_month_type_0_item)

        else:
            by_month = self.by_month

        currency: None | str
        currency = self.currency

        detractors: int | None
        detractors = self.detractors

        passives: int | None
        passives = self.passives

        period = self.period.to_dict()

        promoters: int | None
        promoters = self.promoters

        responses: int | None
        responses = self.responses

        score: float | None
        score = self.score

        segment_id: None | str
        segment_id = self.segment_id

        degraded: list[str] | Unset = UNSET
        if not isinstance(self.degraded, Unset):
            degraded = self.degraded

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "by_channel": by_channel,
                "by_month": by_month,
                "currency": currency,
                "detractors": detractors,
                "passives": passives,
                "period": period,
                "promoters": promoters,
                "responses": responses,
                "score": score,
                "segment_id": segment_id,
            }
        )
        if degraded is not UNSET:
            field_dict["degraded"] = degraded

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.nps_group import NpsGroup  # noqa: PLC0415
        from ..models.nps_month import NpsMonth  # noqa: PLC0415
        from ..models.period import Period  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_by_channel(data: object) -> list[NpsGroup] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                by_channel_type_0 = []
                _by_channel_type_0 = data
                for by_channel_type_0_item_data in _by_channel_type_0:
                    by_channel_type_0_item = NpsGroup.from_dict(by_channel_type_0_item_data)

                    by_channel_type_0.append(by_channel_type_0_item)

                return by_channel_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[NpsGroup] | None, data)

        by_channel = _parse_by_channel(d.pop("by_channel"))

        def _parse_by_month(data: object) -> list[NpsMonth] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                by_month_type_0 = []
                _by_month_type_0 = data
                for by_month_type_0_item_data in _by_month_type_0:
                    by_month_type_0_item = NpsMonth.from_dict(by_month_type_0_item_data)

                    by_month_type_0.append(by_month_type_0_item)

                return by_month_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[NpsMonth] | None, data)

        by_month = _parse_by_month(d.pop("by_month"))

        def _parse_currency(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        currency = _parse_currency(d.pop("currency"))

        def _parse_detractors(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        detractors = _parse_detractors(d.pop("detractors"))

        def _parse_passives(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        passives = _parse_passives(d.pop("passives"))

        period = Period.from_dict(d.pop("period"))

        def _parse_promoters(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        promoters = _parse_promoters(d.pop("promoters"))

        def _parse_responses(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        responses = _parse_responses(d.pop("responses"))

        def _parse_score(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        score = _parse_score(d.pop("score"))

        def _parse_segment_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        segment_id = _parse_segment_id(d.pop("segment_id"))

        degraded = cast(list[str], d.pop("degraded", UNSET))

        nps_report = cls(
            by_channel=by_channel,
            by_month=by_month,
            currency=currency,
            detractors=detractors,
            passives=passives,
            period=period,
            promoters=promoters,
            responses=responses,
            score=score,
            segment_id=segment_id,
            degraded=degraded,
        )

        nps_report.additional_properties = d
        return nps_report

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
