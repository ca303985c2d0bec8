from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.customer_simulation import CustomerSimulation
    from ..models.simulation_summary import SimulationSummary


T = TypeVar("T", bound="JourneySimulation")


@_attrs_define
class JourneySimulation:
    """A dry run: nothing was sent, stored or published.

    Attributes:
        assumptions (list[str]): What a simulation cannot know, and what it assumes instead.
        customers (list[CustomerSimulation]):
        journey_id (str):
        start_at (datetime.datetime):
        step_budget (int): Engine steps each customer may run.
        summary (SimulationSummary):
        until (datetime.datetime): start_at + horizon.
        version (int):
        unknown_customers (list[str] | Unset): Ids asked for that this workspace's journeys do not know: not run.
    """

    assumptions: list[str]
    customers: list[CustomerSimulation]
    journey_id: str
    start_at: datetime.datetime
    step_budget: int
    summary: SimulationSummary
    until: datetime.datetime
    version: int
    unknown_customers: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        assumptions = self.assumptions

        customers = []
        for customers_item_data in self.customers:
            customers_item = customers_item_data.to_dict()
            customers.append(customers_item)

        journey_id = self.journey_id

        start_at = self.start_at.isoformat()

        step_budget = self.step_budget

        summary = self.summary.to_dict()

        until = self.until.isoformat()

        version = self.version

        unknown_customers: list[str] | Unset = UNSET
        if not isinstance(self.unknown_customers, Unset):
            unknown_customers = self.unknown_customers

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "assumptions": assumptions,
                "customers": customers,
                "journey_id": journey_id,
                "start_at": start_at,
                "step_budget": step_budget,
                "summary": summary,
                "until": until,
                "version": version,
            }
        )
        if unknown_customers is not UNSET:
            field_dict["unknown_customers"] = unknown_customers

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer_simulation import CustomerSimulation  # noqa: PLC0415
        from ..models.simulation_summary import SimulationSummary  # noqa: PLC0415

        d = dict(src_dict)
        assumptions = cast(list[str], d.pop("assumptions"))

        customers = []
        _customers = d.pop("customers")
        for customers_item_data in _customers:
            customers_item = CustomerSimulation.from_dict(customers_item_data)

            customers.append(customers_item)

        journey_id = d.pop("journey_id")

        start_at = datetime.datetime.fromisoformat(d.pop("start_at"))

        step_budget = d.pop("step_budget")

        summary = SimulationSummary.from_dict(d.pop("summary"))

        until = datetime.datetime.fromisoformat(d.pop("until"))

        version = d.pop("version")

        unknown_customers = cast(list[str], d.pop("unknown_customers", UNSET))

        journey_simulation = cls(
            assumptions=assumptions,
            customers=customers,
            journey_id=journey_id,
            start_at=start_at,
            step_budget=step_budget,
            summary=summary,
            until=until,
            version=version,
            unknown_customers=unknown_customers,
        )

        journey_simulation.additional_properties = d
        return journey_simulation

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
