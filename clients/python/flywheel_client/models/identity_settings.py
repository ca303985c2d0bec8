from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.identity_settings_weak_identifier_kinds_item import IdentitySettingsWeakIdentifierKindsItem
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.shared_identifier_limit_view import SharedIdentifierLimitView


T = TypeVar("T", bound="IdentitySettings")


@_attrs_define
class IdentitySettings:
    """
    Attributes:
        default (bool): True while the workspace has set nothing: these are the defaults.
        shared_identifier_limits (list[SharedIdentifierLimitView]):
        weak_identifier_kinds (list[IdentitySettingsWeakIdentifierKindsItem] | Unset): Identifier kinds that alone never
            join customers holding different values of a stronger kind.
    """

    default: bool
    shared_identifier_limits: list[SharedIdentifierLimitView]
    weak_identifier_kinds: list[IdentitySettingsWeakIdentifierKindsItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        default = self.default

        shared_identifier_limits = []
        for shared_identifier_limits_item_data in self.shared_identifier_limits:
            shared_identifier_limits_item = shared_identifier_limits_item_data.to_dict()
            shared_identifier_limits.append(shared_identifier_limits_item)

        weak_identifier_kinds: list[str] | Unset = UNSET
        if not isinstance(self.weak_identifier_kinds, Unset):
            weak_identifier_kinds = []
            for weak_identifier_kinds_item_data in self.weak_identifier_kinds:
                weak_identifier_kinds_item = weak_identifier_kinds_item_data.value
                weak_identifier_kinds.append(weak_identifier_kinds_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "default": default,
                "shared_identifier_limits": shared_identifier_limits,
            }
        )
        if weak_identifier_kinds is not UNSET:
            field_dict["weak_identifier_kinds"] = weak_identifier_kinds

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.shared_identifier_limit_view import SharedIdentifierLimitView  # noqa: PLC0415

        d = dict(src_dict)
        default = d.pop("default")

        shared_identifier_limits = []
        _shared_identifier_limits = d.pop("shared_identifier_limits")
        for shared_identifier_limits_item_data in _shared_identifier_limits:
            shared_identifier_limits_item = SharedIdentifierLimitView.from_dict(shared_identifier_limits_item_data)

            shared_identifier_limits.append(shared_identifier_limits_item)

        _weak_identifier_kinds = d.pop("weak_identifier_kinds", UNSET)
        weak_identifier_kinds: list[IdentitySettingsWeakIdentifierKindsItem] | Unset = UNSET
        if _weak_identifier_kinds is not UNSET:
            weak_identifier_kinds = []
            for weak_identifier_kinds_item_data in _weak_identifier_kinds:
                weak_identifier_kinds_item = IdentitySettingsWeakIdentifierKindsItem(weak_identifier_kinds_item_data)

                weak_identifier_kinds.append(weak_identifier_kinds_item)

        identity_settings = cls(
            default=default,
            shared_identifier_limits=shared_identifier_limits,
            weak_identifier_kinds=weak_identifier_kinds,
        )

        identity_settings.additional_properties = d
        return identity_settings

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
