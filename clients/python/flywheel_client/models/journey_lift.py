from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.difference import Difference
    from ..models.group_outcome import GroupOutcome


T = TypeVar("T", bound="JourneyLift")


@_attrs_define
class JourneyLift:
    """Enrolled against held-out customers (settings.holdout_percent): conversion rate and revenue per customer,
    their differences with 95% confidence intervals (null when a group is empty).

        Attributes:
            as_of (datetime.datetime):
            conversion_rate_difference (Difference | None):
            enrolled (GroupOutcome):
            held_out (GroupOutcome):
            journey_id (str):
            revenue_per_customer_difference (Difference | None):
            window (str): Purchases count within this duration after entry: the goal's `within`, else 30d.
    """

    as_of: datetime.datetime
    conversion_rate_difference: Difference | None
    enrolled: GroupOutcome
    held_out: GroupOutcome
    journey_id: str
    revenue_per_customer_difference: Difference | None
    window: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.difference import Difference  # noqa: PLC0415

        as_of = self.as_of.isoformat()

        conversion_rate_difference: dict[str, Any] | None
        if isinstance(self.conversion_rate_difference, Difference):
            conversion_rate_difference = self.conversion_rate_difference.to_dict()
        else:
            conversion_rate_difference = self.conversion_rate_difference

        enrolled = self.enrolled.to_dict()

        held_out = self.held_out.to_dict()

        journey_id = self.journey_id

        revenue_per_customer_difference: dict[str, Any] | None
        if isinstance(self.revenue_per_customer_difference, Difference):
            revenue_per_customer_difference = self.revenue_per_customer_difference.to_dict()
        else:
            revenue_per_customer_difference = self.revenue_per_customer_difference

        window = self.window

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "conversion_rate_difference": conversion_rate_difference,
                "enrolled": enrolled,
                "held_out": held_out,
                "journey_id": journey_id,
                "revenue_per_customer_difference": revenue_per_customer_difference,
                "window": window,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.difference import Difference  # noqa: PLC0415
        from ..models.group_outcome import GroupOutcome  # noqa: PLC0415

        d = dict(src_dict)
        as_of = datetime.datetime.fromisoformat(d.pop("as_of"))

        def _parse_conversion_rate_difference(data: object) -> Difference | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                conversion_rate_difference_type_0 = Difference.from_dict(data)

                return conversion_rate_difference_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Difference | None, data)

        conversion_rate_difference = _parse_conversion_rate_difference(d.pop("conversion_rate_difference"))

        enrolled = GroupOutcome.from_dict(d.pop("enrolled"))

        held_out = GroupOutcome.from_dict(d.pop("held_out"))

        journey_id = d.pop("journey_id")

        def _parse_revenue_per_customer_difference(data: object) -> Difference | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                revenue_per_customer_difference_type_0 = Difference.from_dict(data)

                return revenue_per_customer_difference_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Difference | None, data)

        revenue_per_customer_difference = _parse_revenue_per_customer_difference(
            d.pop("revenue_per_customer_difference")
        )

        window = d.pop("window")

        journey_lift = cls(
            as_of=as_of,
            conversion_rate_difference=conversion_rate_difference,
            enrolled=enrolled,
            held_out=held_out,
            journey_id=journey_id,
            revenue_per_customer_difference=revenue_per_customer_difference,
            window=window,
        )

        journey_lift.additional_properties = d
        return journey_lift

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
