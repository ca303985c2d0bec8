from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.messaging_settings_caps import MessagingSettingsCaps


T = TypeVar("T", bound="MessagingSettings")


@_attrs_define
class MessagingSettings:
    """The workspace's messaging settings as they apply now: version 0 (no cap) until the first PUT.

    Attributes:
        version (int): Every PUT writes the next version (the last 100 are kept).
        caps (MessagingSettingsCaps | Unset):
        updated_at (datetime.datetime | None | Unset): When this version was written; null for version 0.
    """

    version: int
    caps: MessagingSettingsCaps | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        caps: dict[str, Any] | Unset = UNSET
        if not isinstance(self.caps, Unset):
            caps = self.caps.to_dict()

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
                "version": version,
            }
        )
        if caps is not UNSET:
            field_dict["caps"] = caps
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.messaging_settings_caps import MessagingSettingsCaps  # noqa: PLC0415

        d = dict(src_dict)
        version = d.pop("version")

        _caps = d.pop("caps", UNSET)
        caps: MessagingSettingsCaps | Unset
        if isinstance(_caps, Unset):
            caps = UNSET
        else:
            caps = MessagingSettingsCaps.from_dict(_caps)

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

        messaging_settings = cls(
            version=version,
            caps=caps,
            updated_at=updated_at,
        )

        messaging_settings.additional_properties = d
        return messaging_settings

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
