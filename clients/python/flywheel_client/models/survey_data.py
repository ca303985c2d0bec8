from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.customer_ref import CustomerRef


T = TypeVar("T", bound="SurveyData")


@_attrs_define
class SurveyData:
    """A survey answer: an NPS score (0-10), a CSAT score (1-5), or both.

    Attributes:
        customer (CustomerRef): Identifiers of the customer an event is about; at least one is required.
        channel (None | str | Unset):
        comment (None | str | Unset): The customer's own words (at most 2000 characters).
        csat (int | None | Unset): Satisfaction, 1 (worst) to 5.
        nps (int | None | Unset): Net Promoter answer: 9-10 a promoter, 7-8 passive, 0-6 a detractor.
        survey_id (None | str | Unset): The producer's id of the survey asked.
    """

    customer: CustomerRef
    channel: None | str | Unset = UNSET
    comment: None | str | Unset = UNSET
    csat: int | None | Unset = UNSET
    nps: int | None | Unset = UNSET
    survey_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customer = self.customer.to_dict()

        channel: None | str | Unset
        if isinstance(self.channel, Unset):
            channel = UNSET
        else:
            channel = self.channel

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        csat: int | None | Unset
        if isinstance(self.csat, Unset):
            csat = UNSET
        else:
            csat = self.csat

        nps: int | None | Unset
        if isinstance(self.nps, Unset):
            nps = UNSET
        else:
            nps = self.nps

        survey_id: None | str | Unset
        if isinstance(self.survey_id, Unset):
            survey_id = UNSET
        else:
            survey_id = self.survey_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer": customer,
            }
        )
        if channel is not UNSET:
            field_dict["channel"] = channel
        if comment is not UNSET:
            field_dict["comment"] = comment
        if csat is not UNSET:
            field_dict["csat"] = csat
        if nps is not UNSET:
            field_dict["nps"] = nps
        if survey_id is not UNSET:
            field_dict["survey_id"] = survey_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer_ref import CustomerRef  # noqa: PLC0415

        d = dict(src_dict)
        customer = CustomerRef.from_dict(d.pop("customer"))

        def _parse_channel(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        channel = _parse_channel(d.pop("channel", UNSET))

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        def _parse_csat(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        csat = _parse_csat(d.pop("csat", UNSET))

        def _parse_nps(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        nps = _parse_nps(d.pop("nps", UNSET))

        def _parse_survey_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        survey_id = _parse_survey_id(d.pop("survey_id", UNSET))

        survey_data = cls(
            customer=customer,
            channel=channel,
            comment=comment,
            csat=csat,
            nps=nps,
            survey_id=survey_id,
        )

        survey_data.additional_properties = d
        return survey_data

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
