from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.active_within_days import ActiveWithinDays
    from ..models.churn_band_in import ChurnBandIn
    from ..models.purchases_at_least import PurchasesAtLeast
    from ..models.revenue_at_least import RevenueAtLeast
    from ..models.rfm_segment_in import RfmSegmentIn
    from ..models.trait_equals import TraitEquals
    from ..models.trait_present import TraitPresent
    from ..models.visits_at_least import VisitsAtLeast


T = TypeVar("T", bound="LeadRule")


@_attrs_define
class LeadRule:
    """
    Attributes:
        description (str):
        id (str):
        points (int):
        when (ActiveWithinDays | ChurnBandIn | PurchasesAtLeast | RevenueAtLeast | RfmSegmentIn | TraitEquals |
            TraitPresent | VisitsAtLeast):
    """

    description: str
    id: str
    points: int
    when: (
        ActiveWithinDays
        | ChurnBandIn
        | PurchasesAtLeast
        | RevenueAtLeast
        | RfmSegmentIn
        | TraitEquals
        | TraitPresent
        | VisitsAtLeast
    )

    def to_dict(self) -> dict[str, Any]:
        from ..models.active_within_days import ActiveWithinDays  # noqa: PLC0415
        from ..models.purchases_at_least import PurchasesAtLeast  # noqa: PLC0415
        from ..models.revenue_at_least import RevenueAtLeast  # noqa: PLC0415
        from ..models.rfm_segment_in import RfmSegmentIn  # noqa: PLC0415
        from ..models.trait_equals import TraitEquals  # noqa: PLC0415
        from ..models.trait_present import TraitPresent  # noqa: PLC0415
        from ..models.visits_at_least import VisitsAtLeast  # noqa: PLC0415

        description = self.description

        id = self.id

        points = self.points

        when: dict[str, Any]
        if isinstance(self.when, VisitsAtLeast):
            when = self.when.to_dict()
        elif isinstance(self.when, ActiveWithinDays):
            when = self.when.to_dict()
        elif isinstance(self.when, PurchasesAtLeast):
            when = self.when.to_dict()
        elif isinstance(self.when, RevenueAtLeast):
            when = self.when.to_dict()
        elif isinstance(self.when, TraitEquals):
            when = self.when.to_dict()
        elif isinstance(self.when, TraitPresent):
            when = self.when.to_dict()
        elif isinstance(self.when, RfmSegmentIn):
            when = self.when.to_dict()
        else:
            when = self.when.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "description": description,
                "id": id,
                "points": points,
                "when": when,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.active_within_days import ActiveWithinDays  # noqa: PLC0415
        from ..models.churn_band_in import ChurnBandIn  # noqa: PLC0415
        from ..models.purchases_at_least import PurchasesAtLeast  # noqa: PLC0415
        from ..models.revenue_at_least import RevenueAtLeast  # noqa: PLC0415
        from ..models.rfm_segment_in import RfmSegmentIn  # noqa: PLC0415
        from ..models.trait_equals import TraitEquals  # noqa: PLC0415
        from ..models.trait_present import TraitPresent  # noqa: PLC0415
        from ..models.visits_at_least import VisitsAtLeast  # noqa: PLC0415

        d = dict(src_dict)
        description = d.pop("description")

        id = d.pop("id")

        points = d.pop("points")

        def _parse_when(
            data: object,
        ) -> (
            ActiveWithinDays
            | ChurnBandIn
            | PurchasesAtLeast
            | RevenueAtLeast
            | RfmSegmentIn
            | TraitEquals
            | TraitPresent
            | VisitsAtLeast
        ):
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                when_type_0 = VisitsAtLeast.from_dict(data)

                return when_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                when_type_1 = ActiveWithinDays.from_dict(data)

                return when_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                when_type_2 = PurchasesAtLeast.from_dict(data)

                return when_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                when_type_3 = RevenueAtLeast.from_dict(data)

                return when_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                when_type_4 = TraitEquals.from_dict(data)

                return when_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                when_type_5 = TraitPresent.from_dict(data)

                return when_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                when_type_6 = RfmSegmentIn.from_dict(data)

                return when_type_6
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            when_type_7 = ChurnBandIn.from_dict(data)

            return when_type_7

        when = _parse_when(d.pop("when"))

        lead_rule = cls(
            description=description,
            id=id,
            points=points,
            when=when,
        )

        return lead_rule
