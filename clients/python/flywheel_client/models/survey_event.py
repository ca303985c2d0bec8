from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.survey_event_timesource_type_0 import SurveyEventTimesourceType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.survey_data import SurveyData


T = TypeVar("T", bound="SurveyEvent")


@_attrs_define
class SurveyEvent:
    """A survey answer: NPS (0-10) and/or CSAT (1-5), with an optional survey id, comment and channel.

    Attributes:
        data (SurveyData): A survey answer: an NPS score (0-10), a CSAT score (1-5), or both.
        id (str): Producer-chosen unique id; the de-duplication key within a workspace.
        source (str): Who produced the event, e.g. 'shop-web'.
        specversion (Literal['1.0']): CloudEvents version; always 1.0.
        type_ (Literal['survey']):
        datacontenttype (Literal['application/json'] | None | str | Unset):
        time (datetime.datetime | Unset): RFC 3339 event time (when it happened), with a time zone. When absent, the
            time Flywheel received the event is used, and `timesource` says so. When absent, the time Flywheel received the
            event is used, and `timesource` says so.
        timesource (None | SurveyEventTimesourceType0 | Unset): Set by Flywheel when the producer sent no `time`: `time`
            is then when Flywheel received the event, and this says whose clock: `received` (the gateway's, on receiving the
            HTTP request), `kafka-createtime` (the Kafka record's CreateTime timestamp: the producer client's clock when it
            sent the record; Kafka's default) or `kafka-logappendtime` (the record's LogAppendTime: the broker's clock, on a
            topic configured so).
        workspace (str | Unset): Tenant the event belongs to: lowercase letters, digits, '-' and '_', at most 63. Over
            HTTP it may be left out: the API key's workspace (another one is refused).
    """

    data: SurveyData
    id: str
    source: str
    specversion: Literal["1.0"]
    type_: Literal["survey"]
    datacontenttype: Literal["application/json"] | None | str | Unset = UNSET
    time: datetime.datetime | Unset = UNSET
    timesource: None | SurveyEventTimesourceType0 | Unset = UNSET
    workspace: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        id = self.id

        source = self.source

        specversion = self.specversion

        type_ = self.type_

        datacontenttype: Literal["application/json"] | None | str | Unset
        if isinstance(self.datacontenttype, Unset):
            datacontenttype = UNSET
        else:
            datacontenttype = self.datacontenttype

        time: str | Unset = UNSET
        if not isinstance(self.time, Unset):
            time = self.time.isoformat()

        timesource: None | str | Unset
        if isinstance(self.timesource, Unset):
            timesource = UNSET
        elif isinstance(self.timesource, SurveyEventTimesourceType0):
            timesource = self.timesource.value
        else:
            timesource = self.timesource

        workspace = self.workspace

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "id": id,
                "source": source,
                "specversion": specversion,
                "type": type_,
            }
        )
        if datacontenttype is not UNSET:
            field_dict["datacontenttype"] = datacontenttype
        if time is not UNSET:
            field_dict["time"] = time
        if timesource is not UNSET:
            field_dict["timesource"] = timesource
        if workspace is not UNSET:
            field_dict["workspace"] = workspace

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.survey_data import SurveyData  # noqa: PLC0415

        d = dict(src_dict)
        data = SurveyData.from_dict(d.pop("data"))

        id = d.pop("id")

        source = d.pop("source")

        specversion = cast(Literal["1.0"], d.pop("specversion"))
        if specversion != "1.0":
            raise ValueError(f"specversion must match const '1.0', got '{specversion}'")

        type_ = cast(Literal["survey"], d.pop("type"))
        if type_ != "survey":
            raise ValueError(f"type must match const 'survey', got '{type_}'")

        def _parse_datacontenttype(data: object) -> Literal["application/json"] | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            datacontenttype_type_0 = cast(Literal["application/json"], data)
            if datacontenttype_type_0 != "application/json":
                raise ValueError(
                    f"datacontenttype_type_0 must match const 'application/json', got '{datacontenttype_type_0}'"
                )
            return datacontenttype_type_0
            return cast(Literal["application/json"] | None | str | Unset, data)

        datacontenttype = _parse_datacontenttype(d.pop("datacontenttype", UNSET))

        _time = d.pop("time", UNSET)
        time: datetime.datetime | Unset
        if isinstance(_time, Unset):
            time = UNSET
        else:
            time = datetime.datetime.fromisoformat(_time)

        def _parse_timesource(data: object) -> None | SurveyEventTimesourceType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                timesource_type_0 = SurveyEventTimesourceType0(data)

                return timesource_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SurveyEventTimesourceType0 | Unset, data)

        timesource = _parse_timesource(d.pop("timesource", UNSET))

        workspace = d.pop("workspace", UNSET)

        survey_event = cls(
            data=data,
            id=id,
            source=source,
            specversion=specversion,
            type_=type_,
            datacontenttype=datacontenttype,
            time=time,
            timesource=timesource,
            workspace=workspace,
        )

        survey_event.additional_properties = d
        return survey_event

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
