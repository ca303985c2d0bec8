from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.current_key_scopes_item import CurrentKeyScopesItem
from ..types import UNSET, Unset

T = TypeVar("T", bound="CurrentKey")


@_attrs_define
class CurrentKey:
    """The API key a request was made with, as its holder may see it (never its secret): what a client such as the
    console needs to know what it may do and for whom.

        Attributes:
            created_at (datetime.datetime):
            id (str):
            name (str):
            owner (None | str): The person or system the key acts for, as named when it was made (e.g. the owner of the
                tasks and deals a sales inbox shows); null for a key made without one (it acts for itself, `key:<id>`).
            prefix (str): The key starts `fw_<prefix>_`.
            scopes (list[CurrentKeyScopesItem]): What the key may do; `admin` implies every scope.
            workspace (str): The workspace the key belongs to: every request acts in it.
            expires_at (datetime.datetime | None | Unset): When the secret this request was made with stops working: set
                only for a rotated key's old secret during its grace period (switch to the new one before then); null for a
                current secret.
            rotated_at (datetime.datetime | None | Unset): When the key's secret was last replaced.
    """

    created_at: datetime.datetime
    id: str
    name: str
    owner: None | str
    prefix: str
    scopes: list[CurrentKeyScopesItem]
    workspace: str
    expires_at: datetime.datetime | None | Unset = UNSET
    rotated_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        id = self.id

        name = self.name

        owner: None | str
        owner = self.owner

        prefix = self.prefix

        scopes = []
        for scopes_item_data in self.scopes:
            scopes_item = scopes_item_data.value
            scopes.append(scopes_item)

        workspace = self.workspace

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        rotated_at: None | str | Unset
        if isinstance(self.rotated_at, Unset):
            rotated_at = UNSET
        elif isinstance(self.rotated_at, datetime.datetime):
            rotated_at = self.rotated_at.isoformat()
        else:
            rotated_at = self.rotated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
                "name": name,
                "owner": owner,
                "prefix": prefix,
                "scopes": scopes,
                "workspace": workspace,
            }
        )
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if rotated_at is not UNSET:
            field_dict["rotated_at"] = rotated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = d.pop("id")

        name = d.pop("name")

        def _parse_owner(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        owner = _parse_owner(d.pop("owner"))

        prefix = d.pop("prefix")

        scopes = []
        _scopes = d.pop("scopes")
        for scopes_item_data in _scopes:
            scopes_item = CurrentKeyScopesItem(scopes_item_data)

            scopes.append(scopes_item)

        workspace = d.pop("workspace")

        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))

        def _parse_rotated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                rotated_at_type_0 = datetime.datetime.fromisoformat(data)

                return rotated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        rotated_at = _parse_rotated_at(d.pop("rotated_at", UNSET))

        current_key = cls(
            created_at=created_at,
            id=id,
            name=name,
            owner=owner,
            prefix=prefix,
            scopes=scopes,
            workspace=workspace,
            expires_at=expires_at,
            rotated_at=rotated_at,
        )

        current_key.additional_properties = d
        return current_key

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
