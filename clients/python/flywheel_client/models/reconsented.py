from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.reconsented_identifier import ReconsentedIdentifier
from ..types import UNSET, Unset

T = TypeVar("T", bound="Reconsented")


@_attrs_define
class Reconsented:
    """
    Attributes:
        erased_at (datetime.datetime): When the customer who had it was erased.
        identifier (ReconsentedIdentifier): Which identifier was re-consented (never its value).
        reconsented_at (datetime.datetime): Events that happen from this time on are accepted again (a new profile);
            events from before it (replayed, re-sent) stay dropped.
        status (Literal['reconsented'] | Unset):  Default: 'reconsented'.
    """

    erased_at: datetime.datetime
    identifier: ReconsentedIdentifier
    reconsented_at: datetime.datetime
    status: Literal["reconsented"] | Unset = "reconsented"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        erased_at = self.erased_at.isoformat()

        identifier = self.identifier.value

        reconsented_at = self.reconsented_at.isoformat()

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "erased_at": erased_at,
                "identifier": identifier,
                "reconsented_at": reconsented_at,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        erased_at = datetime.datetime.fromisoformat(d.pop("erased_at"))

        identifier = ReconsentedIdentifier(d.pop("identifier"))

        reconsented_at = datetime.datetime.fromisoformat(d.pop("reconsented_at"))

        status = cast(Literal["reconsented"] | Unset, d.pop("status", UNSET))
        if status != "reconsented" and not isinstance(status, Unset):
            raise ValueError(f"status must match const 'reconsented', got '{status}'")

        reconsented = cls(
            erased_at=erased_at,
            identifier=identifier,
            reconsented_at=reconsented_at,
            status=status,
        )

        reconsented.additional_properties = d
        return reconsented

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
