from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.messaging_settings_in_caps import MessagingSettingsInCaps


T = TypeVar("T", bound="MessagingSettingsIn")


@_attrs_define
class MessagingSettingsIn:
    """The workspace's messaging settings: a frequency cap per channel across all journeys (a channel left out
    is not capped; `{}` removes every cap). Journeys' own `settings.frequency_cap` still apply, and their
    `settings.priority` and `settings.when_capped` decide which message takes the last slot of a window.

        Attributes:
            caps (MessagingSettingsInCaps | Unset):
    """

    caps: MessagingSettingsInCaps | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        caps: dict[str, Any] | Unset = UNSET
        if not isinstance(self.caps, Unset):
            caps = self.caps.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if caps is not UNSET:
            field_dict["caps"] = caps

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.messaging_settings_in_caps import MessagingSettingsInCaps  # noqa: PLC0415

        d = dict(src_dict)
        _caps = d.pop("caps", UNSET)
        caps: MessagingSettingsInCaps | Unset
        if isinstance(_caps, Unset):
            caps = UNSET
        else:
            caps = MessagingSettingsInCaps.from_dict(_caps)

        messaging_settings_in = cls(
            caps=caps,
        )

        return messaging_settings_in
