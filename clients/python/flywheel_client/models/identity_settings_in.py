from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.identity_settings_in_weak_identifier_kinds_type_0_item import (
    IdentitySettingsInWeakIdentifierKindsType0Item,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.shared_identifier_limit import SharedIdentifierLimit


T = TypeVar("T", bound="IdentitySettingsIn")


@_attrs_define
class IdentitySettingsIn:
    """The workspace's whole guard: pairs left out are not limited (an empty list turns the count guard off).

    Attributes:
        shared_identifier_limits (list[SharedIdentifierLimit]):
        weak_identifier_kinds (list[IdentitySettingsInWeakIdentifierKindsType0Item] | None | Unset): Identifier kinds
            that alone never join customers holding different values of a stronger kind (external_id > email > phone >
            anonymous_id): a join made only through one never gives a customer a second email, phone or external id. Left
            out: the default, `["anonymous_id"]`; an empty list turns the rule off.
    """

    shared_identifier_limits: list[SharedIdentifierLimit]
    weak_identifier_kinds: list[IdentitySettingsInWeakIdentifierKindsType0Item] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        shared_identifier_limits = []
        for shared_identifier_limits_item_data in self.shared_identifier_limits:
            shared_identifier_limits_item = shared_identifier_limits_item_data.to_dict()
            shared_identifier_limits.append(shared_identifier_limits_item)

        weak_identifier_kinds: list[str] | None | Unset
        if isinstance(self.weak_identifier_kinds, Unset):
            weak_identifier_kinds = UNSET
        elif isinstance(self.weak_identifier_kinds, list):
            weak_identifier_kinds = []
            for weak_identifier_kinds_type_0_item_data in self.weak_identifier_kinds:
                weak_identifier_kinds_type_0_item = weak_identifier_kinds_type_0_item_data.value
                weak_identifier_kinds.append(weak_identifier_kinds_type_0_item)

        else:
            weak_identifier_kinds = self.weak_identifier_kinds

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "shared_identifier_limits": shared_identifier_limits,
            }
        )
        if weak_identifier_kinds is not UNSET:
            field_dict["weak_identifier_kinds"] = weak_identifier_kinds

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.shared_identifier_limit import SharedIdentifierLimit  # noqa: PLC0415

        d = dict(src_dict)
        shared_identifier_limits = []
        _shared_identifier_limits = d.pop("shared_identifier_limits")
        for shared_identifier_limits_item_data in _shared_identifier_limits:
            shared_identifier_limits_item = SharedIdentifierLimit.from_dict(shared_identifier_limits_item_data)

            shared_identifier_limits.append(shared_identifier_limits_item)

        def _parse_weak_identifier_kinds(
            data: object,
        ) -> list[IdentitySettingsInWeakIdentifierKindsType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                weak_identifier_kinds_type_0 = []
                _weak_identifier_kinds_type_0 = data
                for weak_identifier_kinds_type_0_item_data in _weak_identifier_kinds_type_0:
                    weak_identifier_kinds_type_0_item = IdentitySettingsInWeakIdentifierKindsType0Item(
                        weak_identifier_kinds_type_0_item_data
                    )

                    weak_identifier_kinds_type_0.append(weak_identifier_kinds_type_0_item)

                return weak_identifier_kinds_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[IdentitySettingsInWeakIdentifierKindsType0Item] | None | Unset, data)

        weak_identifier_kinds = _parse_weak_identifier_kinds(d.pop("weak_identifier_kinds", UNSET))

        identity_settings_in = cls(
            shared_identifier_limits=shared_identifier_limits,
            weak_identifier_kinds=weak_identifier_kinds,
        )

        return identity_settings_in
