from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.acquisition import Acquisition
    from ..models.customer_stats import CustomerStats
    from ..models.customer_view_traits import CustomerViewTraits
    from ..models.identifiers import Identifiers


T = TypeVar("T", bound="CustomerView")


@_attrs_define
class CustomerView:
    """A resolved customer: every identifier merged into one profile.

    Attributes:
        customer_id (str):
        acquisition (Acquisition | Unset): Where the customer came from: `referral` (with `program_id`) when a referral
            program attributed them; else
            the `utm_source` (and `utm_campaign`) of their earliest event carrying one; else the `channel` of their first
            purchase; else `direct`. Earliest by event time, so late events and merges do not change it.
        created_at (datetime.datetime | None | Unset):
        first_seen_at (datetime.datetime | None | Unset): Time of the customer's earliest event.
        identifiers (Identifiers | Unset):
        last_event_at (datetime.datetime | None | Unset): Time of the customer's latest event.
        merged_ids (list[str] | Unset): Ids merged into this customer.
        stats (CustomerStats | Unset):
        tags (list[str] | Unset):
        traits (CustomerViewTraits | Unset):
        updated_at (datetime.datetime | None | Unset):
    """

    customer_id: str
    acquisition: Acquisition | Unset = UNSET
    created_at: datetime.datetime | None | Unset = UNSET
    first_seen_at: datetime.datetime | None | Unset = UNSET
    identifiers: Identifiers | Unset = UNSET
    last_event_at: datetime.datetime | None | Unset = UNSET
    merged_ids: list[str] | Unset = UNSET
    stats: CustomerStats | Unset = UNSET
    tags: list[str] | Unset = UNSET
    traits: CustomerViewTraits | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
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

        last_event_at: None | str | Unset
        if isinstance(self.last_event_at, Unset):
            last_event_at = UNSET
        elif isinstance(self.last_event_at, datetime.datetime):
            last_event_at = self.last_event_at.isoformat()
        else:
            last_event_at = self.last_event_at

        merged_ids: list[str] | Unset = UNSET
        if not isinstance(self.merged_ids, Unset):
            merged_ids = self.merged_ids

        stats: dict[str, Any] | Unset = UNSET
        if not isinstance(self.stats, Unset):
            stats = self.stats.to_dict()

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

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
        if first_seen_at is not UNSET:
            field_dict["first_seen_at"] = first_seen_at
        if identifiers is not UNSET:
            field_dict["identifiers"] = identifiers
        if last_event_at is not UNSET:
            field_dict["last_event_at"] = last_event_at
        if merged_ids is not UNSET:
            field_dict["merged_ids"] = merged_ids
        if stats is not UNSET:
            field_dict["stats"] = stats
        if tags is not UNSET:
            field_dict["tags"] = tags
        if traits is not UNSET:
            field_dict["traits"] = traits
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.acquisition import Acquisition  # noqa: PLC0415
        from ..models.customer_stats import CustomerStats  # noqa: PLC0415
        from ..models.customer_view_traits import CustomerViewTraits  # noqa: PLC0415
        from ..models.identifiers import Identifiers  # noqa: PLC0415

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

        merged_ids = cast(list[str], d.pop("merged_ids", UNSET))

        _stats = d.pop("stats", UNSET)
        stats: CustomerStats | Unset
        if isinstance(_stats, Unset):
            stats = UNSET
        else:
            stats = CustomerStats.from_dict(_stats)

        tags = cast(list[str], d.pop("tags", UNSET))

        _traits = d.pop("traits", UNSET)
        traits: CustomerViewTraits | Unset
        if isinstance(_traits, Unset):
            traits = UNSET
        else:
            traits = CustomerViewTraits.from_dict(_traits)

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

        customer_view = cls(
            customer_id=customer_id,
            acquisition=acquisition,
            created_at=created_at,
            first_seen_at=first_seen_at,
            identifiers=identifiers,
            last_event_at=last_event_at,
            merged_ids=merged_ids,
            stats=stats,
            tags=tags,
            traits=traits,
            updated_at=updated_at,
        )

        customer_view.additional_properties = d
        return customer_view

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
