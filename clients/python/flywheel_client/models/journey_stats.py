from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.delivery_counts import DeliveryCounts
    from ..models.held_back_count import HeldBackCount
    from ..models.holdout_stats import HoldoutStats
    from ..models.step_count import StepCount
    from ..models.variant_stats import VariantStats


T = TypeVar("T", bound="JourneyStats")


@_attrs_define
class JourneyStats:
    """A journey's funnel: enrolments, where those in flight are, conversions per variant and against the holdout.

    Attributes:
        active (int):
        completed (int):
        converted (int):
        deliveries (DeliveryCounts):
        entered (int): Enrolments ever, every version.
        exited (int):
        holdout (HoldoutStats):
        in_flight (int): Active or waiting now.
        journey_id (str):
        waiting (int):
        deferred_by_caps (int | Unset): Messages a frequency cap deferred (they wait for a free slot). Default: 0.
        held_back (list[HeldBackCount] | Unset): Messages deferred or skipped by frequency caps, by outcome and reason.
        skipped_by_caps (int | Unset): Messages a frequency cap skipped. Default: 0.
        steps (list[StepCount] | Unset): Where enrolments in flight are now.
        variants (list[VariantStats] | Unset):
    """

    active: int
    completed: int
    converted: int
    deliveries: DeliveryCounts
    entered: int
    exited: int
    holdout: HoldoutStats
    in_flight: int
    journey_id: str
    waiting: int
    deferred_by_caps: int | Unset = 0
    held_back: list[HeldBackCount] | Unset = UNSET
    skipped_by_caps: int | Unset = 0
    steps: list[StepCount] | Unset = UNSET
    variants: list[VariantStats] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        active = self.active

        completed = self.completed

        converted = self.converted

        deliveries = self.deliveries.to_dict()

        entered = self.entered

        exited = self.exited

        holdout = self.holdout.to_dict()

        in_flight = self.in_flight

        journey_id = self.journey_id

        waiting = self.waiting

        deferred_by_caps = self.deferred_by_caps

        held_back: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.held_back, Unset):
            held_back = []
            for held_back_item_data in self.held_back:
                held_back_item = held_back_item_data.to_dict()
                held_back.append(held_back_item)

        skipped_by_caps = self.skipped_by_caps

        steps: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.steps, Unset):
            steps = []
            for steps_item_data in self.steps:
                steps_item = steps_item_data.to_dict()
                steps.append(steps_item)

        variants: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.variants, Unset):
            variants = []
            for variants_item_data in self.variants:
                variants_item = variants_item_data.to_dict()
                variants.append(variants_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "active": active,
                "completed": completed,
                "converted": converted,
                "deliveries": deliveries,
                "entered": entered,
                "exited": exited,
                "holdout": holdout,
                "in_flight": in_flight,
                "journey_id": journey_id,
                "waiting": waiting,
            }
        )
        if deferred_by_caps is not UNSET:
            field_dict["deferred_by_caps"] = deferred_by_caps
        if held_back is not UNSET:
            field_dict["held_back"] = held_back
        if skipped_by_caps is not UNSET:
            field_dict["skipped_by_caps"] = skipped_by_caps
        if steps is not UNSET:
            field_dict["steps"] = steps
        if variants is not UNSET:
            field_dict["variants"] = variants

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_counts import DeliveryCounts  # noqa: PLC0415
        from ..models.held_back_count import HeldBackCount  # noqa: PLC0415
        from ..models.holdout_stats import HoldoutStats  # noqa: PLC0415
        from ..models.step_count import StepCount  # noqa: PLC0415
        from ..models.variant_stats import VariantStats  # noqa: PLC0415

        d = dict(src_dict)
        active = d.pop("active")

        completed = d.pop("completed")

        converted = d.pop("converted")

        deliveries = DeliveryCounts.from_dict(d.pop("deliveries"))

        entered = d.pop("entered")

        exited = d.pop("exited")

        holdout = HoldoutStats.from_dict(d.pop("holdout"))

        in_flight = d.pop("in_flight")

        journey_id = d.pop("journey_id")

        waiting = d.pop("waiting")

        deferred_by_caps = d.pop("deferred_by_caps", UNSET)

        _held_back = d.pop("held_back", UNSET)
        held_back: list[HeldBackCount] | Unset = UNSET
        if _held_back is not UNSET:
            held_back = []
            for held_back_item_data in _held_back:
                held_back_item = HeldBackCount.from_dict(held_back_item_data)

                held_back.append(held_back_item)

        skipped_by_caps = d.pop("skipped_by_caps", UNSET)

        _steps = d.pop("steps", UNSET)
        steps: list[StepCount] | Unset = UNSET
        if _steps is not UNSET:
            steps = []
            for steps_item_data in _steps:
                steps_item = StepCount.from_dict(steps_item_data)

                steps.append(steps_item)

        _variants = d.pop("variants", UNSET)
        variants: list[VariantStats] | Unset = UNSET
        if _variants is not UNSET:
            variants = []
            for variants_item_data in _variants:
                variants_item = VariantStats.from_dict(variants_item_data)

                variants.append(variants_item)

        journey_stats = cls(
            active=active,
            completed=completed,
            converted=converted,
            deliveries=deliveries,
            entered=entered,
            exited=exited,
            holdout=holdout,
            in_flight=in_flight,
            journey_id=journey_id,
            waiting=waiting,
            deferred_by_caps=deferred_by_caps,
            held_back=held_back,
            skipped_by_caps=skipped_by_caps,
            steps=steps,
            variants=variants,
        )

        journey_stats.additional_properties = d
        return journey_stats

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
