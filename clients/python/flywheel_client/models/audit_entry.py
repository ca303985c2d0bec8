from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.audit_entry_outcome import AuditEntryOutcome
from ..types import UNSET, Unset

T = TypeVar("T", bound="AuditEntry")


@_attrs_define
class AuditEntry:
    """
    Attributes:
        action (str): One of key.created, key.rotated, key.revoked, customer.erased, customer.exported,
            customer.reconsented, merge.undone, quote.approved, quote.rejected, channel.changed, channel.secret_rotated,
            journey.created, journey.updated, journey.activated, journey.paused, journey.archived, kpi_target.changed,
            report_settings.changed, messaging_settings.changed.
        actor_key_id (None | str): The API key that did it; null when an operator used the command line.
        at (datetime.datetime):
        id (int):
        target (str): What was acted on: a key, customer, quote or journey id; for the channel, the webhook's origin
            (scheme, host and port; never its path or query); for a KPI target, `metric/period`.
        actor_owner (None | str | Unset): The owner of that key when it acted (e.g. the approving manager); null for an
            operator on the command line and for entries from before keys had owners.
        outcome (AuditEntryOutcome | Unset): `done`; for a change made in another service: `refused` (it answered no,
            nothing changed), `unknown` (no clear answer: it may have happened), or `requested` (the gateway stopped before
            it could record the answer: it may have happened). Default: AuditEntryOutcome.DONE.
        request_id (None | str | Unset): The request's X-Request-ID header, when it sent one.
        trace_id (None | str | Unset): The request's trace id, when tracing is on.
    """

    action: str
    actor_key_id: None | str
    at: datetime.datetime
    id: int
    target: str
    actor_owner: None | str | Unset = UNSET
    outcome: AuditEntryOutcome | Unset = AuditEntryOutcome.DONE
    request_id: None | str | Unset = UNSET
    trace_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        actor_key_id: None | str
        actor_key_id = self.actor_key_id

        at = self.at.isoformat()

        id = self.id

        target = self.target

        actor_owner: None | str | Unset
        if isinstance(self.actor_owner, Unset):
            actor_owner = UNSET
        else:
            actor_owner = self.actor_owner

        outcome: str | Unset = UNSET
        if not isinstance(self.outcome, Unset):
            outcome = self.outcome.value

        request_id: None | str | Unset
        if isinstance(self.request_id, Unset):
            request_id = UNSET
        else:
            request_id = self.request_id

        trace_id: None | str | Unset
        if isinstance(self.trace_id, Unset):
            trace_id = UNSET
        else:
            trace_id = self.trace_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "actor_key_id": actor_key_id,
                "at": at,
                "id": id,
                "target": target,
            }
        )
        if actor_owner is not UNSET:
            field_dict["actor_owner"] = actor_owner
        if outcome is not UNSET:
            field_dict["outcome"] = outcome
        if request_id is not UNSET:
            field_dict["request_id"] = request_id
        if trace_id is not UNSET:
            field_dict["trace_id"] = trace_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action = d.pop("action")

        def _parse_actor_key_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        actor_key_id = _parse_actor_key_id(d.pop("actor_key_id"))

        at = datetime.datetime.fromisoformat(d.pop("at"))

        id = d.pop("id")

        target = d.pop("target")

        def _parse_actor_owner(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        actor_owner = _parse_actor_owner(d.pop("actor_owner", UNSET))

        _outcome = d.pop("outcome", UNSET)
        outcome: AuditEntryOutcome | Unset
        if isinstance(_outcome, Unset):
            outcome = UNSET
        else:
            outcome = AuditEntryOutcome(_outcome)

        def _parse_request_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        request_id = _parse_request_id(d.pop("request_id", UNSET))

        def _parse_trace_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        trace_id = _parse_trace_id(d.pop("trace_id", UNSET))

        audit_entry = cls(
            action=action,
            actor_key_id=actor_key_id,
            at=at,
            id=id,
            target=target,
            actor_owner=actor_owner,
            outcome=outcome,
            request_id=request_id,
            trace_id=trace_id,
        )

        audit_entry.additional_properties = d
        return audit_entry

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
