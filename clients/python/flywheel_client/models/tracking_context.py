from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tracking_context_campaign_type_0 import TrackingContextCampaignType0
    from ..models.tracking_context_library_type_0 import TrackingContextLibraryType0
    from ..models.tracking_context_page_type_0 import TrackingContextPageType0
    from ..models.tracking_context_traits_type_0 import TrackingContextTraitsType0


T = TypeVar("T", bound="TrackingContext")


@_attrs_define
class TrackingContext:
    """What the SDK knows around the call; Flywheel reads `page.url`, `campaign.source` and `campaign.name` (UTM),
    `traits.email` and `traits.phone` (identifiers), `library.name` (the event's source), and `app` or `device`
    (a track's channel: app). `ip` and `userAgent` are not kept.

        Attributes:
            campaign (None | TrackingContextCampaignType0 | Unset):
            library (None | TrackingContextLibraryType0 | Unset):
            page (None | TrackingContextPageType0 | Unset):
            traits (None | TrackingContextTraitsType0 | Unset):
    """

    campaign: None | TrackingContextCampaignType0 | Unset = UNSET
    library: None | TrackingContextLibraryType0 | Unset = UNSET
    page: None | TrackingContextPageType0 | Unset = UNSET
    traits: None | TrackingContextTraitsType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.tracking_context_campaign_type_0 import TrackingContextCampaignType0  # noqa: PLC0415
        from ..models.tracking_context_library_type_0 import TrackingContextLibraryType0  # noqa: PLC0415
        from ..models.tracking_context_page_type_0 import TrackingContextPageType0  # noqa: PLC0415
        from ..models.tracking_context_traits_type_0 import TrackingContextTraitsType0  # noqa: PLC0415

        campaign: dict[str, Any] | None | Unset
        if isinstance(self.campaign, Unset):
            campaign = UNSET
        elif isinstance(self.campaign, TrackingContextCampaignType0):
            campaign = self.campaign.to_dict()
        else:
            campaign = self.campaign

        library: dict[str, Any] | None | Unset
        if isinstance(self.library, Unset):
            library = UNSET
        elif isinstance(self.library, TrackingContextLibraryType0):
            library = self.library.to_dict()
        else:
            library = self.library

        page: dict[str, Any] | None | Unset
        if isinstance(self.page, Unset):
            page = UNSET
        elif isinstance(self.page, TrackingContextPageType0):
            page = self.page.to_dict()
        else:
            page = self.page

        traits: dict[str, Any] | None | Unset
        if isinstance(self.traits, Unset):
            traits = UNSET
        elif isinstance(self.traits, TrackingContextTraitsType0):
            traits = self.traits.to_dict()
        else:
            traits = self.traits

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if campaign is not UNSET:
            field_dict["campaign"] = campaign
        if library is not UNSET:
            field_dict["library"] = library
        if page is not UNSET:
            field_dict["page"] = page
        if traits is not UNSET:
            field_dict["traits"] = traits

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tracking_context_campaign_type_0 import TrackingContextCampaignType0  # noqa: PLC0415
        from ..models.tracking_context_library_type_0 import TrackingContextLibraryType0  # noqa: PLC0415
        from ..models.tracking_context_page_type_0 import TrackingContextPageType0  # noqa: PLC0415
        from ..models.tracking_context_traits_type_0 import TrackingContextTraitsType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_campaign(data: object) -> None | TrackingContextCampaignType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                campaign_type_0 = TrackingContextCampaignType0.from_dict(data)

                return campaign_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TrackingContextCampaignType0 | Unset, data)

        campaign = _parse_campaign(d.pop("campaign", UNSET))

        def _parse_library(data: object) -> None | TrackingContextLibraryType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                library_type_0 = TrackingContextLibraryType0.from_dict(data)

                return library_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TrackingContextLibraryType0 | Unset, data)

        library = _parse_library(d.pop("library", UNSET))

        def _parse_page(data: object) -> None | TrackingContextPageType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                page_type_0 = TrackingContextPageType0.from_dict(data)

                return page_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TrackingContextPageType0 | Unset, data)

        page = _parse_page(d.pop("page", UNSET))

        def _parse_traits(data: object) -> None | TrackingContextTraitsType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                traits_type_0 = TrackingContextTraitsType0.from_dict(data)

                return traits_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TrackingContextTraitsType0 | Unset, data)

        traits = _parse_traits(d.pop("traits", UNSET))

        tracking_context = cls(
            campaign=campaign,
            library=library,
            page=page,
            traits=traits,
        )

        tracking_context.additional_properties = d
        return tracking_context

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
