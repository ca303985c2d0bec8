from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.customer_journey_status import CustomerJourneyStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="CustomerJourney")


@_attrs_define
class CustomerJourney:
    """One enrolment of the customer in a journey (from the journey service).

    Attributes:
        entered_at (datetime.datetime):
        journey_id (str):
        status (CustomerJourneyStatus):
        version (int): The journey version the customer was enrolled on.
        end_reason (None | str | Unset):
        ended_at (datetime.datetime | None | Unset):
        holdout (bool | Unset): In the holdout (control) group: sent nothing, counted to measure lift. Default: False.
        step_id (None | str | Unset): The step the enrolment is at; null once it ended.
        variant (None | str | Unset): The A/B variant, if the journey splits.
    """

    entered_at: datetime.datetime
    journey_id: str
    status: CustomerJourneyStatus
    version: int
    end_reason: None | str | Unset = UNSET
    ended_at: datetime.datetime | None | Unset = UNSET
    holdout: bool | Unset = False
    step_id: None | str | Unset = UNSET
    variant: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        entered_at = self.entered_at.isoformat()

        journey_id = self.journey_id

        status = self.status.value

        version = self.version

        end_reason: None | str | Unset
        if isinstance(self.end_reason, Unset):
            end_reason = UNSET
        else:
            end_reason = self.end_reason

        ended_at: None | str | Unset
        if isinstance(self.ended_at, Unset):
            ended_at = UNSET
        elif isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat()
        else:
            ended_at = self.ended_at

        holdout = self.holdout

        step_id: None | str | Unset
        if isinstance(self.step_id, Unset):
            step_id = UNSET
        else:
            step_id = self.step_id

        variant: None | str | Unset
        if isinstance(self.variant, Unset):
            variant = UNSET
        else:
            variant = self.variant

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "entered_at": entered_at,
                "journey_id": journey_id,
                "status": status,
                "version": version,
            }
        )
        if end_reason is not UNSET:
            field_dict["end_reason"] = end_reason
        if ended_at is not UNSET:
            field_dict["ended_at"] = ended_at
        if holdout is not UNSET:
            field_dict["holdout"] = holdout
        if step_id is not UNSET:
            field_dict["step_id"] = step_id
        if variant is not UNSET:
            field_dict["variant"] = variant

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        entered_at = datetime.datetime.fromisoformat(d.pop("entered_at"))

        journey_id = d.pop("journey_id")

        status = CustomerJourneyStatus(d.pop("status"))

        version = d.pop("version")

        def _parse_end_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        end_reason = _parse_end_reason(d.pop("end_reason", UNSET))

        def _parse_ended_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ended_at_type_0 = datetime.datetime.fromisoformat(data)

                return ended_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        ended_at = _parse_ended_at(d.pop("ended_at", UNSET))

        holdout = d.pop("holdout", UNSET)

        def _parse_step_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        step_id = _parse_step_id(d.pop("step_id", UNSET))

        def _parse_variant(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        variant = _parse_variant(d.pop("variant", UNSET))

        customer_journey = cls(
            entered_at=entered_at,
            journey_id=journey_id,
            status=status,
            version=version,
            end_reason=end_reason,
            ended_at=ended_at,
            holdout=holdout,
            step_id=step_id,
            variant=variant,
        )

        customer_journey.additional_properties = d
        return customer_journey

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
