from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.consent_record import ConsentRecord


T = TypeVar("T", bound="CustomerConsent")


@_attrs_define
class CustomerConsent:
    """A customer's consent: the current status per group (the latest by event time) and every change, oldest
    first. A group without a status is its default (`opt_in`: not subscribed; `opt_out` and a channel's own group:
    subscribed).

        Attributes:
            current (list[ConsentRecord]):
            customer_id (str):
            history (list[ConsentRecord]):
    """

    current: list[ConsentRecord]
    customer_id: str
    history: list[ConsentRecord]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        current = []
        for current_item_data in self.current:
            current_item = current_item_data.to_dict()
            current.append(current_item)

        customer_id = self.customer_id

        history = []
        for history_item_data in self.history:
            history_item = history_item_data.to_dict()
            history.append(history_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "current": current,
                "customer_id": customer_id,
                "history": history,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.consent_record import ConsentRecord  # noqa: PLC0415

        d = dict(src_dict)
        current = []
        _current = d.pop("current")
        for current_item_data in _current:
            current_item = ConsentRecord.from_dict(current_item_data)

            current.append(current_item)

        customer_id = d.pop("customer_id")

        history = []
        _history = d.pop("history")
        for history_item_data in _history:
            history_item = ConsentRecord.from_dict(history_item_data)

            history.append(history_item)

        customer_consent = cls(
            current=current,
            customer_id=customer_id,
            history=history,
        )

        customer_consent.additional_properties = d
        return customer_consent

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
