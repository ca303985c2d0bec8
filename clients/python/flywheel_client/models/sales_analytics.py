from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.conversion import Conversion
    from ..models.pipeline_value import PipelineValue
    from ..models.stage_time import StageTime


T = TypeVar("T", bound="SalesAnalytics")


@_attrs_define
class SalesAnalytics:
    """A pipeline's numbers over deals created in [from, to).

    Attributes:
        conversions (list[Conversion]):
        deals (int):
        lost (int):
        open_ (int):
        pipeline_id (str):
        pipeline_value (list[PipelineValue]):
        stages (list[StageTime]):
        won (int):
        cycle_days (float | None | Unset): Average days from creation to won.
        from_ (datetime.datetime | None | Unset):
        owner (None | str | Unset): The owner filter, if any.
        to (datetime.datetime | None | Unset):
        win_rate (float | None | Unset): won / (won + lost).
    """

    conversions: list[Conversion]
    deals: int
    lost: int
    open_: int
    pipeline_id: str
    pipeline_value: list[PipelineValue]
    stages: list[StageTime]
    won: int
    cycle_days: float | None | Unset = UNSET
    from_: datetime.datetime | None | Unset = UNSET
    owner: None | str | Unset = UNSET
    to: datetime.datetime | None | Unset = UNSET
    win_rate: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        conversions = []
        for conversions_item_data in self.conversions:
            conversions_item = conversions_item_data.to_dict()
            conversions.append(conversions_item)

        deals = self.deals

        lost = self.lost

        open_ = self.open_

        pipeline_id = self.pipeline_id

        pipeline_value = []
        for pipeline_value_item_data in self.pipeline_value:
            pipeline_value_item = pipeline_value_item_data.to_dict()
            pipeline_value.append(pipeline_value_item)

        stages = []
        for stages_item_data in self.stages:
            stages_item = stages_item_data.to_dict()
            stages.append(stages_item)

        won = self.won

        cycle_days: float | None | Unset
        if isinstance(self.cycle_days, Unset):
            cycle_days = UNSET
        else:
            cycle_days = self.cycle_days

        from_: None | str | Unset
        if isinstance(self.from_, Unset):
            from_ = UNSET
        elif isinstance(self.from_, datetime.datetime):
            from_ = self.from_.isoformat()
        else:
            from_ = self.from_

        owner: None | str | Unset
        if isinstance(self.owner, Unset):
            owner = UNSET
        else:
            owner = self.owner

        to: None | str | Unset
        if isinstance(self.to, Unset):
            to = UNSET
        elif isinstance(self.to, datetime.datetime):
            to = self.to.isoformat()
        else:
            to = self.to

        win_rate: float | None | Unset
        if isinstance(self.win_rate, Unset):
            win_rate = UNSET
        else:
            win_rate = self.win_rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conversions": conversions,
                "deals": deals,
                "lost": lost,
                "open": open_,
                "pipeline_id": pipeline_id,
                "pipeline_value": pipeline_value,
                "stages": stages,
                "won": won,
            }
        )
        if cycle_days is not UNSET:
            field_dict["cycle_days"] = cycle_days
        if from_ is not UNSET:
            field_dict["from"] = from_
        if owner is not UNSET:
            field_dict["owner"] = owner
        if to is not UNSET:
            field_dict["to"] = to
        if win_rate is not UNSET:
            field_dict["win_rate"] = win_rate

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.conversion import Conversion  # noqa: PLC0415
        from ..models.pipeline_value import PipelineValue  # noqa: PLC0415
        from ..models.stage_time import StageTime  # noqa: PLC0415

        d = dict(src_dict)
        conversions = []
        _conversions = d.pop("conversions")
        for conversions_item_data in _conversions:
            conversions_item = Conversion.from_dict(conversions_item_data)

            conversions.append(conversions_item)

        deals = d.pop("deals")

        lost = d.pop("lost")

        open_ = d.pop("open")

        pipeline_id = d.pop("pipeline_id")

        pipeline_value = []
        _pipeline_value = d.pop("pipeline_value")
        for pipeline_value_item_data in _pipeline_value:
            pipeline_value_item = PipelineValue.from_dict(pipeline_value_item_data)

            pipeline_value.append(pipeline_value_item)

        stages = []
        _stages = d.pop("stages")
        for stages_item_data in _stages:
            stages_item = StageTime.from_dict(stages_item_data)

            stages.append(stages_item)

        won = d.pop("won")

        def _parse_cycle_days(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        cycle_days = _parse_cycle_days(d.pop("cycle_days", UNSET))

        def _parse_from_(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                from_type_0 = datetime.datetime.fromisoformat(data)

                return from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        from_ = _parse_from_(d.pop("from", UNSET))

        def _parse_owner(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        owner = _parse_owner(d.pop("owner", UNSET))

        def _parse_to(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                to_type_0 = datetime.datetime.fromisoformat(data)

                return to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        to = _parse_to(d.pop("to", UNSET))

        def _parse_win_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        win_rate = _parse_win_rate(d.pop("win_rate", UNSET))

        sales_analytics = cls(
            conversions=conversions,
            deals=deals,
            lost=lost,
            open_=open_,
            pipeline_id=pipeline_id,
            pipeline_value=pipeline_value,
            stages=stages,
            won=won,
            cycle_days=cycle_days,
            from_=from_,
            owner=owner,
            to=to,
            win_rate=win_rate,
        )

        sales_analytics.additional_properties = d
        return sales_analytics

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
