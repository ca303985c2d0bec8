from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.acquisition import Acquisition
    from ..models.customer_360_traits import Customer360Traits
    from ..models.customer_deal import CustomerDeal
    from ..models.customer_journey import CustomerJourney
    from ..models.customer_scores import CustomerScores
    from ..models.customer_segment import CustomerSegment
    from ..models.customer_stats import CustomerStats
    from ..models.customer_task import CustomerTask
    from ..models.identifiers import Identifiers
    from ..models.member_points import MemberPoints
    from ..models.referral_code import ReferralCode
    from ..models.referral_link import ReferralLink
    from ..models.referral_reward import ReferralReward


T = TypeVar("T", bound="Customer360")


@_attrs_define
class Customer360:
    """The 360° view: profile's customer plus the sections other services own.

    Attributes:
        customer_id (str):
        acquisition (Acquisition | Unset): Where the customer came from: `referral` (with `program_id`) when a referral
            program attributed them; else
            the `utm_source` (and `utm_campaign`) of their earliest event carrying one; else the `channel` of their first
            purchase; else `direct`. Earliest by event time, so late events and merges do not change it.
        created_at (datetime.datetime | None | Unset):
        deals (list[CustomerDeal] | Unset): The customer's deals, oldest first.
        degraded (list[str] | Unset): Backing services that did not answer; their sections are empty.
        first_seen_at (datetime.datetime | None | Unset): Time of the customer's earliest event.
        identifiers (Identifiers | Unset):
        journeys (list[CustomerJourney] | Unset): Journey enrolments and their state, newest first.
        last_event_at (datetime.datetime | None | Unset): Time of the customer's latest event.
        loyalty (MemberPoints | None | Unset): Loyalty points, lots, tier and progress (as GET
            /v1/customers/{id}/points); null while the workspace has no loyalty program.
        merged_ids (list[str] | Unset): Ids merged into this customer.
        referral_codes (list[ReferralCode] | Unset): The customer's referral codes.
        referral_rewards (list[ReferralReward] | Unset): Rewards the customer earned as referrer or friend, with their
            status.
        referrals (list[ReferralLink] | Unset): Referrals the customer made, and the one that brought them in.
        scores (CustomerScores | None | Unset): RFM, LTV and churn (as GET /v1/customers/{id}/scores); null until
            scored.
        segments (list[CustomerSegment] | Unset): Dynamic segments the customer is in.
        stats (CustomerStats | Unset):
        tags (list[str] | Unset):
        tasks (list[CustomerTask] | Unset): Sales tasks about the customer: open ones first, by due date.
        traits (Customer360Traits | Unset):
        updated_at (datetime.datetime | None | Unset):
    """

    customer_id: str
    acquisition: Acquisition | Unset = UNSET
    created_at: datetime.datetime | None | Unset = UNSET
    deals: list[CustomerDeal] | Unset = UNSET
    degraded: list[str] | Unset = UNSET
    first_seen_at: datetime.datetime | None | Unset = UNSET
    identifiers: Identifiers | Unset = UNSET
    journeys: list[CustomerJourney] | Unset = UNSET
    last_event_at: datetime.datetime | None | Unset = UNSET
    loyalty: MemberPoints | None | Unset = UNSET
    merged_ids: list[str] | Unset = UNSET
    referral_codes: list[ReferralCode] | Unset = UNSET
    referral_rewards: list[ReferralReward] | Unset = UNSET
    referrals: list[ReferralLink] | Unset = UNSET
    scores: CustomerScores | None | Unset = UNSET
    segments: list[CustomerSegment] | Unset = UNSET
    stats: CustomerStats | Unset = UNSET
    tags: list[str] | Unset = UNSET
    tasks: list[CustomerTask] | Unset = UNSET
    traits: Customer360Traits | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.customer_scores import CustomerScores  # noqa: PLC0415
        from ..models.member_points import MemberPoints  # noqa: PLC0415

        customer_id = self.customer_id

        acquisition: dict[str, Any] | Unset = UNSET
        if not isinstance(self.acquisition, Unset):
            acquisition = self.acquisition.to_dict()

        created_at: None | str | Unset
        if isinstance(self.created_at, Unset):
            created_at = UNSET
        elif isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        deals: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.deals, Unset):
            deals = []
            for deals_item_data in self.deals:
                deals_item = deals_item_data.to_dict()
                deals.append(deals_item)

        degraded: list[str] | Unset = UNSET
        if not isinstance(self.degraded, Unset):
            degraded = self.degraded

        first_seen_at: None | str | Unset
        if isinstance(self.first_seen_at, Unset):
            first_seen_at = UNSET
        elif isinstance(self.first_seen_at, datetime.datetime):
            first_seen_at = self.first_seen_at.isoformat()
        else:
            first_seen_at = self.first_seen_at

        identifiers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.identifiers, Unset):
            identifiers = self.identifiers.to_dict()

        journeys: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.journeys, Unset):
            journeys = []
            for journeys_item_data in self.journeys:
                journeys_item = journeys_item_data.to_dict()
                journeys.append(journeys_item)

        last_event_at: None | str | Unset
        if isinstance(self.last_event_at, Unset):
            last_event_at = UNSET
        elif isinstance(self.last_event_at, datetime.datetime):
            last_event_at = self.last_event_at.isoformat()
        else:
            last_event_at = self.last_event_at

        loyalty: dict[str, Any] | None | Unset
        if isinstance(self.loyalty, Unset):
            loyalty = UNSET
        elif isinstance(self.loyalty, MemberPoints):
            loyalty = self.loyalty.to_dict()
        else:
            loyalty = self.loyalty

        merged_ids: list[str] | Unset = UNSET
        if not isinstance(self.merged_ids, Unset):
            merged_ids = self.merged_ids

        referral_codes: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.referral_codes, Unset):
            referral_codes = []
            for referral_codes_item_data in self.referral_codes:
                referral_codes_item = referral_codes_item_data.to_dict()
                referral_codes.append(referral_codes_item)

        referral_rewards: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.referral_rewards, Unset):
            referral_rewards = []
            for referral_rewards_item_data in self.referral_rewards:
                referral_rewards_item = referral_rewards_item_data.to_dict()
                referral_rewards.append(referral_rewards_item)

        referrals: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.referrals, Unset):
            referrals = []
            for referrals_item_data in self.referrals:
                referrals_item = referrals_item_data.to_dict()
                referrals.append(referrals_item)

        scores: dict[str, Any] | None | Unset
        if isinstance(self.scores, Unset):
            scores = UNSET
        elif isinstance(self.scores, CustomerScores):
            scores = self.scores.to_dict()
        else:
            scores = self.scores

        segments: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.segments, Unset):
            segments = []
            for segments_item_data in self.segments:
                segments_item = segments_item_data.to_dict()
                segments.append(segments_item)

        stats: dict[str, Any] | Unset = UNSET
        if not isinstance(self.stats, Unset):
            stats = self.stats.to_dict()

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        tasks: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tasks, Unset):
            tasks = []
            for tasks_item_data in self.tasks:
                tasks_item = tasks_item_data.to_dict()
                tasks.append(tasks_item)

        traits: dict[str, Any] | Unset = UNSET
        if not isinstance(self.traits, Unset):
            traits = self.traits.to_dict()

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer_id": customer_id,
            }
        )
        if acquisition is not UNSET:
            field_dict["acquisition"] = acquisition
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if deals is not UNSET:
            field_dict["deals"] = deals
        if degraded is not UNSET:
            field_dict["degraded"] = degraded
        if first_seen_at is not UNSET:
            field_dict["first_seen_at"] = first_seen_at
        if identifiers is not UNSET:
            field_dict["identifiers"] = identifiers
        if journeys is not UNSET:
            field_dict["journeys"] = journeys
        if last_event_at is not UNSET:
            field_dict["last_event_at"] = last_event_at
        if loyalty is not UNSET:
            field_dict["loyalty"] = loyalty
        if merged_ids is not UNSET:
            field_dict["merged_ids"] = merged_ids
        if referral_codes is not UNSET:
            field_dict["referral_codes"] = referral_codes
        if referral_rewards is not UNSET:
            field_dict["referral_rewards"] = referral_rewards
        if referrals is not UNSET:
            field_dict["referrals"] = referrals
        if scores is not UNSET:
            field_dict["scores"] = scores
        if segments is not UNSET:
            field_dict["segments"] = segments
        if stats is not UNSET:
            field_dict["stats"] = stats
        if tags is not UNSET:
            field_dict["tags"] = tags
        if tasks is not UNSET:
            field_dict["tasks"] = tasks
        if traits is not UNSET:
            field_dict["traits"] = traits
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.acquisition import Acquisition  # noqa: PLC0415
        from ..models.customer_360_traits import Customer360Traits  # noqa: PLC0415
        from ..models.customer_deal import CustomerDeal  # noqa: PLC0415
        from ..models.customer_journey import CustomerJourney  # noqa: PLC0415
        from ..models.customer_scores import CustomerScores  # noqa: PLC0415
        from ..models.customer_segment import CustomerSegment  # noqa: PLC0415
        from ..models.customer_stats import CustomerStats  # noqa: PLC0415
        from ..models.customer_task import CustomerTask  # noqa: PLC0415
        from ..models.identifiers import Identifiers  # noqa: PLC0415
        from ..models.member_points import MemberPoints  # noqa: PLC0415
        from ..models.referral_code import ReferralCode  # noqa: PLC0415
        from ..models.referral_link import ReferralLink  # noqa: PLC0415
        from ..models.referral_reward import ReferralReward  # noqa: PLC0415

        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        _acquisition = d.pop("acquisition", UNSET)
        acquisition: Acquisition | Unset
        if isinstance(_acquisition, Unset):
            acquisition = UNSET
        else:
            acquisition = Acquisition.from_dict(_acquisition)

        def _parse_created_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_at_type_0 = datetime.datetime.fromisoformat(data)

                return created_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        created_at = _parse_created_at(d.pop("created_at", UNSET))

        _deals = d.pop("deals", UNSET)
        deals: list[CustomerDeal] | Unset = UNSET
        if _deals is not UNSET:
            deals = []
            for deals_item_data in _deals:
                deals_item = CustomerDeal.from_dict(deals_item_data)

                deals.append(deals_item)

        degraded = cast(list[str], d.pop("degraded", UNSET))

        def _parse_first_seen_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                first_seen_at_type_0 = datetime.datetime.fromisoformat(data)

                return first_seen_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        first_seen_at = _parse_first_seen_at(d.pop("first_seen_at", UNSET))

        _identifiers = d.pop("identifiers", UNSET)
        identifiers: Identifiers | Unset
        if isinstance(_identifiers, Unset):
            identifiers = UNSET
        else:
            identifiers = Identifiers.from_dict(_identifiers)

        _journeys = d.pop("journeys", UNSET)
        journeys: list[CustomerJourney] | Unset = UNSET
        if _journeys is not UNSET:
            journeys = []
            for journeys_item_data in _journeys:
                journeys_item = CustomerJourney.from_dict(journeys_item_data)

                journeys.append(journeys_item)

        def _parse_last_event_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_event_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_event_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_event_at = _parse_last_event_at(d.pop("last_event_at", UNSET))

        def _parse_loyalty(data: object) -> MemberPoints | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                loyalty_type_0 = MemberPoints.from_dict(data)

                return loyalty_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MemberPoints | None | Unset, data)

        loyalty = _parse_loyalty(d.pop("loyalty", UNSET))

        merged_ids = cast(list[str], d.pop("merged_ids", UNSET))

        _referral_codes = d.pop("referral_codes", UNSET)
        referral_codes: list[ReferralCode] | Unset = UNSET
        if _referral_codes is not UNSET:
            referral_codes = []
            for referral_codes_item_data in _referral_codes:
                referral_codes_item = ReferralCode.from_dict(referral_codes_item_data)

                referral_codes.append(referral_codes_item)

        _referral_rewards = d.pop("referral_rewards", UNSET)
        referral_rewards: list[ReferralReward] | Unset = UNSET
        if _referral_rewards is not UNSET:
            referral_rewards = []
            for referral_rewards_item_data in _referral_rewards:
                referral_rewards_item = ReferralReward.from_dict(referral_rewards_item_data)

                referral_rewards.append(referral_rewards_item)

        _referrals = d.pop("referrals", UNSET)
        referrals: list[ReferralLink] | Unset = UNSET
        if _referrals is not UNSET:
            referrals = []
            for referrals_item_data in _referrals:
                referrals_item = ReferralLink.from_dict(referrals_item_data)

                referrals.append(referrals_item)

        def _parse_scores(data: object) -> CustomerScores | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                scores_type_0 = CustomerScores.from_dict(data)

                return scores_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CustomerScores | None | Unset, data)

        scores = _parse_scores(d.pop("scores", UNSET))

        _segments = d.pop("segments", UNSET)
        segments: list[CustomerSegment] | Unset = UNSET
        if _segments is not UNSET:
            segments = []
            for segments_item_data in _segments:
                segments_item = CustomerSegment.from_dict(segments_item_data)

                segments.append(segments_item)

        _stats = d.pop("stats", UNSET)
        stats: CustomerStats | Unset
        if isinstance(_stats, Unset):
            stats = UNSET
        else:
            stats = CustomerStats.from_dict(_stats)

        tags = cast(list[str], d.pop("tags", UNSET))

        _tasks = d.pop("tasks", UNSET)
        tasks: list[CustomerTask] | Unset = UNSET
        if _tasks is not UNSET:
            tasks = []
            for tasks_item_data in _tasks:
                tasks_item = CustomerTask.from_dict(tasks_item_data)

                tasks.append(tasks_item)

        _traits = d.pop("traits", UNSET)
        traits: Customer360Traits | Unset
        if isinstance(_traits, Unset):
            traits = UNSET
        else:
            traits = Customer360Traits.from_dict(_traits)

        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

        customer_360 = cls(
            customer_id=customer_id,
            acquisition=acquisition,
            created_at=created_at,
            deals=deals,
            degraded=degraded,
            first_seen_at=first_seen_at,
            identifiers=identifiers,
            journeys=journeys,
            last_event_at=last_event_at,
            loyalty=loyalty,
            merged_ids=merged_ids,
            referral_codes=referral_codes,
            referral_rewards=referral_rewards,
            referrals=referrals,
            scores=scores,
            segments=segments,
            stats=stats,
            tags=tags,
            tasks=tasks,
            traits=traits,
            updated_at=updated_at,
        )

        customer_360.additional_properties = d
        return customer_360

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
