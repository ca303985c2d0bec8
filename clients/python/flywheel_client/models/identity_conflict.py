from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.identity_conflict_identifier_kind import IdentityConflictIdentifierKind
from ..models.identity_conflict_rule import IdentityConflictRule
from ..types import UNSET, Unset

T = TypeVar("T", bound="IdentityConflict")


@_attrs_define
class IdentityConflict:
    """An event that would have merged customers through a shared identifier (`rule`: `shared_identifier`) or
    through a weak identifier alone while they hold different values of a stronger kind (`weak_identifier`): it
    went to `customer_id` (the customer of its strongest identifier), and the identifier stayed with its owner(s)
    `other_customer_ids`.

        Attributes:
            customer_id (str):
            event_id (str):
            identifier_hash (str): The identifier's keyed digest (the same in every conflict).
            identifier_kind (IdentityConflictIdentifierKind):
            masked_identifier (str): Enough of it to recognise it, never all of it.
            occurred_at (datetime.datetime): The event's time.
            other_customer_ids (list[str]):
            recorded_at (datetime.datetime):
            rule (IdentityConflictRule | Unset): Which rule kept them apart: `shared_identifier`, the identifier was seen
                with more distinct others than its limit; `weak_identifier`, a weak identifier alone would have given a customer
                a second value of a stronger kind. Default: IdentityConflictRule.SHARED_IDENTIFIER.
    """

    customer_id: str
    event_id: str
    identifier_hash: str
    identifier_kind: IdentityConflictIdentifierKind
    masked_identifier: str
    occurred_at: datetime.datetime
    other_customer_ids: list[str]
    recorded_at: datetime.datetime
    rule: IdentityConflictRule | Unset = IdentityConflictRule.SHARED_IDENTIFIER
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        event_id = self.event_id

        identifier_hash = self.identifier_hash

        identifier_kind = self.identifier_kind.value

        masked_identifier = self.masked_identifier

        occurred_at = self.occurred_at.isoformat()

        other_customer_ids = self.other_customer_ids

        recorded_at = self.recorded_at.isoformat()

        rule: str | Unset = UNSET
        if not isinstance(self.rule, Unset):
            rule = self.rule.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer_id": customer_id,
                "event_id": event_id,
                "identifier_hash": identifier_hash,
                "identifier_kind": identifier_kind,
                "masked_identifier": masked_identifier,
                "occurred_at": occurred_at,
                "other_customer_ids": other_customer_ids,
                "recorded_at": recorded_at,
            }
        )
        if rule is not UNSET:
            field_dict["rule"] = rule

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        event_id = d.pop("event_id")

        identifier_hash = d.pop("identifier_hash")

        identifier_kind = IdentityConflictIdentifierKind(d.pop("identifier_kind"))

        masked_identifier = d.pop("masked_identifier")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        other_customer_ids = cast(list[str], d.pop("other_customer_ids"))

        recorded_at = datetime.datetime.fromisoformat(d.pop("recorded_at"))

        _rule = d.pop("rule", UNSET)
        rule: IdentityConflictRule | Unset
        if isinstance(_rule, Unset):
            rule = UNSET
        else:
            rule = IdentityConflictRule(_rule)

        identity_conflict = cls(
            customer_id=customer_id,
            event_id=event_id,
            identifier_hash=identifier_hash,
            identifier_kind=identifier_kind,
            masked_identifier=masked_identifier,
            occurred_at=occurred_at,
            other_customer_ids=other_customer_ids,
            recorded_at=recorded_at,
            rule=rule,
        )

        identity_conflict.additional_properties = d
        return identity_conflict

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
