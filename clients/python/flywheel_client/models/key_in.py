from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.key_in_scopes_item import KeyInScopesItem
from ..types import UNSET, Unset

T = TypeVar("T", bound="KeyIn")


@_attrs_define
class KeyIn:
    """
    Attributes:
        name (str): What the key is for: printable text (422 otherwise).
        owner (None | str | Unset): The person or system the key acts for, e.g. an e-mail address; approvals made with
            the key record it. Printable, no surrounding spaces, not `key:...`. Never changes. Default: the key itself,
            `key:<id>`; required with `sales:approve`.
        scopes (list[KeyInScopesItem] | Unset): Some of events:write, customers:read, customers:erase, attributes:write,
            segments:write, journeys:write, referrals:write, sales:write, sales:approve, reports:write, loyalty:write,
            admin; default: all but sales:approve and admin, which are given only when asked for. `sales:approve` decides
            quotes' discounts and sets the sales settings (the approval policy); `admin` implies every scope. At most as
            many listed as there are scopes.
    """

    name: str
    owner: None | str | Unset = UNSET
    scopes: list[KeyInScopesItem] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        owner: None | str | Unset
        if isinstance(self.owner, Unset):
            owner = UNSET
        else:
            owner = self.owner

        scopes: list[str] | Unset = UNSET
        if not isinstance(self.scopes, Unset):
            scopes = []
            for scopes_item_data in self.scopes:
                scopes_item = scopes_item_data.value
                scopes.append(scopes_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if owner is not UNSET:
            field_dict["owner"] = owner
        if scopes is not UNSET:
            field_dict["scopes"] = scopes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_owner(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        owner = _parse_owner(d.pop("owner", UNSET))

        _scopes = d.pop("scopes", UNSET)
        scopes: list[KeyInScopesItem] | Unset = UNSET
        if _scopes is not UNSET:
            scopes = []
            for scopes_item_data in _scopes:
                scopes_item = KeyInScopesItem(scopes_item_data)

                scopes.append(scopes_item)

        key_in = cls(
            name=name,
            owner=owner,
            scopes=scopes,
        )

        return key_in
